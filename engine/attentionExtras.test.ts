// The optional extras of the attention engine that real checkpoints need (projection and output biases,
// rotary position embedding, per-head ablation, heads sharing key/value weights): the tfjs engine against
// the float64 reference, plus the properties that define them.
import { describe, it, expect, beforeAll } from 'vitest';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import { initBackend } from './backend.ts';
import { gaussians } from './seeded.ts';
import { CaseError } from './caseError.ts';
import type { AttentionInput } from './types.ts';
import { expectMatrixClose, expectResultsClose, randomInput } from './test-utils.ts';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

function withExtras(seed: string, n = 7, d = 12, h = 4, dk = 6): AttentionInput {
  const base = randomInput(seed, { n, d, h, dk, dOut: d, causal: true });
  return {
    ...base,
    heads: base.heads.map((hd, k) => ({
      ...hd,
      bq: gaussians(`${seed}/bq${k}`, dk, 0.5),
      bk: gaussians(`${seed}/bk${k}`, dk, 0.5),
      bv: gaussians(`${seed}/bv${k}`, dk, 0.5),
    })),
    bo: gaussians(`${seed}/bo`, d, 0.5),
  };
}

describe('attention extras: engine = float64 reference', () => {
  it('biases and an output bias', async () => {
    const input = withExtras('bias');
    expectResultsClose(await computeAttention(input), referenceAttention(input));
  });

  it('rotary embedding (all and part of d_k), with Q and K before the rotation kept', async () => {
    for (const dims of [6, 4]) {
      const input = { ...withExtras(`rot${dims}`), rotary: { dims, theta: 10000 } };
      const got = await computeAttention(input);
      const want = referenceAttention(input);
      expectResultsClose(got, want);
      got.heads.forEach((hd, k) => {
        expectMatrixClose(hd.Qpre!, want.heads[k].Qpre!, `Qpre ${k}`);
        expectMatrixClose(hd.Kpre!, want.heads[k].Kpre!, `Kpre ${k}`);
      });
      // Position 0 is not rotated; dimensions past `dims` are never rotated.
      const q = want.heads[0];
      for (let t = 0; t < 6; t++) expect(q.Q.data[t]).toBeCloseTo(q.Qpre!.data[t], 12);
      for (let p = 0; p < 7; p++) for (let t = dims; t < 6; t++) expect(q.Q.data[p * 6 + t]).toBe(q.Qpre!.data[p * 6 + t]);
    }
  });

  it('rotary scores depend only on relative positions (q and k rows shifted together)', () => {
    const d = 8;
    const x = gaussians('relpos', d, 1);
    const X = new Float64Array(5 * d);
    for (let p = 0; p < 5; p++) X.set(x, p * d); // the same token at every position
    const base = randomInput('relpos', { n: 5, d, h: 1, dk: 8 });
    const r = referenceAttention({ ...base, X: { rows: 5, cols: d, data: X }, rotary: { dims: 8, theta: 100 } });
    const S = r.heads[0].scores.data;
    expect(S[2 * 5 + 1]).toBeCloseTo(S[4 * 5 + 3], 10);
    expect(S[3 * 5 + 0]).toBeCloseTo(S[4 * 5 + 1], 10);
  });

  it('a position offset rotates row p as position offset + p: Q and K change, the scores and A do not', async () => {
    const base = { ...withExtras('offset'), rotary: { dims: 6, theta: 100 } };
    const at0 = referenceAttention(base);
    for (const positionOffset of [1, 5, 37]) {
      const input = { ...base, positionOffset };
      const got = await computeAttention(input);
      const want = referenceAttention(input);
      expectResultsClose(got, want);
      // Rows at offset + p: row 0 of the shifted input is rotated as row `positionOffset` would be.
      const longer = referenceAttention({ ...base, X: { rows: positionOffset + 7, cols: 12, data: Float64Array.from({ length: (positionOffset + 7) * 12 }, (_, k) => base.X.data[k - positionOffset * 12] ?? 0) } });
      expectMatrixClose(rowsFrom(want.heads[1].Q, 0, 7), rowsFrom(longer.heads[1].Q, positionOffset, 7), 'Q at offset', 1e-12, 1e-12);
      expect(Math.abs(want.heads[1].Q.data[6] - at0.heads[1].Q.data[6])).toBeGreaterThan(1e-3);
      // Both q_i and k_j moved by the same amount: every score, and so A, is the same as at offset 0.
      want.heads.forEach((hd, k) => {
        expectMatrixClose(hd.scores, at0.heads[k].scores, `scores ${k}`, 1e-10, 1e-10);
        expectMatrixClose(got.heads[k].A, at0.heads[k].A, `A ${k}`);
      });
    }
  });

  it('ablation: zero and mean replace z in Z and out only; A and the head Z stay', async () => {
    const plain = withExtras('abl');
    const input: AttentionInput = { ...plain, ablate: ['zero', null, 'mean', null] };
    const got = await computeAttention(input);
    const want = referenceAttention(input);
    expectResultsClose(got, want);
    const base = referenceAttention(plain);
    base.heads.forEach((hd, k) => expectMatrixClose(want.heads[k].A, hd.A, `A ${k}`, 0, 0));
    const dk = 6;
    const Z = want.Z.data;
    const cols = want.Z.cols;
    for (let i = 0; i < 7; i++) {
      for (let t = 0; t < dk; t++) {
        expect(Z[i * cols + t]).toBe(0);
        let mean = 0;
        for (let p = 0; p < 7; p++) mean += base.heads[2].Z.data[p * dk + t] / 7;
        expect(Z[i * cols + 2 * dk + t]).toBeCloseTo(mean, 12);
        expect(Z[i * cols + dk + t]).toBe(base.Z.data[i * cols + dk + t]);
      }
    }
    // Ablating nothing changes nothing.
    expectResultsClose(referenceAttention({ ...plain, ablate: [null, null, null, null] }), base, 0, 0);
  });

  it('grouped-query attention: heads sharing Wk/Wv objects', async () => {
    const base = withExtras('gqa');
    const heads = base.heads.map((hd, k) => ({ ...hd, Wk: base.heads[k >> 1].Wk, Wv: base.heads[k >> 1].Wv, bk: null, bv: null }));
    const input = { ...base, heads, rotary: { dims: 6, theta: 10000 } };
    const got = await computeAttention(input);
    expectResultsClose(got, referenceAttention(input));
    expectMatrixClose(got.heads[0].K, got.heads[1].K, 'shared K', 0, 0);
  });

  it("resident weights (the caller's map): same results, tensors kept and reused across calls", async () => {
    const { tf } = await import('./backend.ts');
    const input = withExtras('resident');
    const weights = new Map();
    const before = tf.memory().numTensors;
    const first = await computeAttention(input, { weights });
    expect(weights.size).toBe(4 * 3 + 1);
    expect(tf.memory().numTensors).toBe(before + 13);
    const again = await computeAttention(input, { weights });
    expect(tf.memory().numTensors).toBe(before + 13);
    expectResultsClose(again, first, 0, 0);
    expectResultsClose(first, referenceAttention(input));
    for (const t of weights.values()) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bias of the wrong length, bad rotary dims and a bad ablation list', async () => {
    const input = withExtras('bad');
    const wrong = { ...input, heads: input.heads.map((hd, k) => (k === 1 ? { ...hd, bk: new Float32Array(5) } : hd)) };
    await expect(computeAttention(wrong)).rejects.toThrow('heads[1].bk: expected 1×6, got 1×5');
    await expect(computeAttention({ ...input, rotary: { dims: 5, theta: 1e4 } })).rejects.toThrow(CaseError);
    await expect(computeAttention({ ...input, ablate: ['zero'] })).rejects.toThrow('ablate: expected 4 entries');
    for (const positionOffset of [-1, 1.5, NaN]) await expect(computeAttention({ ...input, positionOffset })).rejects.toThrow('positionOffset: expected a whole number ≥ 0');
  });
});

/** Rows first…first+count−1 of a matrix as arrays. */
function rowsFrom(m: { cols: number; data: ArrayLike<number> }, first: number, count: number): number[][] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[(first + i) * m.cols + j]));
}

describe("read: 'attention' (a model's layers that no view shows in detail)", () => {
  it('gives the same A and output as a full read, and nothing else', async () => {
    for (const input of [withExtras('read'), { ...withExtras('read-rot'), rotary: { dims: 6, theta: 10000 } }]) {
      const full = await computeAttention(input);
      const lean = await computeAttention(input, { read: 'attention', strategy: 'per-head' });
      lean.heads.forEach((hr, k) => {
        expect(hr.A.data).toEqual(full.heads[k].A.data);
        for (const m of [hr.Q, hr.K, hr.V, hr.scores, hr.Z]) expect([m.rows, m.cols, m.data.length]).toEqual([0, 0, 0]);
      });
      expect(lean.out!.data).toEqual(full.out!.data);
      expect(lean.Z.data.length).toBe(0);
    }
  });
});
