// Writes synthetic fp16 safetensors checkpoints for the benchmarks, a chunk at a time so the writer never
// holds more than CHUNK numbers however large a tensor is (a 1B-class embedding is 262 M of them).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toHalfBits } from '../engine/checkpoint/writeSafetensors.ts';

export interface Spec {
  name: string;
  shape: number[];
  /** 'gain' = ones, 'zero' = zeros, else uniform with this half-width. */
  fill: 'gain' | 'zero' | number;
}

/** Fills `out` with the next pseudo-random fp16 numbers uniform in ±width (a generator keeps its state across calls). */
export type Random = (out: Uint16Array, width: number) => void;

const CHUNK = 2 ** 24;

/** xorshift32, each number converted on its own (exact, ~20 ns a number). */
export function xorshift(): Random {
  let seed = 0x9e3779b9;
  return (out, width) => {
    for (let k = 0; k < out.length; k++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      out[k] = toHalfBits(((seed >>> 0) / 2 ** 32 - 0.5) * 2 * width);
    }
  };
}

/**
 * For billions of numbers: a pool of 2²⁰ + 7 xorshift numbers per width, copied from a moving offset (the
 * weights repeat with that period, which no benchmark can tell from random).
 */
export function pooled(): Random {
  const pools = new Map<number, Uint16Array>();
  const next = xorshift();
  let at = 0;
  return (out, width) => {
    let pool = pools.get(width);
    if (!pool) next((pool = new Uint16Array(2 ** 20 + 7)), width);
    pools.set(width, pool);
    for (let k = 0; k < out.length; ) {
      const take = Math.min(out.length - k, pool.length - at);
      out.set(pool.subarray(at, at + take), k);
      k += take;
      at = (at + take) % pool.length;
    }
  };
}

/** Writes config.json and model.safetensors (F16) into `dir`; returns the parameter count. */
export function writeFp16Checkpoint(dir: string, config: object, list: Spec[], random: Random): number {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
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
  const one = toHalfBits(1);
  let params = 0;
  const buffer = new Uint16Array(CHUNK);
  for (const t of list) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    params += n;
    for (let done = 0; done < n; done += CHUNK) {
      const out = buffer.subarray(0, Math.min(CHUNK, n - done));
      if (t.fill === 'gain') out.fill(one);
      else if (t.fill === 'zero') out.fill(0);
      else random(out, t.fill);
      writeSync(fd, new Uint8Array(out.buffer, 0, out.byteLength));
    }
  }
  closeSync(fd);
  return params;
}
