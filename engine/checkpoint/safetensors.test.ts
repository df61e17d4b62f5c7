import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_MODELS } from './test-checkpoints.ts';
import { CheckpointError } from './errors.ts';
import { parseSafetensors, readFloat32 } from './safetensors.ts';
import { encodeSafetensors, toBfloat16Bits, toHalfBits } from './writeSafetensors.ts';

const F = 'ck/model.safetensors';

/** A file from a raw header object and a data section of `dataBytes` bytes. */
function raw(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataBytes);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 8);
  return out;
}

const halfBytes = (bits: number[]) => {
  const u = new Uint16Array(bits);
  return new Uint8Array(u.buffer);
};

describe('safetensors: decoding', () => {
  it('F16 bit patterns (normal, subnormal, signed) decode exactly', () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x3555, 0x8000, 0x0400];
    const want = [1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, 0.333251953125, -0, 2 ** -14];
    const file = raw({ x: { dtype: 'F16', shape: [8], data_offsets: [0, 16] } }, 16);
    file.set(halfBytes(bits), file.byteLength - 16);
    const st = parseSafetensors(file, F);
    expect(Array.from(readFloat32(st, st.tensors.get('x')!))).toEqual(want);
  });

  it('F16 and BF16 round trips through the writer, aligned and unaligned', () => {
    const data = Float32Array.from([0.1, -3.75, 1e-6, 6e-8, 60000, 0, 123.456, -1e-3]);
    for (const misalign of [false, true]) {
      for (const dtype of ['F32', 'F16', 'BF16'] as const) {
        const file = encodeSafetensors([{ name: 'w', dtype, shape: [2, 4], data }], { misalign });
        const st = parseSafetensors(file, F);
        const t = st.tensors.get('w')!;
        if (misalign) expect(t.begin % 2).toBe(1);
        const got = readFloat32(st, t);
        if (dtype === 'F32') expect(Array.from(got)).toEqual(Array.from(data));
        if (dtype === 'F16') {
          expect(got[0]).toBe(0.0999755859375); // nearest half to 0.1
          expect(got[3]).toBe(2 ** -24); // 6e-8 → the smallest subnormal
          expect(got[4]).toBe(60000);
        }
        if (dtype === 'BF16') expect(got[0]).toBe(0.10009765625);
      }
    }
    expect(toHalfBits(70000)).toBe(0x7c00); // overflow → +Infinity (the loader then rejects it)
    expect(toHalfBits(2 ** -25)).toBe(0); // a tie rounds to even (0)
    expect(toHalfBits(3 * 2 ** -25)).toBe(2); // 1.5 ulp → 2
    expect(toBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
  });
});

describe('safetensors: every problem named', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
  const cases: [string, Uint8Array, string][] = [
    ['too short', new Uint8Array(5), `${F}: 5 bytes is too short for a safetensors file (no 8-byte header length) — truncated?`],
    ['header past the end', raw(ok, 12).subarray(0, 20), `${F}: header: its length 108 runs past the end of the file (20 bytes) — truncated, or not a safetensors file?`],
    ['truncated data', raw(ok, 12).subarray(0, 8 + 108 + 10), `${F}: tensor b: data_offsets [8, 12] point past the end of the data (10 bytes after the header) — truncated?`],
    ['overlapping', raw({ a: ok.a, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 12), `${F}: tensor b: its data overlaps tensor a (data_offsets [4, 8] and [0, 8])`],
    ['byte length vs shape', raw({ a: { dtype: 'F16', shape: [3], data_offsets: [0, 8] } }, 8), `${F}: tensor a: data_offsets [0, 8] hold 8 bytes, but shape [3] of F16 needs 6`],
    ['unknown dtype', raw({ a: { dtype: 'F7', shape: [1], data_offsets: [0, 1] } }, 1), `${F}: tensor a: unknown dtype "F7"`],
    ['bad shape', raw({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4), `${F}: tensor a: expected shape as an array of whole numbers, got an array of 1`],
    ['bad offsets', raw({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4), `${F}: tensor a: expected data_offsets [begin, end] with begin ≤ end, got [4,0]`],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => expect(() => parseSafetensors(bytes, F)).toThrow(message));
  }

  it('malformed JSON', () => {
    const bytes = raw({}, 0);
    bytes[8] = 0x5b; // "[}" is not JSON
    expect(() => parseSafetensors(bytes, F)).toThrow(/^ck\/model\.safetensors: header: not valid JSON \(.*\) — not a safetensors file\?$/);
  });

  it('NaN and Infinity weights, and unsupported dtypes, are refused when read', () => {
    const st = parseSafetensors(encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [3], data: Float32Array.from([1, NaN, 2]) }]), F);
    expect(() => readFloat32(st, st.tensors.get('w')!)).toThrow(`${F}: tensor w: element 1 is NaN (weights must be finite numbers)`);
    const inf = parseSafetensors(encodeSafetensors([{ name: 'w', dtype: 'F16', shape: [1], data: Float32Array.from([1e6]) }]), F);
    expect(() => readFloat32(inf, inf.tensors.get('w')!)).toThrow(`${F}: tensor w: element 0 is Infinity (weights must be finite numbers)`);
    const ints = parseSafetensors(raw({ i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8), F);
    expect(() => readFloat32(ints, ints.tensors.get('i')!)).toThrow(`${F}: tensor i: dtype I64 is not supported (supported: F32, F16, BF16)`);
  });
});

describe('safetensors: corrupted files never crash the parser', () => {
  it('random truncations and byte changes of a real file: a CheckpointError or valid float32 tensors', () => {
    const original = new Uint8Array(readFileSync(join(CONFORMANCE_MODELS, 'gpt2-tiny', 'model.safetensors')));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: original.byteLength }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2400 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (length, changes) => {
          const bytes = original.slice(0, length);
          for (const [at, v] of changes) if (at < bytes.length) bytes[at] = v;
          try {
            const st = parseSafetensors(bytes, F);
            for (const t of st.tensors.values()) {
              const data = readFloat32(st, t);
              if (data.some((x) => !Number.isFinite(x))) return false;
            }
          } catch (e) {
            if (!(e instanceof CheckpointError) || e.message.includes('\n')) return false;
          }
          return true;
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
