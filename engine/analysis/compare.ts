// Comparing a head on two inputs: where the token sequences align (same length), the difference of
// the two attention maps; where they do not, which rows correspond (the same token at matching places
// of the longest common subsequence), so both maps can be shown with matched rows.
import type { Matrix } from '../types.ts';

/** Pairs (i in a, j in b) of equal tokens along a longest common subsequence, in order. */
export function matchTokens(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  // L[i][j]: LCS length of a[i…] and b[j…]
  const L = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * (m + 1) + j] = a[i] === b[j] ? L[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(L[(i + 1) * (m + 1) + j], L[i * (m + 1) + j + 1]);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** B − A, element by element (same shapes: the inputs align position by position). */
export function attentionDifference(A: Matrix, B: Matrix): Matrix {
  if (A.rows !== B.rows || A.cols !== B.cols) throw new Error(`attentionDifference: ${A.rows}×${A.cols} vs ${B.rows}×${B.cols}`);
  const data = new Float64Array(A.data.length);
  for (let k = 0; k < data.length; k++) data[k] = B.data[k] - A.data[k];
  return { rows: A.rows, cols: A.cols, data };
}
