import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.ts';
await initBackend('wasm');
const ts = Array.from({ length: 26 }, () => tf.tensor2d(new Float32Array(32 * 32).fill(1), [32, 32]));
async function med(f: () => Promise<unknown> | unknown, reps: number) {
  for (let i = 0; i < 50; i++) await f();
  const r: number[] = [];
  for (let i = 0; i < reps; i++) { const t = performance.now(); await f(); r.push(performance.now() - t); }
  r.sort((a, b) => a - b); return r[reps >> 1].toFixed(3);
}
for (let k = 0; k < 3; k++) {
  console.log('sync', await med(() => ts.map((t) => t.dataSync()), 201), 'async all', await med(() => Promise.all(ts.map((t) => t.data())), 201), 'async seq', await med(async () => { for (const t of ts) await t.data(); }, 201));
}
