import { describe, expect, it } from 'vitest';
import { filterPairLines } from './pairLines.ts';
import { fromRows, toRows } from '../matrix.ts';

// [CLS] a [SEP] b [SEP]: the tokenizer gives [CLS] and the first [SEP] to sentence A, the last [SEP] to B.
const SEGMENTS = [0, 0, 0, 1, 1];
const A = fromRows([
  [0.5, 0.1, 0.1, 0.2, 0.1],
  [0.2, 0.2, 0.2, 0.2, 0.2],
  [0.1, 0.1, 0.6, 0.1, 0.1],
  [0.3, 0.3, 0.1, 0.25, 0.05],
  [0.4, 0.0, 0.2, 0.0, 0.4],
]);

describe('filterPairLines', () => {
  it('A→B keeps the cells from an A query to a B key, the values unchanged, everything else 0', () => {
    const [m] = filterPairLines([A], SEGMENTS, 'ab');
    const want = [
      [0, 0, 0, 0.2, 0.1],
      [0, 0, 0, 0.2, 0.2],
      [0, 0, 0, 0.1, 0.1],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ];
    toRows(m).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
  });

  it('the four filters split the map: their sum is the map itself', () => {
    const parts = (['aa', 'ab', 'ba', 'bb'] as const).map((f) => filterPairLines([A], SEGMENTS, f)[0]);
    for (let k = 0; k < 25; k++) expect(parts.reduce((s, p) => s + p.data[k], 0)).toBeCloseTo(A.data[k], 6);
    expect(toRows(parts[2])[3]).toEqual(toRows(A)[3].map((v, j) => (j < 3 ? Math.fround(v) : 0)));
  });

  it("'all' is every line; a map of another size is refused", () => {
    expect(filterPairLines([A], SEGMENTS, 'all')[0]).toBe(A);
    expect(() => filterPairLines([A], [0, 1], 'ab')).toThrow(/5×5 map for 2 tokens/);
  });
});
