// The BertViz filter of a sentence pair's attention: only the lines from one sentence's queries to one
// sentence's keys (A→B, B→A, A→A, B→B). The other cells become 0, so every view that draws weights draws
// nothing there; the kept cells keep their values (no renormalising: a line's strength is still its A_ij).
import type { Matrix } from '../types.ts';

/** 'all', or the query sentence then the key sentence: 'ab' is A→B. */
export type PairFilter = 'all' | 'ab' | 'ba' | 'aa' | 'bb';

/** The maps with only the query→key cells `filter` keeps (`segments`: 0 for sentence A, 1 for B, per token). */
export function filterPairLines(maps: readonly Matrix[], segments: readonly number[], filter: PairFilter): Matrix[] {
  if (filter === 'all') return maps.slice();
  const from = filter[0] === 'a' ? 0 : 1;
  const to = filter[1] === 'a' ? 0 : 1;
  const n = segments.length;
  return maps.map((A) => {
    if (A.rows !== n || A.cols !== n) throw new Error(`filterPairLines: a ${A.rows}×${A.cols} map for ${n} tokens`);
    const data = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      if (segments[i] !== from) continue;
      for (let j = 0; j < n; j++) if (segments[j] === to) data[i * n + j] = A.data[i * n + j];
    }
    return { rows: n, cols: n, data };
  });
}
