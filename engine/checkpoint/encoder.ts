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

export function buildEncoder(cfg: EncoderConfig, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net {
  const { dModel: d, heads: h, vocab: V, dMlp: m, eps } = cfg;
  const dh = d / h;
  const layout = LAYOUTS[cfg.modelType];
  const file = configFile.split('/').pop();
  const keys =
    cfg.modelType === 'distilbert'
      ? { d: 'dim', h: 'n_heads', m: 'hidden_dim', types: '' }
      : { d: 'hidden_size', h: 'num_attention_heads', m: 'intermediate_size', types: 'type_vocab_size' };
  const why = (s: string) => `${s} from ${file}`;
  // The base prefix: present in *ForMaskedLM (and most task) checkpoints, absent in a bare BertModel's.
  const wordName = `${layout.embeddings.word}.weight`;
  const prefix = r.has(`${layout.base}.${wordName}`) || !r.has(wordName) ? `${layout.base}.` : '';
  const at = (name: string) => `${prefix}${name}`;
  /** A LayerNorm as weight/bias, or gamma/beta as old conversions store it. */
  const norm = (name: string): Norm => {
    const old = !r.has(`${name}.weight`) && r.has(`${name}.gamma`);
    return {
      kind: 'layernorm',
      gain: r.vector(`${name}.${old ? 'gamma' : 'weight'}`, d, why(keys.d)),
      bias: r.vector(`${name}.${old ? 'beta' : 'bias'}`, d, why(keys.d)),
      eps,
    };
  };
  const embedding = r.matrix(at(wordName), V, d, why(`vocab_size × ${keys.d}`));
  const positions = r.matrix(at(`${layout.embeddings.position}.weight`), cfg.positionRows, d, why(`max_position_embeddings × ${keys.d}`));
  const tokenTypes = layout.embeddings.type ? r.matrix(at(`${layout.embeddings.type}.weight`), cfg.typeVocab, d, why(`${keys.types} × ${keys.d}`)) : null;
  const embedNorm = norm(at(layout.embeddings.norm));
  const blocks: Block[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const n = layout.layer(l);
    const weight = (name: string) => r.numbers(at(`${name}.weight`), [d, d], why(`${keys.d} × ${keys.d}`));
    const bias = (name: string) => r.numbers(at(`${name}.bias`), [d], why(keys.d));
    const [q, k, v] = [weight(n.q), weight(n.k), weight(n.v)];
    const [bq, bk, bv] = [bias(n.q), bias(n.k), bias(n.v)];
    // Heads are consecutive blocks of d_head output rows (transformers' transpose_for_scores views (…, heads, d_head)).
    const heads: HeadWeights[] = Array.from({ length: h }, (_, j) => ({
      Wq: rowsTransposed(q, d, j * dh, dh),
      Wk: rowsTransposed(k, d, j * dh, dh),
      Wv: rowsTransposed(v, d, j * dh, dh),
      bq: bq.slice(j * dh, (j + 1) * dh),
      bk: bk.slice(j * dh, (j + 1) * dh),
      bv: bv.slice(j * dh, (j + 1) * dh),
    }));
    blocks.push({
      norm1: norm(at(n.norm1)),
      heads,
      Wo: rowsTransposed(weight(n.o), d, 0, d),
      bo: bias(n.o).slice(),
      norm2: norm(at(n.norm2)),
      mlp: {
        kind: cfg.activation,
        up: r.matrix(at(`${n.up}.weight`), m, d, why(`${keys.m} × ${keys.d}`)),
        upBias: r.vector(at(`${n.up}.bias`), m, why(keys.m)),
        gate: null,
        gateBias: null,
        down: r.matrix(at(`${n.down}.weight`), d, m, why(`${keys.d} × ${keys.m}`)),
        downBias: r.vector(at(`${n.down}.bias`), d, why(keys.d)),
      },
    });
  }
  // The MLM head, when the checkpoint has one (BertModel, sentence-transformers' MiniLM and task models have none).
  const hd = layout.head;
  let headTransform: HeadTransform | null = null;
  let unembed: Net['unembed'] = null;
  let unembedBias: Net['unembedBias'] = null;
  if (r.has(`${hd.dense}.weight`)) {
    headTransform = {
      dense: r.matrix(`${hd.dense}.weight`, d, d, why(`${keys.d} × ${keys.d}`)),
      bias: r.vector(`${hd.dense}.bias`, d, why(keys.d)),
      // RoBERTa's lm_head applies gelu (erf) whatever hidden_act says; BERT's and DistilBERT's heads use the model's activation.
      activation: cfg.modelType === 'roberta' ? 'gelu' : cfg.activation,
      norm: norm(hd.norm),
    };
    unembedBias = r.vector(hd.bias.find((b) => r.has(b)) ?? hd.bias[0], V, why('vocab_size'));
    // With tied embeddings a stored decoder weight (a copy of the word embeddings) is ignored, as transformers does.
    unembed = { table: cfg.tied ? embedding : r.matrix(`${hd.decoder}.weight`, V, d, why(`vocab_size × ${keys.d}`)), vocabRows: true };
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
