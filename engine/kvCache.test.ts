// The KV cache against the full causal recomputation (computeAttention on the whole prefix): plain, with
// biases and RoPE, with heads sharing key/value heads, with a local window, and on a real model's layer
// (stories260K: RoPE and 8 query heads on 4 key/value heads). Then the cost counter, by hand.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { dirFiles } from './checkpoint/dirFiles.ts';
import { loadCheckpoint } from './checkpoint/load.ts';
import { CONFORMANCE_MODELS, expected } from './checkpoint/test-checkpoints.ts';
import { kvCacheSize, kvGroups, kvHeadsOf } from './gqa.ts';
import { cacheRow, KvCache, type CacheStep } from './kvCache.ts';
import { gaussians } from './seeded.ts';
import type { AttentionInput } from './types.ts';
import { randomInput, rowOf } from './test-utils.ts';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

async function feed(input: AttentionInput): Promise<CacheStep[]> {
  const cache = new KvCache(input);
  const steps: CacheStep[] = [];
  for (let t = 0; t < input.X.rows; t++) steps.push(await cache.append(rowOf(input.X, t), input.keyWeights?.[t] ?? 1));
  expect(cache.length).toBe(input.X.rows);
  return steps;
}

/** Every step's row equals row t of the full causal computation, in every head. */
async function expectEqualsFull(input: AttentionInput, tol = 1e-5): Promise<CacheStep[]> {
  const steps = await feed(input);
  const full = await computeAttention({ ...input, causal: true });
  steps.forEach((step, t) => {
    expect(step.position).toBe(t);
    step.heads.forEach((hs, h) => {
      const hr = full.heads[h];
      const A = rowOf(hr.A, t);
      expect(hs.a.length).toBe(t + 1);
      hs.a.forEach((a, j) => expect(Math.abs(a - A[j]), `step ${t} head ${h} a[${j}]`).toBeLessThan(tol));
      for (let j = t + 1; j < A.length; j++) expect(A[j]).toBe(0); // the future the cache has not seen yet
      rowOf(hr.Z, t).forEach((z, c) => expect(Math.abs(hs.z[c] - z), `step ${t} head ${h} z[${c}]`).toBeLessThan(tol));
      rowOf(hr.Q, t).forEach((q, c) => expect(Math.abs(hs.q[c] - q)).toBeLessThan(tol));
      rowOf(hr.scores, t).slice(step.first, t + 1).forEach((s, j) => expect(Math.abs(hs.scores[step.first + j] - s)).toBeLessThan(tol * 10));
    });
  });
  return steps;
}

function withBiases(input: AttentionInput, seed: string): AttentionInput {
  const dk = input.heads[0].Wq.cols;
  return { ...input, heads: input.heads.map((h, k) => ({ ...h, bq: gaussians(`${seed}/bq${k}`, dk, 0.5), bk: gaussians(`${seed}/bk${k}`, dk, 0.5), bv: gaussians(`${seed}/bv${k}`, dk, 0.5) })) };
}

describe('KV cache = the full causal recomputation', () => {
  it('one head, plain', async () => {
    await expectEqualsFull(randomInput('kv/plain', { n: 7, d: 4, h: 1, dk: 4, std: 2 }));
  });

  it('three heads with biases and RoPE (each new token rotated at its own position)', async () => {
    await expectEqualsFull({ ...withBiases(randomInput('kv/rope', { n: 9, d: 6, h: 3, dk: 4, std: 2 }), 'kv/rope'), rotary: { dims: 4, theta: 50 } });
  });

  it('grouped-query heads share one cache entry per key/value head', async () => {
    const base = randomInput('kv/gqa', { n: 6, d: 8, h: 4, dk: 4, std: 2 });
    const heads = base.heads.map((h, k) => ({ ...h, Wk: base.heads[k >> 1].Wk, Wv: base.heads[k >> 1].Wv }));
    const steps = await expectEqualsFull({ ...base, heads, rotary: { dims: 4, theta: 10000 } });
    expect(new KvCache({ ...base, heads }).kvOf).toEqual([0, 0, 1, 1]);
    expect(steps[0].k.length).toBe(2);
  });

  it('a local window keeps only the last `window` keys; the rows still equal the banded recomputation', async () => {
    const input = { ...randomInput('kv/window', { n: 8, d: 4, h: 2, dk: 2, std: 2 }), window: 3 };
    const steps = await expectEqualsFull(input);
    expect(steps.map((s) => s.held)).toEqual([1, 2, 3, 3, 3, 3, 3, 3]);
    expect(steps.map((s) => s.first)).toEqual([0, 0, 0, 1, 2, 3, 4, 5]);
    expect(steps[7].heads[0].a.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('on stories260K’s layer 2 (RoPE, 8 query heads on 4 key/value heads), fed the layer’s own X', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    try {
      const ids = expected('stories260K-hf').ids.slice(0, 10);
      const layer = (await model.forward(ids)).layers[2];
      const steps = await expectEqualsFull(layer.input!, 2e-5);
      expect(new KvCache(layer.input!).kvOf).toEqual(model.info.kvHeadOfHead);
      // The forward pass's own maps, too.
      steps.forEach((s, t) => s.heads.forEach((hs, h) => hs.a.forEach((a, j) => expect(Math.abs(a - layer.attention[h].data[t * 10 + j])).toBeLessThan(2e-5))));
    } finally {
      model.dispose();
    }
  });

  it('key weights and padding: each cached key keeps its w_j, as computeAttention weighs it', async () => {
    const input = { ...randomInput('kv/weights', { n: 8, d: 4, h: 2, dk: 4, std: 2 }), keyWeights: Float64Array.from([1, 0, 2.5, 1, 0.25, 0, 1, 3]) };
    const steps = await expectEqualsFull(input);
    // A key of weight 0 takes no part in any later row.
    for (const step of steps) for (const hs of step.heads) for (const j of [1, 5]) if (j <= step.position) expect(hs.a[j]).toBe(0);
  });

  it('key weights with a local window and RoPE; a leading padding token gets an empty row of zeros', async () => {
    const input = { ...randomInput('kv/wwin', { n: 7, d: 4, h: 2, dk: 4, std: 2 }), keyWeights: Float64Array.from([0, 1, 0, 2, 1, 0, 0.5]), window: 2, rotary: { dims: 4, theta: 100 } };
    const steps = await expectEqualsFull(input);
    expect(steps[0].heads[0].a).toEqual([0]);
    expect(steps[0].heads[0].z.every((z) => z === 0)).toBe(true);
  });

  it('weights w_j exactly: a_j = w_j·e^{s_j}/Σ w·e^{s} by hand (scores 0, ln 2, 0; weights 1, 0, 3)', () => {
    // q·k_j·scale = 0, ln 2, 0; the middle key has weight 0: a = [1, 0, 3]/4, z = (v_0 + 3 v_2)/4.
    const ln2 = Math.log(2);
    const row = cacheRow([1, 0], [[0, 0], [ln2, 5], [0, -1]], [[4, 0], [100, 100], [0, 8]], 1, 0, [1, 0, 3]);
    expect(row.scores[1]).toBeCloseTo(ln2, 12);
    row.a.forEach((a, j) => expect(a).toBeCloseTo([0.25, 0, 0.75][j], 12));
    row.z.forEach((z, c) => expect(z).toBeCloseTo([1, 6][c], 12));
  });

  it('rejects a token of the wrong width, a bad weight, or weights that do not match the keys', async () => {
    await expect(new KvCache(randomInput('kv/bad', { n: 2, d: 4, h: 1, dk: 2 })).append([1, 2])).rejects.toThrow('token: expected 4 numbers (d), got 2');
    await expect(new KvCache(randomInput('kv/bad', { n: 2, d: 4, h: 1, dk: 2 })).append([1, 2, 3, 4], -1)).rejects.toThrow('key weight: expected a finite number ≥ 0, got -1');
    expect(() => cacheRow([1], [[1]], [[1]], 1, 0, [1, 1])).toThrow('key weights: expected 1 (one per cached key), got 2');
  });
});

describe('the cost counter', () => {
  it('counts, by hand: d 4, 2 heads of d_k = d_v = 2 sharing nothing', async () => {
    const steps = await feed(randomInput('kv/cost', { n: 5, d: 4, h: 2, dk: 2 }));
    // Projections of one token: q, k, v for 2 heads, each 4×2: 3·2·4·2 = 48. Step t: 2 heads × (t+1) keys × (2 + 2).
    expect(steps.map((s) => s.cost.cached)).toEqual([48 + 8, 48 + 16, 48 + 24, 48 + 32, 48 + 40]);
    // Recomputing t+1 tokens: (t+1)·48 + 2·(t+1)²·4.
    expect(steps.map((s) => s.cost.recompute)).toEqual([1, 2, 3, 4, 5].map((n) => n * 48 + 8 * n * n));
    expect(steps[4].total).toEqual({ cached: 5 * 48 + 8 * 15, recompute: 48 * 15 + 8 * 55 });
  });

  it('grows linearly per step with the cache and quadratically without (differences of differences)', async () => {
    const steps = await feed(randomInput('kv/growth', { n: 12, d: 6, h: 3, dk: 2 }));
    const diff = (xs: number[]) => xs.slice(1).map((x, k) => x - xs[k]);
    const cached = steps.map((s) => s.cost.cached);
    const recompute = steps.map((s) => s.cost.recompute);
    expect(new Set(diff(cached)).size).toBe(1); // constant increase: O(n) per step
    expect(new Set(diff(diff(recompute))).size).toBe(1); // constant second difference: O(n²) per step
    expect(diff(diff(recompute))[0]).toBeGreaterThan(0);
  });

  it('a window caps the per-step cost once the cache is full', async () => {
    const steps = await feed({ ...randomInput('kv/wcost', { n: 8, d: 4, h: 1, dk: 2 }), window: 3 });
    expect(new Set(steps.slice(2).map((s) => s.cost.cached)).size).toBe(1);
  });
});

describe('grouped-query sharing and the cache size', () => {
  it('groups query heads by the key/value head they read', () => {
    expect(kvGroups([0, 0, 1, 1, 2, 2, 3, 3])).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(kvGroups([0, 1, 0, 1])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('reads the sharing from the weights: heads holding the same W^K object', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    try {
      expect(kvHeadsOf(model.net.blocks[0].heads)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
      expect(model.info.kvHeadOfHead).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    } finally {
      model.dispose();
    }
  });

  it('sizes the cache: 2 × layers × key/value heads × d_head numbers per token (stories260K: 5 layers, 4 of 8, d_head 8)', () => {
    const size = kvCacheSize({ layers: 5, heads: 8, kvHeads: 4, dHead: 8 }, 512);
    expect(size.numbersPerToken).toBe(2 * 5 * 4 * 8);
    expect(size.numbersPerTokenUnshared).toBe(2 * 5 * 8 * 8);
    expect(size.bytes).toBe(320 * 512 * 4);
    expect(size.bytesUnshared).toBe(2 * size.bytes);
    // Qwen2.5-0.5B: 24 layers, 14 query heads on 2 key/value heads of 64: a seventh of the unshared cache.
    const qwen = kvCacheSize({ layers: 24, heads: 14, kvHeads: 2, dHead: 64 }, 1000, 2);
    expect(qwen.bytesUnshared / qwen.bytes).toBe(7);
    expect(qwen.bytes).toBe(2 * 24 * 2 * 64 * 1000 * 2);
  });
});
