import { describe, expect, it } from 'vitest';
import { KeptMaps } from './keptMaps.ts';
import type { Matrix } from '../types.ts';

/** A random causal map: rows of positive numbers up to the diagonal, normalised; zeros after. */
function causal(n: number, seed: number): Matrix {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j <= i; j++) sum += data[i * n + j] = rnd() + 1e-3;
    for (let j = 0; j <= i; j++) data[i * n + j] /= sum;
  }
  return { rows: n, cols: n, data };
}

describe('KeptMaps', () => {
  it('gives back every map and row bit for bit from half the numbers', () => {
    const n = 37;
    const maps = new KeptMaps(n, 2);
    const layers = [0, 1].map((l) => [0, 1, 2].map((h) => causal(n, 1 + l * 3 + h)));
    layers.forEach((heads, l) => maps.put(l, heads));
    expect(maps.heads(1)).toBe(3);
    expect(maps.bytes).toBe(2 * 3 * ((n * (n + 1)) / 2) * 4);
    for (let l = 0; l < 2; l++) {
      for (let h = 0; h < 3; h++) {
        expect(maps.map(l, h).data).toEqual(layers[l][h].data);
        for (const q of [0, 1, 17, n - 1]) expect(maps.row(l, h, q)).toEqual(layers[l][h].data.slice(q * n, (q + 1) * n));
      }
    }
  });

  it('refuses a map with a weight above the diagonal, naming it, and a map of the wrong size', () => {
    const maps = new KeptMaps(4, 1);
    const A = causal(4, 3);
    A.data[1 * 4 + 3] = 0.5;
    expect(() => maps.put(0, [causal(4, 2), A])).toThrow('layer 0 head 1: A[1][3] = 0.5 above the diagonal: not a causal map');
    expect(() => maps.put(0, [causal(5, 2)])).toThrow('layer 0 head 0: expected 4×4, got 5×5');
    expect(() => maps.row(0, 0, 0)).toThrow('no map kept for layer 0 head 0');
  });

  it('full attention (an encoder) is kept whole: every map and row back bit for bit, nothing refused above the diagonal', () => {
    const n = 9;
    const maps = new KeptMaps(n, 1, false);
    const full = (seed: number): Matrix => {
      const A = causal(n, seed);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) A.data[i * n + j] = (seed + i + j) / 100;
      return A;
    };
    const heads = [full(1), full(2)];
    maps.put(0, heads);
    expect(maps.bytes).toBe(2 * n * n * 4);
    heads.forEach((A, h) => {
      expect(maps.map(0, h).data).toEqual(A.data);
      for (const q of [0, 4, n - 1]) expect(maps.row(0, h, q)).toEqual(A.data.slice(q * n, (q + 1) * n));
    });
  });
});
