import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CaseJson } from '../engine/types.ts';
import { toBase64Url } from './b64.ts';
import { DEFAULT_DOC, UI_LIMITS, normalizeDoc, type DocState } from './document.ts';
import { joinTokens, tokenizeText } from './tokens.ts';
import { decodeState, encodeState, joinTokenList, splitTokenList } from './urlState.ts';

function docOf(patch: Partial<DocState> = {}): DocState {
  const text = patch.text ?? DEFAULT_DOC.text;
  const mode = patch.mode ?? DEFAULT_DOC.mode;
  return normalizeDoc({ ...DEFAULT_DOC, text, mode, tokens: tokenizeText(text, mode), ...patch });
}

function roundTrip(doc: DocState): DocState | null {
  return decodeState(encodeState(doc), docOf()).doc;
}

const tinyCase: CaseJson = {
  X: [
    [1, 0],
    [0, 1],
    [0.5, -0.25],
  ],
  heads: [
    {
      Wq: [
        [1, 0],
        [0, 1],
      ],
      Wk: [
        [1, 0],
        [0, 1],
      ],
      Wv: [
        [2, 0],
        [0, 2],
      ],
    },
  ],
  tokens: ['a', 'b&c', '#d'],
};

describe('encodeState', () => {
  it('is readable: plain keys, the text with only the necessary escapes', () => {
    const hash = encodeState(docOf());
    expect(hash).toMatch(/^v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=The%20animal%20didn't%20cross/);
    expect(hash).not.toContain('tok=');
    expect(hash).not.toContain('&causal=');
    expect(hash).not.toContain('&w=');
    expect(hash).not.toContain('&ov=');
  });

  it('writes tokens only when they differ from the text, "|"-separated', () => {
    const base = docOf({ text: 'a b c' });
    const doc = { ...base, tokens: ['a', 'b c', 'x|y', 'back\\slash'] };
    const hash = encodeState(normalizeDoc(doc));
    expect(hash).toContain('tok=a|b%20c|x\\|y|back\\\\slash'.replace(/\\/g, '%5C'));
  });

  it('keeps separators of the hash escaped inside values', () => {
    const hash = encodeState(docOf({ text: 'a&b=c #d %e +f' }));
    const text = /(?:^|&)text=([^&]*)/.exec(hash)?.[1];
    expect(text).toBe('a%26b%3Dc%20%23d%20%25e%20%2Bf');
  });

  it('writes weights, padding, overrides and what is looked at compactly', () => {
    const base = docOf({ text: 'one two three' });
    const doc = normalizeDoc({
      ...base,
      mechanism: 'weighted',
      causal: true,
      keyWeights: [1, 0, 0.5],
      padding: [false, false, true],
      overrides: { 'X[2][3]': 0.5, 'heads[0].Wq[1][2]': -1, 'Wo[0][1]': 0.25 },
      cell: { row: 2, col: 1 },
      step: 3,
      view: 'steps',
    });
    const hash = encodeState(doc);
    expect(hash).toContain('causal=1');
    expect(hash).toContain('w=1,0,0.5');
    expect(hash).toContain('pad=2');
    expect(hash).toContain('ov=X.2.3:0.5,0.Wq.1.2:-1,Wo.0.1:0.25');
    expect(hash).toContain('cell=2.1');
    expect(hash).toContain('step=3');
    expect(hash).toContain('view=steps');
  });
});

describe('decodeState round trip', () => {
  it('returns null for an empty hash', () => {
    expect(decodeState('', docOf()).doc).toBeNull();
    expect(decodeState('#', docOf()).doc).toBeNull();
  });

  it('restores the default document exactly', () => {
    const doc = docOf();
    expect(roundTrip(doc)).toEqual(doc);
  });

  it('restores every field', () => {
    const base = docOf({ text: 'The cat sat on the mat' });
    const doc = normalizeDoc({
      ...base,
      tokens: ['The', 'cat', '<img src=x onerror=alert(1)>', 'on', 'the mat', '|', '\\', '&=#%+'],
      mechanism: 'multi',
      convention: 'article',
      seed: 123456789,
      d: 12,
      h: 3,
      dk: 5,
      causal: true,
      keyWeights: [1, 0, 0.25, 2, 1, 1, 1, 0.1],
      padding: [false, false, false, false, false, false, true, false],
      overrides: { 'X[7][11]': -3.5e-7, 'heads[2].Wv[0][0]': 1e21, 'heads[1].Wk[11][4]': 0.1 + 0.2 },
      head: 2,
      cell: { row: 7, col: 0 },
      view: 'matrices',
      step: 4,
    });
    expect(roundTrip(doc)).toEqual(doc);
  });

  it('restores chars mode with whitespace tokens and Chinese', () => {
    const doc = docOf({ text: '我爱 自然语言处理。 a  b', mode: 'chars' });
    expect(doc.tokens).toContain(' ');
    expect(doc.tokens).toContain('  ');
    expect(roundTrip(doc)).toEqual(doc);
  });

  it('restores the local window, the tile size and (on a model) the shift, and names a bad one', () => {
    const doc = docOf({ causal: true, window: 2, tile: 3 });
    expect(encodeState(doc)).toContain('win=2&tile=3');
    expect(roundTrip(doc)).toEqual(doc);
    const model = docOf({ source: { kind: 'model', model: 'hf:local/stories260K-hf' }, shift: 100, tile: 2 });
    expect(encodeState(model)).toContain('shift=100');
    expect(roundTrip(model)).toEqual(model);
    // A model has its own windows: the control's window does not travel with it.
    expect(docOf({ source: { kind: 'model', model: 'brown-char' }, window: 4 }).window).toBeNull();
    const bad = decodeState('#v=1&causal=1&win=0&tile=x', docOf({ window: 5 }));
    expect(bad.doc!.window).toBe(5);
    expect(bad.doc!.tile).toBeNull();
    expect(bad.errors).toEqual(['Link: window must be 1–1024, got 0', 'Link: tile size must be 1–1024, got x']);
  });

  it('restores Chinese split into words, and chip edits that no longer match the segmentation', () => {
    const doc = docOf({ text: '小猫没有过马路，因为它太累了', mode: 'words' });
    expect(doc.tokens.slice(0, 4)).toEqual(['小猫', '没有', '过', '马路']);
    expect(encodeState(doc)).not.toContain('tok=');
    expect(roundTrip(doc)).toEqual(doc);
    const edited = normalizeDoc({ ...doc, tokens: ['小', '猫猫', ...doc.tokens.slice(1)], text: joinTokens(['小', '猫猫', ...doc.tokens.slice(1)], 'words') });
    expect(edited.text).toBe('小猫猫没有过马路，因为它太累了');
    expect(roundTrip(edited)).toEqual(edited);
    expect(joinTokens(['see', '小猫', '，', 'ok', '.'], 'words')).toBe('see 小猫，ok .');
  });

  it('restores a case source, its labels and the edits on top', () => {
    const base = docOf();
    const doc = normalizeDoc({
      ...base,
      source: { kind: 'case', case: tinyCase },
      tokens: ['a', 'b&c', '#d'],
      text: 'a b&c #d',
      keyWeights: [1, 1, 0],
      overrides: { 'X[1][1]': 9 },
      mechanism: 'weighted',
    });
    const back = roundTrip(doc);
    expect(back?.source).toEqual({ kind: 'case', case: tinyCase });
    expect(back?.tokens).toEqual(['a', 'b&c', '#d']);
    expect(back?.keyWeights).toEqual([1, 1, 0]);
    expect(back?.overrides).toEqual({ 'X[1][1]': 9 });
  });

  it('round-trips random documents (property)', () => {
    const token = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', ' ', '|', '\\', '&', '=', '#', '%', '+', '我', ',', ':', '.', '<', '>') });
    fc.assert(
      fc.property(
        fc.array(token, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('self', 'weighted', 'multi'),
        fc.constantFrom('article', 'standard'),
        fc.integer({ min: 1, max: UI_LIMITS.maxHeads }),
        fc.integer({ min: 0, max: UI_LIMITS.maxSeed }),
        fc.boolean(),
        fc.constantFrom('heads', 'lines', 'matrices', 'steps'),
        fc.array(fc.double({ min: 0, max: UI_LIMITS.maxWeight, noNaN: true, noDefaultInfinity: true }), { minLength: 12, maxLength: 12 }),
        (tokens, mechanism, convention, h, seed, causal, view, ws) => {
          const n = tokens.length;
          const doc = normalizeDoc({
            ...docOf(),
            text: tokens.join(' '),
            tokens,
            mechanism: mechanism as DocState['mechanism'],
            convention: convention as DocState['convention'],
            h,
            d: h * 4,
            seed,
            causal,
            view: view as DocState['view'],
            keyWeights: ws.slice(0, n).map((w) => (Object.is(w, -0) ? 0 : w)),
            padding: tokens.map((_, i) => i % 3 === 1),
            cell: { row: n - 1, col: 0 },
            overrides: { [`X[${n - 1}][0]`]: seed / 7 },
          });
          expect(roundTrip(doc)).toEqual(doc);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('splitTokenList inverts joinTokenList', () => {
    for (const list of [['a'], ['', ''], ['|'], ['\\'], ['\\|', '|\\'], ['a|b', 'c\\d']]) {
      expect(splitTokenList(joinTokenList(list))).toEqual(list);
    }
  });
});

describe('decodeState errors', () => {
  const base = docOf({ text: 'keep my work', h: 2, d: 8 });

  it('names the field, the range and the value, and keeps the rest of the link', () => {
    const { doc, errors } = decodeState('#v=1&h=40&d=12&text=hello%20world&causal=1', base);
    expect(errors).toEqual(['Link: heads must be 1–16, got 40']);
    expect(doc?.h).toBe(2); // the last good value
    expect(doc?.d).toBe(12);
    expect(doc?.tokens).toEqual(['hello', 'world']);
    expect(doc?.causal).toBe(true);
  });

  it('rejects non-numbers, out-of-range seeds and unknown choices', () => {
    const { doc, errors } = decodeState('seed=-1&d=abc&mech=quantum&view=3d&mode=bytes&causal=maybe', base);
    expect(errors).toEqual([
      'Link: view must be one of heads, lines, matrices, steps, model, flow, lens, ablate, compare, corpus, got 3d',
      'Link: mechanism must be one of self, weighted, multi, got quantum',
      'Link: d must be 1–512, got abc',
      `Link: seed must be 0–${UI_LIMITS.maxSeed}, got -1`,
      'Link: causal must be one of 0, 1, got maybe',
      'Link: mode must be one of words, chars, got bytes',
    ]);
    expect(doc?.seed).toBe(base.seed);
    expect(doc?.d).toBe(base.d);
    expect(doc?.mechanism).toBe(base.mechanism);
  });

  it('reports unknown settings and versions', () => {
    const { errors } = decodeState('v=9&zoom=3&text=a', base);
    expect(errors).toEqual(['Link: unknown setting “zoom” ignored', 'Link: version 9 is not supported (expected 1)']);
  });

  it('checks per-token lists against the number of tokens', () => {
    expect(decodeState('text=a%20b%20c&w=1,2', base).errors).toEqual(['Link: weights has 2 values for 3 tokens']);
    expect(decodeState('text=a%20b%20c&w=1,-2,1', base).errors).toEqual(['Link: weights must be numbers ≥ 0, got 1,-2,1']);
    expect(decodeState('text=a%20b%20c&pad=1,3', base).errors).toEqual(['Link: padding must be token positions 0–2, got 1,3']);
    expect(decodeState('text=a%20b%20c&cell=3.0', base).errors).toEqual(['Link: cell must be row.col within 0–2, got 3.0']);
    expect(decodeState('text=a%20b%20c&mech=multi&h=2&head=2', base).errors).toEqual(['Link: head must be 0–1, got 2']);
  });

  it('skips unreadable overrides one by one', () => {
    const { doc, errors } = decodeState('text=a%20b&ov=X.1.0:2,Y.0.0:1,X.0.0:abc', base);
    expect(doc?.overrides).toEqual({ 'X[1][0]': 2 });
    expect(errors).toEqual([
      'Link: cannot read the edited number “Y.0.0:1” (expected e.g. X.2.3:0.5)',
      'Link: cannot read the edited number “X.0.0:abc” (expected e.g. X.2.3:0.5)',
    ]);
  });

  it('refuses more tokens than the limit and keeps the current ones', () => {
    const text = Array.from({ length: UI_LIMITS.maxTokens + 1 }, (_, i) => `w${i}`).join('%20');
    const { doc, errors } = decodeState(`text=${text}`, base);
    expect(errors).toEqual([`Link: ${UI_LIMITS.maxTokens + 1} tokens; the limit is ${UI_LIMITS.maxTokens}`]);
    expect(doc?.tokens).toEqual(base.tokens);
  });

  it('explains a damaged or invalid case', () => {
    expect(decodeState('src=case&case=!!!', base).errors).toEqual(['Link: case: not a readable case (damaged or cut short?)']);
    const bad = toBase64Url(JSON.stringify({ X: [[1, 2]], heads: [{ Wq: [[1], [2], [3]], Wk: [[1], [2]], Wv: [[1], [2]] }] }));
    const { doc, errors } = decodeState(`src=case&case=${bad}`, base);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Link: case: heads\[0\]\.Wq: expected 2×1, got 3×1/);
    expect(doc?.source).toEqual({ kind: 'seeded' });
  });

  // Structure-aware fuzzing of links, cases and the /embed query lives in hostileInput.test.ts.
  it('never throws on these malformed fields', () => {
    for (const s of ['%', '%E0%A4%A', '&&&', '=', 'text', 'text=%', 'ov=:', 'cell=.', 'w=,', 'pad=,']) {
      expect(() => decodeState(s, base)).not.toThrow();
    }
  });
});

describe('trained-model source in links', () => {
  const base = docOf({ text: 'keep my work' });
  it('round-trips the model, the layer and the character tokens', () => {
    const text = 'Hi, é!';
    const doc: DocState = { ...base, source: { kind: 'model', model: 'brown-char' }, mode: 'chars', text, tokens: Array.from(text), layer: 1, head: 2 };
    const hash = encodeState(doc);
    expect(hash).toContain('src=model');
    expect(hash).toContain('model=brown-char');
    expect(hash).toContain('layer=1');
    expect(hash).not.toContain('tok='); // the tokens are the text's characters
    const back = decodeState(hash, base);
    expect(back.errors).toEqual([]);
    expect(back.doc?.source).toEqual({ kind: 'model', model: 'brown-char' });
    expect(back.doc?.tokens).toEqual(['H', 'i', ',', ' ', 'é', '!']);
    expect(back.doc?.layer).toBe(1);
    expect(back.doc?.head).toBe(2);
  });

  it("round-trips an encoder's sentence B, the special-token choice and the pair filter; names a bad choice", () => {
    const doc: DocState = { ...base, source: { kind: 'model', model: 'hf:google-bert/bert-base-uncased@main' }, text: 'The [MASK] sat.', pair: 'It was & tired #1', specials: 'renorm', pairLines: 'ab' };
    const hash = encodeState(doc);
    expect(hash).toContain('spec=renorm');
    expect(hash).toContain('lines=ab');
    const back = decodeState(hash, base);
    expect(back.errors).toEqual([]);
    expect(back.doc).toMatchObject({ pair: 'It was & tired #1', specials: 'renorm', pairLines: 'ab' });
    // Defaults stay out of the link; a seeded source has no sentence B.
    expect(encodeState({ ...doc, pair: null, specials: 'show', pairLines: 'all' })).not.toMatch(/pair=|spec=|lines=/);
    expect(decodeState('text=a%20b&pair=c', base).doc?.pair).toBeNull();
    const bad = decodeState('src=model&model=brown-char&text=ab&spec=maybe&lines=ac', base);
    expect(bad.errors).toHaveLength(2);
    expect(bad.errors[0]).toMatch(/^Link: special tokens must be one of show, hide, renorm, got maybe/);
    expect(bad.errors[1]).toMatch(/^Link: sentence pair lines must be one of all, ab, ba, aa, bb, got ac/);
    // The ablation mode's choice had no name for its message either (the link could not be read at all).
    expect(decodeState('src=model&model=brown-char&text=ab&amode=half', base).errors[0]).toMatch(/^Link: ablation mode must be one of zero, mean, got half/);
    expect(bad.doc).toMatchObject({ specials: 'show', pairLines: 'all' });
  });

  it('names a bad model or layer and keeps the rest', () => {
    const r = decodeState('src=model&model=gpt5&layer=x&text=abc', base);
    expect(r.errors).toEqual(['Link: model must be one of brown-char, user, hf:owner/name@revision, got gpt5', 'Link: layer must be 0–127, got x']);
    expect(r.doc?.source).toEqual({ kind: 'model', model: 'brown-char' });
    expect(r.doc?.tokens).toEqual(['a', 'b', 'c']);
    expect(r.doc?.layer).toBe(0);
  });

  it('ignores a layer for one-layer sources', () => {
    expect(decodeState('text=a%20b&layer=3', base).doc?.layer).toBe(0);
  });

  it('round-trips a Hub model, ablated heads, the target and a second input', () => {
    const doc: DocState = normalizeDoc({
      ...base,
      source: { kind: 'model', model: 'hf:openai-community/gpt2' },
      mode: 'words',
      text: 'The cat sat',
      tokens: ['The', 'cat', 'sat'],
      ablate: [
        { layer: 0, head: 1 },
        { layer: 11, head: 7 },
      ],
      ablateMode: 'mean',
      target: ' on',
      compare: 'The dog sat',
      layer: 3,
    });
    const hash = encodeState(doc);
    expect(hash).toContain('model=hf:openai-community/gpt2');
    expect(hash).toContain('ablate=0.1,11.7');
    expect(hash).not.toContain('tok='); // the tokenizer makes the tokens from the text
    const back = decodeState(hash, base);
    expect(back.errors).toEqual([]);
    expect(back.doc?.source).toEqual({ kind: 'model', model: 'hf:openai-community/gpt2' });
    expect(back.doc?.ablate).toEqual(doc.ablate);
    expect(back.doc?.ablateMode).toBe('mean');
    expect(back.doc?.target).toBe(' on');
    expect(back.doc?.compare).toBe('The dog sat');
    expect(back.doc?.layer).toBe(3);
  });

  it('names a bad Hub reference, a local model and a malformed ablation list', () => {
    expect(decodeState('src=model&model=hf:..%2Fetc', base).errors[0]).toMatch(/^Link: model must be one of brown-char, user, hf:owner\/name@revision, got hf:\.\.\/etc \(/);
    expect(decodeState('src=model&model=local:mine', base).errors[0]).toMatch(/^Link: the model local:mine was opened from files on another computer/);
    const r = decodeState('src=model&model=brown-char&ablate=1.x,2', base);
    expect(r.errors).toEqual(['Link: ablate must be layer.head pairs such as 0.1,2.3, got 1.x,2']);
    expect(r.doc?.ablate).toEqual([]);
  });
});
