/// <reference lib="webworker" />
// The only place tfjs runs in the browser: builds the AttentionInput (seeded or from a case) and
// computes attention, then transfers every typed array back. Messages are handled one at a time.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { tf, initBackend } from '../engine/backend.ts';
import { computeAttention } from '../engine/attention.ts';
import { applyOverrides, buildInput, effectiveHeads, scenarioKeyWeights, type Scenario } from '../engine/scenario.ts';
import { CaseError, parseCase } from '../engine/validate.ts';
import type { AttentionInput, Matrix } from '../engine/types.ts';
import { transferables, wallClock, type ComputeSpec, type FromWorker, type ToWorker } from './protocol.ts';

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
    post({ type: 'backend', preferred, active, error: null });
  } catch (e) {
    post({ type: 'backend', preferred, active: null, error: errorText(e) });
  }
}

// The seeded numbers only depend on the tokens, the sizes, the seed and the convention: toggling the
// mask, a key weight, padding or an edited number reuses them (rebuilding costs far more than the
// attention itself on small inputs). Cached inputs are never transferred, only copied.
interface Cached {
  key: string;
  base: AttentionInput;
}
const CACHE_SIZE = 2;
let cache: Cached[] = [];

function baseKey(s: Scenario): string {
  return JSON.stringify([s.tokens, s.d, effectiveHeads(s), s.dk, s.seed, s.convention]);
}

function seededBase(s: Scenario): AttentionInput {
  const key = baseKey(s);
  const hit = cache.find((c) => c.key === key);
  if (hit) return hit.base;
  const base = buildInput({ ...s, causal: false, keyWeights: [], padding: [], overrides: {} });
  cache = [{ key, base }, ...cache].slice(0, CACHE_SIZE);
  return base;
}

function cachedBuffers(): Set<ArrayBufferLike> {
  const out = new Set<ArrayBufferLike>();
  const add = (m: Matrix | null) => {
    if (m) out.add(m.data.buffer);
  };
  for (const { base } of cache) {
    add(base.X);
    add(base.Wo);
    for (const h of base.heads) {
      add(h.Wq);
      add(h.Wk);
      add(h.Wv);
    }
  }
  return out;
}

function build(spec: ComputeSpec): AttentionInput {
  if (spec.kind === 'seeded') {
    const s = spec.scenario;
    const w = scenarioKeyWeights(s);
    const input: AttentionInput = { ...seededBase(s), causal: s.causal, keyWeights: w.every((x) => x === 1) ? null : Float32Array.from(w) };
    return Object.keys(s.overrides).length ? applyOverrides(input, s.overrides) : input;
  }
  const parsed = parseCase(spec.case);
  const weights = spec.keyWeights.every((w) => w === 1) ? null : Float64Array.from(spec.keyWeights);
  const input: AttentionInput = { ...parsed, causal: spec.causal, keyWeights: weights };
  return Object.keys(spec.overrides).length ? applyOverrides(input, spec.overrides) : input;
}

async function compute(id: number, spec: ComputeSpec, sentAt: number): Promise<void> {
  try {
    const queue = wallClock() - sentAt;
    const t0 = performance.now();
    const input = build(spec);
    const t1 = performance.now();
    const result = await computeAttention(input);
    const t2 = performance.now();
    // Transfer everything except the cached seeded matrices (those are copied by postMessage).
    const keep = cachedBuffers();
    const transfer = transferables(input, result).filter((b) => !keep.has(b));
    post({ type: 'result', id, input, result, ms: { queue, build: t1 - t0, compute: t2 - t1 }, postedAt: wallClock() }, transfer);
  } catch (e) {
    post({ type: 'error', id, message: errorText(e), caseError: e instanceof CaseError ? e.toData() : null });
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // One message at a time: a backend switch never races a computation.
  if (msg.type === 'backend') ready = ready.then(() => switchBackend(msg.preferred));
  else if (msg.type === 'compute') ready = ready.then(() => compute(msg.id, msg.spec, msg.sentAt));
};
