// The forward pass of a Net. Attention: every layer through computeAttention (the same function as the
// seeded mode and the views), on X = norm₁(residual) for pre-LN decoders or the residual itself for
// post-LN encoders; causal for decoders, bidirectional for encoders, padding as key weights of 0.
// Everything else stays on the backend as tfjs ops over resident weights (embedding gather, norms, MLP
// products, unembedding): only X goes out to the engine and the attention output comes back, so a
// GPT-2-small-sized model runs at matrix-product speed.
// Every tensor is disposed: tf.memory().numTensors is the same before and after a forward pass.
import { computeAttention } from '../attention.ts';
import { ensureBackend, tf } from '../backend.ts';
import { ModelError } from '../model/modelError.ts';
import { geluErf, gelu, layerNorm, rmsNorm, silu } from '../model/tensorOps.ts';
import type { AttentionInput, AttentionResult, HeadAblation, Matrix } from '../types.ts';
import type { Block, ForwardOptions, ForwardResult, HeadTransform, LayerTrace, Mlp, Net, Norm, StoredTable } from './types.ts';

function applyNorm(x: tf.Tensor2D, norm: Norm): tf.Tensor2D {
  return norm.kind === 'rmsnorm' ? rmsNorm(x, norm.gain, norm.eps) : layerNorm(x, norm.gain, norm.bias, norm.eps);
}

function linear(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  const y = tf.matMul(x, W) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/** W·xᵀ + b as a column: (out×in)·(in×n) → out×n. */
function linearT(W: tf.Tensor2D, xT: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  const y = tf.matMul(W, xT) as tf.Tensor2D;
  return b ? (tf.add(y, tf.reshape(b, [-1, 1])) as tf.Tensor2D) : y;
}

function activate(x: tf.Tensor, kind: HeadTransform['activation']): tf.Tensor {
  if (kind === 'relu') return tf.relu(x);
  return kind === 'gelu' ? geluErf(x) : gelu(x);
}

/** The MLP of n×d rows, computed on the transposed rows (see Mlp for why). */
function applyMlp(x: tf.Tensor2D, mlp: Mlp): tf.Tensor2D {
  const xT = tf.transpose(x) as tf.Tensor2D;
  const up = linearT(mlp.up, xT, mlp.upBias);
  const h = mlp.kind === 'swiglu' ? tf.mul(silu(linearT(mlp.gate!, xT, mlp.gateBias)), up) : activate(up, mlp.kind);
  return tf.transpose(linearT(mlp.down, h as tf.Tensor2D, mlp.downBias)) as tf.Tensor2D;
}

/**
 * rows×d of the residual → rows×V logits: the final norm (decoders) or the masked-LM head's transform
 * (encoders: norm(act(dense·x + b))), then the unembedding.
 */
function toLogits(net: Net, rows: tf.Tensor2D): tf.Tensor2D {
  let x = net.normF ? applyNorm(rows, net.normF) : rows;
  const t = net.headTransform;
  if (t) x = applyNorm(tf.transpose(activate(linearT(t.dense, tf.transpose(x) as tf.Tensor2D, t.bias), t.activation)) as tf.Tensor2D, t.norm);
  const { table, vocabRows } = net.unembed!;
  if (isStored(table)) return tf.transpose(storedProduct(table, tf.transpose(x) as tf.Tensor2D)) as tf.Tensor2D;
  if (!vocabRows) return linear(x, table, net.unembedBias);
  const p = tf.matMul(table, tf.transpose(x)); // V×rows
  const logits = (x.shape[0] === 1 ? tf.reshape(p, [1, -1]) : tf.transpose(p)) as tf.Tensor2D;
  return net.unembedBias ? (tf.add(logits, net.unembedBias) as tf.Tensor2D) : logits;
}

function isStored(t: tf.Tensor2D | StoredTable): t is StoredTable {
  return (t as StoredTable).kind === 'stored';
}

/**
 * table·xᵀ (V×rows) for a table kept in the file's precision, chunkRows of its rows at a time: the wasm
 * heap never holds more of it. (Stored tables have no bias: Llama's lm_head has none.)
 */
function storedProduct(table: StoredTable, xT: tf.Tensor2D): tf.Tensor2D {
  const step = table.chunkRows;
  const parts: tf.Tensor[] = [];
  // One conversion buffer for every block (a 1B model's unembedding is 16 blocks of 64 MB): each is copied
  // into the backend by tensor2d and used by matMul before the next block overwrites it.
  const into = new Float32Array(Math.min(step, table.rows) * table.cols);
  for (let start = 0; start < table.rows; start += step) {
    const count = Math.min(step, table.rows - start);
    parts.push(tf.tidy(() => tf.matMul(tf.tensor2d(table.read(start, count, into).subarray(0, count * table.cols), [count, table.cols]), xT)));
  }
  const out = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  if (parts.length > 1) for (const p of parts) p.dispose();
  return out as tf.Tensor2D;
}

/** The number of layers (a streamed net's blocks are not held). */
function layerCount(net: Net): number {
  return net.stream ? net.info.layers : net.blocks.length;
}

/**
 * Runs `f` on layer l's block: the resident one, or a streamed one built for it and freed after, together
 * with the attention weights computeAttention uploaded for it (`weights`).
 */
async function withBlock<T>(net: Net, l: number, f: (block: Block, weights: Map<Matrix, tf.Tensor>) => Promise<T>): Promise<T> {
  if (!net.stream) return f(net.blocks[l], net.attentionWeights);
  const { block, release } = net.stream.open(l);
  const weights = new Map<Matrix, tf.Tensor>();
  try {
    return await f(block, weights);
  } finally {
    for (const t of weights.values()) t.dispose();
    release();
  }
}

/** Checks a per-token list given with the ids (types, attentionMask): length n, each a whole number in 0…limit−1. */
function checkPerToken(field: string, values: ArrayLike<number>, n: number, limit: number, what: string): void {
  if (values.length !== n) throw new ModelError(field, `expected one entry per token (${n}), got ${values.length}`);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) throw new ModelError(`${field}[${i}]`, `${v} is not ${what}`);
  }
}

/**
 * Checks the ids (read from position `positionOffset`, and token types and attention mask) against the model;
 * errors name the source of the vocabulary.
 */
export function checkIds(net: Net, ids: ArrayLike<number>, options: Pick<ForwardOptions, 'types' | 'attentionMask' | 'positionOffset'> = {}): void {
  const { vocab, context, typeVocab } = net.info;
  const offset = options.positionOffset ?? 0;
  if (ids.length === 0) throw new ModelError('ids', 'expected at least one token, got none');
  if (!(Number.isSafeInteger(offset) && offset >= 0)) throw new ModelError('positionOffset', `expected a whole number ≥ 0, got ${offset}`);
  if (offset + ids.length > context) {
    const at = offset > 0 ? ` from position ${offset}` : '';
    throw new ModelError('ids', `${ids.length} tokens${at} exceed the model's context of ${context}: shorten the text`);
  }
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i];
    if (!Number.isInteger(t) || t < 0 || t >= vocab) {
      throw new ModelError(`ids[${i}]`, `${t} is outside the vocabulary: expected a token id 0…${vocab - 1} (${net.vocabSource} = ${vocab})`);
    }
  }
  if (options.types) {
    const what = typeVocab > 0 ? `a token type of this model: expected 0…${typeVocab - 1} (${net.typeSource ?? 'type_vocab_size'} = ${typeVocab})` : 'a token type of this model: it has no token type embeddings (only 0)';
    checkPerToken('types', options.types, ids.length, Math.max(1, typeVocab), what);
  }
  if (options.attentionMask) {
    checkPerToken('attentionMask', options.attentionMask, ids.length, 2, 'an attention mask entry: expected 1 (a token) or 0 (padding)');
    if (!Array.prototype.some.call(options.attentionMask, (m: number) => m === 1)) throw new ModelError('attentionMask', 'every token is padding: expected at least one 1');
  }
}

/** Per block, the ablation list of the engine input (null when nothing in that block is ablated). */
function ablationPlan(net: Net, options: ForwardOptions): ((HeadAblation | null)[] | null)[] {
  const L = layerCount(net);
  const plan: ((HeadAblation | null)[] | null)[] = Array.from({ length: L }, () => null);
  for (const { layer, head } of options.ablate?.heads ?? []) {
    if (!(Number.isInteger(layer) && layer >= 0 && layer < L) || head < 0 || head >= net.info.heads || !Number.isInteger(head)) {
      throw new ModelError('ablate', `head ${layer}.${head} does not exist (layers 0…${net.info.layers - 1}, heads 0…${net.info.heads - 1})`);
    }
    plan[layer] ??= Array.from({ length: net.info.heads }, () => null);
    plan[layer]![head] = options.ablate!.mode;
  }
  return plan;
}

/** The position id of every token: offset…offset+n−1, or RoBERTa's (see Net.paddingIdx), moved on by `offset`. */
export function positionIds(net: Pick<Net, 'paddingIdx'>, ids: ArrayLike<number>, offset = 0): Int32Array {
  const out = new Int32Array(ids.length);
  const pad = net.paddingIdx ?? null;
  for (let i = 0, seen = 0; i < ids.length; i++) {
    if (pad === null) out[i] = offset + i;
    else out[i] = ids[i] === pad ? pad : pad + offset + ++seen;
  }
  return out;
}

function embed(net: Net, ids: ArrayLike<number>, types: ArrayLike<number> | undefined, offset: number): tf.Tensor2D {
  const table = net.embedding;
  return tf.tidy(() => {
    let x = isStored(table) ? tf.tensor2d(storedRows(table, ids), [ids.length, table.cols]) : (tf.gather(table, tf.tensor1d(Int32Array.from(ids), 'int32'), 0) as tf.Tensor2D);
    if (net.positions) x = tf.add(x, tf.gather(net.positions, tf.tensor1d(positionIds(net, ids, offset), 'int32'), 0));
    if (net.tokenTypes) x = tf.add(x, tf.gather(net.tokenTypes, tf.tensor1d(types ? Int32Array.from(types) : new Int32Array(ids.length), 'int32'), 0));
    return net.embedNorm ? applyNorm(x, net.embedNorm) : x;
  });
}

/** Rows `ids` of a stored table (n×cols), each converted once however often it repeats. */
function storedRows(table: StoredTable, ids: ArrayLike<number>): Float32Array {
  const out = new Float32Array(ids.length * table.cols);
  const seen = new Map<number, Float32Array>();
  for (let i = 0; i < ids.length; i++) {
    let row = seen.get(ids[i]);
    if (!row) seen.set(ids[i], (row = table.read(ids[i], 1)));
    out.set(row, i * table.cols);
  }
  return out;
}

/** Key weights of an attention mask (0 removes a padded key exactly), or null when nothing is padded. */
function keyWeightsOf(mask: ArrayLike<number> | undefined): Float32Array | null {
  if (!mask || Array.prototype.every.call(mask, (m: number) => m === 1)) return null;
  return Float32Array.from(mask);
}

/**
 * A layer's attention input: X = norm₁(residual) (pre-LN) or the residual (post-LN), the layer's weights, the
 * model's mask (local with a window), ablated as planned, rotated from position `offset`.
 */
function attentionInput(net: Net, block: Block, x: tf.Tensor2D, ablate: (HeadAblation | null)[] | null, X: Float32Array, keyWeights: Float32Array | null, offset: number): AttentionInput {
  const [n, d] = x.shape;
  return {
    X: { rows: n, cols: d, data: X },
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
  };
}

/** What the attention of a block reads: norm₁(x) before a pre-LN block, x itself in a post-LN one. */
async function attentionRows(net: Net, x: tf.Tensor2D, block: Block): Promise<Float32Array> {
  if (net.info.blockNorm === 'post') return (await x.data()) as Float32Array;
  const normed = tf.tidy(() => applyNorm(x, block.norm1));
  const X = (await normed.data()) as Float32Array;
  normed.dispose();
  return X;
}

/** One block: attention through the engine, then the MLP; returns the new residual (the old one is disposed). */
async function runBlock(net: Net, l: number, x: tf.Tensor2D, ablate: (HeadAblation | null)[] | null, keyWeights: Float32Array | null, keepAll: boolean, maps: ForwardOptions['maps'], offset: number): Promise<{ x: tf.Tensor2D; trace: LayerTrace }> {
  const [n, d] = x.shape;
  return withBlock(net, l, async (block, weights) => {
    const input = attentionInput(net, block, x, ablate, await attentionRows(net, x, block), keyWeights, offset);
    const result = await computeAttention(input, { weights, read: keepAll ? 'all' : 'attention' });
    const next = tf.tidy(() => {
      const attn = tf.tensor2d(result.out!.data as Float32Array, [n, d]);
      if (net.info.blockNorm === 'post') {
        const a = applyNorm(tf.add(x, attn) as tf.Tensor2D, block.norm1);
        return applyNorm(tf.add(a, applyMlp(a, block.mlp)) as tf.Tensor2D, block.norm2);
      }
      const a = tf.add(x, attn) as tf.Tensor2D;
      return tf.add(a, applyMlp(applyNorm(net.parallelResidual ? x : a, block.norm2), block.mlp)) as tf.Tensor2D;
    });
    x.dispose();
    const A = result.heads.map((h) => h.A);
    const attention = maps ? maps(l, A) : A;
    return { x: next, trace: keepAll ? { attention, input, result } : { attention } };
  });
}

/**
 * Layer `layer`'s attention alone, from the residual entering it (`residuals[layer]` of a forward pass
 * on the same ids, with the same attention mask and positionOffset): exactly what that pass gave computeAttention and got
 * back, without running the model again — how a page opens another layer of a long input in full.
 */
export async function layerAttention(net: Net, layer: number, residual: Float32Array, ablate?: ForwardOptions['ablate'], attentionMask?: ArrayLike<number>, positionOffset = 0): Promise<{ input: AttentionInput; result: AttentionResult }> {
  const L = layerCount(net);
  if (!Number.isInteger(layer) || layer < 0 || layer >= L) throw new ModelError('layer', `expected a layer 0…${L - 1}, got ${layer}`);
  const d = net.info.dModel;
  if (residual.length === 0 || residual.length % d !== 0) throw new ModelError('residual', `expected n×${d} numbers, got ${residual.length}`);
  const n = residual.length / d;
  if (attentionMask) checkPerToken('attentionMask', attentionMask, n, 2, 'an attention mask entry: expected 1 (a token) or 0 (padding)');
  await ensureBackend();
  const plan = ablationPlan(net, ablate ? { ablate } : {});
  const x = tf.tensor2d(residual, [n, d]);
  try {
    return await withBlock(net, layer, async (block, weights) => {
      const input = attentionInput(net, block, x, plan[layer], await attentionRows(net, x, block), keyWeightsOf(attentionMask), positionOffset);
      return { input, result: await computeAttention(input, { weights }) };
    });
  } finally {
    x.dispose();
  }
}

/** Checks a position option (at, lens.position) against n. */
function checkPosition(field: string, p: number, n: number): void {
  if (!(Number.isInteger(p) && p >= 0 && p < n)) throw new ModelError(field, `expected a position 0…${n - 1}, got ${p}`);
}

export async function forwardNet(net: Net, ids: ArrayLike<number>, options: ForwardOptions = {}): Promise<ForwardResult> {
  checkIds(net, ids, options);
  const offset = options.positionOffset ?? 0;
  const plan = ablationPlan(net, options);
  await ensureBackend();
  const n = ids.length;
  const L = layerCount(net);
  const at = options.at ?? n - 1;
  checkPosition('at', at, n);
  const headless = net.unembed === null;
  if (headless && options.lens) throw new ModelError('lens', `${net.info.name} has no language-model head: there is nothing to read the layers through`);
  const lensPosition = options.lens ? (typeof options.lens === 'object' ? options.lens.position : at) : -1;
  if (options.lens) checkPosition('lens.position', lensPosition, n);
  const keyWeights = keyWeightsOf(options.attentionMask);
  const lensRows: tf.Tensor2D[] = [];
  const layers: LayerTrace[] = [];
  const residuals: Float32Array[] = [];
  const from = options.from ?? null;
  if (from) {
    if (!Number.isInteger(from.layer) || from.layer < 0 || from.layer >= L) throw new ModelError('from.layer', `expected a layer 0…${L - 1}, got ${from.layer}`);
    if (from.residual.length !== n * net.info.dModel) throw new ModelError('from.residual', `expected ${n}×${net.info.dModel} numbers, got ${from.residual.length}`);
    if (options.lens) throw new ModelError('from', 'the logit lens needs every layer: start from the embedding');
  }
  let x = from ? tf.tensor2d(from.residual, [n, net.info.dModel]) : embed(net, ids, options.types, offset);
  try {
    for (let l = 0; l < L; l++) {
      // Layers before `from` are not run again: their residual is given (a head sweep ablates later layers only).
      if (from && l < from.layer) {
        layers.push({ attention: [] });
        continue;
      }
      if (options.residuals) residuals.push((await x.data()) as Float32Array);
      const keep = options.keep ?? 'all';
      const step = await runBlock(net, l, x, plan[l], keyWeights, keep === 'all' || (typeof keep === 'object' && keep.layer === l), options.maps, offset);
      x = step.x;
      layers.push(step.trace);
      if (options.lens && l < L - 1) lensRows.push(tf.slice(x, [lensPosition, 0], [1, net.info.dModel]));
    }
    const res: ForwardResult = { n, vocab: net.info.vocab, layers, logits: null, logitsPosition: at };
    if (options.residuals) res.residuals = residuals;
    if (headless) return res;
    // One final norm (or head) + unembedding for the logits and the lens rows together; the last layer's
    // lens row is then read from the logits themselves, so the two are equal exactly.
    const finalRows = options.allLogits ? x : tf.slice(x, [at, 0], [1, net.info.dModel]);
    const logitsT = tf.tidy(() => toLogits(net, (lensRows.length > 0 ? tf.concat([...lensRows, finalRows], 0) : finalRows) as tf.Tensor2D));
    if (finalRows !== x) finalRows.dispose();
    const all = (await logitsT.data()) as Float32Array;
    logitsT.dispose();
    const V = net.info.vocab;
    const logits = all.slice(lensRows.length * V);
    res.logits = logits;
    if (options.lens) {
      const lens: Float32Array[] = lensRows.map((_, l) => all.slice(l * V, (l + 1) * V));
      const row = options.allLogits ? lensPosition : 0;
      if (!options.allLogits && lensPosition !== at) {
        // The lens position is not the logits' one: its final-layer row is not among the logits; compute it.
        const t = tf.tidy(() => toLogits(net, tf.slice(x, [lensPosition, 0], [1, net.info.dModel])));
        lens.push((await t.data()) as Float32Array);
        t.dispose();
      } else {
        lens.push(logits.slice(row * V, (row + 1) * V));
      }
      res.lens = lens;
      res.lensPosition = lensPosition;
    }
    return res;
  } finally {
    x.dispose();
    for (const t of lensRows) t.dispose();
  }
}
