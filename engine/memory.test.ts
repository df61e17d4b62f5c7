// Every tensor is disposed: tf.memory().numTensors is unchanged after 1,000 recomputations.
import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { randomInput } from './test-utils.ts';

describe('memory', () => {
  it('numTensors and bytes are unchanged after 1,000 recomputations (wasm)', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    // all graph paths: causal bias, key-weight bias, empty-row mask, several heads, W^O
    const inputs = [
      randomInput('m1', { n: 6, d: 4, h: 2, dk: 3, dOut: 4 }),
      randomInput('m2', { n: 5, d: 3, h: 3, dk: 2, dv: 3, causal: true, keyWeights: Float64Array.from([0, 1, 2, 0, 1]) }),
      randomInput('m3', { n: 4, d: 2, h: 1, dk: 1, keyWeights: Float64Array.from([1, 0.5, 1, 1]), scale: 1 }),
    ];
    for (const input of inputs) for (const strategy of ['per-head', 'batched'] as const) await computeAttention(input, { strategy }); // warm-up
    const before = tf.memory();
    // both graph layouts (every tensor of either must be disposed)
    for (let k = 0; k < 1000; k++) await computeAttention(inputs[k % inputs.length], { strategy: k % 2 ? 'batched' : 'per-head' });
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it('a failing input leaks nothing either', async () => {
    const before = tf.memory().numTensors;
    const bad = randomInput('bad', { n: 3, d: 2, h: 1, dk: 2 });
    bad.heads[0].Wk = { rows: 2, cols: 3, data: new Float32Array(6) };
    await expect(computeAttention(bad)).rejects.toThrow(/heads\[0\]\.Wk/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
