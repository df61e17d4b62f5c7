import { describe, it, expect } from 'vitest';
import { attentionRollout, earliestSource } from './rollout.ts';
import type { Matrix } from '../types.ts';

const m = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });

describe('attention rollout', () => {
  it('matches a hand-computed product on a 2-layer, 2-head case', () => {
    const l0 = [m([[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]]), m([[1, 0, 0], [1, 0, 0], [0, 0, 1]])];
    const l1 = [m([[1, 0, 0], [0, 1, 0], [0.6, 0.4, 0]]), m([[1, 0, 0], [0.3, 0.7, 0], [1, 0, 0]])];
    // Â_0 = ½·mean(A) + ½·I (rows already sum to 1):
    // mean0 = [[1,0,0],[.75,.25,0],[.1,.15,.75]] → Â0 = [[1,0,0],[.375,.625,0],[.05,.075,.875]]
    // mean1 = [[1,0,0],[.15,.85,0],[.8,.2,0]]   → Â1 = [[1,0,0],[.075,.925,0],[.4,.1,.5]]
    const A0 = [[1, 0, 0], [0.375, 0.625, 0], [0.05, 0.075, 0.875]];
    const A1 = [[1, 0, 0], [0.075, 0.925, 0], [0.4, 0.1, 0.5]];
    const R1 = A1.map((row) => [0, 1, 2].map((j) => row.reduce((s, a, k) => s + a * A0[k][j], 0)));
    const R = attentionRollout([l0, l1]);
    expect(R).toHaveLength(2);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(R[0].data[i * 3 + j]).toBeCloseTo(A0[i][j], 14);
        expect(R[1].data[i * 3 + j]).toBeCloseTo(R1[i][j], 14);
      }
    }
    expect(R[1].data[2 * 3 + 0]).toBeCloseTo(0.4 + 0.1 * 0.375 + 0.5 * 0.05, 14);
  });

  it('rows sum to 1 even when A rows do not (renormalised)', () => {
    const A = m([[0.5, 0, 0], [0.2, 0.2, 0], [0.1, 0.1, 0.1]]);
    for (const R of attentionRollout([[A], [A, A], [A]])) {
      for (let i = 0; i < 3; i++) expect(R.data[i * 3] + R.data[i * 3 + 1] + R.data[i * 3 + 2]).toBeCloseTo(1, 14);
    }
  });
});

describe('how far back information reaches', () => {
  /** A banded causal map: query i spreads evenly over keys max(0, i − w + 1)…i. */
  const band = (n: number, w: number): Matrix => {
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const lo = Math.max(0, i - w + 1);
      for (let j = lo; j <= i; j++) data[i * n + j] = 1 / (i - lo + 1);
    }
    return { rows: n, cols: n, data };
  };

  it('stacking L local layers of window w reaches L·(w − 1) positions back', () => {
    const n = 12;
    for (const w of [2, 3]) {
      const R = attentionRollout(Array.from({ length: 4 }, () => [band(n, w)]));
      R.forEach((Rl, l) => {
        for (let i = 0; i < n; i++) expect(earliestSource(Rl, i), `w ${w}, ${l + 1} layers, i ${i}`).toBe(Math.max(0, i - (l + 1) * (w - 1)));
      });
    }
  });

  it('is −1 for a row with nothing in it', () => {
    expect(earliestSource(m([[0, 0], [1, 0]]), 0)).toBe(-1);
  });
});
