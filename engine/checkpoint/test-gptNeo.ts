// A small synthetic GPT-Neo checkpoint for the tests (not used by the app), and GPT-Neo's forward pass
// written straight from the Hugging Face modeling code's semantics over the stored tensors — plain float64
// loops that share nothing with the engine or its reference forward, so a loader that reads a weight in
// the wrong orientation, scales the scores, or masks the wrong keys disagrees with it.
import { gaussians } from '../seeded.ts';
import type { TensorToWrite } from './writeSafetensors.ts';

/** The shape of a synthetic GPT-Neo: layers alternate global and local (layer 0 global). */
export interface NeoShape {
  d: number;
  heads: number;
  layers: number;
  vocab: number;
  context: number;
  window: number;
  mlp: number;
}

export const NEO: NeoShape = { d: 32, heads: 4, layers: 2, vocab: 50, context: 16, window: 3, mlp: 128 };

/** The config.json of a synthetic GPT-Neo of this shape. */
export function neoConfig(shape: NeoShape = NEO) {
  return {
    model_type: 'gpt_neo',
    architectures: ['GPTNeoForCausalLM'],
    hidden_size: shape.d,
    num_heads: shape.heads,
    num_layers: shape.layers,
    attention_types: [[['global', 'local'], shape.layers / 2]],
    attention_layers: Array.from({ length: shape.layers }, (_, l) => (l % 2 === 0 ? 'global' : 'local')),
    window_size: shape.window,
    max_position_embeddings: shape.context,
    vocab_size: shape.vocab,
    intermediate_size: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    tie_word_embeddings: true,
  };
}

export const NEO_CONFIG = neoConfig();

/** Probe ids: longer than the window, so the local layer masks keys the global one sees. */
export const NEO_IDS = [3, 17, 42, 8, 8, 29, 1, 49, 17, 0, 33];

/**
 * The tensors as transformers' GPTNeoForCausalLM stores them ("transformer." names, Linear (out, in)), plus
 * the attention-mask buffers old exports may carry (as BOOL). Scales make the heads non-uniform but not one-hot.
 */
export function neoTensors(seed = 'neo', shape: NeoShape = NEO): TensorToWrite[] {
  const { d, vocab, context, mlp } = shape;
  const t = (name: string, shape: number[], std: number, mean = 0): TensorToWrite => {
    const data = gaussians(`${seed}/${name}`, shape.reduce((a, b) => a * b, 1), std);
    if (mean) for (let k = 0; k < data.length; k++) data[k] += mean;
    return { name: `transformer.${name}`, dtype: 'F32', shape, data };
  };
  const out: TensorToWrite[] = [t('wte.weight', [vocab, d], 0.5), t('wpe.weight', [context, d], 0.3)];
  for (let l = 0; l < shape.layers; l++) {
    const p = `h.${l}`;
    out.push(t(`${p}.ln_1.weight`, [d], 0.1, 1), t(`${p}.ln_1.bias`, [d], 0.1));
    for (const proj of ['q_proj', 'k_proj', 'v_proj']) out.push(t(`${p}.attn.attention.${proj}.weight`, [d, d], 0.15));
    out.push(t(`${p}.attn.attention.out_proj.weight`, [d, d], 0.15), t(`${p}.attn.attention.out_proj.bias`, [d], 0.1));
    out.push(t(`${p}.ln_2.weight`, [d], 0.1, 1), t(`${p}.ln_2.bias`, [d], 0.1));
    out.push(t(`${p}.mlp.c_fc.weight`, [mlp, d], 0.15), t(`${p}.mlp.c_fc.bias`, [mlp], 0.1));
    out.push(t(`${p}.mlp.c_proj.weight`, [d, mlp], 0.1), t(`${p}.mlp.c_proj.bias`, [d], 0.1));
    // Buffers that transformers no longer saves but older files may hold:
    // the layer's mask as BOOL (causal, banded on local layers) and masked_bias.
    const local = l % 2 === 1;
    const mask = Float32Array.from({ length: context * context }, (_, k) => {
      const [i, j] = [Math.floor(k / context), k % context];
      return j <= i && (!local || j > i - shape.window) ? 1 : 0;
    });
    out.push({ name: `transformer.${p}.attn.attention.bias`, dtype: 'BOOL', shape: [1, 1, context, context], data: mask });
    out.push({ name: `transformer.${p}.attn.attention.masked_bias`, dtype: 'F32', shape: [], data: Float32Array.of(-1e9) });
  }
  out.push(t('ln_f.weight', [d], 0.1, 1), t('ln_f.bias', [d], 0.1));
  return out;
}

type Tensors = Map<string, Float32Array>;

/** LayerNorm of a row (biased variance, as torch.nn.LayerNorm). */
export function neoLayerNorm(x: ArrayLike<number>, gain: ArrayLike<number>, bias: ArrayLike<number>, eps = 1e-5): number[] {
  const n = x.length;
  let mean = 0;
  for (let k = 0; k < n; k++) mean += x[k] / n;
  let v = 0;
  for (let k = 0; k < n; k++) v += (x[k] - mean) ** 2 / n;
  return Array.from({ length: n }, (_, k) => ((x[k] - mean) / Math.sqrt(v + eps)) * gain[k] + bias[k]);
}

/** nn.Linear: W (out, in) · x + b. */
export function neoLinear(W: Float32Array, b: Float32Array | null, x: number[], outDim: number): number[] {
  const inDim = x.length;
  return Array.from({ length: outDim }, (_, o) => {
    let s = b ? b[o] : 0;
    for (let k = 0; k < inDim; k++) s += W[o * inDim + k] * x[k];
    return s;
  });
}

/** GPT-Neo's forward pass: per layer and head A (n×n rows), and the last position's logits. */
export function neoForward(tensors: TensorToWrite[], ids: number[]): { attention: number[][][][]; logits: number[] } {
  const w: Tensors = new Map(tensors.map((t) => [t.name.replace(/^transformer\./, ''), t.data]));
  const get = (name: string) => w.get(name)!;
  const { d, heads, mlp, window } = NEO;
  const dh = d / heads;
  const n = ids.length;
  let x = ids.map((id, i) => Array.from({ length: d }, (_, k) => get('wte.weight')[id * d + k] + get('wpe.weight')[i * d + k]));
  const attention: number[][][][] = [];
  for (let l = 0; l < NEO.layers; l++) {
    const p = `h.${l}`;
    const a = `${p}.attn.attention`;
    const local = NEO_CONFIG.attention_layers[l] === 'local';
    const h = x.map((row) => neoLayerNorm(row, get(`${p}.ln_1.weight`), get(`${p}.ln_1.bias`)));
    const q = h.map((row) => neoLinear(get(`${a}.q_proj.weight`), null, row, d));
    const k = h.map((row) => neoLinear(get(`${a}.k_proj.weight`), null, row, d));
    const v = h.map((row) => neoLinear(get(`${a}.v_proj.weight`), null, row, d));
    const z = x.map(() => new Array<number>(d).fill(0));
    const maps: number[][][] = [];
    for (let hh = 0; hh < heads; hh++) {
      const A = x.map(() => new Array<number>(n).fill(0));
      for (let i = 0; i < n; i++) {
        // Causal, and on local layers only the last `window` keys (tril(ones) XOR tril(ones, −window)); no 1/√d_head.
        const keys = Array.from({ length: i + 1 }, (_, j) => j).filter((j) => !local || j > i - window);
        const s = keys.map((j) => {
          let dot = 0;
          for (let t = 0; t < dh; t++) dot += q[i][hh * dh + t] * k[j][hh * dh + t];
          return dot;
        });
        const m = Math.max(...s);
        const e = s.map((x) => Math.exp(x - m));
        const sum = e.reduce((acc, x) => acc + x, 0);
        keys.forEach((j, c) => (A[i][j] = e[c] / sum));
        for (const j of keys) for (let t = 0; t < dh; t++) z[i][hh * dh + t] += A[i][j] * v[j][hh * dh + t];
      }
      maps.push(A);
    }
    attention.push(maps);
    x = x.map((row, i) => {
      const attn = neoLinear(get(`${a}.out_proj.weight`), get(`${a}.out_proj.bias`), z[i], d);
      const r = row.map((xk, c) => xk + attn[c]);
      const up = neoLinear(get(`${p}.mlp.c_fc.weight`), get(`${p}.mlp.c_fc.bias`), neoLayerNorm(r, get(`${p}.ln_2.weight`), get(`${p}.ln_2.bias`)), mlp);
      const act = up.map((u) => 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u ** 3)))); // gelu_new
      const down = neoLinear(get(`${p}.mlp.c_proj.weight`), get(`${p}.mlp.c_proj.bias`), act, d);
      return r.map((rk, c) => rk + down[c]);
    });
  }
  const last = neoLayerNorm(x[n - 1], get('ln_f.weight'), get('ln_f.bias'));
  return { attention, logits: neoLinear(get('wte.weight'), null, last, NEO.vocab) };
}
