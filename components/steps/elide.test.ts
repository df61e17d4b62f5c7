import { describe, expect, it } from 'vitest';
import { elideIndices } from './elide.ts';
import { isInverseSqrt, paren, stepsFor, vectorTex } from './steps.ts';
import { editPath, editPrefix } from '../matrices/paths.ts';

const shown = (xs: ReturnType<typeof elideIndices>) => xs.map((e) => (e.kind === 'item' ? e.index : `…${e.count}`));

describe('elideIndices', () => {
  it('keeps head, tail and neighbours of the focus, eliding the rest', () => {
    expect(shown(elideIndices(64, { head: 4, tail: 2 }))).toEqual([0, 1, 2, 3, '…58', 62, 63]);
    expect(shown(elideIndices(20, { head: 2, tail: 1, around: [10], radius: 1 }))).toEqual([0, 1, '…7', 9, 10, 11, '…7', 19]);
  });
  it('shows everything when short, and never hides a single item', () => {
    expect(shown(elideIndices(5, { head: 4, tail: 2 }))).toEqual([0, 1, 2, 3, 4]);
    expect(shown(elideIndices(7, { head: 4, tail: 2 }))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
  it('accounts for every index exactly once', () => {
    const xs = elideIndices(1000, { head: 4, tail: 2, around: [500, 3, 999] });
    const total = xs.reduce((s, e) => s + (e.kind === 'item' ? 1 : e.count), 0);
    expect(total).toBe(1000);
  });
});

describe('steps helpers', () => {
  it('adds the combine step for multi-head or W^O', () => {
    expect(stepsFor('self', 1, false)).toEqual(['project', 'scores', 'softmax', 'output']);
    expect(stepsFor('weighted', 1, false)).toHaveLength(4);
    expect(stepsFor('multi', 2, false)).toContain('concat');
    expect(stepsFor('self', 1, true)).toContain('concat');
    // The tiled softmax right after the plain one, the cache after the output it reproduces.
    expect(stepsFor('multi', 2, false, { tile: 2, causal: true })).toEqual(['project', 'scores', 'softmax', 'tiles', 'output', 'cache', 'concat']);
    expect(stepsFor('self', 1, false, { tile: null, causal: false })).toEqual(['project', 'scores', 'softmax', 'output']);
  });
  it('recognises 1/√d_k', () => {
    expect(isInverseSqrt(1 / Math.sqrt(8), 8)).toBe(true);
    expect(isInverseSqrt(Math.fround(1 / Math.sqrt(64)), 64)).toBe(true);
    expect(isInverseSqrt(0.5, 8)).toBe(false);
  });
  it('writes vectors as TeX with the middle elided when long', () => {
    expect(vectorTex([1, -0.5, 0.25])).toEqual({ tex: '\\begin{bmatrix} 1 & -0.5 & 0.25 \\end{bmatrix}', hidden: 0 });
    const long = vectorTex(Array.from({ length: 64 }, (_, k) => k));
    expect(long.hidden).toBe(58);
    expect(long.tex).toContain('\\cdots');
    expect(paren(-2)).toBe('(-2)');
    expect(paren(2)).toBe('2');
    expect(paren(2e-9)).toBe('(2\\times10^{-9})');
  });
});

describe('edit paths', () => {
  it('match the scenario override format', () => {
    expect(editPath(editPrefix('X', 0), { row: 2, col: 3 })).toBe('X[2][3]');
    expect(editPath(editPrefix('Wq', 1), { row: 0, col: 2 })).toBe('heads[1].Wq[0][2]');
    expect(editPath(editPrefix('Wo', 3), { row: 4, col: 1 })).toBe('Wo[4][1]');
  });
});
