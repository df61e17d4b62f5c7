/// <reference lib="webworker" />
// The only place tfjs runs for the views: builds the AttentionInput (seeded, from a case, or each layer
// of a trained model's forward pass) and computes attention, then transfers every typed array back,
// followed by the head analysis. Messages are handled one at a time; each announces its steps to the
// page's watchdog (compute/watchdog.ts), which replaces this worker when a step never ends.
import { wasmPaths } from './wasmPaths.ts';
import { backendFailures, initBackend, wasmThreads, type BackendName, type BackendPref } from '../engine/backend.ts';
import { poolPlan, type PoolPlan } from '../engine/poolPlan.ts';
import { chooseBackend, threadPlan } from '../engine/backendChoice.ts';
import { computeAttention } from '../engine/attention.ts';
import { buildInput, effectiveHeads, scenarioBase, type Scenario } from '../engine/scenario.ts';
import { CaseError } from '../engine/caseError.ts';
import { FloatPool } from '../engine/floatPool.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import { analyzeHeads, type HeadAnalysis } from '../engine/headAnalysis.ts';
import { makeInductionProbe } from '../engine/headScores.ts';
import { attentionFlowRows } from '../engine/analysis/maxflow.ts';
import { ModelError } from '../engine/model/modelError.ts';
import { ConfirmNeeded, HubError, isAbortError } from '../engine/checkpoint/hubErrors.ts';
import { cancelLoad, getModel, modelBuffers, pageSource, setPageBundle, setPageFiles, type RunnableModel } from './models.ts';
import { ContextError, layerOf, rowsOf, runModel, type KeptRun } from './modelRun.ts';
import { corpusRunner } from './corpusRunner.ts';
import { sweepHeads } from './poolSweep.ts';
import { shareCorpus } from './poolCorpus.ts';
import { WorkerPool, type MemberPort } from './pool.ts';
import { MEMBER_NAME, type FromMember, type ModelSpec, type ToMember } from './poolProtocol.ts';
import { memberHandler } from './poolTasks.ts';
import type { WorkStep } from './watchdog.ts';
import { transferables, wallClock, type ComputeSpec, type FromWorker, type ModelExtras, type ModelOrigin, type ModelProblem, type ModelRequest, type ToWorker } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;


function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Tells the page's watchdog which step is running (null: nothing). */
function step(s: WorkStep | null): void {
  post({ type: 'step', step: s });
}

let ready: Promise<unknown> = Promise.resolve();

/**
 * Runs tasks one at a time, in order. A task that throws outside its own error handling (a failed
 * postMessage, say) is reported through `onError` and the queue goes on: a rejected chain would
 * silently drop every later message.
 */
function enqueue(task: () => unknown, onError: (e: unknown) => void): void {
  ready = ready
    .then(task)
    .catch((e: unknown) => {
      try {
        onError(e);
      } catch (again) {
        console.error('Attention Lab: a worker task failed and so did its report', e, again);
      }
    })
    .finally(() => step(null));
}

const logged = (what: string) => (e: unknown) => console.error(`Attention Lab: ${what} failed`, e);

async function switchBackend(preferred: BackendPref, workers: number | null): Promise<void> {
  const plan = threadPlan(self.crossOriginIsolated, navigator.hardwareConcurrency);
  workersAsked = workers;
  activeBackend = null;
  try {
    const { active, gpu } = await chooseBackend(preferred, { wasmPaths, threads: plan.threads });
    const why = preferred === 'auto' || preferred === active ? null : (backendFailures()[preferred] ?? null);
    if (why) console.warn(`Attention Lab: the ${preferred} backend failed: ${why}`);
    if (gpu && preferred === 'webgpu') console.warn(`Attention Lab: WebGPU not used (${gpu.why}${gpu.detail ? `: ${gpu.detail}` : ''})`);
    const threads = active === 'wasm' ? wasmThreads() : null;
    post({ type: 'backend', preferred, active, error: null, why, threads, threadsWhy: threads === 1 ? plan.why : null, gpu });
    activeBackend = active;
    postPlan(currentPlan(null), true);
  } catch (e) {
    console.warn(`Attention Lab: ${errorText(e)}`);
    post({ type: 'backend', preferred, active: null, error: errorText(e), why: null, threads: null, threadsWhy: null, gpu: null });
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

/** The scenario's base (engine/scenario.ts): a seeded one from the cache, a case's parsed afresh. */
function cachedBase(s: Scenario): AttentionInput {
  if (s.source?.kind === 'case') return scenarioBase(s);
  const key = baseKey(s);
  const hit = cache.find((c) => c.key === key);
  if (hit) return hit.base;
  const base = scenarioBase(s);
  cache = [{ key, base }, ...cache].slice(0, CACHE_SIZE);
  return base;
}

function cachedBuffers(): Set<ArrayBufferLike> {
  const out = modelBuffers();
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

// ------------------------------------------------------------------------------------------------

interface Built {
  attention: Matrix[][];
  pooled: boolean;
  /** Computes a long input's rollout after the picture; null when the extras hold it. */
  rollout: (() => Matrix[]) | null;
  detail: { layer: number; input: AttentionInput; result: AttentionResult };
  tokens: string[] | null;
  unknown: boolean[] | null;
  model: ModelExtras | null;
  /** Computes the head analysis from copies taken before the arrays are transferred. */
  analyze: () => Promise<HeadAnalysis>;
}

/**
 * The model run the page shows (by request id), kept so that another layer in full or a focused row
 * can be answered without running the model again. One at a time: a new run replaces it.
 */
let lastRun: { id: number; req: ModelRequest; kept: KeptRun } | null = null;

/** The request without what a kept run answers by itself (the layer shown in full). */
const runKey = (req: ModelRequest) => JSON.stringify({ ...req, layer: 0 });

async function computeModel(id: number, req: ModelRequest): Promise<Built & { build: number }> {
  const t0 = performance.now();
  const m = await getModel(req.key, req.origin, post);
  const t1 = performance.now();
  lastRun = null; // frees the previous run's maps before this one allocates its own
  const run = await runModel(m, req, step);
  lastRun = { id, req, kept: run.kept };
  return { attention: run.attention, pooled: run.pooled, rollout: run.rollout, detail: run.detail, tokens: run.tokens, unknown: run.unknown, model: run.extras, analyze: run.analyze, build: t1 - t0 };
}

/** Answers a request that differs from the shown run only in its layer; false when it does not. */
async function computeLayer(id: number, req: ModelRequest, reuse: number | null | undefined, sentAt: number): Promise<boolean> {
  const run = lastRun;
  if (!run || reuse == null || run.id !== reuse || runKey(run.req) !== runKey(req)) return false;
  const queue = wallClock() - sentAt;
  const t0 = performance.now();
  step('forward');
  const layer = Math.max(0, Math.min(run.kept.model.info.layers - 1, req.layer));
  const { detail, compare } = await layerOf(run.kept, layer);
  lastRun = { id, req, kept: run.kept };
  const keep = cachedBuffers();
  const transfer = transferables([], detail, { rollout: [], compare: compare ? { text: '', tokens: [], layer, shift: run.kept.compareShift, ...compare } : null }).filter((b) => !keep.has(b));
  post({ type: 'layer', id, detail, compare, ms: { queue, build: 0, compute: performance.now() - t0 }, postedAt: wallClock() }, transfer);
  return true;
}

function sendRows(of: number, query: number): void {
  const run = lastRun;
  if (!run || run.id !== of || !run.kept.maps) return; // the page has moved on, or holds the maps itself
  const rows = rowsOf(run.kept, query);
  post({ type: 'rows', of, query, rows }, rows.flat().map((r) => r.buffer as ArrayBuffer));
}

const SEEDED_PROBE = makeInductionProbe('abcdefghijklmnopqrstuvwxyz'.split(''), 12, 1);
/** The seeded heads on SEEDED_PROBE: they depend on the sizes, seed and mask, not on the user's text. */
let seededProbe: { key: string; layers: Matrix[][] } | null = null;

async function seededProbeLayers(scenario: Scenario): Promise<Matrix[][]> {
  const s: Scenario = { ...scenario, tokens: SEEDED_PROBE.tokens, keyWeights: [], padding: [], overrides: {} };
  const key = JSON.stringify([baseKey(s), s.causal, s.window ?? null]);
  if (seededProbe?.key !== key) {
    const result = await computeAttention(buildInput(s));
    seededProbe = { key, layers: [result.heads.map((h) => h.A)] };
  }
  return seededProbe.layers;
}

/**
 * Arrays of seeded and case results the page has stopped showing, handed back (see floatPool.ts):
 * room for two results at the size limit (scores and A of 2^24 numbers each).
 */
const recycled = new FloatPool(2 * 2 * 4 * 2 ** 24);

/**
 * The head analysis reads the maps after they have been transferred to the page: it reads this copy,
 * kept in the same arrays from one edit to the next (new arrays of this size are costly, see floatPool.ts).
 */
let analysisMaps: Float32Array[] = [];

function mapsForAnalysis(As: Matrix[]): Matrix[][] {
  analysisMaps = As.map((A, k) => {
    const copy = analysisMaps[k]?.length === A.data.length ? analysisMaps[k] : new Float32Array(A.data.length);
    copy.set(A.data);
    return copy;
  });
  return [As.map((A, k) => ({ rows: A.rows, cols: A.cols, data: analysisMaps[k] }))];
}

async function computeOne(s: Scenario): Promise<Built & { build: number }> {
  const t0 = performance.now();
  const input = buildInput(s, cachedBase(s));
  const t1 = performance.now();
  const result = await computeAttention(input, { reuse: recycled });
  recycled.trim();
  const As = mapsForAnalysis(result.heads.map((h) => h.A));
  const causal = input.causal;
  // A case's labels (or t0, t1, …) stand in for token identity (duplicate-token, induction on the input).
  const tokens = s.tokens;
  return {
    attention: [result.heads.map((h) => h.A)],
    pooled: false,
    rollout: null,
    detail: { layer: 0, input, result },
    tokens: null,
    unknown: null,
    model: null,
    build: t1 - t0,
    analyze: async () => {
      if (s.source?.kind === 'case') return analyzeHeads({ layers: As, tokens }, { causal });
      // Seeded weights depend only on token text, so the same heads can read a repeated random sequence.
      const probe = { layers: await seededProbeLayers(s), tokens: SEEDED_PROBE.tokens, rows: SEEDED_PROBE.rows };
      return analyzeHeads({ layers: As, tokens }, { causal, probe });
    },
  };
}

function problemOf(spec: ComputeSpec, e: unknown): ModelProblem | null {
  if (e instanceof ContextError) return { kind: 'context', n: e.n, context: e.context };
  if (spec.kind !== 'model') return null;
  const key = spec.model.key;
  if (e instanceof ConfirmNeeded) return { kind: 'confirm', key, bytes: e.bytes, atLeast: e.atLeast };
  if (isAbortError(e)) return { kind: 'cancelled', key };
  // A download or opening problem is worded by the page in its language; a checkpoint's own (ModelError) as written.
  if (e instanceof HubError) return { kind: 'load', key, why: { reason: e.reason, params: { ...e.params } } };
  if (e instanceof ModelError) return { kind: 'load', key, why: null };
  return null;
}

async function compute(id: number, spec: ComputeSpec, sentAt: number, reuse: number | null | undefined): Promise<void> {
  let built: Built & { build: number };
  const queue = wallClock() - sentAt;
  const t0 = performance.now();
  try {
    if (spec.kind === 'model' && (await computeLayer(id, spec.model, reuse, sentAt))) return;
    if (spec.kind !== 'model') {
      lastRun = null;
      step('compute');
    }
    built = spec.kind === 'model' ? await computeModel(id, spec.model) : await computeOne(spec.scenario);
  } catch (e) {
    post({ type: 'error', id, message: errorText(e), caseError: e instanceof CaseError ? e.toData() : null, model: problemOf(spec, e) });
    return;
  }
  const total = performance.now() - t0;
  // Transfer everything except cached matrices (seeded numbers, model weights), which postMessage copies.
  const keep = cachedBuffers();
  const transfer = transferables(built.attention, built.detail, built.model).filter((b) => !keep.has(b));
  post(
    {
      type: 'result',
      id,
      attention: built.attention,
      pooled: built.pooled,
      detail: built.detail,
      tokens: built.tokens,
      model: built.model,
      unknown: built.unknown,
      ms: { queue, build: built.build, compute: total - built.build },
      postedAt: wallClock(),
    },
    transfer,
  );
  step('analysis');
  if (built.rollout) {
    const rollout = built.rollout();
    post({ type: 'rollout', id, rollout }, rollout.map((R) => R.data.buffer as ArrayBuffer));
  }
  let analysis: HeadAnalysis;
  try {
    analysis = await built.analyze();
  } catch (e) {
    // Scores are an extra: a failure here must not hide the picture, but the page must stop waiting for them.
    console.warn('head analysis failed', e);
    post({ type: 'analysis-error', id, message: errorText(e) });
    return;
  }
  post({ type: 'analysis', id, analysis });
}

// ------------------------------------------------------------------------------------------------
// The worker pool (compute/pool.ts): where wasm runs one thread, copies of this worker share the sweep and
// the corpus runs.

/** `?workers=N` from the page; the backend in use. */
let workersAsked: number | null = null;
let activeBackend: BackendName | null = null;
let pool: WorkerPool | null = null;
let postedPlan = '';
/** Starting a pool worker threw (a host page's Content-Security-Policy may forbid it): no more tries. */
let spawnRefused = false;

/** Float32 bytes a copy of the model takes; a streamed model (too large for one wasm heap) never fits twice. */
const modelBytes = (m: RunnableModel) => (m.model.net.stream ? Infinity : 4 * m.info.parameters);

function currentPlan(m: RunnableModel | null): PoolPlan {
  return poolPlan({
    backend: activeBackend,
    wasmThreads: activeBackend === 'wasm' ? wasmThreads() : 1,
    cores: navigator.hardwareConcurrency,
    override: workersAsked,
    canSpawn: typeof Worker === 'function' && !spawnRefused,
    modelBytes: m ? modelBytes(m) : null,
    deviceMemoryGiB: (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? null,
  });
}

/** Tells the page's status line how many workers share a job, and why (when it changed, or always after a backend switch). */
function postPlan(plan: PoolPlan, always = false): void {
  const key = `${plan.workers}:${plan.why}`;
  if (key === postedPlan && !always) return;
  postedPlan = key;
  post({ type: 'workers', workers: plan.workers, why: plan.why });
}

function spawnMember(): MemberPort {
  // A copy of this worker's own script, told by its name to run tasks (the bottom of this file).
  const w = new Worker(self.location.href, { type: 'module', name: MEMBER_NAME });
  return {
    post: (msg: ToMember) => w.postMessage(msg),
    listen(onMessage, onFail) {
      w.onmessage = (e: MessageEvent<FromMember>) => onMessage(e.data);
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        onFail(e.message || 'the pool worker failed');
      };
      w.onmessageerror = () => onFail('a message from the pool worker could not be read');
    },
    terminate: () => w.terminate(),
  };
}

/** The pool sized for a job on model `m` (null: this worker runs it alone); the status line follows. */
function poolFor(m: RunnableModel): WorkerPool | null {
  const plan = currentPlan(m);
  postPlan(plan);
  if (plan.workers <= 1) {
    pool?.close();
    return null;
  }
  pool ??= new WorkerPool(spawnMember, (n) => post({ type: 'pool-notice', reason: n.reason, detail: n.detail }));
  try {
    pool.resize(plan.workers - 1);
  } catch (e) {
    console.warn(`Attention Lab: no pool worker could be started: ${errorText(e)}`);
    spawnRefused = true;
    pool.close();
    pool = null;
    postPlan(currentPlan(m));
    return null;
  }
  return pool;
}

/** How a pool worker opens the model: as this worker did, with what the page gave it, and no size question (the user has answered it). */
function memberSpec(key: string, origin: ModelOrigin): ModelSpec {
  return { key, origin: origin.kind === 'hub' ? { ...origin, askAbove: null } : origin, page: origin.kind === 'page' ? pageSource(key) : null };
}

let sweeping: { id: number; cancelled: boolean } | null = null;

async function sweep(id: number, req: ModelRequest): Promise<void> {
  const job = { id, cancelled: false };
  sweeping = job;
  try {
    const m = await getModel(req.key, req.origin, post);
    step('sweep');
    const shared = poolFor(m);
    const r = await sweepHeads(
      m,
      req,
      (done, total) => {
        step('sweep');
        post({ type: 'sweep-progress', id, done, total });
      },
      () => job.cancelled,
      shared ? { pool: shared, model: memberSpec(req.key, req.origin) } : null,
    );
    if (r) post({ type: 'sweep-done', id, ...r });
  } catch (e) {
    post({ type: 'sweep-error', id, message: errorText(e) });
  } finally {
    if (sweeping === job) sweeping = null;
  }
}

/** The page numbers its max-flow requests upwards and cancels only its latest: all up to this one are off. */
let flowsCancelledThrough = 0;

/** Max-flow a row at a time, pausing between rows to report progress and to hear a cancel. */
async function flow(id: number, attention: Matrix[][], layer: number): Promise<void> {
  if (id <= flowsCancelledThrough) return; // cancelled while it waited its turn
  try {
    step('flow');
    const total = attention[0]?.[0]?.rows ?? 0;
    const rows = attentionFlowRows(attention, layer);
    for (let r = rows.next(); ; r = rows.next()) {
      if (r.done) {
        post({ type: 'flow-done', id, flow: r.value }, [r.value.data.buffer as ArrayBuffer]);
        return;
      }
      post({ type: 'flow-progress', id, done: r.value, total });
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (id <= flowsCancelledThrough) return;
    }
  } catch (e) {
    post({ type: 'flow-error', id, message: errorText(e) });
  }
}

// Each corpus sequence is a task on the same queue as everything else, so the page's requests are
// answered between sequences. Each is queued from a fresh task (a MessageChannel message: not clamped as
// nested timers are): steps chained in microtasks alone never let the worker read its messages, and Pause
// or Cancel would be heard only at the end of the run.
const turns = new MessageChannel();
const afterTurn: (() => void)[] = [];
turns.port1.onmessage = () => afterTurn.shift()?.();
const corpus = corpusRunner(
  post,
  (task) => {
    afterTurn.push(() =>
      enqueue(() => {
        step('forward');
        return task();
      }, logged('a corpus step')),
    );
    turns.port2.postMessage(null);
  },
  (key, origin) => getModel(key, origin, post),
  (job, msg) => {
    const shared = poolFor(job.m);
    if (shared) shareCorpus(shared, job, memberSpec(msg.key, msg.origin));
  },
);

/** The compute worker's messages (a pool worker's are at the bottom). */
function onPageMessage(e: MessageEvent<ToWorker>): void {
  const msg = e.data;
  // Cancelling and arrays handed back act at once (between the awaits of the running job); everything
  // else one at a time, so a backend switch never races a computation.
  if (msg.type === 'sweep-cancel') {
    if (sweeping?.id === msg.id) sweeping.cancelled = true;
  } else if (msg.type === 'flow-cancel') flowsCancelledThrough = Math.max(flowsCancelledThrough, msg.id);
  else if (msg.type === 'cancel-load') cancelLoad(msg.key);
  else if (msg.type === 'recycle') for (const b of msg.buffers) recycled.put(b);
  else if (msg.type === 'backend') enqueue(() => {
      step('start');
      return switchBackend(msg.preferred, msg.workers ?? null);
    }, logged('switching the backend'));
  else if (msg.type === 'model') enqueue(() => setPageBundle(msg.key, msg.manifest, msg.bytes), logged('taking the page model'));
  else if (msg.type === 'local-files') enqueue(() => setPageFiles(msg.key, msg.files), logged('taking the local files'));
  else if (msg.type === 'compute') {
    const { id, spec } = msg;
    enqueue(
      () => compute(id, spec, msg.sentAt, msg.reuse),
      (e) => post({ type: 'error', id, message: errorText(e), caseError: null, model: problemOf(spec, e) }),
    );
  } else if (msg.type === 'rows') enqueue(() => sendRows(msg.of, msg.query), logged('sending rows'));
  else if (msg.type === 'sweep') enqueue(() => sweep(msg.id, msg.model), (e) => post({ type: 'sweep-error', id: msg.id, message: errorText(e) }));
  else if (msg.type === 'flow') enqueue(() => flow(msg.id, msg.attention, msg.layer), (e) => post({ type: 'flow-error', id: msg.id, message: errorText(e) }));
  else if (msg.type === 'corpus') corpus.start(msg);
  else if (msg.type === 'corpus-control') corpus.control(msg);
}

if (self.name === MEMBER_NAME) {
  // A pool worker: wasm on one thread, the model loaded as the compute worker loaded it, tasks run as told.
  // Only wasm is worth a pool worker: one that fell back to cpu would hold the others back. Its load fails
  // instead, and the pool drops it with a notice.
  const started = initBackend('wasm', { wasmPaths, threads: 1 }).then((active) => {
    if (active !== 'wasm') throw new Error(`wasm did not start in the pool worker (${backendFailures().wasm ?? active})`);
  });
  const handle = memberHandler(
    (msg) => self.postMessage(msg),
    async (spec) => {
      await started;
      if (spec.page && 'files' in spec.page) setPageFiles(spec.key, spec.page.files);
      else if (spec.page) setPageBundle(spec.key, spec.page.manifest, spec.page.bytes);
      return getModel(spec.key, spec.origin, () => {});
    },
  );
  self.onmessage = (e: MessageEvent<ToMember>) => handle(e.data);
} else self.onmessage = onPageMessage;
