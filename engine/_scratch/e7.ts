import { computeAttention, type Strategy } from '../attention.ts';
import { initBackend } from '../backend.ts';
import { buildInput } from '../scenario.ts';
await initBackend((process.argv[2] ?? 'wasm') as 'wasm');
function inp(n: number, d: number, h: number, convention: 'article' | 'standard') {
  return buildInput({ tokens: Array.from({ length: n }, (_, i) => `t${i}`), mechanism: 'multi', convention, seed: 1, d, h, dk: null, causal: true, keyWeights: [], padding: [], overrides: {} });
}
async function med(f: () => Promise<unknown>, reps: number) {
  for (let i = 0; i < 3; i++) await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t = performance.now(); await f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b); return ts[reps >> 1];
}
for (const [n, d, h, c] of [[16, 8, 2, 'article'], [32, 64, 4, 'article'], [32, 64, 4, 'standard'], [64, 64, 4, 'article'], [128, 64, 4, 'standard'], [128, 64, 4, 'article'], [256, 64, 4, 'standard'], ] as const) {
  const x = inp(n, d, h, c);
  const r: string[] = [];
  for (const s of ['batched', 'per-head', 'batched', 'per-head'] as Strategy[]) r.push(`${s} ${(await med(() => computeAttention(x, { strategy: s }), n > 128 ? 15 : 41)).toFixed(2)}`);
  const macs = h * n * n * (x.heads[0].Wq.cols + x.heads[0].Wv.cols);
  console.log(n, d, h, c, 'macs', macs, r.join('  '));
}
