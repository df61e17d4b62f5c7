// Node benchmark of the attention engine: `npm run bench` (as `tsx bench/engine.ts`).
//   --full         also time the tfjs cpu backend on the two big cases (≈3–5 s per run)
//   --write-docs   write the figures into docs/performance.md, section "## Engine (Node)"
//   --quick        fewer repetitions (for a smoke test)
// Each figure is the median wall time of a full forward pass with read-back (every intermediate
// copied back into JS arrays), on the same inputs, in the same process, for the tfjs backends and
// the plain float64 loops of engine/reference.ts.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { writeDocSection } from './docSection.ts';
import * as tf from '@tensorflow/tfjs';
import { computeAttention } from '../engine/attention.ts';
import { referenceAttention } from '../engine/reference.ts';
import { initBackend, type BackendName } from '../engine/backend.ts';
import { buildInput, type Convention } from '../engine/scenario.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';

const args = new Set(process.argv.slice(2));
const FULL = args.has('--full');
const QUICK = args.has('--quick');
const WRITE_DOCS = args.has('--write-docs');

interface BenchCase {
  n: number;
  d: number;
  h: number;
  convention: Convention;
  /** Teaching sizes must stay under 5 ms on wasm. */
  teaching?: boolean;
  /** Must be ≥ 6× faster than the plain loops on wasm. */
  speedTarget?: number;
  /** cpu backend skipped unless --full. */
  big?: boolean;
}

const CASES: BenchCase[] = [
  { n: 16, d: 8, h: 2, convention: 'article', teaching: true },
  { n: 32, d: 64, h: 4, convention: 'article', teaching: true },
  { n: 32, d: 64, h: 4, convention: 'standard', teaching: true },
  { n: 128, d: 64, h: 4, convention: 'standard' },
  { n: 512, d: 768, h: 12, convention: 'standard', speedTarget: 6, big: true },
  { n: 1024, d: 512, h: 8, convention: 'standard', big: true },
];

function inputFor(c: BenchCase): AttentionInput {
  return buildInput({
    tokens: Array.from({ length: c.n }, (_, i) => `token${i % 97}-${Math.floor(i / 97)}`),
    mechanism: 'multi',
    convention: c.convention,
    seed: 1,
    d: c.d,
    h: c.h,
    dk: null,
    causal: false,
    keyWeights: [],
    padding: [],
    overrides: {},
  });
}

/** Multiply-adds counted as 2 flops: projections, Q·Kᵀ, A·V and W^O (softmax and masks not counted). */
function flops(input: AttentionInput): number {
  const n = input.X.rows;
  const d = input.X.cols;
  const h = input.heads.length;
  const dk = input.heads[0].Wq.cols;
  const dv = input.heads[0].Wv.cols;
  const projections = 2 * n * d * h * (2 * dk + dv);
  const scores = 2 * h * n * n * dk;
  const mix = 2 * h * n * n * dv;
  const out = input.Wo ? 2 * n * h * dv * input.Wo.cols : 0;
  return projections + scores + mix + out;
}

interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Runs fn repeatedly: warm-up, then until both minRuns and the time budget are reached (or maxRuns). */
async function time(fn: () => Promise<unknown> | unknown, o: { warmup: number; minRuns: number; maxRuns: number; budgetMs: number }): Promise<Timing> {
  for (let k = 0; k < o.warmup; k++) await fn();
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < o.maxRuns && (ts.length < o.minRuns || performance.now() - start < o.budgetMs)) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const mid = ts.length >> 1;
  const median = ts.length % 2 ? ts[mid] : (ts[mid - 1] + ts[mid]) / 2;
  return { median, min: ts[0], max: ts[ts.length - 1], runs: ts.length };
}

function plan(single: number): { warmup: number; minRuns: number; maxRuns: number; budgetMs: number } {
  if (QUICK) return { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 300 };
  if (single > 1500) return { warmup: 0, minRuns: 3, maxRuns: 3, budgetMs: 0 };
  if (single > 100) return { warmup: 1, minRuns: 7, maxRuns: 15, budgetMs: 4000 };
  return { warmup: 3, minRuns: 21, maxRuns: 401, budgetMs: 2000 };
}

function maxRelErr(got: Matrix, want: Matrix): number {
  let e = 0;
  for (let k = 0; k < want.data.length; k++) {
    const err = Math.abs(got.data[k] - want.data[k]) / (1 + Math.abs(want.data[k]));
    if (!(err <= e)) e = Number.isNaN(err) ? Infinity : err;
  }
  return e;
}

function worstError(got: AttentionResult, want: AttentionResult): number {
  let e = 0;
  got.heads.forEach((h, k) => {
    for (const key of ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const) e = Math.max(e, maxRelErr(h[key], want.heads[k][key]));
  });
  e = Math.max(e, maxRelErr(got.Z, want.Z));
  if (got.out && want.out) e = Math.max(e, maxRelErr(got.out, want.out));
  return e;
}

interface Row {
  c: BenchCase;
  dk: number;
  gflop: number;
  wasm: Timing;
  cpu: Timing | null;
  ref: Timing;
  err: number;
}

const fmtMs = (t: Timing | null) => (t === null ? 'skipped' : t.median < 10 ? t.median.toFixed(2) : t.median < 100 ? t.median.toFixed(1) : t.median.toFixed(0));
const fmtRate = (gflop: number, t: Timing | null) => (t === null ? '—' : (gflop / (t.median / 1000)).toFixed(gflop / (t.median / 1000) < 1 ? 2 : 1));
const shape = (r: Row) => `${r.c.n}, ${r.c.d}, ${r.c.h}`;
const conv = (r: Row) => (r.c.convention === 'article' ? `article (d_k = d = ${r.dk})` : `standard (d_k = ${r.dk}, W^O)`);

async function main(): Promise<void> {
  const cpuModel = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
    } catch {
      return os.cpus()[0]?.model ?? 'unknown';
    }
  })();
  const machine = `${cpuModel}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, tfjs ${tf.version.tfjs}`;
  const date = new Date().toISOString().slice(0, 10);
  const loadBefore = os.loadavg()[0];
  console.log(`Attention engine benchmark — ${date}`);
  console.log(`Machine: ${machine}; load average ${loadBefore.toFixed(2)} at start`);
  console.log('Median wall time of one full forward pass with read-back (ms). wasm = tfjs-backend-wasm, SIMD, 1 thread.');
  if (!FULL) console.log('cpu backend: skipped for n = 512 and n = 1024 (≈3–5 s per run; pass --full to include).');
  console.log('');

  const rows: Row[] = [];
  for (const c of CASES) {
    const input = inputFor(c);
    const gflop = flops(input) / 1e9;
    const dk = input.heads[0].Wq.cols;

    await initBackend('wasm');
    let t0 = performance.now();
    const got = await computeAttention(input);
    const wasm = await time(() => computeAttention(input), plan(performance.now() - t0));

    let cpu: Timing | null = null;
    if (!c.big || FULL) {
      const be: BackendName = await initBackend('cpu');
      if (be === 'cpu') {
        t0 = performance.now();
        await computeAttention(input);
        cpu = await time(() => computeAttention(input), plan(performance.now() - t0));
      }
      await initBackend('wasm');
    }

    t0 = performance.now();
    const want = referenceAttention(input);
    const ref = await time(() => referenceAttention(input), plan(performance.now() - t0));
    const row: Row = { c, dk, gflop, wasm, cpu, ref, err: worstError(got, want) };
    rows.push(row);
    console.log(
      `(${shape(row)}) ${conv(row)}: wasm ${fmtMs(wasm)} ms [${fmtMs({ ...wasm, median: wasm.min })}–${fmtMs({ ...wasm, median: wasm.max })}, ${wasm.runs} runs], ` +
        `cpu ${fmtMs(cpu)}, loops ${fmtMs(ref)} ms — ${(ref.median / wasm.median).toFixed(1)}× (max rel. error ${row.err.toExponential(1)})`,
    );
  }
  const loadAfter = os.loadavg()[0];

  const header = '| (n, d, h) | convention | GFLOP | wasm ms | wasm GFLOP/s | cpu ms | cpu GFLOP/s | plain loops ms | loops GFLOP/s | loops ÷ wasm | loops ÷ cpu |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${shape(r)} | ${conv(r)} | ${r.gflop < 0.01 ? r.gflop.toFixed(5) : r.gflop.toFixed(3)} | ${fmtMs(r.wasm)} | ${fmtRate(r.gflop, r.wasm)} | ${fmtMs(r.cpu)} | ${fmtRate(r.gflop, r.cpu)} | ` +
      `${fmtMs(r.ref)} | ${fmtRate(r.gflop, r.ref)} | ${(r.ref.median / r.wasm.median).toFixed(1)}× | ${r.cpu ? `${(r.ref.median / r.cpu.median).toFixed(2)}×` : '—'} |`,
  );
  console.log('');
  console.log([header, sep, ...lines].join('\n'));

  const verdicts: string[] = [];
  let allPass = true;
  for (const r of rows) {
    if (r.c.speedTarget) {
      const ratio = r.ref.median / r.wasm.median;
      const ok = ratio >= r.c.speedTarget;
      allPass &&= ok;
      verdicts.push(`${ok ? 'PASS' : 'FAIL'}  (${shape(r)}) wasm ${ratio.toFixed(1)}× faster than the plain loops (target ≥ ${r.c.speedTarget}×)`);
    }
    if (r.c.teaching) {
      const ok = r.wasm.median < 5;
      allPass &&= ok;
      verdicts.push(`${ok ? 'PASS' : 'FAIL'}  (${shape(r)}) ${r.c.convention} teaching size: wasm ${fmtMs(r.wasm)} ms (target < 5 ms)`);
    }
    const accurate = r.err < 1e-4;
    allPass &&= accurate;
    if (!accurate) verdicts.push(`FAIL  (${shape(r)}) engine differs from the float64 reference: ${r.err.toExponential(2)}`);
  }
  console.log('');
  for (const v of verdicts) console.log(v);
  console.log(`load average ${loadAfter.toFixed(2)} at the end`);

  if (WRITE_DOCS) writeDocs({ machine, date, header, sep, lines, verdicts, loadBefore, loadAfter });
  if (!allPass) process.exitCode = 1;
}

function writeDocs(o: { machine: string; date: string; header: string; sep: string; lines: string[]; verdicts: string[]; loadBefore: number; loadAfter: number }): void {
  const section = `## Engine (Node)

Measured ${o.date} with \`npx tsx bench/engine.ts${FULL ? ' --full' : ''} --write-docs\` (\`npm run bench\` runs it too) on ${o.machine}.
The machine is shared (load average ${o.loadBefore.toFixed(1)} at the start, ${o.loadAfter.toFixed(1)} at the end), so single figures move by ±20 %; ratios measured in the same run are steadier.

Each figure is the **median wall time of a full forward pass with read-back**: Q, K, V, scores, A, Z of every head, Z and \`out\` copied back into JS typed arrays, inputs uploaded each time, as \`computeAttention\` does for the app. \`wasm\` is tfjs-backend-wasm (SIMD, single-threaded), \`cpu\` the tfjs cpu backend, *plain loops* the float64 reference (\`engine/reference.ts\`: straightforward i-k-j loops over Float64Array) in the same process on the same inputs. GFLOP counts 2 flops per multiply-add of the projections (Q, K, V), Q·Kᵀ, A·V and W^O; softmax, masks and copies are not counted. ${FULL ? '' : 'The cpu backend was skipped on the two big cases (≈3–5 s per run).'}

${o.header}
${o.sep}
${o.lines.join('\n')}

${o.verdicts.map((v) => `- ${v}`).join('\n')}

### What makes the wasm path fast

- tfjs-backend-wasm sends a product to XNNPACK's GEMM only when it is a plain 2-D product (batch 1, no transposed operand). Batched (\`h×n×d_k\`) or transposed (\`transposeB\`) products fall back to a naive loop: 12 heads of Q·Kᵀ at n = 512 take 242 ms with \`matMul(Q, K, false, true)\` and 18 ms as plain products with Kᵀ materialised (a 64×512 transpose per head, ~0.2 ms). So the engine builds the graph from plain 2-D products per head, and batches nothing across heads.
- Q, K, V come straight from X·W per head: one fused X·[W_q W_k W_v of all heads] product is no faster here (53 ms vs 54 ms for 36 products at n = 512) and its column slices cost more (the wasm Slice kernel copies).
- The scale is applied to Kᵀ (n·d_k numbers) instead of the scores (n² per head); the causal mask and the key weights become one additive bias (log w_j, or −1e30 for an excluded key) before a single fused softmax kernel; rows without any admissible key are zeroed by one multiply (only when there are such rows).
- Read-back is a copy per output tensor. On this VM, touching freshly allocated memory is slow (first write to a new 32 MB buffer ≈ 95 ms, i.e. ≈ 12 µs per 4 KiB page, against 1.2 ms for the second write), so at n = 512 the ~31 MB of results cost roughly as much as the arithmetic; the float64 reference pays the same for ~60 MB.
- Graph layout: \`computeAttention(input, { strategy })\` also has a 'batched' layout (one product per projection for all heads, h×n×n batched products, 8 read-backs instead of 6h + 2). In Node it is never faster (wasm, n = 16…256: e.g. 2.4 ms vs 0.7 ms at (32, 64, 4) article; the batched products take the naive loop, and per-kernel overhead is only ~10 µs), so 'auto' uses the per-head layout on wasm and cpu. On webgl 'auto' picks the batched layout, because each read-back there is a GPU round trip; that choice is for the Browser section to confirm.
- Tiny sizes: at (16, 8, 2) the plain loops win (≈0.1 ms against 0.2–0.4 ms of fixed cost for ~25 tfjs kernel calls and read-backs); both are far below the 5 ms target.
- TOOLCHAIN.md measured a naive tfjs graph at 306 ms for (512, 768, 12) without W^O against 1766 ms for plain loops (5.8×), on a quieter machine; the table above includes W^O (0.6 GFLOP more) for both.
- Threads: these Node figures are tfjs's single-threaded SIMD build (its threaded build does not start in Node: its pthread workers come from \`blob:\` URLs). In the browser a cross-origin-isolated page runs the threaded build, and other pages split long jobs across workers: see "Threads", "Worker pool" and the browser comparison with onnxruntime-web below.
- Remaining head-room: XNNPACK reaches ~30 GFLOP/s on the projections here; the rest of the time is read-back and memory.
`;
  writeDocSection('## Engine (Node)', section);
}

await main();
