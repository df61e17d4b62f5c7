// Sorting the head-scores table and ranking "heads like this one": pure, so the order a reader sees
// is testable without a DOM.
import type { HeadRef, HeadScoreRow } from '../common/types.ts';

/** One table row: which head, and its scores. */
export interface HeadRow extends HeadRef, HeadScoreRow {}

/** 'head' orders by layer, then head; the others by that score. */
export type SortKey = 'head' | keyof HeadScoreRow;
export type SortDir = 'asc' | 'desc';

/** The score columns, in the order the table shows them. */
export const SCORE_KEYS: readonly (keyof HeadScoreRow)[] = ['previousToken', 'firstToken', 'self', 'entropy', 'duplicateToken', 'induction'];

/** scores[l][h] as rows in layer/head order. */
export function headRows(scores: readonly (readonly HeadScoreRow[])[]): HeadRow[] {
  const out: HeadRow[] = [];
  scores.forEach((layer, l) => layer.forEach((s, h) => out.push({ ...s, layer: l, head: h })));
  return out;
}

const byHead = (a: HeadRef, b: HeadRef) => a.layer - b.layer || a.head - b.head;

/**
 * A sorted copy. NaN scores (undefined for this input) go last in both directions: they are not
 * small, they are missing. Ties keep layer/head order, so the table never shuffles equal rows.
 */
export function sortHeads(rows: readonly HeadRow[], key: SortKey, dir: SortDir): HeadRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  if (key === 'head') return [...rows].sort((a, b) => sign * byHead(a, b));
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? byHead(a, b) : xn ? 1 : -1;
    return sign * (x - y) || byHead(a, b);
  });
}

/** The next sort after clicking a column header: a new column starts descending (layer/head ascending), the same one flips. */
export function nextSort(current: { key: SortKey; dir: SortDir }, clicked: SortKey): { key: SortKey; dir: SortDir } {
  if (current.key === clicked) return { key: clicked, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key: clicked, dir: clicked === 'head' ? 'asc' : 'desc' };
}

export interface SimilarHead extends HeadRef {
  /** Flattened index l·H + h. */
  index: number;
  similarity: number;
}

/**
 * The k heads most like head `selectedIndex` (flattened l·H + h, H heads per layer), most similar
 * first, itself and NaN entries left out; ties in flattened order.
 */
export function similarHeads(similarity: readonly (readonly number[])[], selectedIndex: number, H: number, k: number): SimilarHead[] {
  const row = similarity[selectedIndex];
  if (!row || !(H > 0) || !(k > 0)) return [];
  const out: SimilarHead[] = [];
  for (let b = 0; b < row.length; b++) {
    const v = row[b];
    if (b === selectedIndex || !Number.isFinite(v)) continue;
    out.push({ index: b, layer: Math.floor(b / H), head: b % H, similarity: v });
  }
  return out.sort((a, b) => b.similarity - a.similarity || a.index - b.index).slice(0, k);
}
