// Attention Lab's forward pass side by side with onnxruntime-web on the same weights: `npx tsx bench/peer.ts`
// (`npm run bench` runs it).
//   --quick           n = 128 only, 3 rounds, docs left alone (a smoke test)
//   --no-write-docs   don't write the "## Against onnxruntime-web" section of docs/performance.md
//
// A GPT-2-small-shaped fp16 checkpoint with random weights (bench/gpt2SmallCheckpoint.ts) goes to a temporary
// folder; PyTorch exports the same weights as an ONNX graph that also outputs every layer's attention
// probabilities (bench/peerGraph.py). Without a python3 that imports torch and onnx the peer is skipped (exit 0).
// Each side runs in its own child process (bench/peerSide.ts), loaded once; the sides then take turns, one at
// a time, in rounds whose order alternates (A B C, C B A, …), so a change in the machine's load hits all of
// them. Before timing a size, each side's maps (and logits) are checked against ours; the bench fails if a
// map differs by more than TOLERANCE.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDocSection } from './docSection.ts';
import { agreement as agreementOf, TOLERANCE, type Agreement } from './peerFixture.ts';
import { GPT2_SMALL, makePeerModel, mapsLength, pairedRatio, peerIds as ids, roundOrder, SKIPPED } from './peerModel.ts';
import type { Done, Ready, Request } from './peerSide.ts';
import { median } from './stats.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !QUICK && !args.has('--no-write-docs');
const SIZES = QUICK ? [128] : [128, 512];
const ROUNDS = QUICK ? 3 : 7;
const MB = 1e6;
const COMMAND = 'npx tsx bench/peer.ts';

interface SideSpec {
  key: string;
  kind: 'ours' | 'ort';
  threads: number;
}

/** The sides: ours on one wasm thread (see the doc section), onnxruntime-web on one and on two. */
const SPECS: SideSpec[] = [
  { key: 'ours', kind: 'ours', threads: 1 },
  { key: 'ort1', kind: 'ort', threads: 1 },
  { key: 'ort2', kind: 'ort', threads: 2 },
];

/** A side's process: one request at a time. */
class Side {
  readonly runs = new Map<number, Done[]>();
  private waiting: { resolve: (d: Done) => void; reject: (e: Error) => void } | null = null;

  private constructor(
    readonly spec: SideSpec,
    private readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    child.on('message', (m: Done) => {
      const w = this.waiting;
      this.waiting = null;
      w?.resolve(m);
    });
    child.on('exit', (code) => this.waiting?.reject(new Error(`${spec.key} exited with code ${code} during a run`)));
  }

  static start(spec: SideSpec, modelPath: string): Promise<Side> {
    const child = fork(path.join(import.meta.dirname, 'peerSide.ts'), [spec.kind, modelPath, String(spec.threads)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', (m: Ready) => resolve(new Side(spec, child, m)));
      child.once('exit', (code) => reject(new Error(`${spec.key} exited with code ${code} while loading`)));
    });
  }

  run(req: Request): Promise<Done> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.send(req);
    });
  }

  record(n: number, done: Done): void {
    this.runs.set(n, [...(this.runs.get(n) ?? []), done]);
  }

  stop(): void {
    this.child.removeAllListeners('exit');
    this.child.kill();
  }
}

function floats(file: string): Float32Array {
  const b = readFileSync(file);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** A side's peak RSS over its runs. */
const peakOf = (s: Side) => Math.max(...[...s.runs.values()].flat().map((d) => d.peakRss));

const load = () => os.loadavg()[0];
const secs = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const loadStart = load();
  const model = makePeerModel();
  if (!model) {
    console.log(SKIPPED);
    return;
  }
  const { dir, graph } = model;
  const sides: Side[] = [];
  try {

    // Loaded one after the other, so no load competes with another for the cores.
    for (const spec of SPECS) {
      const side = await Side.start(spec, spec.kind === 'ours' ? dir : graph);
      sides.push(side);
      console.log(`${spec.key}: ${side.ready.runtime}; load → ready ${secs(side.ready.loadMs)} s (CPU ${secs(side.ready.loadCpuMs)} s)`);
    }
    const [ours, ...peers] = sides;
    const { n_layer: L, n_head: H } = GPT2_SMALL;
    const agreement = new Map<string, Agreement>();
    const loads = new Map<number, [number, number]>();

    for (const n of SIZES) {
      // The check doubles as each side's warm-up at this size.
      const dumps = new Map<Side, string>();
      for (const side of sides) {
        const dump = path.join(dir, `${side.spec.key}-${n}.f32`);
        await side.run({ ids: ids(n), dump });
        dumps.set(side, dump);
      }
      const reference = floats(dumps.get(ours)!);
      for (const peer of peers) {
        const d = agreementOf(reference, floats(dumps.get(peer)!), mapsLength(n));
        agreement.set(`${peer.spec.key}@${n}`, d);
        console.log(`n = ${n}: ${peer.spec.key} against ours: ${L * H} maps max |Δ| ${d.maps.toExponential(1)}, logits max |Δ| ${d.logits.toExponential(1)}`);
      }
      for (const dump of dumps.values()) rmSync(dump);

      const before = load();
      for (let r = 0; r < ROUNDS; r++) {
        for (const side of roundOrder(sides, r)) side.record(n, await side.run({ ids: ids(n) }));
      }
      loads.set(n, [before, load()]);
      console.log(`n = ${n} (load ${before.toFixed(1)} → ${load().toFixed(1)}), wall (CPU) ms: ${sides.map((s) => `${s.spec.key} ${s.runs.get(n)!.map((d) => `${d.ms.toFixed(0)} (${d.cpuMs.toFixed(0)})`).join(', ')}`).join(' | ')}`);
    }
    const loadEnd = load();
    console.log(`peak RSS: ${sides.map((s) => `${s.spec.key} ${(peakOf(s) / MB).toFixed(0)} MB`).join(', ')}`);

    /** Median over rounds of peer time ÷ our time in the same round (> 1: Attention Lab is faster). */
    const ratio = (peer: Side, n: number) => pairedRatio(peer.runs.get(n)!.map((d) => d.ms), ours.runs.get(n)!.map((d) => d.ms));
    /** The same from CPU times: a single-threaded run's CPU time hardly changes when it waits for a core. */
    const cpuRatio = (peer: Side, n: number) => pairedRatio(peer.runs.get(n)!.map((d) => d.cpuMs), ours.runs.get(n)!.map((d) => d.cpuMs));
    const ort = (threads: number) => peers.find((p) => p.spec.threads === threads)!;
    const targets: [string, boolean][] = [];
    for (const n of SIZES) {
      for (const peer of peers) {
        const d = agreement.get(`${peer.spec.key}@${n}`)!;
        targets.push([`n = ${n}: maps agree with ${peer.ready.runtime}: max |Δ| ${d.maps.toExponential(1)} (tolerance ${TOLERANCE.toExponential(0)})`, d.maps <= TOLERANCE]);
      }
      const one = ratio(ort(1), n);
      const two = ratio(ort(2), n);
      targets.push([`n = ${n}: ${one.toFixed(2)}× onnxruntime-web on 1 thread (target ≥ 1.0×; by CPU time ${cpuRatio(ort(1), n).toFixed(2)}×)`, one >= 1]);
      targets.push([`n = ${n}: ${two.toFixed(2)}× onnxruntime-web on 2 threads (target ≥ 1.5× on a quiet machine; load average ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end)`, two >= 1.5]);
    }
    for (const [what, ok] of targets) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
    if (WRITE_DOCS) writeDocSection('## Against onnxruntime-web (Node', section(sides, SIZES, ratio, agreement, loads, [loadStart, loadEnd], targets));
    process.exitCode = targets.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    for (const side of sides) side.stop();
    model.remove();
  }
}

function section(sides: Side[], sizes: number[], ratio: (peer: Side, n: number) => number, agreement: Map<string, Agreement>, loads: Map<number, [number, number]>, [loadStart, loadEnd]: [number, number], targets: [string, boolean][]): string {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
  const [ours] = sides;
  const rows = sizes.flatMap((n) =>
    sides.map((s) => {
      const runs = s.runs.get(n)!;
      const ms = runs.map((d) => d.ms);
      const vs = s === ours ? '—' : `${ratio(s, n).toFixed(2)}×`;
      const d = agreement.get(`${s.spec.key}@${n}`);
      return `| ${n} | ${s.ready.runtime} | ${secs(median(ms))} / ${secs(Math.min(...ms))} | ${secs(median(runs.map((r) => r.cpuMs)))} | ${vs} | ${d ? `${d.maps.toExponential(1)} / ${d.logits.toExponential(1)}` : '—'} |`;
    }),
  );
  const memory = sides.map((s) => `| ${s.ready.runtime} | ${secs(s.ready.loadMs)} s (CPU ${secs(s.ready.loadCpuMs)} s) | ${(peakOf(s) / MB).toFixed(0)} MB |`);
  const loadsText = sizes.map((n) => `${loads.get(n)![0].toFixed(1)} → ${loads.get(n)![1].toFixed(1)} over the n = ${n} rounds`).join(', ');
  return `## Against onnxruntime-web (Node, \`bench/peer.ts\`)

Measured ${new Date().toISOString().slice(0, 10)} with \`${COMMAND}\` (\`npm run bench\` runs it) on ${machine}; load average ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end (${loadsText}). The ratios are only as good as the machine was quiet: with a load average near or above the core count, two-thread runs wait for a core and the ratio against them means little.

Both sides run the same GPT-2-small-shaped checkpoint (12 layers × 12 heads, d 768, vocab 50,257, random fp16 weights, \`bench/gpt2SmallCheckpoint.ts\`): Attention Lab loads the fp16 safetensors with the worker's loader (\`fromFiles(dirFiles(dir))\`) and runs tfjs wasm on **one thread**: tfjs-backend-wasm's threaded build does not start in Node (its pthread workers are made from \`blob:\` URLs, which Node's \`Worker\` refuses with ERR_WORKER_PATH), so our threads exist only in the browser, and the two-thread target here pits our one thread against onnxruntime-web's two (the browser comparison below gives both runtimes their threads); onnxruntime-web (the runtime under transformers.js) runs an ONNX graph that PyTorch exported from the same weights (\`bench/peerGraph.py\`, opset 17, weights widened exactly to float32, graph optimisation "all") on its wasm execution provider with \`ort.env.wasm.numThreads\` = 1 and 2. The graph outputs every layer's attention probabilities, so both sides compute and hand back the same work: a forward pass of the ids \`(7919·i + 13) mod 50257\`, all ${GPT2_SMALL.n_layer * GPT2_SMALL.n_head} attention maps and the last position's logits as JS typed arrays. The bench fails if any map differs from ours by more than ${TOLERANCE.toExponential(0)}.

Each side runs in its own child process of the bench, loaded once and warmed up by the check; then ${ROUNDS} rounds per size, one side at a time, the order alternating (A B C, C B A, …). The ratio is the median over rounds of the peer's time ÷ ours in the same round (above 1: Attention Lab is faster). CPU time is the process's (all its threads).

| n | runtime | wall: median / min (s) | CPU, median (s) | Attention Lab vs it | max \\|Δ\\| vs ours: maps / logits |
|---|---|---|---|---:|---|
${rows.join('\n')}

| runtime | load from disk → ready | peak RSS |
|---|---|---|
${memory.join('\n')}

${targets.map(([what, ok]) => `- ${ok ? 'PASS' : 'FAIL'}  ${what}`).join('\n')}
`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
