// The arithmetic of one cell of A, step by step, as plain data for the views (which never compute).
// Scores, A and Z are taken from the engine's result, so what is shown equals what the engine
// computed; only the intermediate terms that the engine does not return (products, exponentials,
// their sums) are computed here, in float64, from the result's own Q, K, V and scores.
import type { AttentionInput, AttentionResult } from './types.ts';

export interface CellExplanation {
  head: number;
  /** Query row i and key column j. */
  i: number;
  j: number;
  n: number;
  dk: number;
  dv: number;
  /** q_i (row i of Q) and k_j (row j of K). */
  q: number[];
  k: number[];
  /** q_it·k_jt for t = 0…d_k−1. */
  products: number[];
  /** Σ_t q_it·k_jt. */
  dot: number;
  /** The scale used (1/√d_k unless given). */
  scale: number;
  /** s_ij = scale·q_i·k_j, as computed by the engine. */
  score: number;
  /** The whole row i of the scores (engine values). */
  rowScores: number[];
  causal: boolean;
  /** Causal local attention: keys j' ≤ i − window are masked too; null without one. */
  window: number | null;
  /** Whether key j' may be attended to from query i: (j' ≤ i when causal; j' > i − window with a window) and w_j' > 0. */
  admissible: boolean[];
  /** Key weights w_j' (1 when the input has none). */
  weights: number[];
  /** Whether key j itself is admissible. */
  cellAdmissible: boolean;
  /** m_i: the largest score over admissible keys; null when the row has none. */
  rowMax: number | null;
  /** w_j'·exp(s_ij' − m_i) for admissible keys, 0 otherwise. */
  exps: number[];
  /** Σ_j' of exps. */
  expSum: number;
  /** A_ij, as computed by the engine. */
  a: number;
  /** The whole row i of A (engine values). */
  rowA: number[];
  /** True when no key is admissible for query i (its rows of A and Z are zero). */
  emptyRow: boolean;
  /** v_j (row j of V). */
  v: number[];
  /** A_ij'·v_j' for every key j' (n vectors of d_v numbers). */
  zTerms: number[][];
  /** Σ_j' A_ij'·v_j' recomputed in float64 from the engine's A and V (for the written-out sum). */
  zSum: number[];
  /** z_i: row i of this head's Z, as computed by the engine. */
  z: number[];
  /** Columns of the concatenated Z (and of the rows of W^O) where this head's z_i sits. */
  zOffset: number;
}

function rowOf(data: ArrayLike<number>, cols: number, i: number): number[] {
  return Array.from({ length: cols }, (_, t) => data[i * cols + t]);
}

/** Everything needed to write out A_ij (and z_i) of one head; throws RangeError for a bad head or cell. */
export function explainCell(input: AttentionInput, result: AttentionResult, head: number, i: number, j: number): CellExplanation {
  const hr = result.heads[head];
  if (!hr) throw new RangeError(`explainCell: no head ${head} (there are ${result.heads.length})`);
  const n = hr.A.rows;
  if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= n || j >= n) {
    throw new RangeError(`explainCell: cell (${i}, ${j}) is outside ${n}×${n}`);
  }
  const dk = hr.Q.cols;
  const dv = hr.V.cols;
  const q = rowOf(hr.Q.data, dk, i);
  const k = rowOf(hr.K.data, dk, j);
  const products = q.map((qt, t) => qt * k[t]);
  const dot = products.reduce((s, x) => s + x, 0);

  const weights = Array.from({ length: n }, (_, jj) => (input.keyWeights ? input.keyWeights[jj] : 1));
  const window = input.causal ? (input.window ?? null) : null;
  const admissible = weights.map((w, jj) => (!input.causal || jj <= i) && (window === null || jj > i - window) && w > 0);
  const rowScores = rowOf(hr.scores.data, n, i);
  let rowMax: number | null = null;
  for (let jj = 0; jj < n; jj++) if (admissible[jj] && (rowMax === null || rowScores[jj] > rowMax)) rowMax = rowScores[jj];
  const exps = rowScores.map((s, jj) => (admissible[jj] && rowMax !== null ? weights[jj] * Math.exp(s - rowMax) : 0));
  const expSum = exps.reduce((s, x) => s + x, 0);

  const rowA = rowOf(hr.A.data, n, i);
  const zTerms = rowA.map((a, jj) => rowOf(hr.V.data, dv, jj).map((vt) => a * vt));
  const zSum = Array.from({ length: dv }, (_, t) => zTerms.reduce((s, term) => s + term[t], 0));

  return {
    head,
    i,
    j,
    n,
    dk,
    dv,
    q,
    k,
    products,
    dot,
    scale: result.scale,
    score: rowScores[j],
    rowScores,
    causal: input.causal,
    window,
    admissible,
    weights,
    cellAdmissible: admissible[j],
    rowMax,
    exps,
    expSum,
    a: rowA[j],
    rowA,
    emptyRow: rowMax === null,
    v: rowOf(hr.V.data, dv, j),
    zTerms,
    zSum,
    z: rowOf(hr.Z.data, dv, i),
    zOffset: head * dv,
  };
}
