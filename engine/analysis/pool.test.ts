import { describe, expect, it } from 'vitest';
import type { Matrix } from '../types.ts';
import { blockMap, poolExcluded, poolMatrix } from './pool.ts';

describe('blockMap', () => {
  it('splits into contiguous blocks differing by at most one', () => {
    expect(Array.from(blockMap(5, 2))).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(blockMap(4, 4))).toEqual([0, 1, 2, 3]);
    const sizes = new Map<number, number>();
    for (const b of blockMap(1024, 156)) sizes.set(b, (sizes.get(b) ?? 0) + 1);
    expect(sizes.size).toBe(156);
    expect(Math.max(...sizes.values()) - Math.min(...sizes.values())).toBeLessThanOrEqual(1);
  });
});

describe('poolMatrix', () => {
  const m: Matrix = { rows: 4, cols: 4, data: Float32Array.from([0, 0, 0, 0.1, 0, 0.9, 0, 0, -5, 0, 0, 0, 0, 0, 0, 2]) };
  it('max-pools so a single peak survives', () => {
    const p = poolMatrix(m, 2, 2, 'max');
    expect(p.rows).toBe(2);
    expect(Array.from(p.data)).toEqual([Math.fround(0.9), Math.fround(0.1), 0, 2]);
  });
  it('maxabs keeps the sign of the largest magnitude', () => {
    const p = poolMatrix(m, 2, 2, 'maxabs');
    expect(p.data[2]).toBe(-5);
  });
  it('lets NaN win so bad values stay visible', () => {
    const p = poolMatrix({ rows: 2, cols: 2, data: Float32Array.from([1, NaN, 3, 4]) }, 1, 1, 'max');
    expect(Number.isNaN(p.data[0])).toBe(true);
  });
  it('never upsamples', () => {
    const p = poolMatrix(m, 10, 10, 'max');
    expect([p.rows, p.cols]).toEqual([4, 4]);
    expect(Array.from(p.data)).toEqual(Array.from(m.data));
  });
});

describe('poolExcluded', () => {
  it('excludes a block only when every column in it is excluded', () => {
    expect(poolExcluded([true, true, true, false], 4, 2)).toEqual([true, false]);
  });
});
