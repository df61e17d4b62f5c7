import { describe, it, expect } from 'vitest';
import { applyOverrides, buildInput, divisible, effectiveConvention, effectiveHeads, effectiveMechanism, headSize, isValidOverridePath, scenarioKeyWeights, weightsApply } from './scenario.ts';
import type { CaseJson } from './types.ts';
import type { Scenario } from './scenario.ts';
import { tokenEmbedding } from './seeded.ts';
import { CaseError } from './caseError.ts';

const base: Scenario = {
  tokens: ['the', 'cat', 'sat', 'on', 'the', 'mat'],
  mechanism: 'multi',
  convention: 'article',
  seed: 3,
  d: 12,
  h: 3,
  dk: null,
  causal: false,
  keyWeights: [],
  padding: [],
  overrides: {},
};

function caseError(f: () => unknown): CaseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    return e as CaseError;
  }
  throw new Error('no error thrown');
}

describe('buildInput: conventions', () => {
  it("article: h heads of d×d, scale 1/√d, no W^O", () => {
    const input = buildInput(base);
    expect(input.X.rows).toBe(6);
    expect(input.X.cols).toBe(12);
    expect(input.heads).toHaveLength(3);
    for (const h of input.heads) for (const w of [h.Wq, h.Wk, h.Wv]) expect([w.rows, w.cols]).toEqual([12, 12]);
    expect(input.scale).toBeCloseTo(1 / Math.sqrt(12), 12);
    expect(input.Wo).toBeNull();
    expect(input.keyWeights).toBeNull();
    expect(input.causal).toBe(false);
  });

  it('standard: d_k = d_v = d/h, scale 1/√d_k, W^O (h·d_k)×d', () => {
    const input = buildInput({ ...base, convention: 'standard' });
    for (const h of input.heads) for (const w of [h.Wq, h.Wk, h.Wv]) expect([w.rows, w.cols]).toEqual([12, 4]);
    expect(input.scale).toBeCloseTo(0.5, 12);
    expect([input.Wo!.rows, input.Wo!.cols]).toEqual([12, 12]);
  });

  it('standard with an explicit d_k', () => {
    const s: Scenario = { ...base, convention: 'standard', dk: 5 };
    const input = buildInput(s);
    expect(headSize(s)).toBe(5);
    expect(input.heads[0].Wq.cols).toBe(5);
    expect([input.Wo!.rows, input.Wo!.cols]).toEqual([15, 12]);
    expect(input.scale).toBeCloseTo(1 / Math.sqrt(5), 12);
  });

  it('standard without d_k needs h to divide d (clear error otherwise)', () => {
    const e = caseError(() => buildInput({ ...base, convention: 'standard', d: 10, h: 3 }));
    expect(e.field).toBe('h');
    expect(e.message).toBe('h: d = 10 is not divisible by h = 3: choose h dividing d, or set d_k explicitly');
    // the article's convention does not care
    expect(buildInput({ ...base, d: 10, h: 3 }).heads).toHaveLength(3);
  });

  it("'self' and 'weighted' force h = 1", () => {
    for (const mechanism of ['self', 'weighted'] as const) {
      const s: Scenario = { ...base, mechanism, h: 4 };
      expect(effectiveHeads(s)).toBe(1);
      expect(buildInput(s).heads).toHaveLength(1);
      expect(headSize({ ...s, convention: 'standard' })).toBe(12);
    }
    expect(effectiveHeads(base)).toBe(3);
  });

  it('X rows are the token embeddings: the same token gets the same row', () => {
    const input = buildInput(base);
    const row = (i: number) => Array.from(input.X.data.subarray(i * 12, (i + 1) * 12));
    expect(row(4)).toEqual(row(0));
    expect(row(1)).toEqual(Array.from(tokenEmbedding('cat', 12, 3)));
  });

  it('is deterministic and depends on the seed', () => {
    const a = buildInput(base);
    expect(Array.from(buildInput(base).heads[2].Wv.data)).toEqual(Array.from(a.heads[2].Wv.data));
    expect(Array.from(buildInput({ ...base, seed: 4 }).heads[0].Wq.data)).not.toEqual(Array.from(a.heads[0].Wq.data));
    // heads differ from each other
    expect(Array.from(a.heads[1].Wq.data)).not.toEqual(Array.from(a.heads[0].Wq.data));
  });

  it('bad sizes are CaseErrors naming the field', () => {
    expect(caseError(() => buildInput({ ...base, tokens: [] })).field).toBe('tokens');
    expect(caseError(() => buildInput({ ...base, d: 0 })).field).toBe('d');
    expect(caseError(() => buildInput({ ...base, d: 2.5 })).field).toBe('d');
    expect(caseError(() => buildInput({ ...base, h: 0 })).field).toBe('h');
    expect(caseError(() => buildInput({ ...base, convention: 'standard', dk: -1 })).field).toBe('dk');
  });
});

describe('buildInput: key weights and padding', () => {
  it("'weighted' uses the scenario's weights, missing entries are 1", () => {
    const s: Scenario = { ...base, mechanism: 'weighted', keyWeights: [2, 0, 0.5] };
    expect(scenarioKeyWeights(s)).toEqual([2, 0, 0.5, 1, 1, 1]);
    expect(Array.from(buildInput(s).keyWeights!)).toEqual([2, 0, 0.5, 1, 1, 1]);
  });

  it('other mechanisms ignore the weights', () => {
    expect(buildInput({ ...base, keyWeights: [2, 3] }).keyWeights).toBeNull();
    expect(buildInput({ ...base, mechanism: 'self', keyWeights: [2, 3] }).keyWeights).toBeNull();
  });

  it('padding gives weight 0 under every mechanism', () => {
    for (const mechanism of ['self', 'weighted', 'multi'] as const) {
      const s: Scenario = { ...base, mechanism, keyWeights: [5, 5, 5, 5, 5, 5], padding: [false, true, false, false, false, true] };
      const w = Array.from(buildInput(s).keyWeights!);
      expect(w[1]).toBe(0);
      expect(w[5]).toBe(0);
      expect(w[0]).toBe(mechanism === 'weighted' ? 5 : 1);
    }
  });

  it('keyWeights is null when every weight is 1 and nothing is padded', () => {
    expect(buildInput({ ...base, mechanism: 'weighted', keyWeights: [1, 1, 1] }).keyWeights).toBeNull();
    expect(buildInput({ ...base, padding: [false, false] }).keyWeights).toBeNull();
  });

  it('rejects negative weights', () => {
    const e = caseError(() => buildInput({ ...base, mechanism: 'weighted', keyWeights: [1, -2] }));
    expect(e.field).toBe('keyWeights[1]');
  });

  it('passes causal through', () => {
    expect(buildInput({ ...base, causal: true }).causal).toBe(true);
  });
});

describe('applyOverrides', () => {
  const input = buildInput({ ...base, convention: 'standard' });

  it('sets single elements of X, heads and W^O without touching the original', () => {
    const out = applyOverrides(input, { 'X[2][3]': 7, 'heads[1].Wk[0][2]': -3, 'Wo[11][0]': 0.25, 'heads[0].Wv[11][3]': 2 });
    expect(out.X.data[2 * 12 + 3]).toBe(7);
    expect(out.heads[1].Wk.data[2]).toBe(-3);
    expect(out.Wo!.data[11 * 12]).toBe(0.25);
    expect(out.heads[0].Wv.data[11 * 4 + 3]).toBe(2);
    expect(input.X.data[2 * 12 + 3]).not.toBe(7);
    expect(input.heads[1].Wk.data[2]).not.toBe(-3);
    // untouched matrices are shared, touched ones are copies
    expect(out.heads[2].Wq).toBe(input.heads[2].Wq);
    expect(out.X).not.toBe(input.X);
  });

  it('buildInput applies the scenario overrides', () => {
    const built = buildInput({ ...base, overrides: { 'X[0][0]': 100 } });
    expect(built.X.data[0]).toBe(100);
    expect(built.X.data[4 * 12]).not.toBe(100); // the other "the" keeps its embedding
  });

  it('unknown or out-of-range paths throw a CaseError naming the path', () => {
    const cases: [string, RegExp][] = [
      ['Y[0][0]', /^Y\[0\]\[0\]: unknown path/],
      ['X[0]', /^X\[0\]: unknown path/],
      ['heads[0].Wz[0][0]', /unknown path/],
      ['X[6][0]', /^X\[6\]\[0\]: out of range: X is 6×12$/],
      ['X[0][12]', /^X\[0\]\[12\]: out of range: X is 6×12$/],
      ['heads[3].Wq[0][0]', /^heads\[3\]\.Wq\[0\]\[0\]: out of range: there are 3 heads$/],
      ['heads[0].Wq[0][4]', /^heads\[0\]\.Wq\[0\]\[4\]: out of range: heads\[0\]\.Wq is 12×4$/],
      ['Wo[12][0]', /^Wo\[12\]\[0\]: out of range: Wo is 12×12$/],
    ];
    for (const [path, msg] of cases) {
      const e = caseError(() => applyOverrides(input, { [path]: 1 }));
      expect(e.field).toBe(path);
      expect(e.message).toMatch(msg);
      expect(isValidOverridePath(input, path)).toBe(false);
    }
    const article = buildInput(base);
    expect(caseError(() => applyOverrides(article, { 'Wo[0][0]': 1 })).message).toBe('Wo[0][0]: there is no Wo in this configuration');
    expect(isValidOverridePath(article, 'X[5][11]')).toBe(true);
  });

  it('non-finite values are rejected', () => {
    const e = caseError(() => applyOverrides(input, { 'X[0][0]': NaN }));
    expect(e.message).toBe('X[0][0]: expected a finite number, got NaN');
  });
});

describe('the rules for every source (seeded, case, model)', () => {
  // Two heads of 2×1 on 3 tokens, with W^O: a standard multi-head case.
  const twoHeads: CaseJson = {
    X: [[1, 0], [0, 1], [1, 1]],
    heads: [
      { Wq: [[1], [0]], Wk: [[1], [0]], Wv: [[1], [0]] },
      { Wq: [[0], [1]], Wk: [[0], [1]], Wv: [[0], [1]] },
    ],
    Wo: [[1, 0], [0, 1]],
  };
  const oneHead: CaseJson = { X: twoHeads.X, heads: [twoHeads.heads[0]] };
  const onCase = (c: CaseJson, over: Partial<Scenario> = {}): Scenario => ({ ...base, source: { kind: 'case', case: c }, tokens: ['a', 'b', 'c'], h: 7, ...over });

  it('heads: a case has its own, seeded multi-head h, the others one', () => {
    expect(effectiveHeads(onCase(twoHeads))).toBe(2);
    expect(effectiveHeads(onCase(oneHead, { mechanism: 'multi' }))).toBe(1);
    expect(effectiveHeads({ ...base, mechanism: 'multi', h: 5 })).toBe(5);
    expect(effectiveHeads({ ...base, mechanism: 'weighted', h: 5 })).toBe(1);
  });

  it('mechanism and convention: a model is standard multi-head; a case follows its heads and W^O', () => {
    const model: Scenario = { ...base, mechanism: 'self', convention: 'article', source: { kind: 'model', model: 'brown-char' } };
    expect([effectiveMechanism(model), effectiveConvention(model)]).toEqual(['multi', 'standard']);
    expect([effectiveMechanism(onCase(twoHeads, { mechanism: 'self' })), effectiveConvention(onCase(twoHeads, { convention: 'article' }))]).toEqual(['multi', 'standard']);
    expect(effectiveMechanism(onCase(oneHead, { mechanism: 'self' }))).toBe('self');
    expect(effectiveMechanism(onCase(oneHead, { mechanism: 'multi' }))).toBe('weighted');
    expect(effectiveConvention(onCase(oneHead, { convention: 'standard' }))).toBe('article');
    expect([effectiveMechanism(base), effectiveConvention(base)]).toEqual(['multi', 'article']);
  });

  it('key weights apply to weighted attention and to a multi-head case; padding is 0 everywhere', () => {
    const w = { keyWeights: [2, 0.5, 3], padding: [false, true, false] };
    expect(weightsApply(onCase(twoHeads))).toBe(true);
    expect(scenarioKeyWeights(onCase(twoHeads, w))).toEqual([2, 0, 3]);
    expect(scenarioKeyWeights(onCase(oneHead, { ...w, mechanism: 'self' }))).toEqual([1, 0, 1]);
    expect(scenarioKeyWeights(onCase(oneHead, { ...w, mechanism: 'weighted' }))).toEqual([2, 0, 3]);
    expect(scenarioKeyWeights({ ...base, tokens: ['a', 'b', 'c'], mechanism: 'multi', ...w })).toEqual([1, 0, 1]);
  });

  it('head size: d for the article, d_k or d/h (rounded down while h does not divide d) for the standard', () => {
    expect(headSize({ ...base, convention: 'article', d: 10, h: 3 })).toBe(10);
    expect(headSize({ ...base, convention: 'standard', d: 12, h: 3 })).toBe(4);
    expect(headSize({ ...base, convention: 'standard', d: 10, h: 3 })).toBe(3);
    expect(headSize({ ...base, convention: 'standard', d: 10, h: 3, dk: 6 })).toBe(6);
    expect(divisible({ ...base, convention: 'standard', d: 10, h: 3 })).toBe(false);
    expect(divisible({ ...base, convention: 'standard', d: 10, h: 3, mechanism: 'self' })).toBe(true);
    expect(divisible({ ...base, convention: 'standard', d: 10, h: 3, dk: 2 })).toBe(true);
    expect(divisible(onCase(twoHeads, { convention: 'standard', d: 10, h: 3 }))).toBe(true);
  });

  it("buildInput of a case: the case's own numbers with the scenario's mask, weights (float64) and edits", () => {
    const input = buildInput(onCase(twoHeads, { causal: true, keyWeights: [2, 1, 1], padding: [false, false, true], overrides: { 'X[2][0]': 5 } }));
    expect(Array.from(input.X.data)).toEqual([1, 0, 0, 1, 5, 1]);
    expect(input.heads).toHaveLength(2);
    expect(input.Wo && Array.from(input.Wo.data)).toEqual([1, 0, 0, 1]);
    expect(input.causal).toBe(true);
    expect(input.keyWeights).toBeInstanceOf(Float64Array);
    expect(Array.from(input.keyWeights!)).toEqual([2, 1, 0]);
    expect(buildInput(onCase(oneHead, { mechanism: 'self' })).keyWeights).toBeNull();
  });
});
