import { describe, it, expect } from 'vitest';
import { isSpaceToken, tokenize, tokenizeKeepSpace } from './tokenize.ts';

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
