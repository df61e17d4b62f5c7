// Heads across a corpus on a GPT-2-small-shaped checkpoint (12 × 12 heads, random fp16 weights): 64
// sequences × 128 tokens through engine/corpus's runCorpus (what `npm run heads` runs), against one
// input of 128 tokens run and scored the way the model command and the Model view do it. Each run is
// its own child process, so its peak RSS is its own. Targets: the corpus in ≤ 120 s; its peak memory ≤
// the single input's + 10 %. Writes the "## Heads across a corpus" section of docs/performance.md.
//   --no-write-docs   print only
// runChild is also the Node side of bench/corpusBrowser.ts (the same corpus in the app's worker).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDocSection } from './docSection.ts';
import { GPT2_SMALL } from './gpt2SmallCheckpoint.ts';
import { corpusIds, N, SEQUENCES } from './corpusIds.ts';

const TARGET_MS = 120_000;
const MEMORY_MARGIN = 0.1;
const MB = 1e6;

/** What a child reports. */
export interface ChildReport {
  loadMs: number;
  runMs: number;
  cpuMs: number;
  tokens: number;
  peakRss: number;
  /** Seconds → sequences done, for the corpus run. */
  progress?: number[];
  /** The corpus run: ms the aggregator takes for one sequence's 144 maps (median of 15). */
  aggregateMs?: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function child(mode: 'single' | 'corpus', dir: string): Promise<ChildReport> {
  const [{ initBackend }, { loadCheckpoint }, { dirFiles }] = await Promise.all([import('../engine/backend.ts'), import('../engine/checkpoint/load.ts'), import('../engine/checkpoint/dirFiles.ts')]);
  await initBackend('wasm');
  const t0 = performance.now();
  const model = await loadCheckpoint(dirFiles(dir));
  const loadMs = performance.now() - t0;
  const seqs = corpusIds();
  const c0 = cpuNow();
  const t1 = performance.now();
  const progress: number[] = [];
  if (mode === 'single') {
    // One input as the model command runs it (every map kept) and scored as the Model view scores it.
    const { analyzeHeads } = await import('../engine/headAnalysis.ts');
    const run = await model.forward(seqs[0], { keep: 'attention' });
    analyzeHeads({ layers: run.layers.map((l) => l.attention), tokens: seqs[0] }, { causal: true });
  } else {
    const { runCorpus } = await import('../engine/corpus/run.ts');
    const r = await runCorpus(model, seqs, { onProgress: (p) => progress.push(p.elapsedMs / 1000) });
    if (r.sequences !== SEQUENCES || r.heads.flat().length !== GPT2_SMALL.n_layer * GPT2_SMALL.n_head) throw new Error('the corpus run is incomplete');
  }
  let aggregateMs: number | undefined;
  if (mode === 'corpus') {
    // The aggregator's share: one sequence's maps (kept this once) aggregated again and again.
    const { aggregatorFor } = await import('../engine/corpus/run.ts');
    const maps = (await model.forward(seqs[0], { keep: 'attention' })).layers.map((l) => l.attention);
    const agg = aggregatorFor(model);
    const times: number[] = [];
    for (let k = 0; k < 15; k++) {
      const t = performance.now();
      agg.begin(seqs[0]);
      maps.forEach((A, l) => agg.addLayer(l, A));
      agg.end();
      times.push(performance.now() - t);
    }
    aggregateMs = times.sort((a, b) => a - b)[7];
  }
  const runMs = performance.now() - t1;
  const cpuMs = cpuNow() - c0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  model.dispose();
  return { loadMs, runMs, cpuMs, tokens: mode === 'single' ? N : SEQUENCES * N, peakRss, progress, aggregateMs };
}

export function runChild(mode: 'single' | 'corpus', dir: string): ChildReport {
  const r = spawnSync('npx', ['tsx', import.meta.filename, '--child', mode, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildReport;
}

async function main(): Promise<void> {
  const WRITE_DOCS = !process.argv.includes('--no-write-docs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corpus-bench-'));
  try {
    const gen = spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'gpt2SmallCheckpoint.ts'), '--write', dir], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('could not write the benchmark checkpoint');
    const date = new Date().toISOString().slice(0, 10);
    const machine = `${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}`;
    const load0 = os.loadavg()[0];
    const single = runChild('single', dir);
    console.log(`single input (n = ${N}): run ${(single.runMs / 1000).toFixed(2)} s, peak RSS ${(single.peakRss / MB).toFixed(0)} MB`);
    const loadMid = os.loadavg()[0];
    const whole = runChild('corpus', dir);
    const load1 = os.loadavg()[0];
    const tps = whole.tokens / (whole.runMs / 1000);
    const ratio = whole.peakRss / single.peakRss;
    const timeOk = whole.runMs <= TARGET_MS;
    const memOk = ratio <= 1 + MEMORY_MARGIN;
    console.log(`corpus ${SEQUENCES} × ${N}: ${(whole.runMs / 1000).toFixed(1)} s (CPU ${(whole.cpuMs / 1000).toFixed(1)} s), ${tps.toFixed(0)} tokens/s, peak RSS ${(whole.peakRss / MB).toFixed(0)} MB (${ratio.toFixed(3)}× the single input's); load ${load0.toFixed(1)} → ${loadMid.toFixed(1)} → ${load1.toFixed(1)}`);
    console.log(`${timeOk ? 'PASS' : 'FAIL'}  whole corpus ${(whole.runMs / 1000).toFixed(1)} s (target ≤ ${TARGET_MS / 1000} s)`);
    console.log(`${memOk ? 'PASS' : 'FAIL'}  peak memory ${(whole.peakRss / MB).toFixed(0)} MB ≤ single input's ${(single.peakRss / MB).toFixed(0)} MB + 10 % (${((ratio - 1) * 100).toFixed(1)} %)`);
    const quarter = (q: number) => whole.progress![Math.round((SEQUENCES * q) / 4) - 1];
    const section = `## Heads across a corpus (Node, \`bench/corpus.ts\`)

Measured ${date} with \`npx tsx bench/corpus.ts\` (part of \`npm run bench\`) on ${machine}, tfjs wasm (one thread); load average ${load0.toFixed(1)} at the start, ${loadMid.toFixed(1)} between the runs, ${load1.toFixed(1)} at the end (2 shared cores: above 2, a run waits for a core part of the time).

A GPT-2-small-shaped checkpoint (12 layers × 12 heads, d 768, vocab 50,257, random fp16 weights) loaded with \`loadCheckpoint(dirFiles(dir))\`. The corpus run is \`runCorpus\` (engine/corpus/run.ts, what \`npm run heads\` runs): ${SEQUENCES} sequences of ${N} seeded random ids (every fourth a random half repeated, for induction rows), each forward pass handing every layer's 12 maps to the aggregator (pooled sums, per-sequence scores, top 10 per head) and keeping none. The single-input run is one of those sequences run with every map kept (as \`npm run model\` does) and scored by \`analyzeHeads\` (as the Model view does). Each run is a fresh child process; memory is its peak RSS (\`process.resourceUsage().maxRSS\`: Node, tfjs, the weights and the run). Times exclude loading (${(whole.loadMs / 1000).toFixed(1)} s).

| what | figure | target |
|---|---:|---|
| whole corpus, ${SEQUENCES} × ${N} tokens (CPU time) | ${(whole.runMs / 1000).toFixed(1)} s (${(whole.cpuMs / 1000).toFixed(1)} s) | ${timeOk ? 'PASS' : 'FAIL'} (≤ ${TARGET_MS / 1000} s) |
| tokens/s | ${tps.toFixed(0)} | — |
| … of which the aggregator, per sequence (144 maps of 128 × 128: pooled sums, per-sequence scores, top 10) | ${whole.aggregateMs!.toFixed(1)} ms | — |
| sequences done after 25 / 50 / 75 / 100 % of them: elapsed s | ${[1, 2, 3, 4].map((q) => quarter(q).toFixed(1)).join(' / ')} | — (steady: no slow-down as the corpus grows) |
| single input, n = ${N}: run and score | ${(single.runMs / 1000).toFixed(2)} s | — |
| peak RSS: corpus / single input | ${(whole.peakRss / MB).toFixed(0)} / ${(single.peakRss / MB).toFixed(0)} MB = ${ratio.toFixed(3)}× | ${memOk ? 'PASS' : 'FAIL'} (≤ 1.10×) |
`;
    if (WRITE_DOCS) writeDocSection('## Heads across a corpus', section);
    process.exitCode = timeOk && memOk ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run as a script (not imported by bench/corpusBrowser.ts, which spawns its children through runChild).
if (process.argv[1] === import.meta.filename) {
  if (process.argv[2] === '--child') {
    const report = await child(process.argv[3] as 'single' | 'corpus', process.argv[4]);
    console.log(JSON.stringify(report));
  } else {
    await main();
  }
}
