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

/** Where each of `blocks` contiguous blocks of blockMap(n, blocks) starts, and n at the end. */
function blockStarts(n: number, blocks: number): Int32Array {
  const map = blockMap(n, blocks);
  const starts = new Int32Array(blocks + 1);
  for (let i = n - 1; i >= 0; i--) starts[map[i]] = i;
  starts[blocks] = n;
  return starts;
}

/**
 * Pools `m` into outRows×outCols blocks. 'max' keeps the largest value of each block (for A);
 * 'maxabs' keeps the value of largest magnitude with its sign (for signed matrices).
 * NaN in a block wins, so it stays visible. The first of equal candidates is kept.
 * (Every heatmap larger than its canvas is pooled on each paint: the inner loops run over one row's
 * part of a block with a single comparison per number.) `into`, when it holds at least R·C numbers,
 * receives the result (its first R·C numbers, which the result's data views) instead of a new array:
 * a painter reuses one array for every paint, as fresh memory is costly to touch (engine/floatPool.ts).
 */
export function poolMatrix(m: Matrix, outRows: number, outCols: number, mode: 'max' | 'maxabs', into?: Float32Array): Matrix {
  const R = Math.max(1, Math.min(outRows, m.rows));
  const C = Math.max(1, Math.min(outCols, m.cols));
  const out = into && into.length >= R * C ? into.subarray(0, R * C) : new Float32Array(R * C);
  const rowStart = blockStarts(m.rows, R);
  const colStart = blockStarts(m.cols, C);
  const { cols, data } = m;
  const abs = mode === 'maxabs';
  for (let r = 0; r < R; r++) {
    const base = r * C;
    for (let i = rowStart[r]; i < rowStart[r + 1]; i++) {
      const src = i * cols;
      const first = i === rowStart[r];
      for (let c = 0; c < C; c++) {
        let j = src + colStart[c];
        const end = src + colStart[c + 1];
        let best = first ? data[j++] : out[base + c];
        if (best === best) {
          // !(x <= best) is x > best, or x is NaN (which then wins for good).
          if (abs) {
            let bestAbs = Math.abs(best);
            for (; j < end; j++) {
              const v = data[j];
              const a = Math.abs(v);
              if (!(a <= bestAbs)) {
                best = v;
                bestAbs = a;
                if (v !== v) break;
              }
            }
          } else {
            for (; j < end; j++) {
              const v = data[j];
              if (!(v <= best)) {
                best = v;
                if (v !== v) break;
              }
            }
          }
        }
        out[base + c] = best;
      }
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
