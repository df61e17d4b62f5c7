// The tiled "online" softmax that FlashAttention is built on, as a teaching computation: one row of scores
// is read in tiles of B keys, keeping only a running maximum m, a running sum ℓ and a running (unnormalised)
// output o. When a tile raises the maximum, what was summed so far is rescaled by e^{m_old − m_new}; after
// the last tile o/ℓ is the row's z and w_j·e^{s_j − m}/ℓ its attention weights — the same numbers as a
// softmax over the whole row, without ever holding the row's exponentials at once.
//
// Float64 and plain loops; it is checked against the engine (computeAttention) and a plain softmax in the
// tests. Masked keys are scores of −∞ or weights of 0 (both contribute nothing, exactly).
import { admissibleRange } from './keyRange.ts';
import { row } from './matrix.ts';
import type { Matrix } from './types.ts';

/** One tile of the row, after it has been folded into the running state. */
export interface SoftmaxTile {
  /** The tile holds keys start…end−1. */
  start: number;
  end: number;
  /** The largest admissible score in the tile (−∞ when it has none). */
  tileMax: number;
  /** The running maximum before and after the tile (−∞ while no admissible key has been seen). */
  mOld: number;
  mNew: number;
  /** e^{m_old − m_new}: the factor the earlier sum and output are multiplied by (1 when the maximum stays). */
  rescale: number;
  /** Σ over the tile's keys of w_j·e^{s_j − m_new}. */
  tileSum: number;
  /** The running sum after the tile: ℓ_old·rescale + tileSum. */
  sum: number;
  /** The running output after the tile: o_old·rescale + Σ_tile w_j·e^{s_j − m_new}·v_j (not yet divided by ℓ). */
  out: number[];
  /** out/ℓ: what z would be if the row ended here (zeros while ℓ = 0). */
  z: number[];
}

export interface OnlineRow {
  tiles: SoftmaxTile[];
  /** The row's maximum over admissible keys (−∞ when none). */
  m: number;
  /** ℓ = Σ_j w_j·e^{s_j − m}. */
  sum: number;
  /** The attention weights w_j·e^{s_j − m}/ℓ (all 0 for a row without an admissible key, as the engine gives). */
  weights: number[];
  /** z = o/ℓ (zeros for a row without an admissible key). */
  z: number[];
}

export interface OnlineOptions {
  /** Key weights w_j ≥ 0 (null: all 1); w_j = 0 removes key j exactly. */
  keyWeights?: ArrayLike<number> | null;
}

function checkTile(B: number, n: number): void {
  if (!Number.isSafeInteger(B) || B < 1) throw new RangeError(`tile size: expected a whole number ≥ 1, got ${B}`);
  if (n < 1) throw new RangeError('scores: expected at least one key');
}

/**
 * The online softmax of one row of scores (−∞ for a masked key) over `values` (one row per key), in tiles
 * of B keys. Returns the running state after every tile and the final weights and z.
 */
export function onlineSoftmaxRow(scores: ArrayLike<number>, values: Matrix, B: number, options: OnlineOptions = {}): OnlineRow {
  const n = scores.length;
  checkTile(B, n);
  if (values.rows !== n) throw new RangeError(`values: expected ${n} rows (one per key), got ${values.rows}`);
  const w = options.keyWeights ?? null;
  if (w && w.length !== n) throw new RangeError(`key weights: expected ${n}, got ${w.length}`);
  const dv = values.cols;
  const admissible = (j: number) => scores[j] > -Infinity && (w ? w[j] > 0 : true);
  let m = -Infinity;
  let sum = 0;
  const out = new Array<number>(dv).fill(0);
  const tiles: SoftmaxTile[] = [];
  for (let start = 0; start < n; start += B) {
    const end = Math.min(n, start + B);
    let tileMax = -Infinity;
    for (let j = start; j < end; j++) if (admissible(j) && scores[j] > tileMax) tileMax = scores[j];
    const mOld = m;
    const mNew = Math.max(mOld, tileMax);
    // Nothing seen yet (mOld = −∞): there is nothing to rescale; e^{−∞ − (−∞)} would be NaN.
    const rescale = mOld === -Infinity ? (mNew === -Infinity ? 1 : 0) : Math.exp(mOld - mNew);
    sum *= rescale;
    for (let t = 0; t < dv; t++) out[t] *= rescale;
    let tileSum = 0;
    for (let j = start; j < end; j++) {
      if (!admissible(j)) continue;
      const e = (w ? w[j] : 1) * Math.exp(scores[j] - mNew);
      tileSum += e;
      const v = row(values, j);
      for (let t = 0; t < dv; t++) out[t] += e * v[t];
    }
    sum += tileSum;
    m = mNew;
    tiles.push({ start, end, tileMax, mOld, mNew, rescale, tileSum, sum, out: out.slice(), z: out.map((o) => (sum > 0 ? o / sum : 0)) });
  }
  const weights = Array.from({ length: n }, (_, j) => (admissible(j) ? ((w ? w[j] : 1) * Math.exp(scores[j] - m)) / sum : 0));
  return { tiles, m, sum, weights, z: out.map((o) => (sum > 0 ? o / sum : 0)) };
}

export interface OnlineAttention {
  /** One online row per query. */
  rows: OnlineRow[];
  /** The weights of every row (n×n) and the outputs (n×d_v), as the engine's A and Z of the head. */
  A: Matrix;
  Z: Matrix;
}

/**
 * A whole head's A·V by the online softmax: each row of `scores` (scale·QKᵀ before masking, as HeadResult
 * holds them) with the causal/window mask applied as −∞, over V, in tiles of B keys.
 */
export function onlineAttention(scores: Matrix, V: Matrix, B: number, mask: { causal: boolean; window?: number | null; keyWeights?: ArrayLike<number> | null }): OnlineAttention {
  const n = scores.rows;
  const rows: OnlineRow[] = [];
  const A = new Float64Array(n * n);
  const Z = new Float64Array(n * V.cols);
  for (let i = 0; i < n; i++) {
    const { lo, hi } = admissibleRange(i, n, mask.causal, mask.window ?? null);
    const s = Array.from(row(scores, i), (x, j) => (j >= lo && j <= hi ? x : -Infinity));
    const r = onlineSoftmaxRow(s, V, B, { keyWeights: mask.keyWeights });
    rows.push(r);
    A.set(r.weights, i * n);
    Z.set(r.z, i * V.cols);
  }
  return { rows, A: { rows: n, cols: n, data: A }, Z: { rows: n, cols: V.cols, data: Z } };
}
