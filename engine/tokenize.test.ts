import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isSpaceToken, segmentWindowed, tokenize, tokenizeKeepSpace, type Segmenter } from './tokenize.ts';

describe('tokenize: words', () => {
  it('splits words and punctuation, drops whitespace', () => {
    expect(tokenize("The animal didn't cross the street, because it was too tired.", 'words')).toEqual([
      'The', 'animal', "didn't", 'cross', 'the', 'street', ',', 'because', 'it', 'was', 'too', 'tired', '.',
    ]);
  });

  it('each punctuation mark is its own token; apostrophes only stay inside words', () => {
    expect(tokenize('Wait...what?!', 'words')).toEqual(['Wait', '.', '.', '.', 'what', '?', '!']);
    expect(tokenize("'quoted' rock'n'roll", 'words')).toEqual(["'", 'quoted', "'", "rock'n'roll"]);
    expect(tokenize('l’homme qu’il', 'words')).toEqual(['l’homme', 'qu’il']);
    expect(tokenize('state-of-the-art (2024)', 'words')).toEqual(['state', '-', 'of', '-', 'the', '-', 'art', '(', '2024', ')']);
  });

  it('is Unicode-aware (accents, combining marks, Cyrillic, Greek, digits)', () => {
    expect(tokenize('Café naïve Ελληνικά русский 42x', 'words')).toEqual(['Café', 'naïve', 'Ελληνικά', 'русский', '42x']);
    expect(tokenize('cafe\u0301 ok', 'words')).toEqual(['cafe\u0301', 'ok']);
  });

  it('keeps emoji sequences whole', () => {
    expect(tokenize('hi 👍🏽!', 'words')).toEqual(['hi', '👍🏽', '!']);
  });

  it('splits Chinese into words (Intl.Segmenter), punctuation apart, Latin words untouched', () => {
    expect(tokenize('小猫没有过马路，因为它太累了', 'words')).toEqual(['小猫', '没有', '过', '马路', '，', '因为', '它', '太', '累了']);
    expect(tokenize('自然语言处理 and attention。', 'words')).toEqual(['自然', '语言', '处理', 'and', 'attention', '。']);
  });

  it('without Intl.Segmenter, splits Chinese one character per token', () => {
    const intl = Intl as unknown as { Segmenter?: unknown };
    const saved = intl.Segmenter;
    try {
      delete intl.Segmenter;
      expect(tokenize('小猫没有过马路。', 'words')).toEqual(['小', '猫', '没', '有', '过', '马', '路', '。']);
      expect(tokenize('e\u0301 小猫', 'chars')).toEqual(['e\u0301', '小', '猫']);
    } finally {
      intl.Segmenter = saved;
    }
    expect(tokenize('小猫没有', 'words')).toEqual(['小猫', '没有']);
  });

  it('empty and blank text give no tokens', () => {
    expect(tokenize('', 'words')).toEqual([]);
    expect(tokenize(' \n\t ', 'words')).toEqual([]);
  });
});

describe('tokenize: chars', () => {
  it('every non-whitespace character is a token', () => {
    expect(tokenize('我爱 北京', 'chars')).toEqual(['我', '爱', '北', '京']);
    expect(tokenize('a b,c', 'chars')).toEqual(['a', 'b', ',', 'c']);
  });

  it('characters are graphemes (combining marks and emoji stay whole)', () => {
    expect(tokenize('e\u0301👍🏽', 'chars')).toEqual(['e\u0301', '👍🏽']);
  });
});

describe('tokenizeKeepSpace', () => {
  it('keeps whitespace runs as tokens and rebuilds the text exactly', () => {
    const text = 'ab  c\td';
    const t = tokenizeKeepSpace(text);
    expect(t).toEqual(['a', 'b', '  ', 'c', '\t', 'd']);
    expect(t.join('')).toBe(text);
    expect(t.map(isSpaceToken)).toEqual([false, false, true, false, true, false]);
  });

  it('works with words mode too', () => {
    const text = "Hi,  it's me.";
    const t = tokenizeKeepSpace(text, 'words');
    expect(t).toEqual(['Hi', ',', '  ', "it's", ' ', 'me', '.']);
    expect(t.join('')).toBe(text);
  });
});

describe('tokenize: long text', () => {
  type Ctor = new (locale?: string, opts?: { granularity: string }) => Segmenter;
  const Seg = (Intl as unknown as { Segmenter: Ctor }).Segmenter;
  /** Characters whose grapheme clusters span several code units or code points. */
  const piece = fc.constantFrom('a', 'e\u0301', '\u0301', '👍🏽', '👨‍👩‍👧', '🇫🇷', '🇩', '\u1100\u1161\u11a8', '\r\n', ' ', '猫', '\uFE0F', '\u200D', '\uD83D', 'x\u0308\u0301', '한');

  it('windowed segmentation gives exactly the segments of the whole string (any window)', () => {
    const seg = new Seg(undefined, { granularity: 'grapheme' });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 2, max: 40 }), (pieces, window) => {
        const text = pieces.join('');
        expect(segmentWindowed(seg, text, window)).toEqual(Array.from(seg.segment(text), (s) => s.segment));
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('130,000 characters without a space: one token per character in chars mode (no stack overflow)', () => {
    const text = 'ab'.repeat(65_000);
    const tokens = tokenizeKeepSpace(text);
    expect(tokens).toHaveLength(130_000);
    expect(tokens[129_999]).toBe('b');
    expect(tokenize(text + ' c', 'chars')).toHaveLength(130_001);
  });

  it('a long Chinese run is split into the same words as in short pieces', () => {
    const sentence = '小猫没有过马路，因为它太累了';
    const words = tokenize(sentence, 'words');
    expect(tokenize(sentence.repeat(2000), 'words')).toEqual(Array.from({ length: 2000 }, () => words).flat());
  });
});
