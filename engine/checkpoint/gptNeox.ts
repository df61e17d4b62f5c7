// GPT-NeoX (model_type "gpt_neox": Pythia and relatives): LayerNorm, partial rotary embedding (the first
// rotary_pct of each head, rotate-half form), the fused query_key_value laid out per head as [q | k | v]
// rows of the (out, in) weight, parallel residual (x + attn(ln₁x) + mlp(ln₂x)) unless
// use_parallel_residual is false, exact GELU, untied embed_out. Buffers (attention.bias, masked_bias,
// rotary_emb.inv_freq) are ignored.
import type { HeadWeights } from '../types.ts';
import type { NeoxConfig } from './config.ts';
import { rowsTransposed, type Resident } from './resident.ts';
import { expectedTensor, fromConfig, type ExpectedTensor } from './plan.ts';
import type { Block, ModelInfo, Net } from '../transformer/types.ts';

/** Every tensor buildGptNeox reads, in its order (the pre-allocation check, plan.ts). */
export function gptNeoxTensors(cfg: NeoxConfig, configFile: string): ExpectedTensor[] {
  const { dModel: d, vocab: V, dMlp: m } = cfg;
  const t = expectedTensor(configFile);
  const norm = (p: string) => [t(`${p}.weight`, [d], 'hidden_size'), t(`${p}.bias`, [d], 'hidden_size')];
  const out = [t('gpt_neox.embed_in.weight', [V, d], 'vocab_size × hidden_size')];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `gpt_neox.layers.${l}`;
    out.push(
      ...norm(`${p}.input_layernorm`),
      t(`${p}.attention.query_key_value.weight`, [3 * d, d], '3·hidden_size × hidden_size'),
      ...(cfg.attentionBias ? [t(`${p}.attention.query_key_value.bias`, [3 * d], '3·hidden_size')] : []),
      t(`${p}.attention.dense.weight`, [d, d], 'hidden_size × hidden_size'),
      ...(cfg.attentionBias ? [t(`${p}.attention.dense.bias`, [d], 'hidden_size')] : []),
      ...norm(`${p}.post_attention_layernorm`),
      t(`${p}.mlp.dense_h_to_4h.weight`, [m, d], 'intermediate_size × hidden_size'),
      t(`${p}.mlp.dense_h_to_4h.bias`, [m], 'intermediate_size'),
      t(`${p}.mlp.dense_4h_to_h.weight`, [d, m], 'hidden_size × intermediate_size'),
      t(`${p}.mlp.dense_4h_to_h.bias`, [d], 'hidden_size'),
    );
  }
  out.push(...norm('gpt_neox.final_layer_norm'));
  if (!cfg.tied) out.push(t('embed_out.weight', [V, d], 'vocab_size × hidden_size'));
  return out;
}

export function buildGptNeox(cfg: NeoxConfig, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net {
  const { dModel: d, heads: h, vocab: V, dMlp: m, eps } = cfg;
  const dh = d / h;
  const why = fromConfig(configFile);
  const norm = (p: string) => r.layerNorm(p, d, why('hidden_size'), eps);
  const embedding = r.matrix('gpt_neox.embed_in.weight', V, d, why('vocab_size × hidden_size'));
  const blocks: Block[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `gpt_neox.layers.${l}`;
    const norm1 = norm(`${p}.input_layernorm`);
    const qkv = r.numbers(`${p}.attention.query_key_value.weight`, [3 * d, d], why('3·hidden_size × hidden_size'));
    const qkvB = cfg.attentionBias ? r.numbers(`${p}.attention.query_key_value.bias`, [3 * d], why('3·hidden_size')) : null;
    const part = (k: number, which: number) => k * 3 * dh + which * dh;
    const heads: HeadWeights[] = Array.from({ length: h }, (_, k) => ({
      Wq: rowsTransposed(qkv, d, part(k, 0), dh),
      Wk: rowsTransposed(qkv, d, part(k, 1), dh),
      Wv: rowsTransposed(qkv, d, part(k, 2), dh),
      bq: qkvB ? qkvB.slice(part(k, 0), part(k, 0) + dh) : null,
      bk: qkvB ? qkvB.slice(part(k, 1), part(k, 1) + dh) : null,
      bv: qkvB ? qkvB.slice(part(k, 2), part(k, 2) + dh) : null,
    }));
    const dense = r.numbers(`${p}.attention.dense.weight`, [d, d], why('hidden_size × hidden_size'));
    blocks.push({
      norm1,
      heads,
      Wo: rowsTransposed(dense, d, 0, d),
      bo: cfg.attentionBias ? r.numbers(`${p}.attention.dense.bias`, [d], why('hidden_size')).slice() : null,
      norm2: norm(`${p}.post_attention_layernorm`),
      mlp: {
        kind: cfg.activation,
        up: r.matrix(`${p}.mlp.dense_h_to_4h.weight`, m, d, why('intermediate_size × hidden_size')),
        upBias: r.vector(`${p}.mlp.dense_h_to_4h.bias`, m, why('intermediate_size')),
        gate: null,
        gateBias: null,
        down: r.matrix(`${p}.mlp.dense_4h_to_h.weight`, d, m, why('hidden_size × intermediate_size')),
        downBias: r.vector(`${p}.mlp.dense_4h_to_h.bias`, d, why('hidden_size')),
      },
    });
  }
  const normF = norm('gpt_neox.final_layer_norm');
  const unembed = { table: cfg.tied ? embedding : r.matrix('embed_out.weight', V, d, why('vocab_size × hidden_size')), vocabRows: true };
  return {
    info: {
      type: 'gpt_neox',
      name: info.name,
      layers: cfg.layers,
      heads: h,
      kvHeads: h,
      kvHeadOfHead: Array.from({ length: h }, (_, k) => k),
      dModel: d,
      dHead: dh,
      dMlp: m,
      vocab: V,
      context: cfg.context,
      norm: 'layernorm',
      positional: 'rotary',
      mlp: cfg.activation,
      parameters: r.parameters,
      dtypes: info.dtypes,
    },
    embedding,
    positions: null,
    rotary: { dims: cfg.rotaryDims, theta: cfg.ropeTheta },
    scale: null,
    parallelResidual: cfg.parallelResidual,
    blocks,
    normF,
    unembed,
    unembedBias: null,
    attentionWeights: new Map(),
    vocabSource: `${configFile}: vocab_size`,
  };
}
