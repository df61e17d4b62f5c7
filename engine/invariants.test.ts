// Properties that must hold whatever the numbers: checked on the tfjs engine (wasm) and on the
// float64 reference, with seeded random inputs.
import { describe, it, expect, beforeAll } from 'vitest';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import { initBackend } from './backend.ts';
import { buildInput } from './scenario.ts';
import type { Scenario } from './scenario.ts';
import type { AttentionInput, AttentionResult, Matrix } from './types.ts';
import { expectMatrixClose, expectResultsClose, randomInput, rowOf } from './test-utils.ts';

type Impl = { name: string; run: (input: AttentionInput) => Promise<AttentionResult>; tol: number };
const impls: Impl[] = [
  { name: 'engine (wasm)', run: computeAttention, tol: 1e-4 },
  { name: 'reference', run: async (i) => referenceAttention(i), tol: 1e-10 },
];

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

function permuteRows(m: Matrix, p: number[]): Matrix {
  const out = new Float64Array(m.rows * m.cols);
  p.forEach((src, dst) => out.set(m.data.subarray(src * m.cols, (src + 1) * m.cols), dst * m.cols));
  return { rows: m.rows, cols: m.cols, data: out };
}

/** (P A Pᵀ)[a][b] = A[p[a]][p[b]]. */
function permuteBoth(m: Matrix, p: number[]): number[][] {
  return p.map((pa) => p.map((pb) => m.data[pa * m.cols + pb]));
}

for (const impl of impls) {
  describe(`invariants: ${impl.name}`, () => {
    it('rows of A sum to 1 (0 for rows without an admissible key), entries in [0, 1]', async () => {
      const n = 9;
      const w = Float64Array.from([0, 0, 1, 2, 0, 0.5, 3, 0, 1]);
      for (const causal of [false, true]) {
        const r = await impl.run(randomInput('rows', { n, d: 6, h: 3, dk: 4, causal, keyWeights: w, std: 2 }));
        const empty = new Set(r.warnings.flatMap((x) => x.rows));
        // causal with w_0 = w_1 = 0: queries 0 and 1 see only keys 0…i, all of weight 0
        expect([...empty]).toEqual(causal ? [0, 1] : []);
        for (const h of r.heads) {
          for (let i = 0; i < n; i++) {
            const row = rowOf(h.A, i);
            const sum = row.reduce((a, b) => a + b, 0);
            expect(sum).toBeCloseTo(empty.has(i) ? 0 : 1, 5);
            for (const a of row) expect(a >= 0 && a <= 1 + 1e-6).toBe(true);
            // zero weight ⇒ zero attention
            row.forEach((a, j) => {
              if (w[j] === 0) expect(a).toBe(0);
            });
          }
        }
      }
    });

    it('causal: A is zero above the diagonal', async () => {
      const n = 8;
      const r = await impl.run(randomInput('causal', { n, d: 5, h: 2, dk: 3, causal: true, std: 3 }));
      for (const h of r.heads) {
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(h.A.data[i * n + j]).toBe(0);
        expect(h.A.data[0]).toBeCloseTo(1, 6); // query 0 sees only itself
      }
    });

    it('permuting the tokens (no mask) permutes A (rows and columns) and Z (rows)', async () => {
      const n = 7;
      const w = Float64Array.from([1, 2, 0.5, 1, 0, 3, 1]);
      const input = randomInput('perm', { n, d: 6, h: 2, dk: 3, dv: 4, dOut: 5, keyWeights: w, std: 2 });
      const p = [3, 0, 6, 1, 5, 2, 4];
      const permuted: AttentionInput = { ...input, X: permuteRows(input.X, p), keyWeights: Float64Array.from(p, (src) => w[src]) };
      const a = await impl.run(input);
      const b = await impl.run(permuted);
      a.heads.forEach((h, k) => {
        expectMatrixClose(b.heads[k].A, permuteBoth(h.A, p), `A of head ${k}`, impl.tol, impl.tol);
        expectMatrixClose(b.heads[k].Z, permuteRows(h.Z, p), `Z of head ${k}`, impl.tol, impl.tol);
      });
      expectMatrixClose(b.Z, permuteRows(a.Z, p), 'Z', impl.tol, impl.tol);
      expectMatrixClose(b.out!, permuteRows(a.out!, p), 'out', impl.tol, impl.tol);
    });

    it('multiplying every key weight by a constant changes nothing', async () => {
      const w = Float64Array.from([1, 0, 2, 0.25, 4, 1]);
      const input = randomInput('wscale', { n: 6, d: 4, h: 2, dk: 4, keyWeights: w, causal: true });
      const base = await impl.run(input);
      for (const c of [0.001, 7, 1000]) {
        const scaled = await impl.run({ ...input, keyWeights: w.map((x) => x * c) });
        expectResultsClose(scaled, base, impl.tol, impl.tol);
      }
    });

    it('all key weights 1 equals plain self-attention (keyWeights null)', async () => {
      const input = randomInput('ones', { n: 6, d: 5, h: 1, dk: 3, std: 2 });
      const plain = await impl.run(input);
      const ones = await impl.run({ ...input, keyWeights: new Float64Array(6).fill(1) });
      expectResultsClose(ones, plain, impl.tol, impl.tol);
    });

    it('scores of ±1000 stay finite and match the shifted softmax', async () => {
      // scale 1, d = 1: S_ij = 1000·x_i·x_j with x = ±1, ±0.5: every exp argument is ≤ 0 after the shift.
      const X = [1, -1, 0.5, -0.5];
      const input: AttentionInput = {
        X: { rows: 4, cols: 1, data: Float64Array.from(X) },
        heads: [{ Wq: { rows: 1, cols: 1, data: Float64Array.of(1000) }, Wk: { rows: 1, cols: 1, data: Float64Array.of(1) }, Wv: { rows: 1, cols: 1, data: Float64Array.of(1) } }],
        Wo: null,
        scale: 1,
        causal: false,
        keyWeights: null,
      };
      const r = await impl.run(input);
      const A = r.heads[0].A;
      expect(A.data.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < 4; i++) {
        const s = X.map((xj) => 1000 * X[i] * xj);
        const m = Math.max(...s);
        const e = s.map((v) => Math.exp(v - m));
        const sum = e.reduce((a, b) => a + b, 0);
        expectMatrixClose([rowOf(A, i)], [e.map((v) => v / sum)], `A[${i}]`, impl.tol, impl.tol);
      }
    });

    it('all-zero key weights: zero A, Z and out, no NaN, and an empty-rows warning', async () => {
      const r = await impl.run(randomInput('zero', { n: 5, d: 3, h: 2, dk: 2, dOut: 3, keyWeights: new Float64Array(5) }));
      for (const h of r.heads) {
        expect(Array.from(h.A.data).every((x) => x === 0)).toBe(true);
        expect(Array.from(h.Z.data).every((x) => x === 0)).toBe(true);
        expect(h.scores.data.every(Number.isFinite)).toBe(true);
      }
      expect(Array.from(r.Z.data).every((x) => x === 0)).toBe(true);
      expect(Array.from(r.out!.data).every((x) => x === 0)).toBe(true);
      expect(r.warnings).toEqual([expect.objectContaining({ code: 'empty-rows', rows: [0, 1, 2, 3, 4] })]);
    });

    it('n = 1: A = [[1]], Z = V', async () => {
      const r = await impl.run(randomInput('one', { n: 1, d: 4, h: 3, dk: 2, dv: 3, dOut: 2 }));
      for (const h of r.heads) {
        expect(h.A.rows).toBe(1);
        expect(h.A.data[0]).toBeCloseTo(1, 6);
        expectMatrixClose(h.Z, h.V, 'Z', impl.tol, impl.tol);
      }
      expect(r.Z.cols).toBe(9);
      expect(r.out!.cols).toBe(2);
    });
  });
}

describe('conventions (buildInput → engine)', () => {
  const base: Scenario = {
    tokens: ['the', 'cat', 'sat', 'on', 'the', 'mat'],
    mechanism: 'multi',
    convention: 'article',
    seed: 7,
    d: 8,
    h: 4,
    dk: null,
    causal: false,
    keyWeights: [],
    padding: [],
    overrides: {},
  };

  it("the article's convention with h heads gives Z of width d·h and no out", async () => {
    const r = await computeAttention(buildInput(base));
    expect(r.heads).toHaveLength(4);
    expect(r.heads[0].Q.cols).toBe(8);
    expect(r.Z.cols).toBe(8 * 4);
    expect(r.out).toBeNull();
    expect(r.scale).toBeCloseTo(1 / Math.sqrt(8), 12);
  });

  it('the standard convention gives Z of width h·d_k = d and out of width d', async () => {
    const r = await computeAttention(buildInput({ ...base, convention: 'standard' }));
    expect(r.heads).toHaveLength(4);
    expect(r.heads[0].Q.cols).toBe(2);
    expect(r.Z.cols).toBe(8);
    expect(r.out!.cols).toBe(8);
    expect(r.scale).toBeCloseTo(1 / Math.sqrt(2), 12);
  });

  it('engine and reference agree on seeded scenarios of every mechanism', async () => {
    for (const mechanism of ['self', 'weighted', 'multi'] as const) {
      for (const convention of ['article', 'standard'] as const) {
        const s: Scenario = { ...base, mechanism, convention, causal: mechanism === 'self', keyWeights: [1, 3, 0.5], padding: [false, false, false, false, false, true] };
        const input = buildInput(s);
        expectResultsClose(await computeAttention(input), referenceAttention(input));
      }
    }
  });
});
