// A GPT-2-shaped checkpoint with random weights and any number of layers and heads at a tiny width, for the
// browser tests and benchmark of deep models (12 × 12 = 144 heads loads in a moment). No tokenizer.json: the
// app then reads the text as token ids.
import { writeCheckpoint } from '../../engine/checkpoint/test-checkpoints.ts';
import type { TensorToWrite } from '../../engine/checkpoint/writeSafetensors.ts';

export interface SyntheticShape {
  layers: number;
  heads: number;
  /** Width of one head (d = heads × headDim). */
  headDim: number;
  vocab: number;
  context: number;
}

export const GPT2_144: SyntheticShape = { layers: 12, heads: 12, headDim: 4, vocab: 64, context: 128 };

/** Deterministic uniform numbers in [−1, 1) (mulberry32), so every run writes the same checkpoint. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Writes the checkpoint into `dir` (created); returns `dir`. */
export function writeSyntheticGpt2(dir: string, shape: SyntheticShape = GPT2_144, seed = 1): string {
  const { layers: L, heads: H, headDim, vocab: V, context } = shape;
  const d = H * headDim;
  const next = uniform(seed);
  const tensor = (name: string, dims: number[], fill: 'gain' | 'zero' | number): TensorToWrite => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let k = 0; k < data.length; k++) data[k] = fill === 'gain' ? 1 : fill === 'zero' ? 0 : fill * next();
    return { name, dtype: 'F32', shape: dims, data };
  };
  // Queries and keys large enough that the heads' patterns differ visibly.
  const tensors = [tensor('wte.weight', [V, d], 0.5), tensor('wpe.weight', [context, d], 0.5)];
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    tensors.push(
      tensor(`${p}.ln_1.weight`, [d], 'gain'),
      tensor(`${p}.ln_1.bias`, [d], 'zero'),
      tensor(`${p}.attn.c_attn.weight`, [d, 3 * d], 0.8),
      tensor(`${p}.attn.c_attn.bias`, [3 * d], 'zero'),
      tensor(`${p}.attn.c_proj.weight`, [d, d], 0.2),
      tensor(`${p}.attn.c_proj.bias`, [d], 'zero'),
      tensor(`${p}.ln_2.weight`, [d], 'gain'),
      tensor(`${p}.ln_2.bias`, [d], 'zero'),
      tensor(`${p}.mlp.c_fc.weight`, [d, 4 * d], 0.2),
      tensor(`${p}.mlp.c_fc.bias`, [4 * d], 'zero'),
      tensor(`${p}.mlp.c_proj.weight`, [4 * d, d], 0.2),
      tensor(`${p}.mlp.c_proj.bias`, [d], 'zero'),
    );
  }
  tensors.push(tensor('ln_f.weight', [d], 'gain'), tensor('ln_f.bias', [d], 'zero'));
  const config = { model_type: 'gpt2', activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, n_embd: d, n_head: H, n_layer: L, n_positions: context, vocab_size: V };
  return writeCheckpoint(dir, config, tensors);
}

/** Token ids 1…n as the app's text for a checkpoint without a tokenizer. */
export function idsText(n: number, vocab = GPT2_144.vocab): string {
  return Array.from({ length: n }, (_, k) => String(1 + (k % (vocab - 1)))).join(' ');
}
