// Small synthetic encoder checkpoints for the tests (not used by the app) in the layouts transformers
// saves — BERT (BertForMaskedLM with "bert." names, or a bare BertModel, old gamma/beta LayerNorms),
// RoBERTa (RobertaForMaskedLM: "roberta." names, lm_head, the decoder tied or written out), DistilBERT
// (DistilBertForMaskedLM) — and the encoders' forward pass written from transformers' modeling code
// (modeling_bert.py, modeling_roberta.py, modeling_distilbert.py) as plain float64 loops over the stored
// tensors, by their stored names. It shares nothing with the engine (no engine module is imported but the
// seeded random numbers that make the weights), so a loader that reads a weight in the wrong orientation,
// forgets a bias, masks a key, normalises in the wrong place or counts RoBERTa's positions from 0
// disagrees with it.
import { gaussians } from '../seeded.ts';
import type { TensorToWrite } from './writeSafetensors.ts';

export type EncoderKind = 'bert' | 'roberta' | 'distilbert';

/** Sizes shared by the three: 2 layers × 4 heads, d 32, d_mlp 64, a 48-token vocabulary (the tokenizer fixtures' size). */
export const ENC = { d: 32, heads: 4, layers: 2, mlp: 64, vocab: 48, positions: 24, types: 2 } as const;

/** RoBERTa's pad id: its positions start at ROBERTA_PAD + 1. */
export const ROBERTA_PAD = 1;

/** `positions`: the context (default ENC.positions; longer for the long-input tests). */
export function encoderConfig(kind: EncoderKind, positions: number = ENC.positions): Record<string, unknown> {
  const { d, heads, layers, mlp, vocab, types } = ENC;
  if (kind === 'distilbert') {
    return { model_type: 'distilbert', architectures: ['DistilBertForMaskedLM'], dim: d, n_heads: heads, n_layers: layers, hidden_dim: mlp, vocab_size: vocab, max_position_embeddings: positions, activation: 'gelu', sinusoidal_pos_embds: false, pad_token_id: 0 };
  }
  const common = { hidden_size: d, num_attention_heads: heads, num_hidden_layers: layers, intermediate_size: mlp, vocab_size: vocab, hidden_act: 'gelu', position_embedding_type: 'absolute' };
  if (kind === 'roberta') {
    // As roberta-base: one token type, positions padding_idx + 1 … (max_position_embeddings = context + 2).
    return { model_type: 'roberta', architectures: ['RobertaForMaskedLM'], ...common, max_position_embeddings: positions + ROBERTA_PAD + 1, type_vocab_size: 1, pad_token_id: ROBERTA_PAD, bos_token_id: 0, eos_token_id: 2, layer_norm_eps: 1e-5 };
  }
  return { model_type: 'bert', architectures: ['BertForMaskedLM'], ...common, max_position_embeddings: positions, type_vocab_size: types, pad_token_id: 0, layer_norm_eps: 1e-12 };
}

export interface LayoutOptions {
  /** Names without the base prefix and no head, as a bare BertModel / RobertaModel / DistilBertModel saves them. */
  bare?: boolean;
  /** Old conversions' LayerNorm.gamma / LayerNorm.beta (bert-base-uncased's safetensors). */
  gammaBeta?: boolean;
  /** Write the decoder's weight out (a copy of the word embeddings, or `decoderScale` × it). */
  writeDecoder?: boolean;
  decoderScale?: number;
  seed?: string;
  /** The context (see encoderConfig). */
  positions?: number;
}

/** The tensors as transformers' *ForMaskedLM stores them (Linear weights (out, in)); scales make the heads neither uniform nor one-hot. */
export function syntheticEncoderTensors(kind: EncoderKind, options: LayoutOptions = {}): TensorToWrite[] {
  const { d, mlp, vocab, layers } = ENC;
  const seed = options.seed ?? kind;
  const base = options.bare ? '' : `${kind}.`;
  const out: TensorToWrite[] = [];
  const t = (name: string, shape: number[], std: number, mean = 0) => {
    const data = gaussians(`${seed}/${name}`, shape.reduce((a, b) => a * b, 1), std);
    if (mean) for (let k = 0; k < data.length; k++) data[k] += mean;
    out.push({ name, dtype: 'F32', shape, data });
  };
  const linear = (name: string, o: number, i: number, std: number) => {
    t(`${name}.weight`, [o, i], std);
    t(`${name}.bias`, [o], 0.1);
  };
  const norm = (name: string) => {
    t(`${name}.${options.gammaBeta ? 'gamma' : 'weight'}`, [d], 0.1, 1);
    t(`${name}.${options.gammaBeta ? 'beta' : 'bias'}`, [d], 0.1);
  };
  const config = encoderConfig(kind, options.positions);
  t(`${base}embeddings.word_embeddings.weight`, [vocab, d], 0.5);
  t(`${base}embeddings.position_embeddings.weight`, [config.max_position_embeddings as number, d], 0.5);
  if (kind !== 'distilbert') t(`${base}embeddings.token_type_embeddings.weight`, [config.type_vocab_size as number, d], 0.5);
  norm(`${base}embeddings.LayerNorm`);
  for (let l = 0; l < layers; l++) {
    if (kind === 'distilbert') {
      const p = `${base}transformer.layer.${l}`;
      for (const q of ['q_lin', 'k_lin', 'v_lin']) linear(`${p}.attention.${q}`, d, d, 0.25);
      linear(`${p}.attention.out_lin`, d, d, 0.15);
      norm(`${p}.sa_layer_norm`);
      linear(`${p}.ffn.lin1`, mlp, d, 0.2);
      linear(`${p}.ffn.lin2`, d, mlp, 0.15);
      norm(`${p}.output_layer_norm`);
    } else {
      const p = `${base}encoder.layer.${l}`;
      for (const q of ['query', 'key', 'value']) linear(`${p}.attention.self.${q}`, d, d, 0.25);
      linear(`${p}.attention.output.dense`, d, d, 0.15);
      norm(`${p}.attention.output.LayerNorm`);
      linear(`${p}.intermediate.dense`, mlp, d, 0.2);
      linear(`${p}.output.dense`, d, mlp, 0.15);
      norm(`${p}.output.LayerNorm`);
    }
  }
  if (options.bare) return out;
  const word = out[0].data;
  const decoder = (name: string) => {
    if (options.writeDecoder) out.push({ name, dtype: 'F32', shape: [vocab, d], data: word.map((x) => x * (options.decoderScale ?? 1)) });
  };
  if (kind === 'bert') {
    t('bert.pooler.dense.weight', [d, d], 0.1); // BertForPreTraining's pooler and NSP head: not read
    t('bert.pooler.dense.bias', [d], 0.1);
    t('cls.seq_relationship.weight', [2, d], 0.1);
    t('cls.seq_relationship.bias', [2], 0.1);
    linear('cls.predictions.transform.dense', d, d, 0.2);
    norm('cls.predictions.transform.LayerNorm');
    t('cls.predictions.bias', [vocab], 0.3);
    decoder('cls.predictions.decoder.weight');
  } else if (kind === 'roberta') {
    linear('lm_head.dense', d, d, 0.2);
    t('lm_head.layer_norm.weight', [d], 0.1, 1);
    t('lm_head.layer_norm.bias', [d], 0.1);
    t('lm_head.bias', [vocab], 0.3);
    decoder('lm_head.decoder.weight');
  } else {
    linear('vocab_transform', d, d, 0.2);
    t('vocab_layer_norm.weight', [d], 0.1, 1);
    t('vocab_layer_norm.bias', [d], 0.1);
    t('vocab_projector.bias', [vocab], 0.3);
    decoder('vocab_projector.weight');
  }
  return out;
}

// ---- The forward pass, from transformers' modeling code, in float64 -------------------------------------

type Vec = number[];

/** erf to ~1e-14: its Maclaurin series below |x| = 3, the continued fraction of erfc above. */
export function erf64(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * sum; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(a) = exp(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + …)))), evaluated from the tail.
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f);
}

const act = (name: string) => (x: number) => {
  if (name === 'relu') return Math.max(0, x);
  if (name === 'gelu') return 0.5 * x * (1 + erf64(x / Math.SQRT2)); // transformers' GELUActivation (erf)
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))); // gelu_new
};

/** torch.nn.LayerNorm of one row (biased variance). */
function layerNorm(x: Vec, gain: ArrayLike<number>, bias: ArrayLike<number>, eps: number): Vec {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  return x.map((v, k) => ((v - mean) / Math.sqrt(variance + eps)) * gain[k] + bias[k]);
}

/** torch.nn.Linear: x·Wᵀ + b with W stored (out, in). */
function linear(x: Vec, W: ArrayLike<number>, b: ArrayLike<number> | null, out: number): Vec {
  const inDim = x.length;
  const y: Vec = new Array<number>(out);
  for (let o = 0; o < out; o++) {
    let s = b ? b[o] : 0;
    for (let i = 0; i < inDim; i++) s += W[o * inDim + i] * x[i];
    y[o] = s;
  }
  return y;
}

export interface EncoderRun {
  /** [layer][head][query][key]. */
  attention: number[][][][];
  /** The MLM head's logits at `at`, or null without a head. */
  logits: number[] | null;
  /** Every position's logits (n × V), or null. */
  allLogits: number[][] | null;
  /** The hidden state after every layer (the lens' input), [layer][position][d]. */
  hidden: number[][][];
  /** Per layer, the head's logits of that layer's hidden state at `at` (the logit lens through the MLM head); absent without a head. */
  lens?: number[][];
}

export interface EncoderInputs {
  types?: number[];
  /** attention_mask: 1 token, 0 padding. */
  mask?: number[];
  /** Logits position (default the last). */
  at?: number;
}

/**
 * BertModel / RobertaModel / DistilBertModel + the MLM head, as transformers computes them (eval mode),
 * on `tensors` stored as the layouts above (names with or without the base prefix, gamma/beta or weight/bias).
 */
export function encoderForward(kind: EncoderKind, config: Record<string, unknown>, tensors: TensorToWrite[], ids: number[], inputs: EncoderInputs = {}): EncoderRun {
  const w = new Map(tensors.map((t) => [t.name.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias'), t.data]));
  const base = w.has(`${kind}.embeddings.word_embeddings.weight`) ? `${kind}.` : '';
  const get = (name: string) => {
    const v = w.get(name);
    if (!v) throw new Error(`test forward: no tensor ${name}`);
    return v;
  };
  const distil = kind === 'distilbert';
  const d = (distil ? config.dim : config.hidden_size) as number;
  const H = (distil ? config.n_heads : config.num_attention_heads) as number;
  const L = (distil ? config.n_layers : config.num_hidden_layers) as number;
  const m = (distil ? config.hidden_dim : config.intermediate_size) as number;
  const V = config.vocab_size as number;
  const eps = distil ? 1e-12 : ((config.layer_norm_eps as number | undefined) ?? 1e-12);
  const f = act(((distil ? config.activation : config.hidden_act) as string | undefined) ?? 'gelu');
  const dh = d / H;
  const n = ids.length;
  const mask = inputs.mask ?? ids.map(() => 1);
  const types = inputs.types ?? ids.map(() => 0);

  // Embeddings. RoBERTa: create_position_ids_from_input_ids — cumsum of the non-pad mask, times the mask, + padding_idx.
  let positions = ids.map((_, i) => i);
  if (kind === 'roberta') {
    const pad = config.pad_token_id as number;
    let count = 0;
    positions = ids.map((id) => (id !== pad ? ++count : 0) + pad);
  }
  const E = (name: string) => get(`${base}embeddings.${name}`);
  let x: Vec[] = ids.map((id, i) => {
    const row = Array.from({ length: d }, (_, k) => E('word_embeddings.weight')[id * d + k] + E('position_embeddings.weight')[positions[i] * d + k]);
    if (!distil) for (let k = 0; k < d; k++) row[k] += E('token_type_embeddings.weight')[types[i] * d + k];
    return layerNorm(row, E('LayerNorm.weight'), E('LayerNorm.bias'), eps);
  });

  const attention: number[][][][] = [];
  const hidden: number[][][] = [];
  // The extended attention mask: (1 − mask)·finfo(float32).min added to every score of a padded key.
  const minValue = -3.4028234663852886e38;
  for (let l = 0; l < L; l++) {
    const names = distil
      ? { q: 'attention.q_lin', k: 'attention.k_lin', v: 'attention.v_lin', o: 'attention.out_lin', ln1: 'sa_layer_norm', up: 'ffn.lin1', down: 'ffn.lin2', ln2: 'output_layer_norm' }
      : { q: 'attention.self.query', k: 'attention.self.key', v: 'attention.self.value', o: 'attention.output.dense', ln1: 'attention.output.LayerNorm', up: 'intermediate.dense', down: 'output.dense', ln2: 'output.LayerNorm' };
    const p = `${base}${distil ? 'transformer' : 'encoder'}.layer.${l}.`;
    const lin = (name: string, v: Vec, out: number) => linear(v, get(`${p}${name}.weight`), get(`${p}${name}.bias`), out);
    const q = x.map((r) => lin(names.q, r, d));
    const k = x.map((r) => lin(names.k, r, d));
    const v = x.map((r) => lin(names.v, r, d));
    const ctx: Vec[] = x.map(() => new Array<number>(d).fill(0));
    const maps: number[][][] = [];
    for (let h = 0; h < H; h++) {
      const A: number[][] = [];
      for (let i = 0; i < n; i++) {
        const s = Array.from({ length: n }, (_, j) => {
          let dot = 0;
          for (let c = 0; c < dh; c++) dot += q[i][h * dh + c] * k[j][h * dh + c];
          return dot / Math.sqrt(dh) + (mask[j] ? 0 : minValue);
        });
        const mx = Math.max(...s);
        const e = s.map((z) => Math.exp(z - mx));
        const sum = e.reduce((a, b) => a + b, 0);
        const row = e.map((z) => z / sum);
        A.push(row);
        for (let j = 0; j < n; j++) for (let c = 0; c < dh; c++) ctx[i][h * dh + c] += row[j] * v[j][h * dh + c];
      }
      maps.push(A);
    }
    attention.push(maps);
    x = x.map((r, i) => {
      const a = lin(names.o, ctx[i], d);
      const y = layerNorm(r.map((rk, c) => rk + a[c]), get(`${p}${names.ln1}.weight`), get(`${p}${names.ln1}.bias`), eps);
      const ff = lin(names.down, lin(names.up, y, m).map(f), d);
      return layerNorm(y.map((yk, c) => yk + ff[c]), get(`${p}${names.ln2}.weight`), get(`${p}${names.ln2}.bias`), eps);
    });
    hidden.push(x.map((r) => r.slice()));
  }

  const head =
    kind === 'bert'
      ? { dense: 'cls.predictions.transform.dense', ln: 'cls.predictions.transform.LayerNorm', bias: 'cls.predictions.bias', decoder: 'cls.predictions.decoder.weight' }
      : kind === 'roberta'
        ? { dense: 'lm_head.dense', ln: 'lm_head.layer_norm', bias: 'lm_head.bias', decoder: 'lm_head.decoder.weight' }
        : { dense: 'vocab_transform', ln: 'vocab_layer_norm', bias: 'vocab_projector.bias', decoder: 'vocab_projector.weight' };
  if (!w.has(`${head.dense}.weight`)) return { attention, logits: null, allLogits: null, hidden };
  // The decoder is tied to the word embeddings unless tie_word_embeddings is false.
  const decoder = config.tie_word_embeddings === false ? get(head.decoder) : E('word_embeddings.weight');
  const logitsOf = (r: Vec) => {
    const t = layerNorm(linear(r, get(`${head.dense}.weight`), get(`${head.dense}.bias`), d).map(kind === 'bert' || kind === 'distilbert' ? f : act('gelu')), get(`${head.ln}.weight`), get(`${head.ln}.bias`), eps);
    return linear(t, decoder, get(head.bias), V);
  };
  const at = inputs.at ?? n - 1;
  const allLogits = x.map(logitsOf);
  return { attention, logits: allLogits[at], allLogits, hidden, lens: hidden.map((layer) => logitsOf(layer[at])) };
}
