// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data;
// offsets count from the first byte after the header. Everything is checked before any tensor is read,
// because the bytes may come from anywhere (a truncated download, a wrong file).
import { byteRange, type FileBytes } from './bytes.ts';
import { CheckpointError, describeValue } from './errors.ts';

/** Bytes per element of every dtype the format defines (so the offsets of any tensor can be checked). */
const DTYPE_SIZE: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1,
};

/** The floating-point dtypes this loader reads (into float32). */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16'] as const;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offsets in the file. */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  /** The file as named in messages. */
  file: string;
  /** One array, or pieces for a file larger than a browser's ArrayBuffer (see bytes.ts). */
  bytes: FileBytes;
  tensors: Map<string, TensorInfo>;
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parses and checks the header of a safetensors file (the data is not read). */
export function parseSafetensors(bytes: FileBytes, file: string): SafetensorsFile {
  const fail = (what: string | null, problem: string) => new CheckpointError(file, what, problem);
  if (bytes.byteLength < 8) throw fail(null, `${bytes.byteLength} bytes is too short for a safetensors file (no 8-byte header length) — truncated?`);
  const first8 = byteRange(bytes, 0, 8);
  const dv = new DataView(first8.buffer, first8.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const headerLength = hi * 2 ** 32 + lo;
  if (headerLength > bytes.byteLength - 8) {
    throw fail('header', `its length ${headerLength} runs past the end of the file (${bytes.byteLength} bytes) — truncated, or not a safetensors file?`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(byteRange(bytes, 8, 8 + headerLength)));
  } catch (e) {
    throw fail('header', `not valid JSON (${(e as Error).message}) — not a safetensors file?`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('header', `expected a JSON object, got ${describeValue(header)}`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, TensorInfo>();
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const what = `tensor ${name}`;
    if (typeof v !== 'object' || v === null) throw fail(what, `expected {dtype, shape, data_offsets}, got ${describeValue(v)}`);
    const { dtype, shape, data_offsets: offsets } = v as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE)) throw fail(what, `unknown dtype ${describeValue(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isWhole)) throw fail(what, `expected shape as an array of whole numbers, got ${describeValue(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isWhole) || offsets[0] > offsets[1]) {
      throw fail(what, `expected data_offsets [begin, end] with begin ≤ end, got ${JSON.stringify(offsets)}`);
    }
    const [b, e] = offsets as number[];
    if (e > dataLength) {
      throw fail(what, `data_offsets [${b}, ${e}] point past the end of the data (${dataLength} bytes after the header) — truncated?`);
    }
    const count = (shape as number[]).reduce((p, x) => p * x, 1);
    if (e - b !== count * DTYPE_SIZE[dtype]) {
      throw fail(what, `data_offsets [${b}, ${e}] hold ${e - b} bytes, but shape [${shape.join(', ')}] of ${dtype} needs ${count * DTYPE_SIZE[dtype]}`);
    }
    tensors.set(name, { name, dtype, shape: shape as number[], begin: dataStart + b, end: dataStart + e });
  }
  const sorted = [...tensors.values()].sort((a, b) => a.begin - b.begin);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    if (sorted[k].begin < prev.end) {
      throw fail(`tensor ${sorted[k].name}`, `its data overlaps tensor ${prev.name} (data_offsets [${sorted[k].begin - dataStart}, ${sorted[k].end - dataStart}] and [${prev.begin - dataStart}, ${prev.end - dataStart}])`);
    }
  }
  return { file, bytes, tensors };
}

/** float16 bits → float32 bits (subnormals normalised, infinities and NaN kept). */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  let man = h & 0x3ff;
  if (exp === 31) return sign | 0x7f800000 | (man << 13);
  if (exp !== 0) return sign | ((exp + 112) << 23) | (man << 13);
  if (man === 0) return sign;
  let e = 113;
  while ((man & 0x400) === 0) {
    man <<= 1;
    e--;
  }
  return sign | (e << 23) | ((man & 0x3ff) << 13);
}

/**
 * A typed view of elements start…start+count−1 of the tensor when its bytes are aligned and in one piece of
 * the file, else of an aligned copy of just those bytes (safetensors does not promise alignment).
 */
function aligned<T>(st: SafetensorsFile, t: TensorInfo, size: number, start: number, count: number, make: (buf: ArrayBufferLike, offset: number, length: number) => T): T {
  const begin = t.begin + start * size;
  const bytes = byteRange(st.bytes, begin, begin + count * size);
  if (bytes.byteOffset % size === 0) return make(bytes.buffer, bytes.byteOffset, count);
  return make(bytes.slice().buffer, 0, count);
}

/** Elements in a tensor (from its byte range: the header check made the two agree). */
function elementCount(t: TensorInfo): number {
  return (t.end - t.begin) / DTYPE_SIZE[t.dtype];
}

/**
 * The tensor as float32, checked to be finite. F32 is a view into the file's bytes when aligned (copy it
 * if you keep it, or the whole file stays alive); F16 and BF16 are converted once, into a new array or
 * into the start of `scratch` when it is long enough (reused memory: on these VMs first writes to fresh
 * pages cost more than the conversion itself). `range`: only elements start…start+count−1 (a few rows of
 * a table kept in the file's precision).
 */
export function readFloat32(st: SafetensorsFile, t: TensorInfo, scratch?: Float32Array, range?: { start: number; count: number }): Float32Array {
  const start = range?.start ?? 0;
  const count = range?.count ?? elementCount(t);
  let out: Float32Array;
  if (t.dtype === 'F32') {
    out = aligned(st, t, 4, start, count, (b, o, n) => new Float32Array(b, o, n));
  } else if (t.dtype === 'F16' || t.dtype === 'BF16') {
    const src = aligned(st, t, 2, start, count, (b, o, n) => new Uint16Array(b, o, n));
    out = scratch && scratch.length >= src.length ? scratch.subarray(0, src.length) : new Float32Array(src.length);
    const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
    if (t.dtype === 'BF16') for (let k = 0; k < src.length; k++) bits[k] = src[k] << 16;
    else for (let k = 0; k < src.length; k++) bits[k] = halfToFloatBits(src[k]);
  } else {
    throw unsupported(st, t);
  }
  for (let k = 0; k < out.length; k++) {
    if (!Number.isFinite(out[k])) throw nonFinite(st, t, start + k, out[k]);
  }
  return out;
}

function unsupported(st: SafetensorsFile, t: TensorInfo): CheckpointError {
  return new CheckpointError(st.file, `tensor ${t.name}`, `dtype ${t.dtype} is not supported (supported: ${FLOAT_DTYPES.join(', ')})`);
}

function nonFinite(st: SafetensorsFile, t: TensorInfo, k: number, value: number): CheckpointError {
  return new CheckpointError(st.file, `tensor ${t.name}`, `element ${k} is ${value} (weights must be finite numbers)`);
}

/** Elements checked at a time: a block that crosses a seam between pieces of the file is copied, so keep it small (32 MB at 16 bits). */
const CHECK_BLOCK = 2 ** 24;

/**
 * Throws the error readFloat32 would for a non-finite element, reading the stored bits without converting
 * them (a tensor kept in the file's precision is checked once, when the checkpoint opens): a 16-bit float is
 * infinite or NaN exactly when its exponent bits are all ones.
 */
export function checkFinite(st: SafetensorsFile, t: TensorInfo): void {
  const n = elementCount(t);
  if (t.dtype === 'F32') {
    for (let start = 0; start < n; start += CHECK_BLOCK) readFloat32(st, t, undefined, { start, count: Math.min(CHECK_BLOCK, n - start) });
    return;
  }
  if (t.dtype !== 'F16' && t.dtype !== 'BF16') throw unsupported(st, t);
  const mask = t.dtype === 'F16' ? 0x7c00 : 0x7f80;
  for (let start = 0; start < n; start += CHECK_BLOCK) {
    const src = aligned(st, t, 2, start, Math.min(CHECK_BLOCK, n - start), (b, o, c) => new Uint16Array(b, o, c));
    for (let k = 0; k < src.length; k++) {
      if ((src[k] & mask) === mask) readFloat32(st, t, undefined, { start: start + k, count: 1 }); // throws, naming the element
    }
  }
}
