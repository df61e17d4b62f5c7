// The online (tiled) softmax against a plain softmax written here and against the engine's A and Z:
// rows whose maximum arrives in a later tile, masked keys, weights of 0, one tile, tiles of one key.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { onlineAttention, onlineSoftmaxRow } from './onlineSoftmax.ts';
import { gaussians } from './seeded.ts';
import type { Matrix } from './types.ts';
import { expectMatrixClose, randomInput } from './test-utils.ts';

beforeAll(async () => {
  expect(await initBackend('cpu')).toBe('cpu');
});

const matrix = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });

/** The plain computation: all exponentials at once, shifted by the row's maximum over kept keys. */
function plain(s: number[], V: number[][], w: number[] | null = null): { a: number[]; z: number[] } {
  const kept = s.map((x, j) => x > -Infinity && (w ? w[j] > 0 : true));
  const m = Math.max(...s.filter((_, j) => kept[j]));
  const e = s.map((x, j) => (kept[j] ? (w ? w[j] : 1) * Math.exp(x - m) : 0));
  const total = e.reduce((a, b) => a + b, 0);
  const a = e.map((x) => x / total);
  const z = V[0].map((_, t) => a.reduce((acc, aj, j) => acc + aj * V[j][t], 0));
  return { a, z };
}

function expectClose(got: number[], want: number[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => expect(Math.abs(g - want[k]), `[${k}]: ${g} vs ${want[k]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[k]))));
}

const V6 = [
  [1, 0],
  [0, 2],
  [3, 1],
  [-1, 1],
  [2, 2],
  [0.5, -2],
];

describe('online softmax of one row', () => {
  it('a later tile raises the maximum: the earlier sum and output are rescaled by e^{m_old − m_new}', () => {
    const s = [0.5, 1, 0.2, 3, -1, 4];
    const r = onlineSoftmaxRow(s, matrix(V6), 2);
    expect(r.tiles.map((t) => [t.start, t.end])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
    ]);
    expect(r.tiles.map((t) => t.mNew)).toEqual([1, 3, 4]);
    expect(r.tiles[0].rescale).toBe(0); // nothing before the first tile
    expect(r.tiles[1].rescale).toBeCloseTo(Math.exp(1 - 3), 15);
    expect(r.tiles[2].rescale).toBeCloseTo(Math.exp(3 - 4), 15);
    // ℓ after each tile is the plain sum over the keys read so far, at the running maximum.
    r.tiles.forEach((t) => {
      const seen = s.slice(0, t.end);
      expect(t.sum).toBeCloseTo(seen.reduce((a, x) => a + Math.exp(x - t.mNew), 0), 12);
      expectClose(t.z, plain(seen, V6.slice(0, t.end)).z);
    });
    const want = plain(s, V6);
    expectClose(r.weights, want.a);
    expectClose(r.z, want.z);
    expect(r.m).toBe(4);
  });

  it('the maximum in the first tile: every later factor is 1', () => {
    const s = [5, 1, 0, 2, -3, 1];
    const r = onlineSoftmaxRow(s, matrix(V6), 2);
    expect(r.tiles.slice(1).map((t) => t.rescale)).toEqual([1, 1]);
    expectClose(r.z, plain(s, V6).z);
  });

  it('masked keys (−∞) and weights of 0 contribute nothing; a tile with no key left changes nothing', () => {
    const s = [1, -Infinity, 2, 0.5, -Infinity, -Infinity];
    const w = [1, 1, 2, 0, 1, 1];
    const r = onlineSoftmaxRow(s, matrix(V6), 2, { keyWeights: w });
    const want = plain(s, V6, w);
    expectClose(r.weights, want.a);
    expect(r.weights[1]).toBe(0);
    expect(r.weights[3]).toBe(0);
    expectClose(r.z, want.z);
    const last = r.tiles[2];
    expect([last.tileMax, last.rescale, last.tileSum]).toEqual([-Infinity, 1, 0]);
    expect(last.out).toEqual(r.tiles[1].out);
  });

  it('a first tile with no admissible key keeps m = −∞ and ℓ = 0 (no NaN)', () => {
    const s = [-Infinity, -Infinity, 0.3, 0.1];
    const r = onlineSoftmaxRow(s, matrix(V6.slice(0, 4)), 2);
    expect(r.tiles[0]).toMatchObject({ mOld: -Infinity, mNew: -Infinity, rescale: 1, sum: 0, z: [0, 0] });
    expect(r.tiles[1].rescale).toBe(0);
    expectClose(r.z, plain(s, V6.slice(0, 4)).z);
  });

  it('a row with no admissible key gives zeros, as the engine does for an empty row', () => {
    const r = onlineSoftmaxRow([-Infinity, 2], matrix(V6.slice(0, 2)), 1, { keyWeights: [1, 0] });
    expect(r.weights).toEqual([0, 0]);
    expect(r.z).toEqual([0, 0]);
  });

  it('one tile (B ≥ n) and tiles of one key (B = 1) give the same weights and z', () => {
    const s = Array.from(gaussians('online/b', 6, 3));
    const want = plain(s, V6);
    for (const B of [1, 6, 100]) {
      const r = onlineSoftmaxRow(s, matrix(V6), B);
      expect(r.tiles.length).toBe(Math.ceil(6 / B));
      expectClose(r.weights, want.a);
      expectClose(r.z, want.z);
    }
  });

  it('huge scores stay finite (e^1000 is never formed)', () => {
    const s = [1000, 999, 1001, -1000];
    const r = onlineSoftmaxRow(s, matrix(V6.slice(0, 4)), 1);
    expect(r.weights.every(Number.isFinite)).toBe(true);
    expectClose(r.weights, plain(s, V6.slice(0, 4)).a);
  });

  it('rejects a tile size that is not a whole number ≥ 1 and values of the wrong length', () => {
    expect(() => onlineSoftmaxRow([1, 2], matrix(V6.slice(0, 2)), 0)).toThrow('tile size');
    expect(() => onlineSoftmaxRow([1, 2], matrix(V6.slice(0, 2)), 1.5)).toThrow('tile size');
    expect(() => onlineSoftmaxRow([1, 2, 3], matrix(V6.slice(0, 2)), 1)).toThrow('values: expected 3 rows');
  });
});

describe('online softmax of a whole head = the engine', () => {
  const cases = [
    { name: 'bidirectional', causal: false, window: null, keyWeights: null },
    { name: 'causal', causal: true, window: null, keyWeights: null },
    { name: 'causal, window 3', causal: true, window: 3, keyWeights: null },
    { name: 'key weights with zeros', causal: false, window: null, keyWeights: Float64Array.from([1, 0, 2, 0.5, 0, 1, 3, 1, 1]) },
  ];
  for (const c of cases) {
    it(`${c.name}: A and Z as computeAttention gives them, for every tile size`, async () => {
      const input = { ...randomInput(`online/${c.name}`, { n: 9, d: 6, h: 2, dk: 3, std: 3, causal: c.causal, keyWeights: c.keyWeights }), window: c.window };
      const r = await computeAttention(input);
      for (const hr of r.heads) {
        for (const B of [1, 2, 4, 9]) {
          const online = onlineAttention(hr.scores, hr.V, B, input);
          expectMatrixClose(online.A, hr.A, `A (B = ${B})`, 1e-5, 1e-5);
          expectMatrixClose(online.Z, hr.Z, `Z (B = ${B})`, 1e-5, 1e-5);
        }
      }
    });
  }
});
