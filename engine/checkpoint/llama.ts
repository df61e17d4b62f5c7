// Llama (model_type "llama") and Qwen2 ("qwen2"): RMSNorm, rotary positions (rotate-half, rope_theta),
// grouped-query attention (query heads of one group get the same W^K/W^V objects: no copies), SwiGLU MLP,
// Linear weights stored (out, in), tied or separate lm_head. Qwen2 adds q/k/v biases; Llama's
// attention_bias adds them and an o_proj bias.
import type { HeadWeights, Matrix } from '../types.ts';
import type { LlamaConfig } from './config.ts';
import { rowsTransposed, type Resident } from './resident.ts';
import { expectedTensor, fromConfig, type ExpectedTensor } from './plan.ts';
import type { Block, ModelInfo, Net } from '../transformer/types.ts';

/** Every tensor buildLlama reads, in its order (the pre-allocation check, plan.ts). */
export function llamaTensors(cfg: LlamaConfig, configFile: string): ExpectedTensor[] {
  const { dModel: d, heads: h, kvHeads: kv, dHead: dh, vocab: V, dMlp: m } = cfg;
  const t = expectedTensor(configFile);
  const out = [t('model.embed_tokens.weight', [V, d], 'vocab_size × hidden_size')];
  for (let l = 0; l < cfg.layers; l++) {
    const p = `model.layers.${l}`;
    const a = `${p}.self_attn`;
    const bias = (name: string, rows: number) => (cfg.qkvBias ? [t(`${a}.${name}.bias`, [rows], 'head_dim × heads')] : []);
    const mlpBias = (name: string, rows: number, fields: string) => (cfg.mlpBias ? [t(`${p}.mlp.${name}.bias`, [rows], fields)] : []);
    out.push(
      t(`${a}.q_proj.weight`, [h * dh, d], 'num_attention_heads·head_dim × hidden_size'),
      t(`${a}.k_proj.weight`, [kv * dh, d], 'num_key_value_heads·head_dim × hidden_size'),
      t(`${a}.v_proj.weight`, [kv * dh, d], 'num_key_value_heads·head_dim × hidden_size'),
      ...bias('q_proj', h * dh),
      ...bias('k_proj', kv * dh),
      ...bias('v_proj', kv * dh),
      t(`${a}.o_proj.weight`, [d, h * dh], 'hidden_size × num_attention_heads·head_dim'),
      ...(cfg.oBias ? [t(`${a}.o_proj.bias`, [d], 'hidden_size')] : []),
      t(`${p}.input_layernorm.weight`, [d], 'hidden_size'),
      t(`${p}.post_attention_layernorm.weight`, [d], 'hidden_size'),
      t(`${p}.mlp.up_proj.weight`, [m, d], 'intermediate_size × hidden_size'),
      ...mlpBias('up_proj', m, 'intermediate_size'),
      t(`${p}.mlp.gate_proj.weight`, [m, d], 'intermediate_size × hidden_size'),
      ...mlpBias('gate_proj', m, 'intermediate_size'),
      t(`${p}.mlp.down_proj.weight`, [d, m], 'hidden_size × intermediate_size'),
      ...mlpBias('down_proj', d, 'hidden_size'),
    );
  }
  out.push(t('model.norm.weight', [d], 'hidden_size'));
  if (!cfg.tied) out.push(t('lm_head.weight', [V, d], 'vocab_size × hidden_size'));
  return out;
}

/** Layer l's block: attention weights as per-head matrices, norms and MLP as tensors on the backend. */
function llamaBlock(cfg: LlamaConfig, r: Resident, l: number, configFile: string): Block {
  const { dModel: d, heads: h, kvHeads: kv, dHead: dh, dMlp: m, eps } = cfg;
  const group = h / kv;
  const why = fromConfig(configFile);
  const norm = (name: string) => ({ kind: 'rmsnorm' as const, gain: r.vector(name, d, why('hidden_size')), bias: null, eps });
  const p = `model.layers.${l}`;
  const a = `${p}.self_attn`;
  // Each projection is split into per-head matrices as soon as it is read: one reused buffer holds it meanwhile.
  const perHead = (name: string, heads: number, whyText: string) => {
    const w = r.transient(`${a}.${name}.weight`, [heads * dh, d], why(whyText));
    return Array.from({ length: heads }, (_, j) => rowsTransposed(w, d, j * dh, dh));
  };
  const Wq = perHead('q_proj', h, 'num_attention_heads·head_dim × hidden_size');
  const Wk = perHead('k_proj', kv, 'num_key_value_heads·head_dim × hidden_size');
  const Wv = perHead('v_proj', kv, 'num_key_value_heads·head_dim × hidden_size');
  const bias = (name: string, rows: number) => (cfg.qkvBias ? r.numbers(`${a}.${name}.bias`, [rows], why('head_dim × heads')) : null);
  const qb = bias('q_proj', h * dh);
  const kb = bias('k_proj', kv * dh);
  const vb = bias('v_proj', kv * dh);
  const kvHeads: { Wk: Matrix; Wv: Matrix; bk: Float32Array | null; bv: Float32Array | null }[] = Array.from({ length: kv }, (_, g) => ({
    Wk: Wk[g],
    Wv: Wv[g],
    bk: kb ? kb.slice(g * dh, (g + 1) * dh) : null,
    bv: vb ? vb.slice(g * dh, (g + 1) * dh) : null,
  }));
  const heads: HeadWeights[] = Array.from({ length: h }, (_, j) => ({
    Wq: Wq[j],
    bq: qb ? qb.slice(j * dh, (j + 1) * dh) : null,
    ...kvHeads[Math.floor(j / group)],
  }));
  const Wo = rowsTransposed(r.transient(`${a}.o_proj.weight`, [d, h * dh], why('hidden_size × num_attention_heads·head_dim')), h * dh, 0, d);
  return {
    norm1: norm(`${p}.input_layernorm.weight`),
    heads,
    Wo,
    bo: cfg.oBias ? r.numbers(`${a}.o_proj.bias`, [d], why('hidden_size')).slice() : null,
    norm2: norm(`${p}.post_attention_layernorm.weight`),
    mlp: {
      kind: 'swiglu',
      up: r.matrix(`${p}.mlp.up_proj.weight`, m, d, why('intermediate_size × hidden_size')),
      upBias: r.optionalVector(cfg.mlpBias, `${p}.mlp.up_proj.bias`, m, why('intermediate_size')),
      gate: r.matrix(`${p}.mlp.gate_proj.weight`, m, d, why('intermediate_size × hidden_size')),
      gateBias: r.optionalVector(cfg.mlpBias, `${p}.mlp.gate_proj.bias`, m, why('intermediate_size')),
      down: r.matrix(`${p}.mlp.down_proj.weight`, d, m, why('hidden_size × intermediate_size')),
      downBias: r.optionalVector(cfg.mlpBias, `${p}.mlp.down_proj.bias`, d, why('hidden_size')),
    },
  };
}

/**
 * `streamed` (big models, see load.ts): the embedding and lm_head stay stored tables and the blocks are
 * built as their layer runs; otherwise everything is converted now.
 */
export function buildLlama(cfg: LlamaConfig, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string, streamed = false): Net {
  const { dModel: d, heads: h, kvHeads: kv, dHead: dh, vocab: V, dMlp: m, eps } = cfg;
  const group = h / kv;
  const why = fromConfig(configFile);
  const norm = (name: string) => ({ kind: 'rmsnorm' as const, gain: r.vector(name, d, why('hidden_size')), bias: null, eps });
  const embedWhy = why('vocab_size × hidden_size');
  const table = (name: string) => (streamed ? r.table(name, V, d, embedWhy) : r.matrix(name, V, d, embedWhy));
  const embedding = table('model.embed_tokens.weight');
  const blocks: Block[] = streamed ? [] : Array.from({ length: cfg.layers }, (_, l) => llamaBlock(cfg, r, l, configFile));
  const stream = streamed ? r.stream((lr, l) => llamaBlock(cfg, lr, l, configFile)) : null;
  const normF = norm('model.norm.weight');
  // With tied embeddings a stored lm_head.weight (some exports keep one) is ignored, as transformers does.
  const unembed = { table: cfg.tied ? embedding : table('lm_head.weight'), vocabRows: true };
  return {
    info: {
      type: cfg.modelType,
      name: info.name,
      layers: cfg.layers,
      heads: h,
      kvHeads: kv,
      kvHeadOfHead: Array.from({ length: h }, (_, j) => Math.floor(j / group)),
      dModel: d,
      dHead: dh,
      dMlp: m,
      vocab: V,
      context: cfg.context,
      norm: 'rmsnorm',
      positional: 'rotary',
      mlp: 'swiglu',
      parameters: r.parameters,
      dtypes: info.dtypes,
      causal: true,
      predicts: 'next-token',
      typeVocab: 0,
      blockNorm: 'pre',
    },
    embedding,
    positions: null,
    rotary: { dims: dh, theta: cfg.ropeTheta },
    scale: null,
    blocks,
    stream,
    normF,
    unembed,
    unembedBias: null,
    attentionWeights: new Map(),
    vocabSource: `${configFile}: vocab_size`,
  };
}
