import { describe, expect, it } from 'vitest';
import { CausalMaps } from './causalMaps.ts';
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

describe('CausalMaps', () => {
  it('gives back every map and row bit for bit from half the numbers', () => {
    const n = 37;
    const maps = new CausalMaps(n, 2);
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
    const maps = new CausalMaps(4, 1);
    const A = causal(4, 3);
    A.data[1 * 4 + 3] = 0.5;
    expect(() => maps.put(0, [causal(4, 2), A])).toThrow('layer 0 head 1: A[1][3] = 0.5 above the diagonal: not a causal map');
    expect(() => maps.put(0, [causal(5, 2)])).toThrow('layer 0 head 0: expected 4×4, got 5×5');
    expect(() => maps.row(0, 0, 0)).toThrow('no map kept for layer 0 head 0');
  });
});
