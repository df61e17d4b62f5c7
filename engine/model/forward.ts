// The forward pass of a loaded model for visualization. The attention of every layer is computed by
// the engine's computeAttention (the same code that serves the seeded heads), on an AttentionInput
// built from the LayerNorm'ed residual stream; embeddings, LayerNorms, residual additions, the MLP
// and the unembedding are plain TypeScript loops here (float64 accumulation, float32 storage).
import { computeAttention, type ComputeOptions } from '../attention.ts';
import type { AttentionInput, AttentionResult, Floats, Matrix } from '../types.ts';
import type { LoadedModel } from './load.ts';
import { ModelError } from './modelError.ts';

/** A LayerNorm's gain and (optional) shift. */
type NormWeights = { gain: Floats; bias: Floats | null };

export interface ModelLayerTrace {
  /** Exactly what the engine was given: X = LayerNorm₁(residual), the heads' W^Q, W^K, W^V, W^O, causal. */
  input: AttentionInput;
  result: AttentionResult;
}

export interface ModelForwardResult {
  layers: ModelLayerTrace[];
  /** n×vocabSize next-token logits, row-major (row i predicts token i + 1). Omitted with { logits: false }. */
  logits?: Float32Array;
  vocabSize: number;
  n: number;
}

export interface ModelForwardOptions extends ComputeOptions {
  /** Compute the unembedding (default true). */
  logits?: boolean;
}

/** Row-wise LayerNorm of an n×d array (into `out`: float32 by default, float64 for the reference forward pass). */
export function layerNorm(x: Floats, n: number, d: number, w: NormWeights, eps: number): Float32Array;
export function layerNorm<T extends Floats>(x: Floats, n: number, d: number, w: NormWeights, eps: number, out: T): T;
export function layerNorm(x: Floats, n: number, d: number, w: NormWeights, eps: number, out?: Floats): Floats {
  const o = out ?? new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = i * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[r + j];
    mean /= d;
    let v = 0;
    for (let j = 0; j < d; j++) {
      const c = x[r + j] - mean;
      v += c * c;
    }
    const inv = 1 / Math.sqrt(v / d + eps);
    for (let j = 0; j < d; j++) o[r + j] = (x[r + j] - mean) * inv * w.gain[j] + (w.bias ? w.bias[j] : 0);
  }
  return o;
}

/** (n×m) · (m×c) + bias (length c, optional), float64 accumulation per output row, into `out` (float32 by default). */
export function affine(x: Floats, n: number, W: Matrix, bias: Floats | null): Float32Array;
export function affine<T extends Floats>(x: Floats, n: number, W: Matrix, bias: Floats | null, out: T): T;
export function affine(x: Floats, n: number, W: Matrix, bias: Floats | null, out?: Floats): Floats {
  const m = W.rows;
  const c = W.cols;
  const o = out ?? new Float32Array(n * c);
  const acc = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    if (bias) for (let j = 0; j < c; j++) acc[j] = bias[j];
    else acc.fill(0);
    for (let k = 0; k < m; k++) {
      const a = x[i * m + k];
      if (a === 0) continue;
      const wk = k * c;
      for (let j = 0; j < c; j++) acc[j] += a * W.data[wk + j];
    }
    for (let j = 0; j < c; j++) o[i * c + j] = acc[j];
  }
  return o;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh approximation (as in training). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
}

function checkIds(model: LoadedModel, ids: ArrayLike<number>): void {
  const n = ids.length;
  if (n === 0) throw new ModelError('ids', 'expected at least one token, got none');
  if (n > model.arch.context) {
    throw new ModelError('ids', `${n} tokens exceed the model's context of ${model.arch.context}: shorten the text`);
  }
  for (let i = 0; i < n; i++) {
    const t = ids[i];
    if (!Number.isInteger(t) || t < 0 || t >= model.arch.vocabSize) {
      throw new ModelError(`ids[${i}]`, `expected a token id 0…${model.arch.vocabSize - 1}, got ${t}`);
    }
  }
}

/**
 * Runs the model on token ids (at most `context` of them). For every layer, the engine computes the
 * attention of all heads (Q, K, V, scores, A, Z, Z·W^O) on X = LayerNorm₁(residual); the model code
 * adds W^O's output to the residual stream and applies the MLP block. Returns each layer's engine
 * input and result, and the next-token logits.
 */
export async function modelForward(model: LoadedModel, ids: ArrayLike<number>, options: ModelForwardOptions = {}): Promise<ModelForwardResult> {
  checkIds(model, ids);
  const { arch } = model;
  const n = ids.length;
  const d = arch.dModel;
  const eps = arch.layerNormEps;

  // Residual stream: token embedding + learned position embedding.
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const t = ids[i] * d;
    const p = i * d;
    for (let j = 0; j < d; j++) x[p + j] = model.tokEmb.data[t + j] + model.posEmb.data[p + j];
  }

  const layers: ModelLayerTrace[] = [];
  for (const layer of model.layers) {
    const X: Matrix = { rows: n, cols: d, data: layerNorm(x, n, d, layer.ln1, eps) };
    const input: AttentionInput = { X, heads: layer.heads, Wo: layer.Wo, scale: null, causal: true, keyWeights: null };
    const result = await computeAttention(input, { strategy: options.strategy });
    const out = result.out!.data;
    for (let k = 0; k < n * d; k++) x[k] += out[k];

    const h = affine(layerNorm(x, n, d, layer.ln2, eps), n, layer.W1, layer.b1);
    if (arch.activation === 'relu') for (let k = 0; k < h.length; k++) h[k] = h[k] > 0 ? h[k] : 0;
    else for (let k = 0; k < h.length; k++) h[k] = gelu(h[k]);
    const m = affine(h, n, layer.W2, layer.b2);
    for (let k = 0; k < n * d; k++) x[k] += m[k];
    layers.push({ input, result });
  }

  const res: ModelForwardResult = { layers, vocabSize: arch.vocabSize, n };
  if (options.logits !== false) res.logits = affine(layerNorm(x, n, d, model.lnF, eps), n, model.unembedW, model.unembedB);
  return res;
}

/** log-softmax of one logits row, returning log p(target). */
export function logProb(logits: Float32Array, row: number, vocabSize: number, target: number): number {
  const r = row * vocabSize;
  let m = -Infinity;
  for (let j = 0; j < vocabSize; j++) m = Math.max(m, logits[r + j]);
  let s = 0;
  for (let j = 0; j < vocabSize; j++) s += Math.exp(logits[r + j] - m);
  return logits[r + target] - m - Math.log(s);
}

/**
 * Mean next-character cross-entropy (nats) of the model on text, computed with modelForward on
 * consecutive non-overlapping windows of context + 1 characters (each window predicts its last
 * `context` characters from the ones before them, within the window).
 */
export async function modelCrossEntropy(model: LoadedModel, ids: ArrayLike<number>): Promise<{ nats: number; predictions: number }> {
  const T = model.arch.context;
  let total = 0;
  let count = 0;
  for (let s = 0; s + 1 < ids.length; s += T) {
    const end = Math.min(s + T + 1, ids.length);
    const win = Array.from({ length: end - s }, (_, k) => ids[s + k]);
    const input = win.slice(0, -1);
    const { logits } = await modelForward(model, input);
    for (let i = 0; i < input.length; i++) {
      total -= logProb(logits!, i, model.arch.vocabSize, win[i + 1]);
      count++;
    }
  }
  return { nats: total / count, predictions: count };
}
