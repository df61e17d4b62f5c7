// Reading a result into arrays given back from an earlier one: the same numbers and errors as new
// arrays, the given arrays really used, and the pool bounded.
import { beforeAll, describe, expect, it } from 'vitest';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { CaseError } from './caseError.ts';
import { FloatPool } from './floatPool.ts';
import { randomInput } from './test-utils.ts';
import type { AttentionResult, Matrix } from './types.ts';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

function matrices(r: AttentionResult): Matrix[] {
  return [...r.heads.flatMap((h) => [h.Q, h.K, h.V, h.scores, h.A, h.Z]), r.Z, ...(r.out ? [r.out] : [])];
}

describe('FloatPool', () => {
  it('gives an array of the asked length back once, newest first, and none of another length', () => {
    const pool = new FloatPool(1 << 20);
    const a = new ArrayBuffer(16);
    const b = new ArrayBuffer(16);
    pool.put(a);
    pool.put(b);
    pool.put(new ArrayBuffer(8));
    expect(pool.bytes).toBe(40);
    expect(pool.take(3)).toBeUndefined();
    expect(pool.take(4)?.buffer).toBe(b);
    expect(pool.take(4)?.buffer).toBe(a);
    expect(pool.take(4)).toBeUndefined();
    expect(pool.take(2)?.length).toBe(2);
    expect(pool.bytes).toBe(0);
  });

  it('drops the oldest arrays beyond its size, and never keeps one larger than it', () => {
    const pool = new FloatPool(32);
    const old = new ArrayBuffer(16);
    pool.put(old);
    pool.put(new ArrayBuffer(16));
    pool.put(new ArrayBuffer(16));
    expect(pool.bytes).toBe(32);
    pool.put(new ArrayBuffer(64));
    expect(pool.bytes).toBe(32);
    const left = [pool.take(4), pool.take(4)];
    expect(left.every((x) => x !== undefined && x.buffer !== old)).toBe(true);
  });

  it('trim drops the lengths nobody asked for since the last trim', () => {
    const pool = new FloatPool(1 << 20);
    pool.put(new ArrayBuffer(16));
    pool.put(new ArrayBuffer(16));
    pool.put(new ArrayBuffer(8));
    expect(pool.take(4)).toBeDefined();
    pool.trim();
    expect(pool.bytes).toBe(16);
    pool.trim();
    expect(pool.bytes).toBe(0);
  });
});

describe('computeAttention with reuse', () => {
  it('reads every matrix into the arrays given back, with the numbers of a fresh computation', async () => {
    const input = randomInput('reuse', { n: 7, d: 6, h: 3, dk: 2, dOut: 5, causal: true });
    const fresh = await computeAttention(input);
    const pool = new FloatPool(1 << 20);
    const given = new Set<ArrayBufferLike>();
    for (const m of matrices(await computeAttention(input))) {
      m.data.fill(NaN); // stale numbers must all be overwritten
      given.add(m.data.buffer);
      pool.put(m.data.buffer as ArrayBuffer);
    }
    const again = await computeAttention(input, { reuse: pool });
    const got = matrices(again);
    expect(got.every((m) => given.has(m.data.buffer))).toBe(true);
    expect(new Set(got.map((m) => m.data.buffer)).size).toBe(got.length);
    got.forEach((m, k) => expect(Array.from(m.data)).toEqual(Array.from(matrices(fresh)[k].data)));
    expect(pool.bytes).toBe(0);
  });

  it('still names the matrix that overflowed float32', async () => {
    const big = randomInput('big', { n: 3, d: 2, h: 1, dk: 2 });
    big.heads[0].Wv = { rows: 2, cols: 2, data: Float32Array.of(1e30, 0, 1e30, 0) };
    big.X = { rows: 3, cols: 2, data: Float32Array.of(1e10, 1e10, 1, 1, 0, 0) };
    const pool = new FloatPool(1 << 20);
    for (const m of matrices(await computeAttention(randomInput('big', { n: 3, d: 2, h: 1, dk: 2 })))) pool.put(m.data.buffer as ArrayBuffer);
    const err = await computeAttention(big, { reuse: pool }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaseError);
    expect((err as CaseError).message).toBe('heads[0].V: not finite at [0][0] (Infinity): the numbers are too large for float32');
  });
});
