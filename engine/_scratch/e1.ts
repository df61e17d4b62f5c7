import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
tf.env().set('IS_TEST', true);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm'); await tf.ready();
console.log(tf.getBackend());
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const [n, d, h, dk] = [512, 768, 12, 64];
const X = rnd(n * d);
const Wq = Array.from({ length: h }, () => rnd(d * dk));
const Wk = Array.from({ length: h }, () => rnd(d * dk));
const Wv = Array.from({ length: h }, () => rnd(d * dk));
const Wo = rnd(h * dk * d);
function median(a: number[]) { a.sort((x, y) => x - y); return a[a.length >> 1]; }
async function time(name: string, f: () => Promise<void>, reps = 7) {
  await f(); const ts: number[] = [];
  for (let r = 0; r < reps; r++) { const t = performance.now(); await f(); ts.push(performance.now() - t); }
  console.log(name, median(ts).toFixed(1));
}
// matmul speed tests
const xt = tf.tensor2d(X, [n, d]);
const w768 = tf.tensor2d(rnd(d * d * 3), [d, 3 * d]);
const w64 = tf.tensor2d(rnd(d * 64), [d, 64]);
await time('X@W(768x2304)', async () => { const r = tf.matMul(xt, w768); await r.data(); r.dispose(); });
await time('12x X@W(768x64) x3', async () => { for (let i = 0; i < 36; i++) { const r = tf.matMul(xt, w64); r.dataSync(); r.dispose(); } });
const q = tf.tensor2d(rnd(n * 64), [n, 64]); const kt = tf.tensor2d(rnd(n * 64), [64, n]);
await time('12x Q@KT', async () => { for (let i = 0; i < 12; i++) { const r = tf.matMul(q, kt); r.dataSync(); r.dispose(); } });
await time('12x Q@K^T transposeB', async () => { for (let i = 0; i < 12; i++) { const r = tf.matMul(q, q, false, true); r.dataSync(); r.dispose(); } });
const s = tf.tensor2d(rnd(n * n), [n, n]);
await time('12x softmax', async () => { for (let i = 0; i < 12; i++) { const r = tf.softmax(s); r.dataSync(); r.dispose(); } });
const bias = tf.tensor2d(rnd(n * n), [n, n]);
await time('12x add', async () => { for (let i = 0; i < 12; i++) { const r = tf.add(s, bias); r.dataSync(); r.dispose(); } });
await time('12x A@V', async () => { for (let i = 0; i < 12; i++) { const r = tf.matMul(s, q); r.dataSync(); r.dispose(); } });
const s3 = tf.tensor3d(rnd(h * n * n), [h, n, n]);
await time('batched softmax', async () => { const r = tf.softmax(s3); r.dataSync(); r.dispose(); });
await time('read 12 nxn', async () => { for (let i = 0; i < 12; i++) { s.dataSync(); } });
await time('read 12 nxn async', async () => { for (let i = 0; i < 12; i++) { await s.data(); } });
const p = tf.tensor2d(rnd(n * 3 * d), [n, 3 * d]);
await time('transpose n x 36 x 64', async () => { const r = tf.tidy(() => p.reshape([n, 36, 64]).transpose([1, 0, 2])); r.dataSync(); r.dispose(); });
await time('36 col slices', async () => { for (let i = 0; i < 36; i++) { const r = tf.slice(p, [0, i * 64], [n, 64]); r.dataSync(); r.dispose(); } });
