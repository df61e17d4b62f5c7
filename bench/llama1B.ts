// The synthetic 1B-class checkpoint of the big-model benchmarks (bench/bigModel.ts in Node and on the command
// line, bench/bigBrowser.ts in the browser): Llama-3.2-1B's shape with pseudo-random fp16 weights, 2.47 GB.
// `npx tsx bench/llama1B.ts DIR` writes it (the benches run that in a child process, so the writer's memory
// is gone before anything is measured).
import { pathToFileURL } from 'node:url';
import { pooled, writeFp16Checkpoint, type Spec } from './fp16Checkpoint.ts';

/** Llama-3.2-1B's shape (config.json of meta-llama/Llama-3.2-1B, without its rope_scaling). */
export const LLAMA_1B = {
  model_type: 'llama',
  hidden_size: 2048,
  intermediate_size: 8192,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  num_hidden_layers: 16,
  vocab_size: 128256,
  max_position_embeddings: 131072,
  rms_norm_eps: 1e-5,
  rope_theta: 500000,
  tie_word_embeddings: true,
};

/** Attention maps of one forward pass: every head of every layer. */
export const LLAMA_1B_MAPS = LLAMA_1B.num_hidden_layers * LLAMA_1B.num_attention_heads;

export function llama1BSpecs(): Spec[] {
  const { hidden_size: d, intermediate_size: m, num_attention_heads: h, num_key_value_heads: kv, num_hidden_layers: L, vocab_size: V } = LLAMA_1B;
  const dh = d / h;
  const s: Spec[] = [{ name: 'model.embed_tokens.weight', shape: [V, d], fill: 0.02 }];
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}`;
    s.push(
      { name: `${p}.self_attn.q_proj.weight`, shape: [h * dh, d], fill: 0.04 },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv * dh, d], fill: 0.04 },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv * dh, d], fill: 0.02 },
      { name: `${p}.self_attn.o_proj.weight`, shape: [d, h * dh], fill: 0.01 },
      { name: `${p}.mlp.gate_proj.weight`, shape: [m, d], fill: 0.02 },
      { name: `${p}.mlp.up_proj.weight`, shape: [m, d], fill: 0.02 },
      { name: `${p}.mlp.down_proj.weight`, shape: [d, m], fill: 0.01 },
      { name: `${p}.input_layernorm.weight`, shape: [d], fill: 'gain' },
      { name: `${p}.post_attention_layernorm.weight`, shape: [d], fill: 'gain' },
    );
  }
  s.push({ name: 'model.norm.weight', shape: [d], fill: 'gain' });
  return s;
}

/** n token ids spread over the vocabulary (the checkpoint has no tokenizer: the app and the CLI read ids). */
export function llama1BIds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i * 7919 + 13) % LLAMA_1B.vocab_size);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx bench/llama1B.ts DIR');
  const params = writeFp16Checkpoint(dir, LLAMA_1B, llama1BSpecs(), pooled());
  console.log(`wrote ${dir} (${params.toLocaleString('en')} parameters, fp16)`);
}
