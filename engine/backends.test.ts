// The wasm and cpu backends give the same results (webgl does not exist in Node).
import { describe, it, expect, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeAttention } from './attention.ts';
import { backendFailures, currentBackend, initBackend } from './backend.ts';
import { referenceAttention } from './reference.ts';
import { expectResultsClose, randomInput } from './test-utils.ts';

const inputs = [
  randomInput('b1', { n: 7, d: 6, h: 2, dk: 3, dOut: 6, std: 2 }),
  randomInput('b2', { n: 9, d: 8, h: 4, dk: 2, dv: 3, causal: true, keyWeights: Float64Array.from([0, 1, 2, 1, 0, 1, 0.5, 1, 1]) }),
  randomInput('b3', { n: 1, d: 3, h: 1, dk: 1 }),
  randomInput('b4', { n: 5, d: 4, h: 1, dk: 4, keyWeights: new Float64Array(5) }),
  randomInput('b5', { n: 40, d: 16, h: 2, dk: 8, dOut: 16, causal: true }),
];

describe('backends', () => {
  afterAll(async () => {
    await initBackend('wasm');
  });

  it('computeAttention initialises wasm lazily (this test runs first in its file)', async () => {
    expect(() => currentBackend()).toThrow(/initBackend/);
    const r = await computeAttention(inputs[2]);
    expect(r.backend).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
  });

  it('a backend chosen with tf.setBackend directly is used as is', async () => {
    await tf.setBackend('cpu');
    expect((await computeAttention(inputs[2])).backend).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect((await computeAttention(inputs[2])).backend).toBe('wasm');
  });

  it('wasm and cpu agree with each other and with the reference', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    const wasm = [];
    for (const input of inputs) wasm.push(await computeAttention(input));
    expect(await initBackend('cpu')).toBe('cpu');
    expect(currentBackend()).toBe('cpu');
    for (let k = 0; k < inputs.length; k++) {
      for (const strategy of ['per-head', 'batched'] as const) {
        const cpu = await computeAttention(inputs[k], { strategy });
        expect(cpu.backend).toBe('cpu');
        expect(wasm[k].backend).toBe('wasm');
        expectResultsClose(cpu, wasm[k], 1e-5, 1e-5);
        expectResultsClose(cpu, referenceAttention(inputs[k]));
      }
    }
  });

  it("'auto' picks wasm in Node; asking for webgl falls back (no WebGL in Node)", async () => {
    expect(await initBackend('auto')).toBe('wasm');
    const got = await initBackend('webgl');
    expect(['wasm', 'cpu']).toContain(got);
    expect(currentBackend()).toBe(got);
    // …and says why webgl could not be used, instead of hiding it.
    const why = backendFailures().webgl;
    expect(typeof why).toBe('string');
    expect(why!.length).toBeGreaterThan(5);
    expect(backendFailures().wasm).toBeUndefined();
  });

  it('concurrent initialisations settle on one backend', async () => {
    const all = await Promise.all([initBackend('cpu'), initBackend('wasm'), initBackend('wasm')]);
    expect(all).toEqual(['cpu', 'wasm', 'wasm']);
    expect(currentBackend()).toBe('wasm');
    const r = await computeAttention(inputs[0]);
    expect(r.backend).toBe('wasm');
  });
});
