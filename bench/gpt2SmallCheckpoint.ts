// Writes a GPT-2-small-shaped checkpoint (12 layers × 12 heads, d 768, vocab 50,257, context 1,024,
// Conv1D layout, tied embeddings) with random weights as fp16 safetensors (fp16Checkpoint.ts). For the checkpoint benchmark; the folder is temporary.
import { writeFp16Checkpoint, xorshift, type Spec } from './fp16Checkpoint.ts';

export const GPT2_SMALL = { n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, vocab_size: 50257 };

function specs(): Spec[] {
  const { n_embd: d, n_layer: L, n_positions: ctx, vocab_size: V } = GPT2_SMALL;
  const s: Spec[] = [
    { name: 'wte.weight', shape: [V, d], fill: 0.035 },
    { name: 'wpe.weight', shape: [ctx, d], fill: 0.01 },
  ];
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    s.push(
      { name: `${p}.ln_1.weight`, shape: [d], fill: 'gain' },
      { name: `${p}.ln_1.bias`, shape: [d], fill: 'zero' },
      { name: `${p}.attn.c_attn.weight`, shape: [d, 3 * d], fill: 0.035 },
      { name: `${p}.attn.c_attn.bias`, shape: [3 * d], fill: 0.01 },
      { name: `${p}.attn.c_proj.weight`, shape: [d, d], fill: 0.01 },
      { name: `${p}.attn.c_proj.bias`, shape: [d], fill: 'zero' },
      { name: `${p}.ln_2.weight`, shape: [d], fill: 'gain' },
      { name: `${p}.ln_2.bias`, shape: [d], fill: 'zero' },
      { name: `${p}.mlp.c_fc.weight`, shape: [d, 4 * d], fill: 0.035 },
      { name: `${p}.mlp.c_fc.bias`, shape: [4 * d], fill: 'zero' },
      { name: `${p}.mlp.c_proj.weight`, shape: [4 * d, d], fill: 0.01 },
      { name: `${p}.mlp.c_proj.bias`, shape: [d], fill: 'zero' },
    );
  }
  s.push({ name: 'ln_f.weight', shape: [d], fill: 'gain' }, { name: 'ln_f.bias', shape: [d], fill: 'zero' });
  return s;
}

/** Writes the checkpoint into `dir`; returns the parameter count. */
export function writeGpt2Small(dir: string): number {
  return writeFp16Checkpoint(dir, { model_type: 'gpt2', activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, ...GPT2_SMALL }, specs(), xorshift());
}

if (process.argv[2] === '--write') {
  const params = writeGpt2Small(process.argv[3]);
  console.log(`wrote ${process.argv[3]} (${params.toLocaleString('en')} parameters, fp16)`);
}
