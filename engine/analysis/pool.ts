// Downsampling for matrices with more cells than device pixels. Averaging (what a smoothed
// drawImage does) makes a single strong attention link vanish into its block; max-pooling keeps
// every peak visible, which is what a reader scans an attention map for.
import type { Matrix } from '../types.ts';

/** Source index → block index for `n` source items into `blocks` blocks (contiguous, sizes differ by ≤ 1). */
export function blockMap(n: number, blocks: number): Int32Array {
  const map = new Int32Array(n);
  for (let i = 0; i < n; i++) map[i] = Math.min(blocks - 1, Math.floor((i * blocks) / n));
  return map;
}

/**
 * Pools `m` into outRows×outCols blocks. 'max' keeps the largest value of each block (for A);
 * 'maxabs' keeps the value of largest magnitude with its sign (for signed matrices).
 * NaN in a block wins, so it stays visible. A block with no source cell is NaN (only when out > in).
 */
export function poolMatrix(m: Matrix, outRows: number, outCols: number, mode: 'max' | 'maxabs'): Matrix {
  const R = Math.max(1, Math.min(outRows, m.rows));
  const C = Math.max(1, Math.min(outCols, m.cols));
  const out = new Float32Array(R * C).fill(NaN);
  const seen = new Uint8Array(R * C);
  const rowMap = blockMap(m.rows, R);
  const colMap = blockMap(m.cols, C);
  const { cols, data } = m;
  for (let i = 0; i < m.rows; i++) {
    const base = rowMap[i] * C;
    const src = i * cols;
    for (let j = 0; j < cols; j++) {
      const k = base + colMap[j];
      const v = data[src + j];
      if (!seen[k]) {
        out[k] = v;
        seen[k] = 1;
        continue;
      }
      const best = out[k];
      if (best !== best) continue; // NaN already won
      if (v !== v) out[k] = v;
      else if (mode === 'max' ? v > best : Math.abs(v) > Math.abs(best)) out[k] = v;
    }
  }
  return { rows: R, cols: C, data: out };
}

/** Pooled column exclusion: a block is excluded only when all of its columns are. */
export function poolExcluded(excluded: readonly boolean[], cols: number, outCols: number): boolean[] {
  const C = Math.max(1, Math.min(outCols, cols));
  const colMap = blockMap(cols, C);
  const out = new Array<boolean>(C).fill(true);
  for (let j = 0; j < cols; j++) if (!excluded[j]) out[colMap[j]] = false;
  return out;
}
