import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.ts';
await initBackend('wasm');
const sizes = [...Array(48).fill(512 * 64), ...Array(24).fill(512 * 512)];
const ts = sizes.map((s) => tf.tensor1d(new Float32Array(s).fill(1)));
let keep: unknown;
for (let r = 0; r < 10; r++) {
  const t0 = performance.now();
  keep = ts.map((t) => t.dataSync());
  const t1 = performance.now();
  keep = sizes.map((s) => new Float32Array(s));
  const t2 = performance.now();
  keep = sizes.map((s) => new Float32Array(s).fill(1));
  const t3 = performance.now();
  // burn: simulate compute touching wasm heap
  tf.tidy(() => { const a = tf.tensor2d(new Float32Array(512 * 768), [512, 768]); tf.matMul(a, tf.tensor2d(new Float32Array(768 * 768), [768, 768])); });
  const t4 = performance.now();
  keep = ts.map((t) => t.dataSync());
  const t5 = performance.now();
  console.log('read', (t1 - t0).toFixed(1), 'alloc', (t2 - t1).toFixed(1), 'alloc+fill', (t3 - t2).toFixed(1), 'matmul', (t4 - t3).toFixed(1), 'read after', (t5 - t4).toFixed(1));
}
console.log(typeof keep);
