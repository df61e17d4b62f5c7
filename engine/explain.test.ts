import { describe, it, expect, beforeAll } from 'vitest';
import { explainCell } from './explain.ts';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import { initBackend } from './backend.ts';
import { buildInput } from './scenario.ts';
import { caseInput } from './test-utils.ts';

// The first hand-worked case (see handworked.test.ts): Q = K = X, S = [[1,.5,0],[.5,1,.5],[0,.5,1]],
// V = [[1,1],[1,2],[3,1]], here with w = [2, 1, 0] (key 2 excluded).
const X3 = [
  [1, 1, 0, 0],
  [0, 1, 1, 0],
  [0, 0, 1, 1],
];
const I4 = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const input = caseInput({ X: X3, heads: [{ Wq: I4, Wk: I4, Wv: [[1, 0], [0, 1], [1, 1], [2, 0]] }], keyWeights: [2, 1, 0] });

describe('explainCell', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('writes out the arithmetic of A[2][1] with hand-checked numbers', async () => {
    const result = await computeAttention(input);
    const x = explainCell(input, result, 0, 2, 1);
    expect(x.q).toEqual([0, 0, 1, 1]);
    expect(x.k).toEqual([0, 1, 1, 0]);
    expect(x.products).toEqual([0, 0, 1, 0]);
    expect(x.dot).toBe(1);
    expect(x.scale).toBe(0.5);
    expect(x.score).toBeCloseTo(0.5, 6);
    expect(x.rowScores.map((s) => +s.toFixed(6))).toEqual([0, 0.5, 1]);
    expect(x.weights).toEqual([2, 1, 0]);
    expect(x.admissible).toEqual([true, true, false]);
    expect(x.cellAdmissible).toBe(true);
    // m_2 is the max over admissible keys only: 0.5, not 1
    expect(x.rowMax).toBeCloseTo(0.5, 6);
    expect(x.exps[0]).toBeCloseTo(2 * Math.exp(-0.5), 6);
    expect(x.exps[1]).toBeCloseTo(1, 6);
    expect(x.exps[2]).toBe(0);
    expect(x.expSum).toBeCloseTo(2 * Math.exp(-0.5) + 1, 6);
    expect(x.a).toBeCloseTo(1 / (2 * Math.exp(-0.5) + 1), 6);
    expect(x.a).toBe(result.heads[0].A.data[2 * 3 + 1]); // the engine's own value
    expect(x.v).toEqual([1, 2]);
    expect(x.zTerms).toHaveLength(3);
    expect(x.zTerms[2]).toEqual([0, 0]);
    expect(x.z).toEqual(Array.from(result.heads[0].Z.data.subarray(4, 6)));
    x.zSum.forEach((s, t) => expect(s).toBeCloseTo(x.z[t], 5));
    expect(x.emptyRow).toBe(false);
    expect(x.zOffset).toBe(0);
  });

  it('displayed values are the engine values: A = exps/expSum and the score = scale·dot at display precision', async () => {
    const inp = buildInput({ tokens: ['a', 'b', 'c', 'a', 'd'], mechanism: 'multi', convention: 'standard', seed: 1, d: 8, h: 2, dk: null, causal: true, keyWeights: [], padding: [], overrides: {} });
    const result = await computeAttention(inp);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) {
        const x = explainCell(inp, result, 1, i, j);
        expect(x.score).toBe(result.heads[1].scores.data[i * 5 + j]);
        expect((x.scale * x.dot).toFixed(4)).toBe(x.score.toFixed(4));
        expect(x.a).toBeCloseTo(x.exps[j] / x.expSum, 6);
        expect(x.cellAdmissible).toBe(j <= i);
        expect(x.zOffset).toBe(4);
      }
    }
  });

  it('an empty row has no maximum, zero exponentials and zero A', () => {
    const inp = { ...input, causal: true, keyWeights: Float64Array.of(0, 1, 1) };
    const x = explainCell(inp, referenceAttention(inp), 0, 0, 0);
    expect(x.emptyRow).toBe(true);
    expect(x.rowMax).toBeNull();
    expect(x.exps).toEqual([0, 0, 0]);
    expect(x.expSum).toBe(0);
    expect(x.a).toBe(0);
    expect(x.z).toEqual([0, 0]);
  });

  it('rejects a bad head or cell', () => {
    const r = referenceAttention(input);
    expect(() => explainCell(input, r, 1, 0, 0)).toThrow(RangeError);
    expect(() => explainCell(input, r, 0, 3, 0)).toThrow(RangeError);
    expect(() => explainCell(input, r, 0, 0, -1)).toThrow(RangeError);
  });
});
