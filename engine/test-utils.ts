// Helpers shared by the engine's tests (not used by the app).
import { expect } from 'vitest';
import type { AttentionInput, AttentionResult, Floats, Matrix } from './types.ts';
import { fromRows64 } from './matrix.ts';
import { gaussians } from './seeded.ts';

/** |got − want| ≤ atol + rtol·|want| (float32 against float64). */
export function isClose(got: number, want: number, atol = 1e-4, rtol = 1e-4): boolean {
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

type Numbers = number[][] | Matrix;

function asRows(m: Numbers): number[][] {
  if (Array.isArray(m)) return m;
  const rows: number[][] = [];
  for (let i = 0; i < m.rows; i++) rows.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return rows;
}

/** Asserts same shape and element-wise closeness, naming the first bad element. */
export function expectMatrixClose(got: Numbers, want: Numbers, label = 'matrix', atol = 1e-4, rtol = 1e-4): void {
  const g = asRows(got);
  const w = asRows(want);
  expect(g.length, `${label}: rows`).toBe(w.length);
  for (let i = 0; i < w.length; i++) {
    expect(g[i].length, `${label}[${i}]: cols`).toBe(w[i].length);
    for (let j = 0; j < w[i].length; j++) {
      const ok = isClose(g[i][j], w[i][j], atol, rtol);
      if (!ok) expect.fail(`${label}[${i}][${j}]: got ${g[i][j]}, want ${w[i][j]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** Compares every matrix of two results (heads' Q, K, V, scores, A, Z; Z; out). */
export function expectResultsClose(got: AttentionResult, want: AttentionResult, atol = 1e-4, rtol = 1e-4): void {
  expect(got.heads.length).toBe(want.heads.length);
  got.heads.forEach((h, k) => {
    for (const key of ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const) {
      expectMatrixClose(h[key], want.heads[k][key], `heads[${k}].${key}`, atol, rtol);
    }
  });
  expectMatrixClose(got.Z, want.Z, 'Z', atol, rtol);
  if (want.out === null) expect(got.out).toBeNull();
  else expectMatrixClose(got.out!, want.out, 'out', atol, rtol);
  expect(got.scale).toBeCloseTo(want.scale, 12);
  expect(got.warnings.map((w) => w.rows)).toEqual(want.warnings.map((w) => w.rows));
}

/** An input from arrays of rows (float64 data, exactly the literal values). */
export function caseInput(c: {
  X: number[][];
  heads: { Wq: number[][]; Wk: number[][]; Wv: number[][] }[];
  Wo?: number[][] | null;
  scale?: number | null;
  causal?: boolean;
  keyWeights?: number[] | null;
}): AttentionInput {
  return {
    X: fromRows64(c.X),
    heads: c.heads.map((h) => ({ Wq: fromRows64(h.Wq), Wk: fromRows64(h.Wk), Wv: fromRows64(h.Wv) })),
    Wo: c.Wo ? fromRows64(c.Wo) : null,
    scale: c.scale ?? null,
    causal: c.causal ?? false,
    keyWeights: c.keyWeights ? Float64Array.from(c.keyWeights) : null,
  };
}

/** A random (seeded) input with Gaussian entries. */
export function randomInput(
  seed: string,
  o: { n: number; d: number; h: number; dk: number; dv?: number; dOut?: number | null; std?: number; causal?: boolean; keyWeights?: Floats | null; scale?: number | null },
): AttentionInput {
  const dv = o.dv ?? o.dk;
  const std = o.std ?? 1;
  const m = (rows: number, cols: number, label: string, s: number): Matrix => ({ rows, cols, data: gaussians(`${seed}/${label}`, rows * cols, s) });
  return {
    X: m(o.n, o.d, 'X', 1),
    heads: Array.from({ length: o.h }, (_, k) => ({
      Wq: m(o.d, o.dk, `Wq${k}`, std / Math.sqrt(o.d)),
      Wk: m(o.d, o.dk, `Wk${k}`, std / Math.sqrt(o.d)),
      Wv: m(o.d, dv, `Wv${k}`, 1 / Math.sqrt(o.d)),
    })),
    Wo: o.dOut ? m(o.h * dv, o.dOut, 'Wo', 1 / Math.sqrt(o.h * dv)) : null,
    scale: o.scale ?? null,
    causal: o.causal ?? false,
    keyWeights: o.keyWeights ?? null,
  };
}

/** Row i of a matrix as plain numbers. */
export function rowOf(m: Matrix, i: number): number[] {
  return Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
}
