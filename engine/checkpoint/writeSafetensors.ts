// Writing safetensors files: for the tests (fp16, bf16, sharded and broken variants of the conformance
// checkpoints) and the benchmark (a GPT-2-small-shaped fp16 checkpoint). Not used by the app.

export interface TensorToWrite {
  name: string;
  /** BOOL: 1 byte per element, true where the number is non-zero (as PyTorch saves mask buffers). */
  dtype: 'F32' | 'F16' | 'BF16' | 'BOOL';
  shape: number[];
  data: Float32Array;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → float16 bits, rounding to nearest even (overflow to ±Infinity, underflow through subnormals to ±0). */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const e32 = (x >>> 23) & 0xff;
  let man = x & 0x7fffff;
  if (e32 === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  const exp = e32 - 127 + 15;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    man |= 0x800000;
    const shift = 14 - exp;
    let h = man >>> shift;
    const rem = man & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (exp << 10) | (man >>> 13);
  const rem = man & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is the right result
  return sign | h;
}

/** float32 → bfloat16 bits, rounding to nearest even. */
export function toBfloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

function encodeData(t: TensorToWrite): Uint8Array {
  if (t.dtype === 'F32') return new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
  if (t.dtype === 'BOOL') return Uint8Array.from(t.data, (x) => (x !== 0 ? 1 : 0));
  const bits = new Uint16Array(t.data.length);
  const conv = t.dtype === 'F16' ? toHalfBits : toBfloat16Bits;
  for (let k = 0; k < bits.length; k++) bits[k] = conv(t.data[k]);
  return new Uint8Array(bits.buffer);
}

/**
 * A safetensors file of the tensors, in order. `misalign` pads the header so the data starts at an odd
 * offset (safetensors readers must cope with unaligned data).
 */
export function encodeSafetensors(tensors: TensorToWrite[], options: { misalign?: boolean; metadata?: Record<string, string> } = {}): Uint8Array {
  const datas = tensors.map(encodeData);
  const header: Record<string, unknown> = { __metadata__: options.metadata ?? { format: 'pt' } };
  let offset = 0;
  tensors.forEach((t, k) => {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + datas[k].byteLength] };
    offset += datas[k].byteLength;
  });
  const json = JSON.stringify(header);
  const length = new TextEncoder().encode(json).byteLength;
  // Pad to a multiple of 8 (as the reference writer does), or so that the data starts at 1 mod 4 when misaligning.
  const pad = options.misalign ? (((1 - (8 + length)) % 4) + 4) % 4 : (8 - (length % 8)) % 8;
  const head = new TextEncoder().encode(json + ' '.repeat(pad));
  const out = new Uint8Array(8 + head.byteLength + offset);
  new DataView(out.buffer).setUint32(0, head.byteLength, true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const d of datas) {
    out.set(d, at);
    at += d.byteLength;
  }
  return out;
}
