// GPT-Neo (model_type "gpt_neo": EleutherAI's gpt-neo, TinyStories-1M/33M): GPT-2's block (learned
// positions, LayerNorm, sequential residual, gelu_new) with separate q/k/v projections without biases,
// out_proj with a bias, Linear weights stored (out, in), embeddings tied to the unembedding, and two
// differences in the attention itself: scores are not scaled by 1/√d_head, and "local" layers see only the
// last window_size tokens. Names carry "transformer." (the weight store strips it); the attn.attention.bias /
// masked_bias buffers of older exports are ignored.
import type { HeadWeights } from '../types.ts';
import type { NeoConfig } from './config.ts';
import { rowsTransposed, type Resident } from './resident.ts';
import { expectedTensor, fromConfig, type ExpectedTensor } from './plan.ts';
import type { Block, ModelInfo, Net } from '../transformer/types.ts';

/** Every tensor buildGptNeo reads, in its order (the pre-allocation check, plan.ts). */
export function gptNeoTensors(cfg: NeoConfig, configFile: string): ExpectedTensor[] {
  const { dModel: d, vocab: V, context, dMlp: m } = cfg;
  const t = expectedTensor(configFile);
  const norm = (p: string) => [t(`${p}.weight`, [d], 'hidden_size'), t(`${p}.bias`, [d], 'hidden_size')];
  const out = [t('wte.weight', [V, d], 'vocab_size × hidden_size'), t('wpe.weight', [context, d], 'max_position_embeddings × hidden_size')];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `h.${l}`;
    const a = `${p}.attn.attention`;
    out.push(
      ...norm(`${p}.ln_1`),
      ...['q_proj', 'k_proj', 'v_proj', 'out_proj'].map((n) => t(`${a}.${n}.weight`, [d, d], 'hidden_size × hidden_size')),
      t(`${a}.out_proj.bias`, [d], 'hidden_size'),
      ...norm(`${p}.ln_2`),
      t(`${p}.mlp.c_fc.weight`, [m, d], 'intermediate_size × hidden_size'),
      t(`${p}.mlp.c_fc.bias`, [m], 'intermediate_size'),
      t(`${p}.mlp.c_proj.weight`, [d, m], 'hidden_size × intermediate_size'),
      t(`${p}.mlp.c_proj.bias`, [d], 'hidden_size'),
    );
  }
  out.push(...norm('ln_f'));
  if (!cfg.tied) out.push(t('lm_head.weight', [V, d], 'vocab_size × hidden_size'));
  return out;
}

export function buildGptNeo(cfg: NeoConfig, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net {
  const { dModel: d, heads: h, vocab: V, context, dMlp: m, eps } = cfg;
  const dh = d / h;
  const why = fromConfig(configFile);
  const norm = (p: string) => r.layerNorm(p, d, why('hidden_size'), eps);
  const wte = r.matrix('wte.weight', V, d, why('vocab_size × hidden_size'));
  const positions = r.matrix('wpe.weight', context, d, why('max_position_embeddings × hidden_size'));
  const blocks: Block[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `h.${l}`;
    const a = `${p}.attn.attention`;
    const norm1 = norm(`${p}.ln_1`);
    // Heads are consecutive blocks of d_head output rows (transformers' _split_heads views (…, heads, d_head)).
    const proj = (name: string) => r.numbers(`${a}.${name}.weight`, [d, d], why('hidden_size × hidden_size'));
    const q = proj('q_proj');
    const k = proj('k_proj');
    const v = proj('v_proj');
    const heads: HeadWeights[] = Array.from({ length: h }, (_, j) => ({
      Wq: rowsTransposed(q, d, j * dh, dh),
      Wk: rowsTransposed(k, d, j * dh, dh),
      Wv: rowsTransposed(v, d, j * dh, dh),
    }));
    const out = r.numbers(`${a}.out_proj.weight`, [d, d], why('hidden_size × hidden_size'));
    blocks.push({
      norm1,
      heads,
      Wo: rowsTransposed(out, d, 0, d),
      bo: r.numbers(`${a}.out_proj.bias`, [d], why('hidden_size')).slice(),
      norm2: norm(`${p}.ln_2`),
      mlp: {
        kind: cfg.activation,
        up: r.matrix(`${p}.mlp.c_fc.weight`, m, d, why('intermediate_size × hidden_size')),
        upBias: r.vector(`${p}.mlp.c_fc.bias`, m, why('intermediate_size')),
        gate: null,
        gateBias: null,
        down: r.matrix(`${p}.mlp.c_proj.weight`, d, m, why('hidden_size × intermediate_size')),
        downBias: r.vector(`${p}.mlp.c_proj.bias`, d, why('hidden_size')),
      },
      window: cfg.windows[l],
    });
  }
  const normF = norm('ln_f');
  // With tied embeddings a stored lm_head.weight is ignored, as transformers does.
  const unembed = { table: cfg.tied ? wte : r.matrix('lm_head.weight', V, d, why('vocab_size × hidden_size')), vocabRows: true };
  return {
    info: {
      type: 'gpt_neo',
      name: info.name,
      layers: cfg.layers,
      heads: h,
      kvHeads: h,
      kvHeadOfHead: Array.from({ length: h }, (_, j) => j),
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
    scale: 1,
    blocks,
    normF,
    unembed,
    unembedBias: null,
    attentionWeights: new Map(),
    vocabSource: `${configFile}: vocab_size`,
  };
}
