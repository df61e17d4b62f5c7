// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): how much each
// input position flows into each position after l layers, treating the residual connection as half of
// every layer: Â_l = ½·(mean over heads of A_l) + ½·I, rows renormalised to sum 1, R_l = Â_l ⋯ Â_1.
import type { Matrix } from '../types.ts';

/** Â of one layer from its heads' n×n A: ½·(mean over heads) + ½·I, rows renormalised (float64, row-major). */
export function residualAttention(heads: Matrix[]): Float64Array {
  const n = heads[0].rows;
  const hat = new Float64Array(n * n);
  for (const A of heads) for (let k = 0; k < n * n; k++) hat[k] += A.data[k] / (2 * heads.length);
  for (let i = 0; i < n; i++) {
    hat[i * n + i] += 0.5;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += hat[i * n + j];
    for (let j = 0; j < n; j++) hat[i * n + j] /= sum;
  }
  return hat;
}

/** Rollout one layer at a time (a long input's maps need not all be held at once): add(l) returns R_l. */
export class RolloutSteps {
  private R: Float64Array | null = null;

  /** `heads`: the next layer's n×n A per head. */
  add(heads: Matrix[]): Matrix {
    const hat = residualAttention(heads);
    const n = heads[0].rows;
    const R = this.R;
    if (R === null) {
      this.R = hat;
    } else {
      // R ← Â_l · R (the newest layer on the left), i-k-j order into one row at a time. Zeros are
      // skipped: under a causal mask both are lower triangular, a sixth of n³ multiply-adds.
      const last = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        let j = n - 1;
        while (j >= 0 && R[k * n + j] === 0) j--;
        last[k] = j;
      }
      const next = new Float64Array(n * n);
      const row = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        row.fill(0);
        const hi = i * n;
        for (let k = 0; k < n; k++) {
          const a = hat[hi + k];
          if (a === 0) continue;
          const rk = k * n;
          const end = last[k];
          for (let j = 0; j <= end; j++) row[j] += a * R[rk + j];
        }
        next.set(row, hi);
      }
      this.R = next;
    }
    return { rows: n, cols: n, data: this.R };
  }
}

/** `layers[l][k]` is head k's n×n A in layer l. Returns R after each layer (float64, n×n, rows sum to 1). */
export function attentionRollout(layers: Matrix[][]): Matrix[] {
  const steps = new RolloutSteps();
  return layers.map((heads) => steps.add(heads));
}

/** The earliest position whose information reaches position i in R (first j with R[i][j] > 0), or −1 for none. */
export function earliestSource(R: Matrix, i: number): number {
  for (let j = 0; j < R.cols; j++) if (R.data[i * R.cols + j] > 0) return j;
  return -1;
}
