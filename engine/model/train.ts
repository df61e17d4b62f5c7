// The training-side forward pass of the character transformer, in TensorFlow.js ops (batched, with
// gradients). It is the definition the weights are trained under; engine/model/forward.ts recomputes
// the same function for visualization (attention through the engine), and a test checks that both
// give the same logits.
import * as tf from '@tensorflow/tfjs';
import { gelu, layerNorm } from './tensorOps.ts';
import { sizeOf, tensorSpecs, type ModelArchitecture } from './format.ts';
import { gaussians } from '../seeded.ts';

export type Params = Record<string, tf.Tensor>;

/**
 * Deterministic initial weights (seeded Gaussians from engine/seeded.ts, so they do not depend on
 * tfjs' random generators): embeddings N(0, 0.1²); W^Q, W^K, W^V, W1 and the unembedding
 * N(0, 1/fan_in); the residual-branch outputs W^O and W2 N(0, 1/(fan_in·2·nLayers)); LayerNorm gains 1;
 * biases 0.
 */
export function initWeights(arch: ModelArchitecture, seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const s of tensorSpecs(arch)) {
    const n = sizeOf(s.shape);
    const key = `init\u0000${seed}\u0000${s.name}`;
    const leaf = s.name.slice(s.name.lastIndexOf('.') + 1);
    let data: Float32Array;
    if (s.name === 'tok_emb' || s.name === 'pos_emb') data = gaussians(key, n, 0.1);
    else if (leaf === 'gain') data = new Float32Array(n).fill(1);
    else if (s.shape.length === 1) data = new Float32Array(n);
    else {
      const fanIn = s.shape[0];
      const residual = leaf === 'Wo' || leaf === 'W2';
      data = gaussians(key, n, Math.sqrt(1 / fanIn / (residual ? 2 * arch.nLayers : 1)));
    }
    out.set(s.name, data);
  }
  return out;
}

/** tf tensors of a weight map (shapes from the architecture). */
export function toTensors(arch: ModelArchitecture, weights: Map<string, Float32Array>): Params {
  const p: Params = {};
  for (const s of tensorSpecs(arch)) p[s.name] = tf.tensor(weights.get(s.name)!, s.shape, 'float32');
  return p;
}

/**
 * a·b for 2-D a, b whose gradient uses explicitly transposed operands: tfjs-backend-wasm only sends
 * plain (untransposed, batch-1) products to XNNPACK's GEMM, and tf.matMul's own gradient uses
 * transposeA/transposeB products, which take its naive loop. Same values, faster backward on wasm.
 */
const plainGradMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1] as tf.Tensor2D)),
      tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
    ],
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

export interface ForwardOptions {
  /** Use plainGradMatMul for the 2-D products (default true; false uses tf.matMul's own gradient). */
  plainGrad?: boolean;
}

function activation(x: tf.Tensor, arch: ModelArchitecture): tf.Tensor {
  return arch.activation === 'relu' ? tf.relu(x) : gelu(x);
}

/**
 * One-hot rows as float32. Built as int32 and cast: tfjs-backend-wasm 4.22's OneHot kernel ignores a
 * float32 dtype (the result is all zeros), which would silently blank the embeddings and the loss.
 */
function floatOneHot(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

/** Additive causal mask T×T: 0 on and below the diagonal, −1e9 above. */
function causalBias(T: number): tf.Tensor2D {
  const b = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) b[i * T + j] = -1e9;
  return tf.tensor2d(b, [T, T]);
}

/**
 * Next-token logits, (B·T)×vocabSize, for int32 ids of shape B×T (T ≤ context). Row b·T + i predicts
 * the token after ids[b][i] from ids[b][0…i].
 */
export function forwardLogits(p: Params, ids: tf.Tensor2D, arch: ModelArchitecture, opts: ForwardOptions = {}): tf.Tensor2D {
  const mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = opts.plainGrad === false ? (a, b) => tf.matMul(a, b) : plainGradMatMul;
  const [B, T] = ids.shape;
  const { dModel: d, nHeads: H, dHead: dh, vocabSize: V, layerNormEps: eps } = arch;
  const N = B * T;
  const oneHot = floatOneHot(tf.reshape(ids, [N]) as tf.Tensor1D, V);
  const pos = tf.slice(p.pos_emb, [0, 0], [T, d]);
  let x = tf.reshape(tf.add(tf.reshape(mm(oneHot, p.tok_emb as tf.Tensor2D), [B, T, d]), pos), [N, d]) as tf.Tensor2D;
  const mask = causalBias(T);
  const scale = 1 / Math.sqrt(dh);
  const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, T, H, dh]), [0, 2, 1, 3]); // B×H×T×dh
  for (let l = 0; l < arch.nLayers; l++) {
    const w = (name: string) => p[`layers.${l}.${name}`];
    const h = layerNorm(x, w('ln1.gain'), w('ln1.bias'), eps);
    const q = heads(mm(h, w('attn.Wq') as tf.Tensor2D));
    const k = heads(mm(h, w('attn.Wk') as tf.Tensor2D));
    const v = heads(mm(h, w('attn.Wv') as tf.Tensor2D));
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), mask);
    const a = tf.softmax(scores);
    const z = tf.reshape(tf.transpose(tf.matMul(a, v), [0, 2, 1, 3]), [N, H * dh]) as tf.Tensor2D;
    x = tf.add(x, mm(z, w('attn.Wo') as tf.Tensor2D));
    const h2 = layerNorm(x, w('ln2.gain'), w('ln2.bias'), eps);
    const m1 = activation(tf.add(mm(h2, w('mlp.W1') as tf.Tensor2D), w('mlp.b1')), arch) as tf.Tensor2D;
    x = tf.add(x, tf.add(mm(m1, w('mlp.W2') as tf.Tensor2D), w('mlp.b2')));
  }
  const hf = layerNorm(x, p['ln_f.gain'], p['ln_f.bias'], eps);
  return tf.add(mm(hf, p['unembed.W'] as tf.Tensor2D), p['unembed.b']) as tf.Tensor2D;
}

/** Per-position negative log-likelihood (nats), length B·T, for int32 targets of shape B×T. */
export function tokenNll(logits: tf.Tensor2D, targets: tf.Tensor2D, vocabSize: number): tf.Tensor1D {
  const n = targets.shape[0] * targets.shape[1];
  const oh = floatOneHot(tf.reshape(targets, [n]) as tf.Tensor1D, vocabSize);
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oh), 1)) as tf.Tensor1D;
}

/** Weighted mean NLL: Σ w·nll / Σ w (weights B×T, 0 for positions that must not be learned). */
export function weightedLoss(p: Params, ids: tf.Tensor2D, targets: tf.Tensor2D, weights: tf.Tensor2D, arch: ModelArchitecture, opts?: ForwardOptions): tf.Scalar {
  const nll = tokenNll(forwardLogits(p, ids, arch, opts), targets, arch.vocabSize);
  const w = tf.reshape(weights, [-1]);
  return tf.div(tf.sum(tf.mul(nll, w)), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
}
