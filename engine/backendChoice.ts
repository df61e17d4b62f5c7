// Which backend the browser runs, and why: WebGPU only after it has computed a small attention case
// as wasm does, and wasm on as many threads as the page allows.
import { computeAttention } from './attention.ts';
import { backendFailures, initBackend, type BackendName, type BackendOptions, type BackendPref } from './backend.ts';
import { seededMatrix } from './seeded.ts';
import type { AttentionInput, AttentionResult } from './types.ts';

/** How far WebGPU's A may be from wasm's (any entry) before it is not used. */
export const GPU_TOLERANCE = 1e-4;

/**
 * Why WebGPU is not used: no API, no adapter, only a software adapter (for 'auto': it would be slower than
 * wasm), it failed to start, its numbers differ, or the probe threw.
 */
export type GpuWhy = 'no-webgpu' | 'no-adapter' | 'software' | 'init-failed' | 'mismatch' | 'probe-failed';

/** Why wasm runs on one thread: SharedArrayBuffer needs a cross-origin-isolated page, or there is one core. */
export type ThreadsWhy = 'not-isolated' | 'one-core';

export interface ThreadPlan {
  threads: number;
  why: ThreadsWhy | null;
}

/** Every core the browser reports, when the page may share memory with its workers; else one. */
export function threadPlan(isolated: boolean, cores: number): ThreadPlan {
  if (!isolated) return { threads: 1, why: 'not-isolated' };
  const threads = Math.max(1, Math.floor(cores) || 1);
  return { threads, why: threads > 1 ? null : 'one-core' };
}

export interface GpuVerdict {
  why: GpuWhy;
  /** The error text or the largest difference, for the status line and the console. */
  detail: string | null;
}

export interface Choice {
  active: BackendName;
  /** Set when WebGPU was wanted (asked for, or 'auto' where navigator.gpu exists) but is not used. */
  gpu: GpuVerdict | null;
}

/** The probe's case: two causal heads with an output projection, n = 24 (every kernel the views use). */
export function probeInput(): AttentionInput {
  const n = 24;
  const d = 16;
  const dk = 8;
  const m = (rows: number, cols: number, label: string) => seededMatrix(rows, cols, 25, label, 1 / Math.sqrt(rows));
  return {
    X: seededMatrix(n, d, 25, 'X', 1),
    heads: [0, 1].map((h) => ({ Wq: m(d, dk, `h${h}.Wq`), Wk: m(d, dk, `h${h}.Wk`), Wv: m(d, dk, `h${h}.Wv`) })),
    Wo: m(2 * dk, d, 'Wo'),
    scale: null,
    causal: true,
    keyWeights: null,
  };
}

/** The largest |a − b| over every head's A (Infinity when the shapes differ or a value is not finite). */
export function maxAttentionDiff(a: AttentionResult, b: AttentionResult): number {
  if (a.heads.length !== b.heads.length) return Infinity;
  let worst = 0;
  a.heads.forEach((h, k) => {
    const x = h.A.data;
    const y = b.heads[k].A.data;
    if (x.length !== y.length) worst = Infinity;
    for (let i = 0; i < x.length && worst !== Infinity; i++) {
      const diff = Math.abs(x[i] - y[i]);
      worst = Number.isFinite(diff) ? Math.max(worst, diff) : Infinity;
    }
  });
  return worst;
}

/** What the probe reads of a GPUAdapter (`info` is recent; older browsers lack it). */
interface AdapterInfo {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string };
}

async function gpuAdapter(acceptSoftware: boolean): Promise<GpuVerdict | null> {
  const gpu = (globalThis.navigator as Partial<Navigator> | undefined)?.gpu;
  if (!gpu) return { why: 'no-webgpu', detail: null };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { why: 'no-adapter', detail: null };
    const info = (adapter as unknown as AdapterInfo).info;
    if (info?.isFallbackAdapter && !acceptSoftware) return { why: 'software', detail: [info.vendor, info.architecture].filter(Boolean).join(' ') || null };
    return null;
  } catch (e) {
    return { why: 'no-adapter', detail: e instanceof Error ? e.message : String(e) };
  }
}

/** Runs the probe case on WebGPU and on wasm; null when they agree within GPU_TOLERANCE. */
async function probe(opts?: BackendOptions): Promise<GpuVerdict | null> {
  const input = probeInput();
  try {
    const onGpu = await computeAttention(input);
    if ((await initBackend('wasm', opts)) !== 'wasm') return { why: 'probe-failed', detail: 'wasm, the reference, did not start' };
    const diff = maxAttentionDiff(onGpu, await computeAttention(input));
    return diff <= GPU_TOLERANCE ? null : { why: 'mismatch', detail: `max |ΔA| = ${diff.toExponential(2)}` };
  } catch (e) {
    return { why: 'probe-failed', detail: e instanceof Error ? e.message : String(e) };
  }
}

/** The probe's verdict, once per worker: the adapter does not change while the page is open. */
let verified: GpuVerdict | null | undefined;

/**
 * Starts the backend a user chose. 'auto' and 'webgpu' try WebGPU first where navigator.gpu exists
 * ('auto' only on a hardware adapter), and keep it only when the probe agrees with wasm; otherwise
 * wasm (then cpu), with WebGPU's reason.
 */
export async function chooseBackend(preferred: BackendPref, opts?: BackendOptions): Promise<Choice> {
  const wantsGpu = preferred === 'webgpu' || (preferred === 'auto' && 'gpu' in (globalThis.navigator ?? {}));
  if (!wantsGpu) return { active: await initBackend(preferred, opts), gpu: null };
  const adapter = await gpuAdapter(preferred === 'webgpu');
  if (adapter) return { active: await initBackend('auto', opts), gpu: adapter };
  if (verified === undefined) {
    const started = await initBackend('webgpu', opts).catch(() => null);
    verified = started === 'webgpu' ? await probe(opts) : { why: 'init-failed', detail: backendFailures().webgpu ?? null };
  }
  if (!verified && (await initBackend('webgpu', opts)) === 'webgpu') return { active: 'webgpu', gpu: null };
  return { active: await initBackend('auto', opts), gpu: verified ?? { why: 'init-failed', detail: backendFailures().webgpu ?? null } };
}
