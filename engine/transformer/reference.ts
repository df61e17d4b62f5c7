// The float64 forward pass of a Net: plain loops and the engine's float64 referenceAttention, no tfjs
// arithmetic (the resident weights are only read back). The oracle of the tests (ablation, lens) and the
// "plain loops" baseline of the checkpoint benchmark; slow by design, meant for short inputs.
import { referenceAttention } from '../reference.ts';
import { affine, gelu, layerNorm } from '../model/forward.ts';
import type { Matrix } from '../types.ts';
import { checkIds, positionIds } from './forward.ts';
import type { ForwardOptions, Mlp, Net, Norm } from './types.ts';
import { tf } from '../backend.ts';

export interface ReferenceForward {
  /** A per layer and head (float64). */
  attention: Matrix[][];
  /** The logits at `at` (default the last position); null for a model without a head. */
  logits: Float64Array | null;
  /** With lens: per layer, the logits at the lens position (default `at`). */
  lens?: Float64Array[];
}

// Float64 copies of the resident weights, made once per tensor (so repeated runs time the arithmetic only).
const copies = new WeakMap<tf.Tensor, Float64Array>();
function read(t: tf.Tensor): Float64Array {
  let c = copies.get(t);
  if (!c) copies.set(t, (c = Float64Array.from(t.dataSync())));
  return c;
}
const mat = (t: tf.Tensor2D): Matrix => ({ rows: t.shape[0], cols: t.shape[1], data: read(t) });

function norm(x: Float64Array, n: number, d: number, w: Norm): Float64Array {
  const gain = read(w.gain);
  if (w.kind === 'layernorm') return layerNorm(x, n, d, { gain, bias: w.bias ? read(w.bias) : null }, w.eps, new Float64Array(n * d));
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let ms = 0;
    for (let j = 0; j < d; j++) ms += x[i * d + j] ** 2;
    const inv = 1 / Math.sqrt(ms / d + w.eps);
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] * inv * gain[j];
  }
  return out;
}

const transposedCopies = new WeakMap<tf.Tensor, Matrix>();

function transposed(m: Matrix): Matrix {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}


/** x·Wᵀ + b for a weight stored (out, in), as the MLP's are. */
function linearT(x: Float64Array, n: number, W: tf.Tensor2D, b: tf.Tensor1D | null): Float64Array {
  let t = transposedCopies.get(W);
  if (!t) transposedCopies.set(W, (t = transposed(mat(W))));
  return affine(x, n, t, b ? read(b) : null, new Float64Array(n * t.cols));
}

/** The activations of MLPs and MLM heads, in place. */
function activate(a: Float64Array, kind: 'gelu' | 'gelu-tanh' | 'relu'): Float64Array {
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    a[k] = kind === 'relu' ? Math.max(0, v) : kind === 'gelu-tanh' ? gelu(v) : 0.5 * v * (1 + erf(v / Math.SQRT2));
  }
  return a;
}

function mlp(x: Float64Array, n: number, w: Mlp): Float64Array {
  const up = linearT(x, n, w.up, w.upBias);
  if (w.kind === 'swiglu') {
    const g = linearT(x, n, w.gate!, w.gateBias);
    for (let k = 0; k < up.length; k++) up[k] *= g[k] / (1 + Math.exp(-g[k]));
  } else {
    activate(up, w.kind);
  }
  return linearT(up, n, w.down, w.downBias);
}

/** erf to ~1e-7 (Abramowitz–Stegun 7.1.26), for the exact-GELU models only. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

export function referenceForward(net: Net, ids: ArrayLike<number>, options: Pick<ForwardOptions, 'ablate' | 'lens' | 'at' | 'types' | 'attentionMask' | 'positionOffset'> = {}): ReferenceForward {
  const offset = options.positionOffset ?? 0;
  checkIds(net, ids, options);
  const n = ids.length;
  const d = net.info.dModel;
  const V = net.info.vocab;
  const at = options.at ?? n - 1;
  const lensAt = typeof options.lens === 'object' ? options.lens.position : at;
  // The oracle reads resident weights: a streamed net (a big checkpoint) is compared with its resident load instead.
  if (net.stream || !(net.embedding instanceof tf.Tensor) || (net.unembed && !(net.unembed.table instanceof tf.Tensor))) {
    throw new Error(`referenceForward: ${net.info.name} is streamed; load it with its weights resident`);
  }
  const table = read(net.embedding);
  const pos = net.positions ? read(net.positions) : null;
  const posIds = positionIds(net, ids, offset);
  const types = net.tokenTypes ? read(net.tokenTypes) : null;
  let x: Float64Array = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const t = options.types ? options.types[i] : 0;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = table[ids[i] * d + j] + (pos ? pos[posIds[i] * d + j] : 0) + (types ? types[t * d + j] : 0);
    }
  }
  if (net.embedNorm) x = norm(x, n, d, net.embedNorm);
  const keyWeights = options.attentionMask ? Float64Array.from(options.attentionMask) : null;
  const post = net.info.blockNorm === 'post';
  const attention: Matrix[][] = [];
  const lensRows: Float64Array[] = [];
  net.blocks.forEach((block, l) => {
    const ablate = block.heads.map((_, k) => (options.ablate?.heads.some((r) => r.layer === l && r.head === k) ? options.ablate.mode : null));
    const res = referenceAttention({
      X: { rows: n, cols: d, data: post ? x : norm(x, n, d, block.norm1) },
      heads: block.heads,
      Wo: block.Wo,
      bo: block.bo,
      scale: net.scale,
      causal: net.info.causal,
      window: block.window ?? null,
      keyWeights,
      rotary: net.rotary,
      positionOffset: offset,
      ablate,
    });
    attention.push(res.heads.map((h) => h.A));
    if (post) {
      // BERT's post-LN block: x = norm₁(x + attn(x)); x = norm₂(x + mlp(x)).
      for (let k = 0; k < n * d; k++) x[k] += res.out!.data[k];
      x = norm(x, n, d, block.norm1);
      const m = mlp(x, n, block.mlp);
      for (let k = 0; k < n * d; k++) x[k] += m[k];
      x = norm(x, n, d, block.norm2);
    } else {
      const parallelIn = net.parallelResidual ? norm(x, n, d, block.norm2) : null; // the MLP sees the block's input
      for (let k = 0; k < n * d; k++) x[k] += res.out!.data[k];
      const m = mlp(parallelIn ?? norm(x, n, d, block.norm2), n, block.mlp);
      for (let k = 0; k < n * d; k++) x[k] += m[k];
    }
    lensRows.push(x.slice(lensAt * d, (lensAt + 1) * d));
  });
  if (!net.unembed) return { attention, logits: null };
  const un = net.unembed.table as tf.Tensor2D;
  let W = net.unembed.vocabRows ? transposedCopies.get(un) : mat(un);
  if (!W) transposedCopies.set(un, (W = transposed(mat(un))));
  const Wu = W;
  const bias = net.unembedBias ? read(net.unembedBias) : null;
  const head = net.headTransform ?? null;
  const unembed = (row: Float64Array) => {
    let h = net.normF ? norm(row, 1, d, net.normF) : row;
    if (head) h = norm(activate(linearT(h, 1, head.dense, head.bias), head.activation), 1, d, head.norm);
    return affine(h, 1, Wu, bias, new Float64Array(V));
  };
  const logits = unembed(x.slice(at * d, (at + 1) * d));
  return { attention, logits, ...(options.lens ? { lens: lensRows.map(unembed) } : {}) };
}
