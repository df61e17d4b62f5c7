import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../engine/types.ts';
import { defaultTopK, opacityBucket, selectLines } from './lines.ts';

const A: Matrix = {
  rows: 3,
  cols: 4,
  data: Float32Array.from([
    0.5, 0.3, 0.19, 0.01, //
    0.01, 0.01, 0.01, 0.97, //
    0.25, 0.25, 0.25, 0.25,
  ]),
};

function triples(s: ReturnType<typeof selectLines>): [number, number, number][] {
  return Array.from({ length: s.count }, (_, k) => [s.query[k], s.key[k], Math.round(s.weight[k] * 100) / 100]);
}

describe('selectLines', () => {
  it('drops lines below the threshold', () => {
    const s = selectLines(A, { threshold: 0.02, topK: Infinity });
    expect(s.count).toBe(8);
    expect(triples(s).every(([, , w]) => w >= 0.02)).toBe(true);
  });
  it('keeps at most topK per query, the heaviest, ties broken by key index', () => {
    const s = selectLines(A, { threshold: 0.02, topK: 2 });
    const byRow = new Map<number, number[]>();
    for (const [q, k] of triples(s)) byRow.set(q, [...(byRow.get(q) ?? []), k]);
    expect(byRow.get(0)?.sort()).toEqual([0, 1]);
    expect(byRow.get(1)).toEqual([3]);
    expect(byRow.get(2)?.sort()).toEqual([0, 1]);
  });
  it('returns lines lightest first so heavy lines are drawn on top', () => {
    const s = selectLines(A, { threshold: 0, topK: Infinity });
    for (let k = 1; k < s.count; k++) expect(s.weight[k]).toBeGreaterThanOrEqual(s.weight[k - 1]);
  });
  it('isolates one query (outgoing lines, no cap)', () => {
    const s = selectLines(A, { threshold: 0.02, topK: 1, query: 0 });
    expect(triples(s).map(([q, k]) => [q, k])).toEqual([
      [0, 2],
      [0, 1],
      [0, 0],
    ]);
  });
  it('isolates one key (incoming lines)', () => {
    const s = selectLines(A, { threshold: 0.02, topK: 1, key: 3 });
    expect(triples(s)).toEqual([
      [2, 3, 0.25],
      [1, 3, 0.97],
    ]);
  });
  it('handles out-of-range isolation and empty matrices', () => {
    expect(selectLines(A, { threshold: 0, topK: 3, key: 9 }).count).toBe(0);
    expect(selectLines(A, { threshold: 0, topK: 3, query: 9 }).count).toBe(0);
    expect(selectLines({ rows: 0, cols: 0, data: new Float32Array(0) }, { threshold: 0, topK: 3 }).count).toBe(0);
  });
  it('culls 1,024 tokens × uniform-ish rows to topK per row', () => {
    const n = 1024;
    const data = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      data[i * n + i] = 0.5;
      data[i * n + ((i + 1) % n)] = 0.3;
      for (let j = 0; j < n; j++) if (data[i * n + j] === 0) data[i * n + j] = 0.2 / (n - 2);
    }
    const s = selectLines({ rows: n, cols: n, data }, { threshold: 0.02, topK: defaultTopK(n) });
    expect(s.count).toBe(2 * n);
  });
});

describe('defaultTopK / opacityBucket', () => {
  it('caps only long inputs', () => {
    expect(defaultTopK(10)).toBe(Infinity);
    expect(defaultTopK(200)).toBe(8);
    expect(defaultTopK(1024)).toBe(4);
  });
  it('buckets opacities', () => {
    expect(opacityBucket(0, 10)).toBe(0);
    expect(opacityBucket(0.05, 10)).toBe(0);
    expect(opacityBucket(0.55, 10)).toBe(5);
    expect(opacityBucket(1, 10)).toBe(9);
    expect(opacityBucket(3, 10)).toBe(9);
  });
});
