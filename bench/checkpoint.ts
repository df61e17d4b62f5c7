// Checkpoint figures in Node (tfjs wasm, one thread) on a GPT-2-small-shaped fp16 checkpoint with random
// weights, written to a temporary folder by a child process (so its memory does not count here):
// load from disk to ready, a forward pass with all 144 attention maps at n = 128 and at n = 1,024, peak
// memory, and tokens/s against the float64 reference forward pass in the same run. Writes the
// "## Checkpoints (Node)" section of docs/performance.md; exits 1 if a target is missed.
//   --no-write-docs   print only
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '../engine/backend.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { referenceForward } from '../engine/transformer/reference.ts';
import type { TransformerModel } from '../engine/transformer/types.ts';
import { writeDocSection } from './docSection.ts';
import { cpuMs, peakRss, wasmHeap } from './measure.ts';
import { GPT2_SMALL } from './gpt2SmallCheckpoint.ts';
import { fromFiles } from '../compute/models.ts';
import { FULL_MAPS_NUMBERS, runModel, rowsOf, layerOf, THUMBNAIL_SIDE } from '../compute/modelRun.ts';

const WRITE_DOCS = !process.argv.includes('--no-write-docs');
const MB = 1e6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timing {
  /** Fastest wall time of the runs: the least disturbed by other jobs, and what the targets use. */
  best: number;
  median: number;
  /** CPU time of the fastest run. */
  cpu: number;
}

/** FLOPs of a GPT-2 forward pass at n tokens (2 per multiply-add): Q/K/V/O projections, QKᵀ and A·V, MLP, last-position unembedding. */
function flops(n: number): number {
  const { n_embd: d, n_layer: L, vocab_size: V } = GPT2_SMALL;
  return L * (2 * n * d * 4 * d + 2 * 2 * n * n * d + 2 * n * d * 8 * d) + 2 * d * V;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % GPT2_SMALL.vocab_size);

async function timeForward(model: TransformerModel, n: number, runs: number): Promise<Timing> {
  await model.forward(ids(n), { keep: 'attention' }); // warm-up: attention weights made resident, XNNPACK packs once
  const ms: number[] = [];
  let best = Infinity;
  let cpu = 0;
  for (let k = 0; k < runs; k++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    const r = await model.forward(ids(n), { keep: 'attention' });
    const wall = performance.now() - t0;
    ms.push(wall);
    if (wall < best) [best, cpu] = [wall, cpuMs() - c0];
    if (r.layers.reduce((s, l) => s + l.attention.length, 0) !== GPT2_SMALL.n_layer * GPT2_SMALL.n_head) throw new Error('expected 144 attention maps');
  }
  return { best, median: median(ms), cpu };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'checkpoint-bench-'));
  try {
    const gen = spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'gpt2SmallCheckpoint.ts'), '--write', dir], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('could not write the benchmark checkpoint');
    const fileBytes = statSync(path.join(dir, 'model.safetensors')).size;

    const backend = await initBackend('wasm');
    const date = new Date().toISOString().slice(0, 10);
    const load0 = os.loadavg()[0];
    const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}`;
    console.log(`Checkpoint benchmark — ${date}, ${machine}, load ${load0.toFixed(2)}, backend ${backend}`);
    const baseRss = process.memoryUsage().rss;

    const c0 = cpuMs();
    const t0 = performance.now();
    // The worker's own loader (loadCheckpoint plus the tokenizer, here none: text is read as ids).
    const runnable = await fromFiles('bench', dirFiles(dir));
    const model = runnable.model;
    const loadMs = performance.now() - t0;
    const loadCpu = cpuMs() - c0;
    const params = model.info.parameters;
    const f32Bytes = 4 * params;
    const rssAfterLoad = peakRss();
    console.log(`load → ready: ${loadMs.toFixed(0)} ms (CPU ${loadCpu.toFixed(0)} ms; ${params.toLocaleString('en')} parameters, file ${(fileBytes / MB).toFixed(0)} MB fp16, float32 ${(f32Bytes / MB).toFixed(0)} MB); peak RSS ${(rssAfterLoad / MB).toFixed(0)} MB`);

    const f128 = await timeForward(model, 128, 7);
    const gflops128 = flops(128) / 1e9;
    const rate128 = gflops128 / (f128.best / 1000);
    const rss128 = peakRss();
    const heap128 = wasmHeap(tf.backend());
    console.log(`forward n = 128 (144 attention maps): best ${f128.best.toFixed(0)} ms (CPU ${f128.cpu.toFixed(0)} ms), median ${f128.median.toFixed(0)} ms; ${gflops128.toFixed(2)} GFLOP → ${rate128.toFixed(1)} GFLOP/s; peak RSS ${(rss128 / MB).toFixed(0)} MB, wasm heap ${(heap128 / MB).toFixed(0)} MB`);

    // n = 1,024 the way the app runs it (compute/modelRun.ts, as in the worker): past FULL_MAPS_NUMBERS the
    // maps are packed as they come, folded into the rollout, pooled into thumbnails for the page; then
    // the head scores (one layer unpacked at a time), a focused row of every head and another layer in full.
    const n1024 = 1024;
    const request = { key: 'bench', origin: { kind: 'page' as const }, text: ids(n1024).join(' '), layer: 0, position: null, ablate: [], ablateMode: 'zero' as const, target: null, compare: null, pair: null, compareShift: 0 };
    const c1 = cpuMs();
    const t1 = performance.now();
    const run = await runModel(runnable, request);
    const fwd1024 = performance.now() - t1;
    const cpu1024 = cpuMs() - c1;
    if (!run.pooled || !run.kept.maps) throw new Error('expected thumbnails at n = 1,024');
    const t2 = performance.now();
    await run.analyze();
    const analyzeMs = performance.now() - t2;
    const t3 = performance.now();
    rowsOf(run.kept, 700);
    const rowsMs = performance.now() - t3;
    const t4 = performance.now();
    await layerOf(run.kept, 7);
    const layerMs = performance.now() - t4;
    const rss1024 = peakRss();
    const heap1024 = wasmHeap(tf.backend());
    const packedBytes = run.kept.maps.bytes;
    const thumbBytes = run.attention.flat().reduce((sum, A) => sum + A.data.byteLength, 0);
    const mapsBytes = n1024 * n1024 * 144 * 4;
    console.log(
      `app run n = 1024: ${fwd1024.toFixed(0)} ms (CPU ${cpu1024.toFixed(0)} ms); head scores ${analyzeMs.toFixed(0)} ms; rows of a query ${rowsMs.toFixed(1)} ms; another layer in full ${layerMs.toFixed(0)} ms; maps kept packed ${(packedBytes / MB).toFixed(0)} MB, thumbnails sent ${(thumbBytes / MB).toFixed(1)} MB; peak RSS ${(rss1024 / MB).toFixed(0)} MB, wasm heap ${(heap1024 / MB).toFixed(0)} MB`,
    );

    // Same run, same checkpoint: the float64 reference (plain loops; weights copied to float64 once, untimed).
    const nRef = 16;
    referenceForward(model.net, ids(4));
    const tr = performance.now();
    referenceForward(model.net, ids(nRef));
    const refMs = performance.now() - tr;
    const f16 = await timeForward(model, nRef, 5);
    const refTps = nRef / (refMs / 1000);
    const engTps16 = nRef / (f16.best / 1000);
    const engTps128 = 128 / (f128.best / 1000);
    console.log(`tokens/s at n = ${nRef}: engine ${engTps16.toFixed(0)}, float64 reference ${refTps.toFixed(1)} (${(engTps16 / refTps).toFixed(0)}×); engine at n = 128: ${engTps128.toFixed(0)} tokens/s`);
    model.dispose();

    const targets: [string, boolean][] = [
      [`load → ready ${(loadMs / 1000).toFixed(2)} s (target < 5 s)`, loadMs < 5000],
      [`forward n = 128 ${(f128.best / 1000).toFixed(2)} s, best of 7 (target < 1.5 s)`, f128.best < 1500],
      [`end to end ${rate128.toFixed(1)} GFLOP/s at n = 128 (target ≥ 15)`, rate128 >= 15],
      [`n = 1,024 completes (${(fwd1024 / 1000).toFixed(1)} s)`, true],
      [`peak RSS through load and n = 128 ${(rss128 / MB).toFixed(0)} MB = ${(rss128 / f32Bytes).toFixed(2)}× the float32 weights (target < 2.5×)`, rss128 < 2.5 * f32Bytes],
      [`wasm heap ${(heap1024 / MB).toFixed(0)} MB = ${(heap1024 / f32Bytes).toFixed(2)}× the float32 weights, after n = 1,024 (target < 2.5×)`, heap1024 < 2.5 * f32Bytes],
    ];
    for (const [what, ok] of targets) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
    const load1 = os.loadavg()[0];

    const section = `## Checkpoints (Node, \`bench/checkpoint.ts\`)

Measured ${date} with \`npx tsx bench/checkpoint.ts\` (\`npm run bench\` runs it) on ${machine}, tfjs wasm (one thread); load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end. The 2 cores are shared with other jobs: with a load average above 2 a run waits for a core part of the time and wall times move by up to 2×, so forward passes report the best of several runs (the least disturbed) with its CPU time, and the median.

The checkpoint is GPT-2-small-shaped (12 layers × 12 heads, d 768, vocab 50,257, context 1,024, ${params.toLocaleString('en')} parameters, Conv1D layout, tied embeddings) with random weights, written as fp16 safetensors (${(fileBytes / MB).toFixed(0)} MB) to a temporary folder by a child process, and loaded with \`loadCheckpoint(dirFiles(dir))\` — the app's code path. Float32 weights: ${(f32Bytes / MB).toFixed(0)} MB. Memory is this process's peak RSS (\`process.resourceUsage().maxRSS\`, including Node and tfjs: ${(baseRss / MB).toFixed(0)} MB before loading) and the wasm backend's linear memory (which only grows).

FLOPs count 2 per multiply-add of the Q, K, V and W^O projections, QKᵀ and A·V of every head, the MLP, and the unembedding of the last position: 24·n·d² + 4·n²·d per layer + 2·d·V = ${gflops128.toFixed(2)} GFLOP at n = 128. Norms, GELU, softmax and copies are not counted; every forward pass reads back all 144 attention maps (and Q, K, V, scores, Z of every head, which \`computeAttention\` returns).

| what | figure | target |
|---|---:|---|
| load from disk → ready (read, parse, fp16 → float32, checks, upload) | ${(loadMs / 1000).toFixed(2)} s (CPU ${(loadCpu / 1000).toFixed(2)} s) | ${loadMs < 5000 ? 'PASS' : 'FAIL'} (< 5 s) |
| forward, n = 128, all 144 attention maps: best of 7 (CPU time of that run) / median | ${(f128.best / 1000).toFixed(2)} s (${(f128.cpu / 1000).toFixed(2)} s) = ${rate128.toFixed(1)} GFLOP/s / ${(f128.median / 1000).toFixed(2)} s | ${f128.best < 1500 && rate128 >= 15 ? 'PASS' : 'FAIL'} (< 1.5 s, ≥ 15 GFLOP/s) |
| n = 1,024 as the app runs it (\`runModel\`: forward pass, lens, rollout, thumbnails) | ${(fwd1024 / 1000).toFixed(1)} s (CPU ${(cpu1024 / 1000).toFixed(1)} s) | PASS (completes) |
| … then the head scores / a focused query's row in all 144 heads / another layer in full | ${(analyzeMs / 1000).toFixed(1)} s / ${rowsMs.toFixed(1)} ms / ${(layerMs / 1000).toFixed(2)} s | — |
| … A of all 144 heads: whole / kept in the worker (packed lower triangle) / sent to the page (${THUMBNAIL_SIDE}² thumbnails) | ${(mapsBytes / MB).toFixed(0)} / ${(packedBytes / MB).toFixed(0)} / ${(thumbBytes / MB).toFixed(1)} MB | — |
| peak RSS through load and n = 128 | ${(rss128 / MB).toFixed(0)} MB = ${(rss128 / f32Bytes).toFixed(2)}× float32 weights | ${rss128 < 2.5 * f32Bytes ? 'PASS' : 'FAIL'} (< 2.5×) |
| peak RSS through n = 1,024 as the app runs it (with the scores, rows and layer above) | ${(rss1024 / MB).toFixed(0)} MB = ${(rss1024 / f32Bytes).toFixed(2)}× | — (of which the exact maps kept for hovering: ${(packedBytes / f32Bytes).toFixed(2)}×; see below) |
| wasm heap after load and n = 128 / after n = 1,024 | ${(heap128 / MB).toFixed(0)} / ${(heap1024 / MB).toFixed(0)} MB = ${(heap1024 / f32Bytes).toFixed(2)}× | ${heap1024 < 2.5 * f32Bytes ? 'PASS' : 'FAIL'} (< 2.5×) |
| tokens/s at n = ${nRef}: engine (best of 5) / float64 reference forward (\`engine/transformer/reference.ts\`, one run) | ${engTps16.toFixed(0)} / ${refTps.toFixed(1)} = ${(engTps16 / refTps).toFixed(0)}× | — |
| tokens/s at n = 128 (engine) | ${engTps128.toFixed(0)} | — |

- Where the memory goes: the fp16 file (${(fileBytes / MB).toFixed(0)} MB) is held while loading; embeddings, norms and MLP weights are converted from fp16 straight into their tensors' wasm memory (GPT-2's Conv1D weights transposed on the way, in tiles), so no float32 copy of them exists in JS; the attention weights live in JS as per-head W^Q, W^K, W^V and W^O (the engine's \`AttentionInput\`, which the views show) and, after the first forward pass, also as resident tensors (\`computeAttention\`'s \`weights\` option), which XNNPACK packs once more. tfjs-wasm keeps an XNNPACK-packed copy of every *right* operand it multiplies by, so the MLP runs as hᵀ = W·xᵀ with the weights on the left (same speed, measured; 226 MB less heap), and the unembedding as logitsᵀ = W_E·xᵀ with the V×d embedding as stored.
- What made it fast: the MLP's GELU uses the sigmoid form x·σ(2c·x·(1 + 0.044715x²)), equal to the tanh form, because tfjs-wasm's Tanh kernel is ~2.6× slower than its Sigmoid and the tanh form needs more ops (the 12 activations of a forward pass at n = 128: 224 ms → 40 ms); resident attention weights (no upload and no repacking per pass, ~10 %); no transposed products (they take wasm's slow path); fp16 converted straight into the wasm heap (load 5.2 s → ~2 s: first writes to fresh pages are slow on these VMs, so every avoided copy counts).
- At n = 1,024 the 144 maps of A alone would be ${(mapsBytes / MB).toFixed(0)} MB (${(mapsBytes / f32Bytes).toFixed(2)}× the weights). Past ${(FULL_MAPS_NUMBERS / 1e6).toFixed(0)} M numbers (layers × heads × n²) the app never holds them whole: each layer's maps are packed as they come (a causal map is exactly 0 above its diagonal, so its lower triangle loses nothing), folded into the rollout and pooled into thumbnails for the page, which asks the worker for a focused token's rows and for another layer in full (recomputed from the residual kept at its input, without running the model again). Before, the worker and the page each held all ${(mapsBytes / MB).toFixed(0)} MB.
- The peak at n = 1,024 stays above 2.5× the weights by choice: the ${(packedBytes / MB).toFixed(0)} MB of exact maps are what makes hovering a token answer in ${rowsMs.toFixed(1)} ms instead of recomputing 12 layers (~${((layerMs * 12) / 1000).toFixed(0)} s) per token; the rest is the wasm heap's high-water mark (it never shrinks: ${(heap128 / MB).toFixed(0)} MB after n = 128, ${(heap1024 / MB).toFixed(0)} MB after n = 1,024 — the n×n scores and softmax temporaries of 12 heads and the 1,024×3,072 MLP activations), the attention weights' JS copies the views show (${(4 * 4 * 768 * 768 * 12 / MB).toFixed(0)} MB), Node and tfjs themselves (${(baseRss / MB).toFixed(0)} MB) and garbage not yet collected.
`;
    if (WRITE_DOCS) writeDocSection('## Checkpoints (Node', section);
    process.exitCode = targets.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
