/// <reference lib="webworker" />
// One side of the browser peer comparison, alone in its worker: loads its model once, then runs forward passes
// when the page asks. Ours runs what the app's compute worker runs (its wasm paths, engine/backend.ts's
// initBackend, compute/models.ts's checkpoint loader, the engine's forward pass); onnxruntime-web's module is
// the package's own file, served as it ships (its threads are workers it starts from its own URL).
import type * as Ort from 'onnxruntime-web';
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import { flatten, oursForward, ortSide, type Forward } from '../peerFixture.ts';
import type { FromSide, Loaded, Profiled, ToSide } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

let forward: Forward | null = null;

/** A checkpoint folder served over HTTP, as the loader asks for its files. */
function httpFiles(base: string): CheckpointFiles {
  return {
    label: base,
    async read(name) {
      const r = await fetch(base + name);
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(`${base}${name}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}

const plural = (threads: number) => `${threads} thread${threads > 1 ? 's' : ''}`;

async function loadOurs(threads: number, model: string): Promise<Omit<Loaded, 'type' | 'loadMs'>> {
  const [{ wasmPaths }, { initBackend, wasmThreads }, { fromFiles }] = await Promise.all([import('../../compute/wasmPaths.ts'), import('../../engine/backend.ts'), import('../../compute/models.ts')]);
  const backend = await initBackend('wasm', { wasmPaths, threads });
  if (backend !== 'wasm') throw new Error(`tfjs started ${backend}, not wasm`);
  forward = oursForward((await fromFiles('peer', httpFiles(model))).model);
  return { runtime: `tfjs wasm, ${plural(wasmThreads())}`, threads: wasmThreads() };
}

async function loadOrt(threads: number, model: string, ortUrl: string): Promise<Omit<Loaded, 'type' | 'loadMs'>> {
  const ort = (await import(/* @vite-ignore */ ortUrl)) as typeof Ort;
  const graph = await fetch(`${model}gpt2.onnx`);
  if (!graph.ok) throw new Error(`${model}gpt2.onnx: HTTP ${graph.status}`);
  const side = await ortSide(ort, new Uint8Array(await graph.arrayBuffer()), threads);
  forward = side.forward;
  return { runtime: `onnxruntime-web ${side.version} wasm, ${plural(side.threads)}`, threads: side.threads };
}

/** A forward pass under tf.profile: each kernel's time (tfjs-wasm times a kernel as the wall time of its call). */
async function profile(ids: number[]): Promise<Profiled> {
  const { tf } = await import('../../engine/backend.ts');
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await forward!(ids);
  });
  const ms = performance.now() - t0;
  const kernels: Profiled['kernels'] = {};
  const products: Profiled['products'] = {};
  for (const k of info.kernels) {
    const kernelMs = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = (kernels[k.name] ??= { calls: 0, ms: 0 });
    entry.calls++;
    entry.ms += kernelMs;
    if (!/MatMul/.test(k.name)) continue;
    const product = productOf(k.inputShapes[0], k.outputShapes[0]);
    const p = (products[product.shape] ??= { calls: 0, ms: 0, flops: 0 });
    p.calls++;
    p.ms += kernelMs;
    p.flops += product.flops;
  }
  return { type: 'profiled', ms, kernels, products };
}

/** A product's shape and operations from its left operand's and its output's shapes (either operand may be transposed). */
function productOf(a: number[], out: number[]): { shape: string; flops: number } {
  const [m, n] = out.slice(-2);
  const k = a.at(-2) === m ? a.at(-1)! : a.at(-2)!;
  const batch = out.slice(0, -2).reduce((x, y) => x * y, 1);
  return { shape: `${batch > 1 ? `${batch} × ` : ''}${m}×${k}·${k}×${n}`, flops: 2 * batch * m * n * k };
}

async function handle(msg: ToSide): Promise<void> {
  if (msg.type === 'load') {
    const t0 = performance.now();
    const loaded = msg.kind === 'ours' ? await loadOurs(msg.threads, msg.model) : await loadOrt(msg.threads, msg.model, msg.ort);
    post({ type: 'ready', loadMs: performance.now() - t0, ...loaded });
  } else if (msg.type === 'run') {
    const t0 = performance.now();
    const out = await forward!(msg.ids);
    const ms = performance.now() - t0;
    if (!msg.keep) return post({ type: 'done', ms });
    const numbers = flatten(out);
    post({ type: 'done', ms, numbers }, [numbers.buffer]);
  } else {
    post(await profile(msg.ids));
  }
}

function post(msg: FromSide, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

self.onmessage = (e: MessageEvent<ToSide>) => {
  handle(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
};
