// One side of the peer comparison (bench/peer.ts forks it): loads its model once, then runs a forward pass
// with all attention maps read back each time the parent asks, and answers with the time it took.
//   ours <checkpoint folder> <threads>   Attention Lab: fromFiles(dirFiles(…)), the worker's loader; tfjs wasm
//   ort <graph.onnx> <threads>           onnxruntime-web, wasm execution provider, ort.env.wasm.numThreads
// Messages in: { ids, dump? } — dump: a file to write the maps (layer by layer, head by head, float32) and
// then the logits to. Out: { type: 'ready', … } once loaded, { type: 'done', … } after each run.
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpuMs, peakRss } from './measure.ts';
import { flatten, oursForward, ortSide, type Forward } from './peerFixture.ts';

export interface Ready {
  type: 'ready';
  /** Load from disk → ready to run (ms) and its CPU time. */
  loadMs: number;
  loadCpuMs: number;
  /** What actually runs, e.g. "tfjs wasm, 1 thread". */
  runtime: string;
}

export interface Done {
  type: 'done';
  ms: number;
  cpuMs: number;
  /** Peak resident set size of this process so far (bytes). */
  peakRss: number;
}

export interface Request {
  ids: number[];
  dump?: string;
}

async function ours(dir: string, threads: number): Promise<{ forward: Forward; runtime: string }> {
  const { initBackend, wasmThreads } = await import('../engine/backend.ts');
  const { dirFiles } = await import('../engine/checkpoint/dirFiles.ts');
  const { fromFiles } = await import('../compute/models.ts');
  const backend = await initBackend('wasm', { threads });
  const { model } = await fromFiles('peer', dirFiles(dir));
  return { forward: oursForward(model), runtime: `tfjs ${backend}, ${wasmThreads()} thread${wasmThreads() > 1 ? 's' : ''}` };
}

async function ort(graph: string, threads: number): Promise<{ forward: Forward; runtime: string }> {
  const side = await ortSide(await import('onnxruntime-web'), await readFile(graph), threads);
  return { forward: side.forward, runtime: `onnxruntime-web ${side.version} wasm, ${side.threads} thread${side.threads > 1 ? 's' : ''}` };
}

async function main(): Promise<void> {
  const [kind, path, threadsArg] = process.argv.slice(2);
  if ((kind !== 'ours' && kind !== 'ort') || !path) throw new Error('usage: peerSide.ts ours|ort <path> <threads>');
  const c0 = cpuMs();
  const t0 = performance.now();
  const side = await (kind === 'ours' ? ours : ort)(path, Number(threadsArg ?? 1));
  const ready: Ready = { type: 'ready', loadMs: performance.now() - t0, loadCpuMs: cpuMs() - c0, runtime: side.runtime };
  process.send!(ready);
  process.on('message', (req: Request) => {
    void (async () => {
      const c = cpuMs();
      const t = performance.now();
      const out = await side.forward(req.ids);
      const done: Done = { type: 'done', ms: performance.now() - t, cpuMs: cpuMs() - c, peakRss: peakRss() };
      if (req.dump) writeFileSync(req.dump, flatten(out));
      process.send!(done);
    })().catch(fail);
  });
  process.on('disconnect', () => process.exit(0));
}

function fail(e: unknown): void {
  console.error(e);
  process.exit(1);
}

main().catch(fail);
