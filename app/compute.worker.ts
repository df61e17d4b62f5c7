/// <reference lib="webworker" />
// The only place tfjs runs in the browser: builds the AttentionInput (seeded or from a case) and
// computes attention, then transfers every typed array back. Messages are handled one at a time.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { tf, initBackend } from '../engine/backend.ts';
import { computeAttention } from '../engine/attention.ts';
import { applyOverrides, buildInput } from '../engine/scenario.ts';
import { parseCase } from '../engine/validate.ts';
import type { AttentionInput } from '../engine/types.ts';
import { transferables, type ComputeSpec, type FromWorker, type ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

// Threaded wasm hangs in Vite builds (TOOLCHAIN.md); the engine sets this too, but be explicit.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let ready: Promise<unknown> = Promise.resolve();

async function switchBackend(preferred: 'auto' | 'wasm' | 'webgl' | 'cpu'): Promise<void> {
  try {
    const active = await initBackend(preferred, { wasmPaths });
    const error = preferred !== 'auto' && preferred !== active ? `${preferred} unavailable, using ${active}` : null;
    post({ type: 'backend', active, error });
  } catch (e) {
    post({ type: 'backend', active: null, error: errorText(e) });
  }
}

function build(spec: ComputeSpec): AttentionInput {
  if (spec.kind === 'seeded') return buildInput(spec.scenario);
  const parsed = parseCase(spec.case);
  const weights = spec.keyWeights.every((w) => w === 1) ? null : Float64Array.from(spec.keyWeights);
  const input: AttentionInput = { ...parsed, causal: spec.causal, keyWeights: weights };
  return Object.keys(spec.overrides).length ? applyOverrides(input, spec.overrides) : input;
}

async function compute(id: number, spec: ComputeSpec): Promise<void> {
  try {
    const t0 = performance.now();
    const input = build(spec);
    const t1 = performance.now();
    const result = await computeAttention(input);
    const t2 = performance.now();
    post({ type: 'result', id, input, result, ms: { build: t1 - t0, compute: t2 - t1 } }, transferables(input, result));
  } catch (e) {
    post({ type: 'error', id, message: errorText(e) });
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // One message at a time: a backend switch never races a computation.
  if (msg.type === 'backend') ready = ready.then(() => switchBackend(msg.preferred));
  else if (msg.type === 'compute') ready = ready.then(() => compute(msg.id, msg.spec));
};
