import fc from 'fast-check';
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

describe('poolMatrix agrees with pooling block by block', () => {
  /** Independent: for each output cell, every source cell of its block, in reading order. */
  function naive(m: Matrix, R: number, C: number, mode: 'max' | 'maxabs'): number[] {
    const rows = blockMap(m.rows, R);
    const cols = blockMap(m.cols, C);
    const out: number[] = [];
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const cells: number[] = [];
        for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) if (rows[i] === r && cols[j] === c) cells.push(m.data[i * m.cols + j]);
        if (cells.some(Number.isNaN)) out.push(NaN);
        else out.push(cells.reduce((best, v) => ((mode === 'max' ? v > best : Math.abs(v) > Math.abs(best)) ? v : best)));
      }
    }
    return out;
  }

  it('on random shapes with NaN, ±Infinity, ties and signed zeros, into a new array or a reused one', () => {
    const reused = new Float32Array(100);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).chain((rows) =>
          fc.record({
            rows: fc.constant(rows),
            cols: fc.integer({ min: 1, max: 9 }),
            R: fc.integer({ min: 1, max: 10 }),
            C: fc.integer({ min: 1, max: 10 }),
            mode: fc.constantFrom('max' as const, 'maxabs' as const),
            values: fc.array(fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1, -1), fc.float({ noNaN: true })), { minLength: 81, maxLength: 81 }),
          }),
        ),
        ({ rows, cols, R, C, mode, values }) => {
          const m: Matrix = { rows, cols, data: Float32Array.from(values.slice(0, rows * cols)) };
          const p = poolMatrix(m, R, C, mode);
          expect(Array.from(p.data)).toEqual(naive(m, p.rows, p.cols, mode));
          // Into a reused array still holding NaN (which would win any block it leaked into) and the last case's numbers.
          const q = poolMatrix(m, R, C, mode, reused.fill(NaN, 50));
          expect(q.data.buffer).toBe(reused.buffer);
          expect(Array.from(q.data)).toEqual(Array.from(p.data));
        },
      ),
      { numRuns: 500, seed: 27 },
    );
  });
});
