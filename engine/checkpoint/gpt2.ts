// GPT-2 (model_type "gpt2"): learned positions, LayerNorm, GELU (tanh form as gelu_new), Conv1D weights
// stored (in, out), the fused c_attn (d×3d: all heads' Q, then K, then V) split into per-head W^Q, W^K, W^V
// and biases, c_proj as W^O with its bias, embeddings tied to the unembedding. Names may carry a
// "transformer." prefix (the weight store strips it); attn.bias / attn.masked_bias buffers are ignored.
import type { HeadWeights } from '../types.ts';
import type { Gpt2Config } from './config.ts';
import { columns, type Resident } from './resident.ts';
import { expectedTensor, fromConfig, type ExpectedTensor } from './plan.ts';
import type { Block, ModelInfo, Net } from '../transformer/types.ts';

/** Every tensor buildGpt2 reads, in its order (the pre-allocation check, plan.ts). */
export function gpt2Tensors(cfg: Gpt2Config, configFile: string): ExpectedTensor[] {
  const { dModel: d, vocab: V, context, dMlp: m } = cfg;
  const t = expectedTensor(configFile);
  const norm = (p: string) => [t(`${p}.weight`, [d], 'n_embd'), t(`${p}.bias`, [d], 'n_embd')];
  const out = [t('wte.weight', [V, d], 'vocab_size × n_embd'), t('wpe.weight', [context, d], 'n_positions × n_embd')];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `h.${l}`;
    out.push(
      ...norm(`${p}.ln_1`),
      t(`${p}.attn.c_attn.weight`, [d, 3 * d], 'n_embd × 3·n_embd'),
      t(`${p}.attn.c_attn.bias`, [3 * d], '3·n_embd'),
      t(`${p}.attn.c_proj.weight`, [d, d], 'n_embd × n_embd'),
      t(`${p}.attn.c_proj.bias`, [d], 'n_embd'),
      ...norm(`${p}.ln_2`),
      t(`${p}.mlp.c_fc.weight`, [d, m], 'n_embd × n_inner'),
      t(`${p}.mlp.c_fc.bias`, [m], 'n_inner'),
      t(`${p}.mlp.c_proj.weight`, [m, d], 'n_inner × n_embd'),
      t(`${p}.mlp.c_proj.bias`, [d], 'n_embd'),
    );
  }
  out.push(...norm('ln_f'));
  return out;
}

export function buildGpt2(cfg: Gpt2Config, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net {
  const { dModel: d, heads: h, vocab: V, context, dMlp: m, eps } = cfg;
  const dh = d / h;
  const why = fromConfig(configFile);
  const norm = (p: string) => r.layerNorm(p, d, why('n_embd'), eps);
  // Tied embeddings: one resident V×d table serves the lookup and the unembedding.
  const wte = r.matrix('wte.weight', V, d, why('vocab_size × n_embd'));
  const positions = r.matrix('wpe.weight', context, d, why('n_positions × n_embd'));
  const blocks: Block[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `h.${l}`;
    const norm1 = norm(`${p}.ln_1`);
    const cAttn = r.numbers(`${p}.attn.c_attn.weight`, [d, 3 * d], why('n_embd × 3·n_embd'));
    const cAttnB = r.numbers(`${p}.attn.c_attn.bias`, [3 * d], why('3·n_embd'));
    const heads: HeadWeights[] = Array.from({ length: h }, (_, k) => ({
      Wq: columns(cAttn, d, 3 * d, k * dh, dh),
      Wk: columns(cAttn, d, 3 * d, d + k * dh, dh),
      Wv: columns(cAttn, d, 3 * d, 2 * d + k * dh, dh),
      bq: cAttnB.slice(k * dh, (k + 1) * dh),
      bk: cAttnB.slice(d + k * dh, d + (k + 1) * dh),
      bv: cAttnB.slice(2 * d + k * dh, 2 * d + (k + 1) * dh),
    }));
    const Wo = { rows: d, cols: d, data: r.numbers(`${p}.attn.c_proj.weight`, [d, d], why('n_embd × n_embd')).slice() };
    const bo = r.numbers(`${p}.attn.c_proj.bias`, [d], why('n_embd')).slice();
    blocks.push({
      norm1,
      heads,
      Wo,
      bo,
      norm2: norm(`${p}.ln_2`),
      mlp: {
        kind: cfg.activation,
        up: r.transposed(`${p}.mlp.c_fc.weight`, d, m, why('n_embd × n_inner')),
        upBias: r.vector(`${p}.mlp.c_fc.bias`, m, why('n_inner')),
        gate: null,
        gateBias: null,
        down: r.transposed(`${p}.mlp.c_proj.weight`, m, d, why('n_inner × n_embd')),
        downBias: r.vector(`${p}.mlp.c_proj.bias`, d, why('n_embd')),
      },
    });
  }
  const normF = norm('ln_f');
  return {
    info: {
      type: 'gpt2',
      name: info.name,
      layers: cfg.layers,
      heads: h,
      kvHeads: h,
      kvHeadOfHead: Array.from({ length: h }, (_, k) => k),
      dModel: d,
      dHead: dh,
      dMlp: m,
      vocab: V,
      context,
      norm: 'layernorm',
      positional: 'learned',
      mlp: cfg.activation,
      parameters: r.parameters,
      dtypes: info.dtypes,
    },
    embedding: wte,
    positions,
    rotary: null,
    scale: cfg.scaled ? null : 1,
    blocks,
    normF,
    unembed: { table: wte, vocabRows: true },
    unembedBias: null,
    attentionWeights: new Map(),
    vocabSource: `${configFile}: vocab_size`,
  };
}
