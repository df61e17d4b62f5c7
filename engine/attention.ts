// The attention forward pass on TensorFlow.js (wasm by default; cpu or webgl when selected).
//
// Speed notes (measured on the wasm backend, see docs/performance.md): tfjs-backend-wasm only sends
// a matrix product to XNNPACK's fast GEMM when it is a plain 2-D product (batch 1, no transposed
// operand); batched or transposed products fall back to a naive blocked loop that is >10× slower
// (e.g. 12 heads of Q·Kᵀ at n = 512: 18 ms as plain products vs 242 ms with transposeB). Column
// slices of a wide tensor are also costly there. So the graph is built from plain 2-D products per
// head: Q, K, V straight from X·W (no slicing), Kᵀ materialised once per head (n×d_k, cheap), and the
// masks and key weights folded into one additive bias before a single fused softmax kernel.
// The optional extras real checkpoints need (projection and output biases, rotary embedding of Q and K,
// per-head ablation of z before W^O) are implemented in the per-head layout only: inputs that use them
// always take it.
import type { AttentionInput, AttentionResult, Floats, HeadResult, Matrix, RotaryConfig } from './types.ts';
import { ensureBackend, readFloats, tf } from './backend.ts';
import type { FloatSource } from './floatPool.ts';
import { checkInput } from './validate.ts';
import { FLOAT32_MAX, nonFiniteError } from './caseError.ts';
import { emptyRowsWarning } from './warnings.ts';
import { rotaryAngle } from './rotary.ts';
import { admissibleRange } from './keyRange.ts';

/**
 * Added to the logit of an inadmissible key. −∞ (not a large negative number) makes the mask absolute:
 * exp(−∞) is exactly 0 whatever the scores, so no score gap can make a masked key leak. Rows without
 * any admissible key get a finite bias instead (softmax of an all −∞ row is NaN) and are zeroed after.
 */
const MASKED = -Infinity;

function f32(a: Floats): Float32Array {
  return a instanceof Float32Array ? a : new Float32Array(a);
}

export interface MaskPlan {
  /** Additive logit bias: log w_j for admissible keys, MASKED otherwise. null when nothing is masked or weighted. */
  bias: Float32Array | null;
  /** 1 (one row, broadcast over queries) or n (causal). */
  biasRows: number;
  /** Query rows without any admissible key. */
  emptyRows: number[];
}

/**
 * Which keys each query may attend to, as data the graph consumes (depends on causal, the window and w
 * only). Causal rows see keys lo_i…i, where lo_i = i − window + 1 with a local window, else 0.
 */
function maskPlan(n: number, causal: boolean, keyWeights: Floats | null, window: number | null = null): MaskPlan {
  const w = keyWeights;
  // A window at least as wide as the input masks nothing beyond the causal mask: plain causal's plan, bit for bit.
  const lo = (i: number) => admissibleRange(i, n, causal, window).lo;
  let firstPositive = -1;
  let allOne = true;
  for (let j = 0; j < n; j++) {
    const wj = w ? w[j] : 1;
    if (wj > 0 && firstPositive < 0) firstPositive = j;
    if (wj !== 1) allOne = false;
  }
  // Per causal row, the last key ≤ i with a positive weight: the row is empty when it falls before lo_i.
  const lastPositive = new Int32Array(n);
  for (let i = 0, last = -1; i < n; i++) {
    if ((w ? w[i] : 1) > 0) last = i;
    lastPositive[i] = last;
  }
  const emptyRow = (i: number) => lastPositive[i] < lo(i);
  const emptyRows: number[] = [];
  if (firstPositive < 0) for (let i = 0; i < n; i++) emptyRows.push(i);
  else if (causal) for (let i = 0; i < n; i++) if (emptyRow(i)) emptyRows.push(i);

  if (!causal && allOne) return { bias: null, biasRows: 1, emptyRows };
  // Every key has weight 0: every row is empty, the rows are zeroed anyway, so no bias at all.
  if (firstPositive < 0) return { bias: null, biasRows: 1, emptyRows };
  const logw = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const wj = w ? w[j] : 1;
    logw[j] = wj > 0 ? Math.log(wj) : MASKED;
  }
  if (!causal) return { bias: logw, biasRows: 1, emptyRows };
  const bias = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const r = i * n;
    // An empty row (all its keys weigh 0) keeps a zero bias: it is zeroed after the softmax.
    if (emptyRow(i)) continue;
    bias.fill(MASKED, r, r + lo(i));
    bias.set(logw.subarray(lo(i), i + 1), r + lo(i));
    bias.fill(MASKED, r + i + 1, r + n);
  }
  return { bias, biasRows: n, emptyRows };
}

/**
 * The last plans made, by their arguments: toggling the mask back and forth (the most common edit)
 * reuses a causal plan's n×n bias instead of filling a new one (at n = 1,024, 4 MB of fresh memory,
 * see floatPool.ts). Four, because the app computes a small probe input after each edit; plans with
 * a bias above 16 MB are not kept. Plans are never changed after they are made.
 */
const recentPlans: { n: number; causal: boolean; window: number | null; weights: Float64Array | null; plan: MaskPlan }[] = [];
const RECENT_PLANS = 4;
const KEPT_BIAS = 1 << 22;

function cachedMaskPlan(n: number, causal: boolean, keyWeights: Floats | null, window: number | null): MaskPlan {
  const same = (w: Float64Array | null) => (w === null ? keyWeights === null : keyWeights !== null && w.length === keyWeights.length && w.every((x, j) => x === keyWeights[j]));
  const hit = recentPlans.find((p) => p.n === n && p.causal === causal && p.window === window && same(p.weights));
  if (hit) return hit.plan;
  const plan = maskPlan(n, causal, keyWeights, window);
  if ((plan.bias?.length ?? 0) > KEPT_BIAS) return plan;
  recentPlans.unshift({ n, causal, window, weights: keyWeights && Float64Array.from(keyWeights), plan });
  recentPlans.length = Math.min(recentPlans.length, RECENT_PLANS);
  return plan;
}

/**
 * How the graph is laid out. 'per-head': plain 2-D products per head (XNNPACK on wasm). 'batched':
 * one product per projection for all heads, h×n×n batched products, 8 read-backs instead of 6h + 2.
 * Measured in Node (wasm and cpu, n = 16…256): per-head is as fast or faster at every size, because
 * batched products take tfjs-wasm's naive loop while per-op overhead is only ~10 µs. 'auto' therefore
 * uses per-head on wasm and cpu, and batched on webgl, where every read-back is a GPU round trip and
 * batched products are single shaders (not measurable in Node; see docs/performance.md).
 */
export type Strategy = 'auto' | 'per-head' | 'batched';

export interface ComputeOptions {
  /** Graph layout; 'auto' (default) picks by backend. Both give the same numbers. */
  strategy?: Strategy;
  /**
   * Resident weight tensors by Matrix object, kept across calls by the caller (a model's W^Q, W^K, W^V,
   * W^O): used instead of uploading, added when missing, never disposed here (the per-head layout only).
   */
  weights?: Map<Matrix, tf.Tensor>;
  /**
   * 'attention': read back only each head's A and the output (per-head layout): Q, K, V, scores and Z come
   * back empty (0 × 0). A model's layers that no view shows in detail need no more, and at n = 1,024 the
   * scores alone are another 4 MB a head. Default 'all'.
   */
  read?: 'all' | 'attention';
  /**
   * Arrays to read the matrices into instead of new ones (see floatPool.ts): the result then owns
   * them. Default none.
   */
  reuse?: FloatSource;
}

const EMPTY: Matrix = { rows: 0, cols: 0, data: new Float32Array(0) };

interface Dims {
  n: number;
  d: number;
  h: number;
  dk: number;
  dv: number;
  scale: number;
  plan: MaskPlan;
}

function chooseStrategy(s: Strategy | undefined, backend: string, input: AttentionInput): 'per-head' | 'batched' {
  if (hasExtras(input)) return 'per-head';
  if (s === 'per-head' || s === 'batched') return s;
  return backend === 'webgl' ? 'batched' : 'per-head';
}

/** The mask tensors of a plan (inside a tidy). */
function maskTensors(g: Dims): { bias: tf.Tensor | null; rowMask: tf.Tensor | null } {
  const bias = g.plan.bias ? tf.tensor2d(g.plan.bias, [g.plan.biasRows, g.n]) : null;
  let rowMask: tf.Tensor | null = null;
  if (g.plan.emptyRows.length > 0) {
    const keep = new Float32Array(g.n).fill(1);
    for (const i of g.plan.emptyRows) keep[i] = 0;
    rowMask = tf.tensor2d(keep, [g.n, 1]);
  }
  return { bias, rowMask };
}

/** softmax(S + bias), rows without an admissible key zeroed. */
function attend(S: tf.Tensor, bias: tf.Tensor | null, rowMask: tf.Tensor | null): tf.Tensor {
  const soft = tf.softmax(bias ? tf.add(S, bias) : S);
  return rowMask ? tf.mul(soft, rowMask) : soft;
}

/** Whether the input uses the optional extras (biases, rotary, ablation), which only the per-head layout implements. */
function hasExtras(input: AttentionInput): boolean {
  return !!(input.bo || input.rotary || input.ablate?.some((a) => a) || input.heads.some((hd) => hd.bq || hd.bk || hd.bv));
}

/** Tensors of one per-head graph output: 6 per head, 8 with rotary (Q and K before the rotation at the end). */
function perHeadCount(input: AttentionInput): number {
  return input.rotary ? 8 : 6;
}

/**
 * Rotary embedding as plain 2-D products and element-wise ops (no slicing): rot(T) = T⊙C + (T·P)⊙S, where
 * P (d_k×d_k, entries 0/±1, so T·P is exact) is rotate-half and C, S hold cos and sin of p·θ_t per row
 * (1 and 0 on the dimensions that are not rotated). Row p is at position offset + p. Angles are computed in float64.
 */
function rotaryTensors(n: number, dk: number, r: RotaryConfig, offset: number): (t: tf.Tensor) => tf.Tensor {
  const half = r.dims / 2;
  const cos = new Float32Array(n * dk).fill(1);
  const sin = new Float32Array(n * dk);
  for (let t = 0; t < half; t++) {
    for (let p = 0; p < n; p++) {
      const angle = rotaryAngle(r, t, offset + p);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * dk + t] = c;
      cos[p * dk + t + half] = c;
      sin[p * dk + t] = s;
      sin[p * dk + t + half] = s;
    }
  }
  const perm = new Float32Array(dk * dk);
  for (let t = 0; t < half; t++) {
    perm[(t + half) * dk + t] = -1; // out[t] = −x[t + half]
    perm[t * dk + t + half] = 1; // out[t + half] = x[t]
  }
  const C = tf.tensor2d(cos, [n, dk]);
  const S = tf.tensor2d(sin, [n, dk]);
  const P = tf.tensor2d(perm, [dk, dk]);
  return (t) => tf.add(tf.mul(t, C), tf.mul(tf.matMul(t, P), S));
}

/** Per head: Q, K, V, scores, A, Z (and Qpre, Kpre with rotary), then Z (n×h·d_v) and out. */
function perHeadGraph(input: AttentionInput, g: Dims, resident?: Map<Matrix, tf.Tensor>): tf.Tensor[] {
  const { n, d, h, dk, scale } = g;
  const X = tf.tensor2d(f32(input.X.data), [n, d]);
  const { bias, rowMask } = maskTensors(g);
  // Heads that share a key/value head (grouped-query attention) share the Matrix objects: upload once.
  const uploaded = resident ?? new Map<Matrix, tf.Tensor>();
  const weight = (m: Matrix) => {
    let t = uploaded.get(m);
    if (!t) {
      t = tf.tensor2d(f32(m.data), [m.rows, m.cols]);
      uploaded.set(m, resident ? tf.keep(t) : t);
    }
    return t;
  };
  const project = (W: Matrix, b: Floats | null | undefined) => {
    const p = tf.matMul(X, weight(W));
    return b ? tf.add(p, tf.tensor1d(f32(b))) : p;
  };
  const rotate = input.rotary ? rotaryTensors(n, dk, input.rotary, input.positionOffset ?? 0) : null;
  const list: tf.Tensor[] = [];
  const Zs: tf.Tensor[] = [];
  input.heads.forEach((head, k) => {
    const Qpre = project(head.Wq, head.bq);
    const Kpre = project(head.Wk, head.bk);
    const V = project(head.Wv, head.bv);
    const Q = rotate ? rotate(Qpre) : Qpre;
    const K = rotate ? rotate(Kpre) : Kpre;
    // scale·Q·Kᵀ as Q·(scale·Kᵀ): the scale touches n·d_k numbers instead of n², and Kᵀ is
    // materialised so that the product is a plain one (XNNPACK) rather than transposeB (naive loop).
    const KTs = scale === 1 ? tf.transpose(K) : tf.mul(tf.transpose(K), scale);
    const S = tf.matMul(Q, KTs);
    const A = attend(S, bias, rowMask);
    const Z = tf.matMul(A, V);
    list.push(Q, K, V, S, A, Z);
    if (rotate) list.push(Qpre, Kpre);
    const ablation = input.ablate?.[k];
    Zs.push(ablation === 'zero' ? tf.zerosLike(Z) : ablation === 'mean' ? tf.tile(tf.mean(Z, 0, true), [n, 1]) : Z);
  });
  const Zc = h > 1 ? tf.concat(Zs, 1) : tf.clone(Zs[0]);
  list.push(Zc);
  if (input.Wo) {
    const out = tf.matMul(Zc, weight(input.Wo));
    list.push(input.bo ? tf.add(out, tf.tensor1d(f32(input.bo))) : out);
  }
  return list;
}

/** The weights of every head side by side: d×(h·cols), head k in columns k·cols…(k+1)·cols−1. */
function sideBySide(ms: Matrix[]): Float32Array {
  const d = ms[0].rows;
  const c = ms[0].cols;
  const w = c * ms.length;
  const out = new Float32Array(d * w);
  ms.forEach((m, k) => {
    for (let i = 0; i < d; i++) for (let t = 0; t < c; t++) out[i * w + k * c + t] = m.data[i * c + t];
  });
  return out;
}

/** All heads at once: Q, K, V (h×n×d_k), scores, A (h×n×n), Z per head (h×n×d_v), Z (n×h·d_v), out. */
function batchedGraph(input: AttentionInput, g: Dims): tf.Tensor[] {
  const { n, d, h, dk, dv, scale } = g;
  const X = tf.tensor2d(f32(input.X.data), [n, d]);
  const { bias, rowMask } = maskTensors(g);
  const project = (ms: Matrix[], c: number) =>
    tf.transpose(tf.reshape(tf.matMul(X, tf.tensor2d(sideBySide(ms), [d, h * c])), [n, h, c]), [1, 0, 2]);
  const Q = project(input.heads.map((x) => x.Wq), dk);
  const K = project(input.heads.map((x) => x.Wk), dk);
  const V = project(input.heads.map((x) => x.Wv), dv);
  const S = tf.matMul(Q, scale === 1 ? K : tf.mul(K, scale), false, true);
  const A = attend(S, bias, rowMask);
  const Zh = tf.matMul(A, V);
  const Z = tf.reshape(tf.transpose(Zh, [1, 0, 2]), [n, h * dv]);
  const list = [Q, K, V, S, A, Zh, Z];
  if (input.Wo) list.push(tf.matMul(Z, tf.tensor2d(f32(input.Wo.data), [input.Wo.rows, input.Wo.cols])));
  return list;
}

/**
 * float32 can overflow where the inputs are finite (|x| ≤ 3.4e38 each, but a product of two 1e20s
 * is not): such a result is an error naming the first matrix that went non-finite, never NaNs shown
 * or printed as numbers. Scanning every number read back costs more than the attention itself at
 * n = 1,024, so only the n×d-sized matrices are scanned, the n×n ones are proven finite without
 * reading them (`scoresBounded`, and A from its scores), and only when that fails are they scanned
 * to name the first bad element.
 */
function checkFinite(heads: HeadResult[], Z: Matrix, out: Matrix | null): void {
  const names = ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const;
  heads.forEach((hr, k) => {
    for (const name of names) {
      const at = firstNonFinite(hr[name].data);
      if (at >= 0) throw nonFiniteError(`heads[${k}].${name}`, hr[name], at);
    }
  });
  let at = firstNonFinite(Z.data);
  if (at >= 0) throw nonFiniteError('Z', Z, at);
  if (out) {
    at = firstNonFinite(out.data);
    if (at >= 0) throw nonFiniteError('out', out, at);
  }
}

function firstNonFinite(a: Floats): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** Half of float32's largest number: room for the rounding of a float32 dot product of any length the limits allow. */
const SAFE = FLOAT32_MAX / 2;

/**
 * Whether every score s_ij = q_i · (c·k_j) of a head is finite, proven from its finite Q and K alone
 * (n×d_k numbers, not n×n): by Cauchy–Schwarz every partial sum of the dot product is at most
 * ‖q_i‖·c·‖k_j‖ in size, so no score overflows when c·max|k| and c·max‖q‖·max‖k‖ stay below SAFE.
 * False means "not proven" (huge numbers): the scores are then scanned.
 */
function scoresBounded(Q: Floats, K: Floats, dk: number, scale: number): boolean {
  const maxNorm2 = (m: Floats) => {
    let max = 0;
    for (let r = 0; r < m.length; r += dk) {
      let s = 0;
      for (let t = r; t < r + dk; t++) s += m[t] * m[t];
      if (!(s <= max)) max = s;
    }
    return max;
  };
  let maxAbsK = 0;
  for (let i = 0; i < K.length; i++) maxAbsK = Math.max(maxAbsK, Math.abs(K[i]));
  const c = Math.abs(scale);
  return c * maxAbsK <= SAFE && c * Math.sqrt(maxNorm2(Q)) * Math.sqrt(maxNorm2(K)) <= SAFE;
}

/** One boolean scalar: whether every number of every tensor is finite (inside a tidy). */
function allFinite(ts: tf.Tensor[]): tf.Tensor {
  return tf.all(tf.stack(ts.map((t) => tf.all(tf.isFinite(t)))));
}

/**
 * Reads back the tensors `wanted` accepts (the others come back empty), into arrays from `reuse`
 * where it has them, and whether those `inGraph` accepts are all finite, checked by the backend
 * (true when it accepts none); disposes every tensor.
 */
async function readAll(
  ts: tf.Tensor[],
  wanted: (k: number) => boolean,
  inGraph: (k: number) => boolean,
  reuse?: FloatSource,
): Promise<{ arrays: Float32Array[]; finite: boolean }> {
  let flag: tf.Tensor | null = null;
  try {
    const checked = ts.filter((_, k) => wanted(k) && inGraph(k));
    flag = checked.length > 0 ? tf.tidy(() => allFinite(checked)) : null;
    const arrays = await Promise.all(ts.map((t, k) => (wanted(k) ? readFloats(t, reuse?.take(t.size)) : new Float32Array(0))));
    return { arrays, finite: flag === null || (await flag.data())[0] !== 0 };
  } finally {
    flag?.dispose();
    for (const t of ts) t.dispose();
  }
}

/**
 * Computes every intermediate of (multi-head) attention on the current tfjs backend (initialising
 * wasm lazily if none is set) and reads them back as Float32Array matrices. All tensors are disposed.
 */
export async function computeAttention(input: AttentionInput, options: ComputeOptions = {}): Promise<AttentionResult> {
  checkInput(input);
  const backend = await ensureBackend();
  const n = input.X.rows;
  const h = input.heads.length;
  const dk = input.heads[0].Wq.cols;
  const dv = input.heads[0].Wv.cols;
  const g: Dims = { n, d: input.X.cols, h, dk, dv, scale: input.scale ?? 1 / Math.sqrt(dk), plan: cachedMaskPlan(n, input.causal, input.keyWeights, input.window ?? null) };
  const strategy = chooseStrategy(options.strategy, backend, input);

  const outputs = tf.tidy(() => (strategy === 'per-head' ? perHeadGraph(input, g, options.weights) : batchedGraph(input, g)));
  const per = perHeadCount(input);
  // Per head: Q, K, V, S, A, Z (, Qpre, Kpre); then the concatenated Z and the output.
  const onlyA = strategy === 'per-head' && options.read === 'attention';
  const isA = strategy === 'per-head' ? (k: number) => k < per * h && k % per === 4 : (k: number) => k === 4;
  const wanted = onlyA ? (k: number) => k >= per * h + 1 || isA(k) : () => true;
  // Only A and the output read back: the backend tells whether they are finite (Q and K, which would
  // prove it more cheaply, are not read). Otherwise everything is checked once it is read, below.
  const { arrays, finite: readFinite } = await readAll(outputs, wanted, onlyA ? wanted : () => false, options.reuse);

  const m = (data: Float32Array, rows: number, cols: number): Matrix => ({ rows, cols, data });
  const heads: HeadResult[] = [];
  let Z: Matrix;
  let out: Matrix | null;
  if (onlyA) {
    for (let hh = 0; hh < h; hh++) heads.push({ Q: EMPTY, K: EMPTY, V: EMPTY, scores: EMPTY, A: m(arrays[hh * per + 4], n, n), Z: EMPTY });
    Z = EMPTY;
    out = input.Wo ? m(arrays[per * h + 1], n, input.Wo.cols) : null;
  } else if (strategy === 'per-head') {
    for (let hh = 0; hh < h; hh++) {
      const [Q, K, V, S, A, Zh, Qpre, Kpre] = arrays.slice(hh * per, hh * per + per);
      const head: HeadResult = { Q: m(Q, n, dk), K: m(K, n, dk), V: m(V, n, dv), scores: m(S, n, n), A: m(A, n, n), Z: m(Zh, n, dv) };
      if (Qpre) Object.assign(head, { Qpre: m(Qpre, n, dk), Kpre: m(Kpre, n, dk) });
      heads.push(head);
    }
    Z = m(arrays[per * h], n, h * dv);
    out = input.Wo ? m(arrays[per * h + 1], n, input.Wo.cols) : null;
  } else {
    // Each head's block of a batched tensor is contiguous; copy it out so every matrix owns its buffer.
    const [Q, K, V, S, A, Zh] = arrays;
    const part = (a: Float32Array, hh: number, rows: number, cols: number) => m(a.slice(hh * rows * cols, (hh + 1) * rows * cols), rows, cols);
    for (let hh = 0; hh < h; hh++) {
      heads.push({ Q: part(Q, hh, n, dk), K: part(K, hh, n, dk), V: part(V, hh, n, dv), scores: part(S, hh, n, n), A: part(A, hh, n, n), Z: part(Zh, hh, n, dv) });
    }
    Z = m(arrays[6], n, h * dv);
    out = input.Wo ? m(arrays[7], n, input.Wo.cols) : null;
  }
  // A = softmax of finite logits is finite: every row keeps an admissible key with a finite bias (rows
  // without one are zeroed), so where the scores are finite, A needs no check of its own.
  const scan = (ms: (Matrix | null | undefined)[]) => ms.every((x) => !x || firstNonFinite(x.data) < 0);
  const finite = onlyA
    ? readFinite
    : scan([Z, out]) && heads.every((hr) => scan([hr.Q, hr.K, hr.V, hr.Z, hr.Qpre, hr.Kpre]) && (scoresBounded(hr.Q.data, hr.K.data, dk, g.scale) || scan([hr.scores])));
  if (!finite) checkFinite(heads, Z, out);
  return {
    heads,
    Z,
    out,
    scale: g.scale,
    warnings: g.plan.emptyRows.length > 0 ? [emptyRowsWarning(g.plan.emptyRows)] : [],
    backend,
  };
}
