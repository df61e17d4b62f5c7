import { describe, expect, it } from 'vitest';
import { hideTokens, meanHiddenMass } from './hideTokens.ts';
import { fromRows, toRows } from '../matrix.ts';

// [CLS] a b [SEP] (stored as float32, hence 6 digits): rows sum to 1, most of it on the framing tokens as in many BERT heads.
const A = fromRows([
  [0.7, 0.1, 0.1, 0.1],
  [0.5, 0.2, 0.1, 0.2],
  [0.4, 0.3, 0.0, 0.3],
  [0.25, 0.25, 0.25, 0.25],
]);
const FRAME = [true, false, false, true];

const close = (got: number[][], want: number[][]) => got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));

describe('hideTokens', () => {
  it('drops the hidden rows and columns; the hidden mass is what each kept row gave them', () => {
    const h = hideTokens([A], FRAME, false);
    expect(h.keep).toEqual([1, 2]);
    close(toRows(h.maps[0]), [
      [0.2, 0.1],
      [0.3, 0.0],
    ]);
    // By hand: row "a" gave 0.5 + 0.2, row "b" 0.4 + 0.3.
    expect(Array.from(h.hiddenMass[0])).toEqual([expect.closeTo(0.7, 6), expect.closeTo(0.7, 6)]);
    expect(meanHiddenMass(h)[0]).toBeCloseTo(0.7, 6);
  });

  it('renormalised: each kept row sums to 1 over the tokens shown; a row that kept nothing stays 0', () => {
    const h = hideTokens([A], FRAME, true);
    close(toRows(h.maps[0]), [
      [2 / 3, 1 / 3],
      [1, 0],
    ]);
    const allGone = fromRows([
      [0.5, 0, 0.5],
      [1, 0, 0],
      [0.5, 0, 0.5],
    ]);
    const g = hideTokens([allGone], [true, false, true], true);
    expect(Array.from(g.maps[0].data)).toEqual([0]);
    expect(g.hiddenMass[0][0]).toBe(1);
  });

  it('hides nothing: the maps are the same numbers and no mass is hidden', () => {
    const h = hideTokens([A, A], [false, false, false, false], true);
    expect(h.keep).toEqual([0, 1, 2, 3]);
    h.maps.forEach((m) => close(toRows(m), toRows(A)));
    expect(meanHiddenMass(h)).toEqual([0, 0]);
  });

  it('refuses a map of another size', () => {
    expect(() => hideTokens([A], [true, false], false)).toThrow(/4×4 map for 2 tokens/);
  });
});
