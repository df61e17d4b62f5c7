import { computeAttention } from '../attention.ts';
import { referenceAttention } from '../reference.ts';
import { seededMatrix } from '../seeded.ts';
import type { AttentionInput } from '../types.ts';
import { initBackend } from '../backend.ts';
import { maxAbsDiff } from '../matrix.ts';

function mk(n: number, d: number, h: number, dk: number, wo: boolean, causal = false, kw: Float32Array | null = null): AttentionInput {
  return {
    X: seededMatrix(n, d, 1, 'X', 1),
    heads: Array.from({ length: h }, (_, k) => ({ Wq: seededMatrix(d, dk, 1, `q${k}`, 1 / Math.sqrt(d)), Wk: seededMatrix(d, dk, 1, `k${k}`, 1 / Math.sqrt(d)), Wv: seededMatrix(d, dk, 1, `v${k}`, 1 / Math.sqrt(d)) })),
    Wo: wo ? seededMatrix(h * dk, d, 1, 'Wo', 1 / Math.sqrt(h * dk)) : null,
    scale: null, causal, keyWeights: kw,
  };
}
const be = process.argv[2] ?? 'wasm';
console.log(await initBackend(be as 'wasm'));
for (const [n, d, h, dk, causal] of [[5, 8, 2, 4, false], [7, 6, 3, 2, true], [512, 768, 12, 64, false], [1024, 512, 8, 64, true]] as const) {
  const inp = mk(n, d, h, dk, true, causal, n === 5 ? Float32Array.from([0, 1, 2, 0.5, 0]) : null);
  const t0 = performance.now();
  const r = await computeAttention(inp);
  const times: number[] = [];
  for (let k = 0; k < 5; k++) { const t = performance.now(); await computeAttention(inp); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  const t1 = performance.now();
  const ref = referenceAttention(inp);
  const t2 = performance.now();
  let err = 0;
  r.heads.forEach((hr, k) => { for (const key of ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const) err = Math.max(err, maxAbsDiff(hr[key], ref.heads[k][key])); });
  err = Math.max(err, maxAbsDiff(r.Z, ref.Z), maxAbsDiff(r.out!, ref.out!));
  console.log(n, d, h, dk, 'first', (t1 - t0 - times.reduce((a, b) => a + b)).toFixed(1), 'median', times[2].toFixed(1), 'ref', (t2 - t1).toFixed(1), 'err', err.toExponential(2), r.warnings);
}
