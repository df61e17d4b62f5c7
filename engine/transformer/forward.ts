// The forward pass of a Net. Attention: every layer through computeAttention (the same function as the
// seeded mode and the views), on X = norm₁(residual). Everything else stays on the backend as tfjs ops
// over resident weights (embedding gather, norms, MLP products, unembedding): only X goes out to the
// engine and the attention output comes back, so a GPT-2-small-sized model runs at matrix-product speed.
// Every tensor is disposed: tf.memory().numTensors is the same before and after a forward pass.
import { computeAttention } from '../attention.ts';
import { ensureBackend, tf } from '../backend.ts';
import { ModelError } from '../model/load.ts';
import { geluErf, gelu, layerNorm, rmsNorm, silu } from '../model/tensorOps.ts';
import type { AttentionInput, AttentionResult, HeadAblation } from '../types.ts';
import type { Block, ForwardOptions, ForwardResult, LayerTrace, Mlp, Net, Norm } from './types.ts';

function applyNorm(x: tf.Tensor2D, norm: Norm): tf.Tensor2D {
  return norm.kind === 'rmsnorm' ? rmsNorm(x, norm.gain, norm.eps) : layerNorm(x, norm.gain, norm.bias, norm.eps);
}

function linear(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  const y = tf.matMul(x, W) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/** rows×d → rows×V logits. */
function unembed(net: Net, rows: tf.Tensor2D): tf.Tensor2D {
  const { table, vocabRows } = net.unembed;
  if (!vocabRows) return linear(rows, table, net.unembedBias);
  const t = tf.matMul(table, tf.transpose(rows)); // V×rows
  const logits = (rows.shape[0] === 1 ? tf.reshape(t, [1, -1]) : tf.transpose(t)) as tf.Tensor2D;
  return net.unembedBias ? (tf.add(logits, net.unembedBias) as tf.Tensor2D) : logits;
}

/** W·xᵀ + b as a column: (out×in)·(in×n) → out×n. */
function linearT(W: tf.Tensor2D, xT: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  const y = tf.matMul(W, xT) as tf.Tensor2D;
  return b ? (tf.add(y, tf.reshape(b, [-1, 1])) as tf.Tensor2D) : y;
}

/** The MLP of n×d rows, computed on the transposed rows (see Mlp for why). */
function applyMlp(x: tf.Tensor2D, mlp: Mlp): tf.Tensor2D {
  const xT = tf.transpose(x) as tf.Tensor2D;
  const up = linearT(mlp.up, xT, mlp.upBias);
  let h: tf.Tensor;
  if (mlp.kind === 'swiglu') h = tf.mul(silu(linearT(mlp.gate!, xT, mlp.gateBias)), up);
  else if (mlp.kind === 'relu') h = tf.relu(up);
  else if (mlp.kind === 'gelu') h = geluErf(up);
  else h = gelu(up);
  return tf.transpose(linearT(mlp.down, h as tf.Tensor2D, mlp.downBias)) as tf.Tensor2D;
}

/** Checks the ids (read from position `offset`) against the vocabulary and context; errors name the source of the vocabulary. */
export function checkIds(net: Net, ids: ArrayLike<number>, offset = 0): void {
  const { vocab, context } = net.info;
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
}

/** Per block, the ablation list of the engine input (null when nothing in that block is ablated). */
function ablationPlan(net: Net, options: ForwardOptions): ((HeadAblation | null)[] | null)[] {
  const plan: ((HeadAblation | null)[] | null)[] = net.blocks.map(() => null);
  for (const { layer, head } of options.ablate?.heads ?? []) {
    if (!net.blocks[layer] || head < 0 || head >= net.info.heads || !Number.isInteger(head)) {
      throw new ModelError('ablate', `head ${layer}.${head} does not exist (layers 0…${net.info.layers - 1}, heads 0…${net.info.heads - 1})`);
    }
    plan[layer] ??= net.blocks[layer].heads.map(() => null);
    plan[layer]![head] = options.ablate!.mode;
  }
  return plan;
}

function embed(net: Net, ids: ArrayLike<number>, offset: number): tf.Tensor2D {
  return tf.tidy(() => {
    const idx = tf.tensor1d(Int32Array.from(ids), 'int32');
    const x = tf.gather(net.embedding, idx, 0);
    if (!net.positions) return x as tf.Tensor2D;
    return tf.add(x, tf.slice(net.positions, [offset, 0], [ids.length, net.info.dModel])) as tf.Tensor2D;
  });
}

/** A layer's attention input: X = norm₁(residual), with the layer's weights, causal (local with a window), ablated as planned, rotated from position `offset`. */
function attentionInput(net: Net, block: Block, x: tf.Tensor2D, ablate: (HeadAblation | null)[] | null, X: Float32Array, offset: number): AttentionInput {
  const [n, d] = x.shape;
  return {
    X: { rows: n, cols: d, data: X },
    heads: block.heads,
    Wo: block.Wo,
    bo: block.bo,
    scale: net.scale,
    causal: true,
    window: block.window ?? null,
    keyWeights: null,
    rotary: net.rotary,
    positionOffset: offset,
    ablate,
  };
}

async function normedRows(x: tf.Tensor2D, norm: Norm): Promise<Float32Array> {
  const normed = tf.tidy(() => applyNorm(x, norm));
  const X = (await normed.data()) as Float32Array;
  normed.dispose();
  return X;
}

/** One block: attention through the engine, then the MLP; returns the new residual (the old one is disposed). */
async function runBlock(net: Net, l: number, x: tf.Tensor2D, ablate: (HeadAblation | null)[] | null, keepAll: boolean, maps: ForwardOptions['maps'], offset: number): Promise<{ x: tf.Tensor2D; trace: LayerTrace }> {
  const [n, d] = x.shape;
  const block = net.blocks[l];
  const input = attentionInput(net, block, x, ablate, await normedRows(x, block.norm1), offset);
  const result = await computeAttention(input, { weights: net.attentionWeights, read: keepAll ? 'all' : 'attention' });
  const next = tf.tidy(() => {
    const a = tf.add(x, tf.tensor2d(result.out!.data as Float32Array, [n, d])) as tf.Tensor2D;
    return tf.add(a, applyMlp(applyNorm(net.parallelResidual ? x : a, block.norm2), block.mlp)) as tf.Tensor2D;
  });
  x.dispose();
  const A = result.heads.map((h) => h.A);
  const attention = maps ? maps(l, A) : A;
  return { x: next, trace: keepAll ? { attention, input, result } : { attention } };
}

/**
 * Layer `layer`'s attention alone, from the residual entering it (`residuals[layer]` of a forward pass
 * on the same ids): exactly what that pass gave computeAttention and got back, without running the model
 * again — how a page opens another layer of a long input in full.
 */
export async function layerAttention(net: Net, layer: number, residual: Float32Array, ablate?: ForwardOptions['ablate'], positionOffset = 0): Promise<{ input: AttentionInput; result: AttentionResult }> {
  if (!Number.isInteger(layer) || layer < 0 || layer >= net.blocks.length) throw new ModelError('layer', `expected a layer 0…${net.blocks.length - 1}, got ${layer}`);
  const d = net.info.dModel;
  if (residual.length === 0 || residual.length % d !== 0) throw new ModelError('residual', `expected n×${d} numbers, got ${residual.length}`);
  await ensureBackend();
  const plan = ablationPlan(net, ablate ? { ablate } : {});
  const x = tf.tensor2d(residual, [residual.length / d, d]);
  try {
    const input = attentionInput(net, net.blocks[layer], x, plan[layer], await normedRows(x, net.blocks[layer].norm1), positionOffset);
    return { input, result: await computeAttention(input, { weights: net.attentionWeights }) };
  } finally {
    x.dispose();
  }
}

export async function forwardNet(net: Net, ids: ArrayLike<number>, options: ForwardOptions = {}): Promise<ForwardResult> {
  const offset = options.positionOffset ?? 0;
  checkIds(net, ids, offset);
  const plan = ablationPlan(net, options);
  await ensureBackend();
  const n = ids.length;
  const L = net.blocks.length;
  const lensPosition = options.lens ? (typeof options.lens === 'object' ? options.lens.position : n - 1) : -1;
  if (options.lens && !(Number.isInteger(lensPosition) && lensPosition >= 0 && lensPosition < n)) {
    throw new ModelError('lens.position', `expected a position 0…${n - 1}, got ${lensPosition}`);
  }
  const lensRows: tf.Tensor2D[] = [];
  const layers: LayerTrace[] = [];
  const residuals: Float32Array[] = [];
  const from = options.from ?? null;
  if (from) {
    if (!Number.isInteger(from.layer) || from.layer < 0 || from.layer >= L) throw new ModelError('from.layer', `expected a layer 0…${L - 1}, got ${from.layer}`);
    if (from.residual.length !== n * net.info.dModel) throw new ModelError('from.residual', `expected ${n}×${net.info.dModel} numbers, got ${from.residual.length}`);
    if (options.lens) throw new ModelError('from', 'the logit lens needs every layer: start from the embedding');
  }
  let x = from ? tf.tensor2d(from.residual, [n, net.info.dModel]) : embed(net, ids, offset);
  try {
    for (let l = 0; l < L; l++) {
      // Layers before `from` are not run again: their residual is given (a head sweep ablates later layers only).
      if (from && l < from.layer) {
        layers.push({ attention: [] });
        continue;
      }
      if (options.residuals) residuals.push((await x.data()) as Float32Array);
      const keep = options.keep ?? 'all';
      const step = await runBlock(net, l, x, plan[l], keep === 'all' || (typeof keep === 'object' && keep.layer === l), options.maps, offset);
      x = step.x;
      layers.push(step.trace);
      if (options.lens && l < L - 1) lensRows.push(tf.slice(x, [lensPosition, 0], [1, net.info.dModel]));
    }
    // One final norm + unembedding for the logits and the lens rows together; the last layer's lens row
    // is then read from the logits themselves, so the two are equal exactly.
    const finalRows = options.allLogits ? x : tf.slice(x, [n - 1, 0], [1, net.info.dModel]);
    const logitsT = tf.tidy(() => {
      const rows = lensRows.length > 0 ? tf.concat([...lensRows, finalRows], 0) : finalRows;
      return unembed(net, applyNorm(rows as tf.Tensor2D, net.normF));
    });
    if (finalRows !== x) finalRows.dispose();
    const all = (await logitsT.data()) as Float32Array;
    logitsT.dispose();
    const V = net.info.vocab;
    const first = lensRows.length * V;
    const logits = all.slice(first);
    const res: ForwardResult = { n, vocab: V, layers, logits };
    if (options.residuals) res.residuals = residuals;
    if (options.lens) {
      const lens: Float32Array[] = lensRows.map((_, l) => all.slice(l * V, (l + 1) * V));
      const row = options.allLogits ? lensPosition : 0;
      if (!options.allLogits && lensPosition !== n - 1) {
        // The lens position is not the last one: its final-layer row is not among the logits; compute it.
        const t = tf.tidy(() => unembed(net, applyNorm(tf.slice(x, [lensPosition, 0], [1, net.info.dModel]), net.normF)));
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
