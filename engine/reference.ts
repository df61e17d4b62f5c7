// The reference implementation: plain float64 loops, written independently of the tfjs engine.
// It is the oracle of the tests and the "plain loops" baseline of the benchmark, so it is kept
// straightforward (no tricks, no tfjs), but not deliberately slow: products run in the
// cache-friendly i-k-j order over Float64Array rows.
import type { AttentionInput, AttentionResult, Floats, HeadResult, Matrix, RotaryConfig } from './types.ts';
import { emptyRowsWarning } from './warnings.ts';

interface M64 {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Float64 copy of the data (all loops below then read one array type only). */
function f64(m: Matrix): M64 {
  return { rows: m.rows, cols: m.cols, data: m.data instanceof Float64Array ? m.data : Float64Array.from(m.data) };
}

/** a (r×m) · b (m×c) in float64, i-k-j order. */
function mm(a: M64, b: M64): M64 {
  const r = a.rows;
  const m = a.cols;
  const c = b.cols;
  const A = a.data;
  const B = b.data;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const oi = i * c;
    for (let k = 0; k < m; k++) {
      const aik = A[i * m + k];
      const bk = k * c;
      for (let j = 0; j < c; j++) out[oi + j] += aik * B[bk + j];
    }
  }
  return { rows: r, cols: c, data: out };
}

/** Adds a bias (length cols) to every row, in place. */
function addBias(m: M64, b: Floats | null | undefined): M64 {
  if (b) for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] += b[j];
  return m;
}

/** Rotate-half rotary embedding of the rows (row p at position offset + p), in float64. */
function rotary(m: M64, r: RotaryConfig, offset: number): M64 {
  const half = r.dims / 2;
  const out = Float64Array.from(m.data);
  for (let p = 0; p < m.rows; p++) {
    for (let t = 0; t < half; t++) {
      const angle = (offset + p) * Math.pow(r.theta, (-2 * t) / r.dims);
      const a = m.data[p * m.cols + t];
      const b = m.data[p * m.cols + t + half];
      out[p * m.cols + t] = a * Math.cos(angle) - b * Math.sin(angle);
      out[p * m.cols + t + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
  }
  return { rows: m.rows, cols: m.cols, data: out };
}

export function referenceAttention(input: AttentionInput): AttentionResult {
  const { heads, causal } = input;
  const X = f64(input.X);
  const Wo = input.Wo ? f64(input.Wo) : null;
  const n = X.rows;
  const h = heads.length;
  const dk = heads[0].Wq.cols;
  const dv = heads[0].Wv.cols;
  const scale = input.scale ?? 1 / Math.sqrt(dk);
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) w[j] = input.keyWeights ? input.keyWeights[j] : 1;

  // Keys query i may see: all, or with causal j ≤ i, and with a local window also j > i − window (GPT-Neo).
  const window = input.window ?? null;
  const first = (i: number) => (causal && window !== null ? Math.max(0, i - window + 1) : 0);
  const last = (i: number) => (causal ? i : n - 1);

  // Rows with no admissible key (the same for every head: it depends on the mask and weights only).
  const emptyRows: number[] = [];
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let j = first(i); j <= last(i) && !any; j++) any = w[j] > 0;
    if (!any) emptyRows.push(i);
  }

  const results: HeadResult[] = [];
  const Zall = new Float64Array(n * h * dv);
  const e = new Float64Array(n);
  for (let hh = 0; hh < h; hh++) {
    const Qpre = addBias(mm(X, f64(heads[hh].Wq)), heads[hh].bq);
    const Kpre = addBias(mm(X, f64(heads[hh].Wk)), heads[hh].bk);
    const V = addBias(mm(X, f64(heads[hh].Wv)), heads[hh].bv);
    const Q = input.rotary ? rotary(Qpre, input.rotary, input.positionOffset ?? 0) : Qpre;
    const K = input.rotary ? rotary(Kpre, input.rotary, input.positionOffset ?? 0) : Kpre;
    const q = Q.data;
    const k = K.data;
    // scores: S_ij = scale · q_i·k_j
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const qi = i * dk;
      for (let j = 0; j < n; j++) {
        const kj = j * dk;
        let dot = 0;
        for (let t = 0; t < dk; t++) dot += q[qi + t] * k[kj + t];
        S[i * n + j] = scale * dot;
      }
    }
    // A_ij = w_j·exp(s_ij − m_i) / Σ_j' w_j'·exp(s_ij' − m_i) over admissible keys, m_i their largest score
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const lo = first(i);
      const hi = last(i);
      const r = i * n;
      let m = -Infinity;
      for (let j = lo; j <= hi; j++) if (w[j] > 0 && S[r + j] > m) m = S[r + j];
      if (m === -Infinity) continue; // no admissible key: the row stays zero
      let sum = 0;
      for (let j = lo; j <= hi; j++) {
        e[j] = w[j] > 0 ? w[j] * Math.exp(S[r + j] - m) : 0;
        sum += e[j];
      }
      for (let j = lo; j <= hi; j++) A[r + j] = e[j] / sum;
    }
    const Am: M64 = { rows: n, cols: n, data: A };
    const Z = mm(Am, V);
    // Ablation replaces the head's z in the concatenation only (its own A and Z stay as computed).
    const ablation = input.ablate?.[hh];
    const zMean = new Float64Array(dv);
    if (ablation === 'mean') for (let i = 0; i < n; i++) for (let t = 0; t < dv; t++) zMean[t] += Z.data[i * dv + t] / n;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < dv; t++) {
        Zall[i * h * dv + hh * dv + t] = ablation === 'zero' ? 0 : ablation === 'mean' ? zMean[t] : Z.data[i * dv + t];
      }
    }
    const head: HeadResult = { Q, K, V, scores: { rows: n, cols: n, data: S }, A: Am, Z };
    if (input.rotary) Object.assign(head, { Qpre, Kpre });
    results.push(head);
  }
  const Z: M64 = { rows: n, cols: h * dv, data: Zall };
  return {
    heads: results,
    Z,
    out: Wo ? addBias(mm(Z, Wo), input.bo) : null,
    scale,
    warnings: emptyRows.length > 0 ? [emptyRowsWarning(emptyRows)] : [],
    backend: 'reference',
  };
}
