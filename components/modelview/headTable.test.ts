import { describe, expect, it } from 'vitest';
import { headRows, nextSort, similarHeads, sortHeads, type HeadRow } from './headTable.ts';
import type { HeadScoreRow } from '../common/types.ts';

const s = (previousToken: number, entropy = 0.5): HeadScoreRow => ({ previousToken, firstToken: 0, self: 0, entropy, duplicateToken: 0, induction: 0 });
const ids = (rows: HeadRow[]) => rows.map((r) => `L${r.layer + 1}H${r.head + 1}`);

// 2 layers × 3 heads.
const scores: HeadScoreRow[][] = [
  [s(0.2), s(NaN), s(0.9)],
  [s(0.5), s(0.2), s(NaN)],
];

describe('headRows', () => {
  it('flattens scores[l][h] in layer/head order with the head attached', () => {
    const rows = headRows(scores);
    expect(ids(rows)).toEqual(['L1H1', 'L1H2', 'L1H3', 'L2H1', 'L2H2', 'L2H3']);
    expect(rows[2]).toMatchObject({ layer: 0, head: 2, previousToken: 0.9 });
  });
});

describe('sortHeads', () => {
  const rows = headRows(scores);

  it('orders by layer, then head', () => {
    expect(ids(sortHeads([...rows].reverse(), 'head', 'asc'))).toEqual(['L1H1', 'L1H2', 'L1H3', 'L2H1', 'L2H2', 'L2H3']);
    expect(ids(sortHeads(rows, 'head', 'desc'))).toEqual(['L2H3', 'L2H2', 'L2H1', 'L1H3', 'L1H2', 'L1H1']);
  });

  it('sorts by a score both ways, NaN always last, ties in layer/head order', () => {
    expect(ids(sortHeads(rows, 'previousToken', 'desc'))).toEqual(['L1H3', 'L2H1', 'L1H1', 'L2H2', 'L1H2', 'L2H3']);
    expect(ids(sortHeads(rows, 'previousToken', 'asc'))).toEqual(['L1H1', 'L2H2', 'L2H1', 'L1H3', 'L1H2', 'L2H3']);
  });

  it('returns a copy', () => {
    const copy = [...rows];
    sortHeads(rows, 'previousToken', 'desc');
    expect(rows).toEqual(copy);
  });
});

describe('nextSort', () => {
  it('starts a score column descending and flips it on the second click', () => {
    const first = nextSort({ key: 'head', dir: 'asc' }, 'induction');
    expect(first).toEqual({ key: 'induction', dir: 'desc' });
    expect(nextSort(first, 'induction')).toEqual({ key: 'induction', dir: 'asc' });
    expect(nextSort({ key: 'induction', dir: 'asc' }, 'head')).toEqual({ key: 'head', dir: 'asc' });
  });
});

describe('similarHeads', () => {
  // 2 layers × 2 heads; flattened 0 = L1H1, 1 = L1H2, 2 = L2H1, 3 = L2H2.
  const sim = [
    [1, 0.3, 0.9, 0.3],
    [0.3, 1, NaN, 0.1],
    [0.9, NaN, 1, 0.4],
    [0.3, 0.1, 0.4, 1],
  ];

  it('ranks the other heads, most similar first, with their layer and head', () => {
    expect(similarHeads(sim, 0, 2, 5)).toEqual([
      { index: 2, layer: 1, head: 0, similarity: 0.9 },
      { index: 1, layer: 0, head: 1, similarity: 0.3 },
      { index: 3, layer: 1, head: 1, similarity: 0.3 },
    ]);
  });

  it('leaves out the head itself and NaN entries, and keeps the top k', () => {
    expect(similarHeads(sim, 1, 2, 5).map((h) => h.index)).toEqual([0, 3]);
    expect(similarHeads(sim, 3, 2, 1).map((h) => h.index)).toEqual([2]);
  });

  it('is empty for a missing row or a single head', () => {
    expect(similarHeads(sim, 7, 2, 5)).toEqual([]);
    expect(similarHeads([[1]], 0, 1, 5)).toEqual([]);
    expect(similarHeads(sim, 0, 0, 5)).toEqual([]);
  });
});
