// Choosing the backend: threads by page isolation and cores, WebGPU only where it exists and checks out.
import { describe, expect, it } from 'vitest';
import { chooseBackend, maxAttentionDiff, probeInput, threadPlan } from './backendChoice.ts';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import type { AttentionResult, Matrix } from './types.ts';

const m = (data: number[], rows: number, cols: number): Matrix => ({ rows, cols, data: Float32Array.from(data) });
const withA = (...As: Matrix[]) => ({ heads: As.map((A) => ({ A })) }) as unknown as AttentionResult;

describe('threadPlan', () => {
  it('uses every core on a cross-origin-isolated page, one thread elsewhere, and says why', () => {
    expect(threadPlan(true, 2)).toEqual({ threads: 2, why: null });
    expect(threadPlan(true, 16)).toEqual({ threads: 16, why: null });
    expect(threadPlan(false, 16)).toEqual({ threads: 1, why: 'not-isolated' });
    expect(threadPlan(true, 1)).toEqual({ threads: 1, why: 'one-core' });
    // A browser that reports nothing (hardwareConcurrency undefined or 0) gets one thread.
    expect(threadPlan(true, Number.NaN)).toEqual({ threads: 1, why: 'one-core' });
  });
});

describe('maxAttentionDiff', () => {
  it('is the largest entry-wise difference over all heads', () => {
    const a = withA(m([0.5, 0.5, 1, 0], 2, 2), m([1, 0, 0.25, 0.75], 2, 2));
    const b = withA(m([0.5, 0.5, 1, 0], 2, 2), m([1, 0, 0.5, 0.5], 2, 2));
    expect(maxAttentionDiff(a, b)).toBe(0.25);
    expect(maxAttentionDiff(a, a)).toBe(0);
  });

  it('treats a NaN, a missing head or a different size as disagreement', () => {
    const a = withA(m([0.5, 0.5, 1, 0], 2, 2));
    expect(maxAttentionDiff(a, withA(m([0.5, Number.NaN, 1, 0], 2, 2)))).toBe(Infinity);
    expect(maxAttentionDiff(a, withA())).toBe(Infinity);
    expect(maxAttentionDiff(a, withA(m([1], 1, 1)))).toBe(Infinity);
  });
});

describe('chooseBackend in Node (no WebGPU)', () => {
  it("'auto' runs wasm without a WebGPU verdict: Node has no navigator.gpu to want", async () => {
    expect(await chooseBackend('auto')).toEqual({ active: 'wasm', gpu: null });
  });

  it("asking for webgpu falls back to wasm and names the reason", async () => {
    expect(await chooseBackend('webgpu')).toEqual({ active: 'wasm', gpu: { why: 'no-webgpu', detail: null } });
  });

  it('the probe case is a real causal two-head case, computed as the reference does', async () => {
    const input = probeInput();
    const r = await computeAttention(input);
    expect(r.heads).toHaveLength(2);
    expect(r.heads[0].A.data[1]).toBe(0); // causal: row 0 sees only key 0
    expect(maxAttentionDiff(r, referenceAttention(input))).toBeLessThan(1e-5);
  });
});
