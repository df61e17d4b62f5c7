// Writes a GPT-2-small-shaped checkpoint (12 layers × 12 heads, d 768, vocab 50,257, context 1,024,
// Conv1D layout, tied embeddings) with random weights as fp16 safetensors, tensor by tensor so the
// writer never holds more than one tensor. For the checkpoint benchmark; the folder is temporary.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toHalfBits } from '../engine/checkpoint/writeSafetensors.ts';

export const GPT2_SMALL = { n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, vocab_size: 50257 };

interface Spec {
  name: string;
  shape: number[];
  /** 'gain' = ones, 'zero' = zeros, else uniform with this half-width. */
  fill: 'gain' | 'zero' | number;
}

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
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2', activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, ...GPT2_SMALL }));
  const list = specs();
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const t of list) {
    const bytes = 2 * t.shape.reduce((a, b) => a * b, 1);
    header[t.name] = { dtype: 'F16', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const fd = openSync(join(dir, 'model.safetensors'), 'w');
  const len = Buffer.alloc(8);
  len.writeUInt32LE(json.length, 0);
  writeSync(fd, len);
  writeSync(fd, Buffer.from(json, 'ascii'));
  let seed = 0x9e3779b9;
  const one = toHalfBits(1);
  let params = 0;
  for (const t of list) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    params += n;
    const out = new Uint16Array(n);
    if (t.fill === 'gain') out.fill(one);
    else if (typeof t.fill === 'number') {
      for (let k = 0; k < n; k++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        out[k] = toHalfBits(((seed >>> 0) / 2 ** 32 - 0.5) * 2 * t.fill);
      }
    }
    writeSync(fd, new Uint8Array(out.buffer));
  }
  closeSync(fd);
  return params;
}

if (process.argv[2] === '--write') {
  const params = writeGpt2Small(process.argv[3]);
  console.log(`wrote ${process.argv[3]} (${params.toLocaleString('en')} parameters, fp16)`);
}
