// The attention forward pass on TensorFlow.js (wasm by default; cpu or webgl when selected).
//
// Speed notes (measured on the wasm backend, see docs/performance.md): tfjs-backend-wasm only sends
// a matrix product to XNNPACK's fast GEMM when it is a plain 2-D product (batch 1, no transposed
// operand); batched or transposed products fall back to a naive blocked loop that is >10× slower
// (e.g. 12 heads of Q·Kᵀ at n = 512: 18 ms as plain products vs 242 ms with transposeB). Column
// slices of a wide tensor are also costly there. So the graph is built from plain 2-D products per
// head: Q, K, V straight from X·W (no slicing), Kᵀ materialised once per head (n×d_k, cheap), and the
// masks and key weights folded into one additive bias before a single fused softmax kernel.
import type { AttentionInput, AttentionResult, Floats, HeadResult, Matrix } from './types.ts';
import { ensureBackend, tf } from './backend.ts';
import { checkInput } from './validate.ts';
import { emptyRowsWarning } from './warnings.ts';

/** Added to the logit of an inadmissible key: exp(s − 1e30 − m) is exactly 0 in float32. */
const MASKED = -1e30;

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

/** Which keys each query may attend to, as data the graph consumes (depends on causal and w only). */
export function maskPlan(n: number, causal: boolean, keyWeights: Floats | null): MaskPlan {
  const w = keyWeights;
  let firstPositive = -1;
  let allOne = true;
  for (let j = 0; j < n; j++) {
    const wj = w ? w[j] : 1;
    if (wj > 0 && firstPositive < 0) firstPositive = j;
    if (wj !== 1) allOne = false;
  }
  const emptyRows: number[] = [];
  if (firstPositive < 0) for (let i = 0; i < n; i++) emptyRows.push(i);
  else if (causal) for (let i = 0; i < firstPositive; i++) emptyRows.push(i);

  if (!causal && allOne) return { bias: null, biasRows: 1, emptyRows };
  const logw = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const wj = w ? w[j] : 1;
    logw[j] = wj > 0 ? Math.log(wj) : MASKED;
  }
  if (!causal) return { bias: logw, biasRows: 1, emptyRows };
  const bias = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const r = i * n;
    bias.set(logw.subarray(0, i + 1), r);
    bias.fill(MASKED, r + i + 1, r + n);
  }
  return { bias, biasRows: n, emptyRows };
}

/**
 * Computes every intermediate of (multi-head) attention on the current tfjs backend (initialising
 * wasm lazily if none is set) and reads them back as Float32Array matrices. All tensors are disposed.
 */
export async function computeAttention(input: AttentionInput): Promise<AttentionResult> {
  checkInput(input);
  const backend = await ensureBackend();
  const n = input.X.rows;
  const d = input.X.cols;
  const h = input.heads.length;
  const dk = input.heads[0].Wq.cols;
  const dv = input.heads[0].Wv.cols;
  const scale = input.scale ?? 1 / Math.sqrt(dk);
  const plan = maskPlan(n, input.causal, input.keyWeights);

  const outputs = tf.tidy(() => {
    const X = tf.tensor2d(f32(input.X.data), [n, d]);
    const bias = plan.bias ? tf.tensor2d(plan.bias, [plan.biasRows, n]) : null;
    let rowMask: tf.Tensor2D | null = null;
    if (plan.emptyRows.length > 0) {
      const keep = new Float32Array(n).fill(1);
      for (const i of plan.emptyRows) keep[i] = 0;
      rowMask = tf.tensor2d(keep, [n, 1]);
    }
    const list: tf.Tensor[] = [];
    const Zs: tf.Tensor[] = [];
    for (const head of input.heads) {
      const Q = tf.matMul(X, tf.tensor2d(f32(head.Wq.data), [d, dk]));
      const K = tf.matMul(X, tf.tensor2d(f32(head.Wk.data), [d, dk]));
      const V = tf.matMul(X, tf.tensor2d(f32(head.Wv.data), [d, dv]));
      // scale·Q·Kᵀ as Q·(scale·Kᵀ): the scale touches n·d_k numbers instead of n².
      const KTs = scale === 1 ? tf.transpose(K) : tf.mul(tf.transpose(K), scale);
      const S = tf.matMul(Q, KTs);
      const logits = bias ? tf.add(S, bias) : S;
      const soft = tf.softmax(logits);
      const A = rowMask ? tf.mul(soft, rowMask) : soft;
      const Z = tf.matMul(A, V);
      list.push(Q, K, V, S, A, Z);
      Zs.push(Z);
    }
    const Zc = h > 1 ? tf.concat(Zs, 1) : tf.clone(Zs[0]);
    list.push(Zc);
    if (input.Wo) list.push(tf.matMul(Zc, tf.tensor2d(f32(input.Wo.data), [input.Wo.rows, input.Wo.cols])));
    return list;
  });

  let arrays: Float32Array[];
  try {
    arrays = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
  } finally {
    for (const t of outputs) t.dispose();
  }

  const m = (k: number, rows: number, cols: number): Matrix => ({ rows, cols, data: arrays[k] });
  const heads: HeadResult[] = [];
  for (let hh = 0; hh < h; hh++) {
    const b = hh * 6;
    heads.push({
      Q: m(b, n, dk),
      K: m(b + 1, n, dk),
      V: m(b + 2, n, dv),
      scores: m(b + 3, n, n),
      A: m(b + 4, n, n),
      Z: m(b + 5, n, dv),
    });
  }
  return {
    heads,
    Z: m(6 * h, n, h * dv),
    out: input.Wo ? m(6 * h + 1, n, input.Wo.cols) : null,
    scale,
    warnings: plan.emptyRows.length > 0 ? [emptyRowsWarning(plan.emptyRows)] : [],
    backend,
  };
}
