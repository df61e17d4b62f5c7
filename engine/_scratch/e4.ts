import { computeAttention } from '../attention.ts';
import { seededMatrix } from '../seeded.ts';
import type { AttentionInput } from '../types.ts';
import { initBackend } from '../backend.ts';
function mk(n: number, d: number, h: number, dk: number, wo: boolean): AttentionInput {
  return {
    X: seededMatrix(n, d, 1, 'X', 1),
    heads: Array.from({ length: h }, (_, k) => ({ Wq: seededMatrix(d, dk, 1, `q${k}`, 1 / Math.sqrt(d)), Wk: seededMatrix(d, dk, 1, `k${k}`, 1 / Math.sqrt(d)), Wv: seededMatrix(d, dk, 1, `v${k}`, 1 / Math.sqrt(d)) })),
    Wo: wo ? seededMatrix(h * dk, d, 1, 'Wo', 1 / Math.sqrt(h * dk)) : null,
    scale: null, causal: false, keyWeights: null,
  };
}
await initBackend('wasm');
const [n, d, h, dk] = (process.argv[2] ?? '512,768,12,64').split(',').map(Number);
const inp = mk(n, d, h, dk, true);
const ts: number[] = [];
for (let k = 0; k < 15; k++) { const t = performance.now(); await computeAttention(inp); ts.push(performance.now() - t); }
console.log(ts.map((t) => t.toFixed(0)).join(' '));
ts.sort((a, b) => a - b); console.log('median', ts[7].toFixed(1));
