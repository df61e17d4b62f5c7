// The encoders: BERT (model_type "bert": bert-base-*, bert-base-chinese, MiniLM), RoBERTa ("roberta") and
// DistilBERT ("distilbert"). Bidirectional attention with biases on q, k, v and the output, post-LN
// blocks (x = LN(x + attn(x)); x = LN(x + mlp(x))), learned positions (RoBERTa's counted from its pad id),
// token type embeddings (BERT, RoBERTa), a LayerNorm over the summed embeddings, Linear weights stored
// (out, in), and the masked-LM head when the checkpoint has one (dense → activation → LayerNorm → the
// decoder, tied to the word embeddings, plus a bias). Names follow transformers' modules: with the base
// prefix ("bert.", "roberta.", "distilbert.") as *ForMaskedLM saves them, or without it as the bare model
// does; old conversions (bert-base-uncased) call LayerNorm parameters gamma and beta.
import type { HeadWeights } from '../types.ts';
import type { EncoderConfig } from './config.ts';
import { rowsTransposed, type Resident } from './resident.ts';
import { expectedTensor, fromConfig, type ExpectedTensor } from './plan.ts';
import type { Block, HeadTransform, ModelInfo, Net, Norm } from '../transformer/types.ts';

/** Where a family keeps its tensors (names after the base prefix, e.g. "embeddings.word_embeddings"). */
interface Layout {
  base: string;
  embeddings: { word: string; position: string; type: string | null; norm: string };
  /** The block's modules, relative to the base prefix. */
  layer(l: number): { q: string; k: string; v: string; o: string; norm1: string; up: string; down: string; norm2: string };
  /** The MLM head (outside the base prefix): `bias` lists where the decoder's bias may be stored, first found wins. */
  head: { dense: string; norm: string; bias: string[]; decoder: string };
}

const BERT_LAYER = (l: number) => {
  const p = `encoder.layer.${l}`;
  return {
    q: `${p}.attention.self.query`,
    k: `${p}.attention.self.key`,
    v: `${p}.attention.self.value`,
    o: `${p}.attention.output.dense`,
    norm1: `${p}.attention.output.LayerNorm`,
    up: `${p}.intermediate.dense`,
    down: `${p}.output.dense`,
    norm2: `${p}.output.LayerNorm`,
  };
};

const LAYOUTS: Record<EncoderConfig['modelType'], Layout> = {
  bert: {
    base: 'bert',
    embeddings: { word: 'embeddings.word_embeddings', position: 'embeddings.position_embeddings', type: 'embeddings.token_type_embeddings', norm: 'embeddings.LayerNorm' },
    layer: BERT_LAYER,
    head: { dense: 'cls.predictions.transform.dense', norm: 'cls.predictions.transform.LayerNorm', bias: ['cls.predictions.bias', 'cls.predictions.decoder.bias'], decoder: 'cls.predictions.decoder' },
  },
  roberta: {
    base: 'roberta',
    embeddings: { word: 'embeddings.word_embeddings', position: 'embeddings.position_embeddings', type: 'embeddings.token_type_embeddings', norm: 'embeddings.LayerNorm' },
    layer: BERT_LAYER,
    head: { dense: 'lm_head.dense', norm: 'lm_head.layer_norm', bias: ['lm_head.bias', 'lm_head.decoder.bias'], decoder: 'lm_head.decoder' },
  },
  distilbert: {
    base: 'distilbert',
    embeddings: { word: 'embeddings.word_embeddings', position: 'embeddings.position_embeddings', type: null, norm: 'embeddings.LayerNorm' },
    layer: (l) => {
      const p = `transformer.layer.${l}`;
      return {
        q: `${p}.attention.q_lin`,
        k: `${p}.attention.k_lin`,
        v: `${p}.attention.v_lin`,
        o: `${p}.attention.out_lin`,
        norm1: `${p}.sa_layer_norm`,
        up: `${p}.ffn.lin1`,
        down: `${p}.ffn.lin2`,
        norm2: `${p}.output_layer_norm`,
      };
    },
    head: { dense: 'vocab_transform', norm: 'vocab_layer_norm', bias: ['vocab_projector.bias'], decoder: 'vocab_projector' },
  },
};

/** The names of one export: its base prefix, LayerNorm parameter names, whether it has the head and where the decoder's bias is. */
interface Names {
  /** "bert." or "" (a bare BertModel). */
  at(name: string): string;
  /** [gain, bias] of a LayerNorm module. */
  norm(module: string): [string, string];
  head: boolean;
  headBias: string;
}

/** The names `has` (a file's table) holds; without it (config.json alone), the *ForMaskedLM layout. */
function namesOf(layout: Layout, has?: (name: string) => boolean): Names {
  const word = `${layout.embeddings.word}.weight`;
  // The base prefix: present in *ForMaskedLM (and most task) checkpoints, absent in a bare BertModel's.
  const prefix = !has || has(`${layout.base}.${word}`) || !has(word) ? `${layout.base}.` : '';
  const old = (module: string) => !!has && !has(`${module}.weight`) && has(`${module}.gamma`);
  return {
    at: (name) => `${prefix}${name}`,
    norm: (module) => (old(module) ? [`${module}.gamma`, `${module}.beta`] : [`${module}.weight`, `${module}.bias`]),
    head: !has || has(`${layout.head.dense}.weight`),
    headBias: layout.head.bias.find((b) => has?.(b)) ?? layout.head.bias[0],
  };
}

/** The config.json fields behind each size, in messages. */
function fieldsOf(cfg: EncoderConfig) {
  return cfg.modelType === 'distilbert' ? { d: 'dim', m: 'hidden_dim', types: '' } : { d: 'hidden_size', m: 'intermediate_size', types: 'type_vocab_size' };
}

/** Every tensor buildEncoder reads, in its order (the pre-allocation check, plan.ts), named as the file names them. */
export function encoderTensors(cfg: EncoderConfig, configFile: string, has?: (name: string) => boolean): ExpectedTensor[] {
  const { dModel: d, vocab: V, dMlp: m } = cfg;
  const layout = LAYOUTS[cfg.modelType];
  const names = namesOf(layout, has);
  const k = fieldsOf(cfg);
  const t = expectedTensor(configFile);
  const norm = (module: string) => names.norm(module).map((name) => t(name, [d], k.d));
  const linear = (module: string, out: number, inp: number, o: string, i: string) => [t(`${module}.weight`, [out, inp], `${o} × ${i}`), t(`${module}.bias`, [out], o)];
  const e = layout.embeddings;
  const out = [t(names.at(`${e.word}.weight`), [V, d], `vocab_size × ${k.d}`), t(names.at(`${e.position}.weight`), [cfg.positionRows, d], `max_position_embeddings × ${k.d}`)];
  if (e.type) out.push(t(names.at(`${e.type}.weight`), [cfg.typeVocab, d], `${k.types} × ${k.d}`));
  out.push(...norm(names.at(e.norm)));
  for (let l = 0; l < cfg.layers; l++) {
    const n = layout.layer(l);
    for (const p of [n.q, n.k, n.v, n.o]) out.push(...linear(names.at(p), d, d, k.d, k.d));
    out.push(...norm(names.at(n.norm1)), ...linear(names.at(n.up), m, d, k.m, k.d), ...linear(names.at(n.down), d, m, k.d, k.m), ...norm(names.at(n.norm2)));
  }
  if (names.head) {
    const hd = layout.head;
    out.push(...linear(hd.dense, d, d, k.d, k.d), ...norm(hd.norm), t(names.headBias, [V], 'vocab_size'));
    if (!cfg.tied) out.push(t(`${hd.decoder}.weight`, [V, d], `vocab_size × ${k.d}`));
  }
  return out;
}

export function buildEncoder(cfg: EncoderConfig, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net {
  const { dModel: d, heads: h, vocab: V, dMlp: m, eps } = cfg;
  const dh = d / h;
  const layout = LAYOUTS[cfg.modelType];
  const names = namesOf(layout, (name) => r.has(name));
  const k = fieldsOf(cfg);
  const why = fromConfig(configFile);
  const { at } = names;
  const norm = (module: string): Norm => {
    const [gain, bias] = names.norm(module);
    return { kind: 'layernorm', gain: r.vector(gain, d, why(k.d)), bias: r.vector(bias, d, why(k.d)), eps };
  };
  const e = layout.embeddings;
  const embedding = r.matrix(at(`${e.word}.weight`), V, d, why(`vocab_size × ${k.d}`));
  const positions = r.matrix(at(`${e.position}.weight`), cfg.positionRows, d, why(`max_position_embeddings × ${k.d}`));
  const tokenTypes = e.type ? r.matrix(at(`${e.type}.weight`), cfg.typeVocab, d, why(`${k.types} × ${k.d}`)) : null;
  const embedNorm = norm(at(e.norm));
  const blocks: Block[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const n = layout.layer(l);
    const weight = (module: string) => r.numbers(at(`${module}.weight`), [d, d], why(`${k.d} × ${k.d}`));
    const bias = (module: string) => r.numbers(at(`${module}.bias`), [d], why(k.d));
    const [q, bq, kw, bk, v, bv] = [weight(n.q), bias(n.q), weight(n.k), bias(n.k), weight(n.v), bias(n.v)];
    // Heads are consecutive blocks of d_head output rows (transformers' transpose_for_scores views (…, heads, d_head)).
    const heads: HeadWeights[] = Array.from({ length: h }, (_, j) => ({
      Wq: rowsTransposed(q, d, j * dh, dh),
      Wk: rowsTransposed(kw, d, j * dh, dh),
      Wv: rowsTransposed(v, d, j * dh, dh),
      bq: bq.slice(j * dh, (j + 1) * dh),
      bk: bk.slice(j * dh, (j + 1) * dh),
      bv: bv.slice(j * dh, (j + 1) * dh),
    }));
    const Wo = rowsTransposed(weight(n.o), d, 0, d);
    const bo = bias(n.o).slice();
    blocks.push({
      heads,
      Wo,
      bo,
      norm1: norm(at(n.norm1)),
      mlp: {
        kind: cfg.activation,
        up: r.matrix(at(`${n.up}.weight`), m, d, why(`${k.m} × ${k.d}`)),
        upBias: r.vector(at(`${n.up}.bias`), m, why(k.m)),
        gate: null,
        gateBias: null,
        down: r.matrix(at(`${n.down}.weight`), d, m, why(`${k.d} × ${k.m}`)),
        downBias: r.vector(at(`${n.down}.bias`), d, why(k.d)),
      },
      norm2: norm(at(n.norm2)),
    });
  }
  // The MLM head, when the checkpoint has one (BertModel, sentence-transformers' MiniLM and task models have none).
  const hd = layout.head;
  let headTransform: HeadTransform | null = null;
  let unembed: Net['unembed'] = null;
  let unembedBias: Net['unembedBias'] = null;
  if (names.head) {
    headTransform = {
      dense: r.matrix(`${hd.dense}.weight`, d, d, why(`${k.d} × ${k.d}`)),
      bias: r.vector(`${hd.dense}.bias`, d, why(k.d)),
      // RoBERTa's lm_head applies gelu (erf) whatever hidden_act says; BERT's and DistilBERT's heads use the model's activation.
      activation: cfg.modelType === 'roberta' ? 'gelu' : cfg.activation,
      norm: norm(hd.norm),
    };
    unembedBias = r.vector(names.headBias, V, why('vocab_size'));
    // With tied embeddings a stored decoder weight (a copy of the word embeddings) is ignored, as transformers does.
    unembed = { table: cfg.tied ? embedding : r.matrix(`${hd.decoder}.weight`, V, d, why(`vocab_size × ${k.d}`)), vocabRows: true };
  }
  return {
    info: {
      type: cfg.modelType,
      name: info.name,
      layers: cfg.layers,
      heads: h,
      kvHeads: h,
      kvHeadOfHead: Array.from({ length: h }, (_, j) => j),
      dModel: d,
      dHead: dh,
      dMlp: m,
      vocab: V,
      context: cfg.context,
      norm: 'layernorm',
      positional: 'learned',
      mlp: cfg.activation,
      parameters: r.parameters,
      dtypes: info.dtypes,
      causal: false,
      predicts: unembed ? 'masked-token' : null,
      typeVocab: cfg.typeVocab,
      blockNorm: 'post',
    },
    embedding,
    positions,
    paddingIdx: cfg.paddingIdx,
    tokenTypes,
    embedNorm,
    rotary: null,
    scale: null,
    blocks,
    normF: null,
    headTransform,
    unembed,
    unembedBias,
    attentionWeights: new Map(),
    vocabSource: `${configFile}: vocab_size`,
    typeSource: `${configFile}: type_vocab_size`,
  };
}
