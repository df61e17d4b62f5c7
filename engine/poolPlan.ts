// How many workers share a parallel job (the head-ablation sweep, a corpus run), and why. A page that is
// not cross-origin isolated cannot run wasm's threaded build; it can still start several dedicated
// workers, each running the single-threaded build on its own copy of the model, and split the job's
// independent forward passes between them. Pure: the compute worker gives it what it knows.
import type { BackendName } from './backend.ts';

/**
 * `pooled`: as many workers as cores; `isolated`: wasm's threads already use every core; `not-wasm`: WebGPU
 * or cpu runs; `one-core`: the browser reports one core; `url-off` / `url-capped`: the page address says
 * `?workers=1` / `?workers=N` below the cores; `memory`: the model is too large to copy into that many
 * workers; `no-workers`: this context cannot start a worker.
 */
export type PoolWhy = 'pooled' | 'isolated' | 'not-wasm' | 'one-core' | 'url-off' | 'url-capped' | 'memory' | 'no-workers';

export interface PoolPlan {
  /** Workers sharing a job, the compute worker included (1: it runs alone). */
  workers: number;
  why: PoolWhy;
}

export interface PoolInput {
  /** The backend in use (null: none started yet). */
  backend: BackendName | null;
  /** Threads wasm runs on (more than one: the page is cross-origin isolated and the threaded build runs). */
  wasmThreads: number;
  /** navigator.hardwareConcurrency. */
  cores: number;
  /** `?workers=N` from the page address; null: not given. */
  override: number | null;
  /** Whether this context can start a dedicated worker. */
  canSpawn: boolean;
  /** Float32 bytes of the model's weights; null: no model (seeded numbers, the plan before a model is loaded). */
  modelBytes?: number | null;
  /** navigator.deviceMemory (GiB, rounded by the browser), where the browser tells it. */
  deviceMemoryGiB?: number | null;
}

/** Never more workers than this, whatever the core count: each holds tfjs, its wasm heap and a model copy. */
export const MAX_WORKERS = 8;
/** Memory assumed where the browser does not say (GiB). */
const DEFAULT_DEVICE_GIB = 4;
/** Share of the device's memory the extra copies of a model may take. */
const MEMORY_SHARE = 1 / 4;
/**
 * What one more worker's copy of a model costs, per byte of float32 weights: the weights in JS and in the wasm
 * heap (docs/performance.md, Checkpoints: a loaded checkpoint's peak is about twice its float32 weights).
 */
const COPY_FACTOR = 2;

/** `?workers=N` in a query string: a whole number ≥ 1, else null (absent or unreadable: the default). */
export function workersOverride(search: string): number | null {
  const raw = new URLSearchParams(search).get('workers');
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

export function poolPlan(p: PoolInput): PoolPlan {
  if (p.backend !== 'wasm') return { workers: 1, why: 'not-wasm' };
  if (p.wasmThreads > 1) return { workers: 1, why: 'isolated' };
  if (!p.canSpawn) return { workers: 1, why: 'no-workers' };
  if (p.override === 1) return { workers: 1, why: 'url-off' };
  const cores = Math.min(MAX_WORKERS, Math.max(1, Math.floor(p.cores) || 1));
  if (cores === 1) return { workers: 1, why: 'one-core' };
  let plan: PoolPlan = p.override !== null && p.override < cores ? { workers: p.override, why: 'url-capped' } : { workers: cores, why: 'pooled' };
  if (p.modelBytes) {
    const budget = (p.deviceMemoryGiB ?? DEFAULT_DEVICE_GIB) * 2 ** 30 * MEMORY_SHARE;
    const fit = 1 + Math.floor(budget / (COPY_FACTOR * p.modelBytes));
    if (fit < plan.workers) plan = { workers: fit, why: 'memory' };
  }
  return plan;
}
