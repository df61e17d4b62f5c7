import { describe, it, expect } from 'vitest';
import { col, concatCols, fromRows, fromRows64, get, matmul, matrix, maxAbsDiff, row, set, shapeOf, sliceCols, toRows, transpose } from './matrix.ts';

describe('matrix helpers', () => {
  it('build, read and write', () => {
    const m = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(shapeOf(m)).toBe('2×3');
    expect(get(m, 1, 2)).toBe(6);
    set(m, 0, 1, 9);
    expect(toRows(m)).toEqual([
      [1, 9, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(row(m, 1))).toEqual([4, 5, 6]);
    expect(col(m, 1)).toEqual([9, 5]);
    expect(fromRows64([[0.1]]).data[0]).toBe(0.1);
    expect(fromRows([[0.1]]).data[0]).toBe(Math.fround(0.1));
  });

  it('matrix() checks its data length and zero-fills', () => {
    expect(Array.from(matrix(2, 2).data)).toEqual([0, 0, 0, 0]);
    expect(matrix(1, 2, [1, 2]).data).toBeInstanceOf(Float32Array);
    expect(() => matrix(2, 2, [1, 2, 3])).toThrow(RangeError);
    expect(() => fromRows([[1, 2], [3]])).toThrow(RangeError);
  });

  it('transpose, slice, concat, matmul, maxAbsDiff', () => {
    const a = fromRows64([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(toRows(transpose(a))).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(toRows(sliceCols(a, 1, 2))).toEqual([[2], [4], [6]]);
    expect(toRows(concatCols([a, sliceCols(a, 0, 1)]))).toEqual([
      [1, 2, 1],
      [3, 4, 3],
      [5, 6, 5],
    ]);
    expect(toRows(matmul(transpose(a), a))).toEqual([
      [35, 44],
      [44, 56],
    ]);
    expect(maxAbsDiff(a, a)).toBe(0);
    expect(maxAbsDiff(a, transpose(a))).toBe(Infinity);
    expect(maxAbsDiff(fromRows([[1, NaN]]), fromRows([[1, 2]]))).toBe(Infinity);
  });
});
