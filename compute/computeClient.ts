// Bridges the store and the compute worker: watches the inputs that change the numbers, debounces,
// keeps one request in flight (the newest pending one goes next), drops stale answers by request id,
// and replaces a worker stuck on a long computation when a newer request is waiting, or when any step of
// any request goes too long without a sign of life (the watchdog: a model whose run it stopped is not run
// again until the user says so).
import { caseErrorText, warningText } from '../i18n/caseErrorText.ts';
import { hubProblemText } from '../i18n/hubErrorText.ts';
import { t } from '../i18n/index.ts';
import { isCheckpoint, limitProblem, type DocState, type ModelId } from '../state/document.ts';
import { computedOf } from './computed.ts';
import { isCorpusMessage, resultBuffers, wallClock, type ComputeSpec, type CorpusMessage, type FromWorker, type ModelOrigin, type ModelRequest, type ToWorker } from './protocol.ts';
import type { BackendPref } from '../engine/backend.ts';
import { wantedMaxFlow, type AppStore, type StoreState, type UserModel } from '../state/store.ts';
import { askAboveFromQuery } from './hub/askAbove.ts';
import { workersOverride } from '../engine/poolPlan.ts';
import { STEP_BUDGET_MS, Watchdog, asWorkStep, stepText, type WorkStep } from './watchdog.ts';

// Debouncing: changes made in the same task (e.g. an example setting text, sizes and mode) are
// merged by a microtask; bursts across tasks (typing, slider drags) by the one-in-flight rule: the
// first change computes at once, and every change made meanwhile becomes one follow-up request.
/** A computation running longer than this is abandoned (worker replaced) once a newer one waits. */
const STALE_AFTER_MS = 1500;

interface Pending {
  id: number;
  spec: ComputeSpec;
  doc: DocState;
  sentAt: number;
}

const RELEVANT: (keyof DocState)[] = ['tokens', 'source', 'mechanism', 'convention', 'seed', 'd', 'h', 'dk', 'causal', 'window', 'keyWeights', 'padding', 'overrides'];
/** What else changes a model run: the text (a checkpoint tokenizes it) an encoder's sentence B, the layer shown in full, the position, ablation, the second input. */
const MODEL_RELEVANT: (keyof DocState)[] = ['text', 'pair', 'layer', 'cell', 'ablate', 'ablateMode', 'target', 'compare', 'shift'];

/** The shipped model's manifest, relative to the models folder. */
const SHIPPED_MODEL = 'brown-char.json';

export interface ComputeClientOptions {
  /** URL of the folder holding the shipped models (default: "models/" under the page's base URL). */
  modelBase?: string;
}

interface ModelContext {
  userModel: UserModel | null;
  modelBase: string;
  hub: string;
  confirmed: string | null;
  /** Hub downloads above this many bytes wait for the user (unless `confirmed` is this model). */
  askAbove: number;
}

/** A model id as the user reads it (hf:owner/name@main → owner/name@main). */
const modelName = (model: string) => model.replace(/^(hf|local):/, '');

/** The model request of a document with a model source. */
function modelRequest(doc: DocState, model: ModelId, ctx: ModelContext): ModelRequest {
  const checkpoint = isCheckpoint(model);
  const key = model === 'user' ? (ctx.userModel?.key ?? 'user:none') : model;
  const origin: ModelOrigin =
    model === 'brown-char'
      ? { kind: 'url', url: new URL(SHIPPED_MODEL, ctx.modelBase).href }
      : model.startsWith('hf:')
        ? { kind: 'hub', ref: model, hub: ctx.hub, askAbove: ctx.confirmed === model ? null : ctx.askAbove }
        : { kind: 'page' };
  return {
    key,
    origin,
    // A character model reads the chips as they are; a checkpoint's tokenizer reads the text.
    text: checkpoint ? doc.text : doc.tokens.join(''),
    pair: checkpoint ? doc.pair : null,
    layer: doc.layer,
    position: doc.cell ? doc.cell.row : null,
    ablate: doc.ablate,
    ablateMode: doc.ablateMode,
    target: doc.target,
    compare: doc.compare,
    compareShift: doc.shift,
  };
}

function specOf(doc: DocState, ctx: ModelContext): ComputeSpec {
  if (doc.source.kind === 'model') return { kind: 'model', model: modelRequest(doc, doc.source.model, ctx) };
  // The document is a scenario plus the app's own fields: the worker reads the scenario's.
  return { kind: 'scenario', scenario: doc };
}

export interface ComputeClient {
  stop(): void;
  /** Forces a recomputation of the current document. */
  refresh(): void;
  /** The same worker, for the corpus client. */
  port: WorkerPort;
}

/** What another client of the compute worker (the corpus runs: compute/corpusClient.ts) uses. */
export interface WorkerPort {
  /** The current document's model: its key and where it comes from; null without a model. */
  model(): { key: string; origin: ModelOrigin } | null;
  /** Posts to the worker (started if needed), after giving it the document's model when the page holds it. */
  post(msg: ToWorker): void;
  /** Corpus messages from the worker. */
  listen(fn: (msg: CorpusMessage) => void): () => void;
  /** Called when the worker is replaced or fails: what it was running is gone. */
  onLost(fn: () => void): () => void;
}

/** Connects a store (the app's by default; a widget passes its own) to a compute worker of its own. */
export function startComputeClient(store: AppStore, options: ComputeClientOptions = {}): ComputeClient {
  const modelBase = options.modelBase ?? new URL('models/', document.baseURI).href;
  const askAbove = askAboveFromQuery(globalThis.location?.search ?? '');
  const workers = workersOverride(globalThis.location?.search ?? '');
  const context = (): ModelContext => ({ userModel: store.getState().userModel, modelBase, hub: store.getState().hub, confirmed: store.getState().confirmedDownload, askAbove });
  /** Local files the current worker has been given (by model key). */
  let sentFiles: unknown = null;
  let nextSweep = 1;
  let sweepId = 0;
  /** The max-flow the worker is computing (its request id, of which result and layer). */
  let flowJob: { id: number; of: number; layer: number } | null = null;
  let nextFlow = 1;
  let worker: Worker | null = null;
  /** The page-held model the current worker has been given. */
  let sentModelKey: string | null = null;
  let nextId = 1;
  let inflight: Pending | null = null;
  let queued = false;
  let staleTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The arrays of seeded and case results sent to the store (by id), until a newer result is on screen:
   * then nothing draws them any more and they go back to the worker, which reads the next results into
   * them (see engine/floatPool.ts). Model results keep theirs (their layers are answered separately).
   */
  const lent = new Map<number, ArrayBuffer[]>();
  let backendPref: BackendPref = store.getState().backend.preferred;
  const corpusListeners = new Set<(msg: CorpusMessage) => void>();
  const lostListeners = new Set<() => void>();
  const lost = () => lostListeners.forEach((fn) => fn());
  const watchdog = new Watchdog((step) => onStuck(step));

  function spawn(): Worker {
    const w = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const s = store.getState();
      s.actions.setComputeError(t('engine.workerFailed', { why: e.message || t('engine.unknownError') }));
      s.actions.setBusy(false);
      inflight = null;
      worker?.terminate();
      worker = null;
      lost();
      watchdog.stop();
      flowLost(e.message || t('engine.unknownError'));
    };
    w.postMessage({ type: 'backend', preferred: backendPref, workers } satisfies ToWorker);
    sentModelKey = null;
    sentFiles = null;
    return w;
  }

  /** Gives the worker the page's model (a trained bundle or local files) before a computation that needs it. */
  function sendPageModel(w: Worker, spec: ComputeSpec): void {
    if (spec.kind !== 'model' || spec.model.origin.kind !== 'page') return;
    const { userModel: um, localFiles } = store.getState();
    if (um && um.key === spec.model.key && sentModelKey !== um.key) {
      w.postMessage({ type: 'model', key: um.key, manifest: um.manifest, bytes: um.bytes } satisfies ToWorker);
      sentModelKey = um.key;
    }
    if (localFiles && localFiles.key === spec.model.key && sentFiles !== localFiles) {
      w.postMessage({ type: 'local-files', key: localFiles.key, files: localFiles.files } satisfies ToWorker);
      sentFiles = localFiles;
    }
  }

  function onMessage(msg: FromWorker): void {
    const { actions } = store.getState();
    if (msg.type === 'step') {
      watchdog.step(asWorkStep(msg.step));
      return;
    }
    watchdog.beat();
    if (msg.type === 'backend') {
      const error =
        msg.active === null
          ? t('backend.failed', { why: msg.error ?? t('engine.unknownError') })
          : msg.preferred !== 'auto' && msg.preferred !== msg.active
            ? t('backend.unavailable', { preferred: msg.preferred, active: msg.active, why: msg.why ?? t('engine.unknownError') })
            : null;
      actions.setActiveBackend(msg.active, error, { threads: msg.threads, threadsWhy: msg.threadsWhy, gpu: msg.gpu });
      return;
    }
    if (msg.type === 'workers') {
      actions.setWorkers(msg.workers, msg.why);
      return;
    }
    if (msg.type === 'pool-notice') {
      actions.notify('warning', 'engine', t(`pool.notice.${msg.reason}`, { why: msg.detail }));
      return;
    }
    if (msg.type === 'model-progress') {
      actions.setModelState({ key: msg.key, status: 'loading', loaded: msg.loaded, total: msg.total, files: msg.files ?? [], fromCache: msg.fromCache ?? false, error: null });
      return;
    }
    if (msg.type === 'model-not-stored') {
      actions.modelNotStored(msg.why);
      return;
    }
    if (msg.type === 'model-ready') {
      actions.setModelState({ key: msg.key, status: 'ready', info: msg.info, error: null, loaded: 0, total: null, files: [] });
      return;
    }
    if (msg.type === 'sweep-progress' || msg.type === 'sweep-done' || msg.type === 'sweep-error') {
      if (msg.id !== sweepId) return;
      if (msg.type === 'sweep-progress') actions.setImportance({ status: store.getState().importance.status === 'cancelling' ? 'cancelling' : 'running', done: msg.done, total: msg.total });
      else if (msg.type === 'sweep-done') actions.setImportance({ status: 'done', deltas: msg.deltas, target: msg.target, position: msg.position, workers: msg.workers, shared: msg.shared });
      else actions.setImportance({ status: 'error', error: msg.message });
      return;
    }
    if (msg.type === 'flow-progress' || msg.type === 'flow-done' || msg.type === 'flow-error') {
      if (msg.id !== flowJob?.id) return;
      if (msg.type === 'flow-progress') actions.setMaxFlow({ done: msg.done, total: msg.total });
      else {
        flowJob = null;
        actions.setMaxFlow(msg.type === 'flow-done' ? { status: 'done', matrix: msg.flow } : { status: 'error', error: msg.message });
      }
      return;
    }
    if (isCorpusMessage(msg)) {
      corpusListeners.forEach((fn) => fn(msg));
      return;
    }
    if (msg.type === 'analysis') {
      actions.setAnalysis(msg.id, msg.analysis);
      return;
    }
    if (msg.type === 'analysis-error') {
      analysisFailed(msg.id, msg.message);
      return;
    }
    if (msg.type === 'rollout') {
      actions.setRollout(msg.id, msg.rollout);
      return;
    }
    if (msg.type === 'rows') {
      actions.setFocusRows({ of: msg.of, query: msg.query, rows: msg.rows });
      return;
    }
    const req = inflight;
    if (!req || msg.id !== req.id) return; // stale: a replaced worker or an abandoned request
    inflight = null;
    if (staleTimer) clearTimeout(staleTimer);
    if (msg.type === 'error') {
      if (msg.model?.kind === 'load' || msg.model?.kind === 'cancelled') {
        actions.setComputeError(null);
        actions.modelFailed(msg.model.key, msg.model.kind === 'cancelled' ? t('hub.cancelled') : msg.model.why ? hubProblemText(msg.model.why) : msg.message);
      } else if (msg.model?.kind === 'confirm') {
        actions.setComputeError(null);
        actions.setModelState({ key: msg.model.key, status: 'confirm', size: msg.model.bytes, sizeAtLeast: msg.model.atLeast, error: null });
      } else if (msg.model?.kind === 'context') {
        actions.setComputeError(t('model.context', { n: msg.model.n, context: msg.model.context }));
      } else {
        actions.setComputeError(t('engine.failed', { why: msg.caseError ? caseErrorText(msg.caseError) : msg.message }));
      }
    } else if (msg.type === 'layer') {
      actions.setLayer(req.id, msg.detail, msg.compare, { ...msg.ms, back: wallClock() - msg.postedAt, roundTrip: performance.now() - req.sentAt });
    } else {
      if (req.spec.kind !== 'model') lend(req.id, resultBuffers(msg.detail.result));
      actions.setComputed(computedOf(req.id, req.doc, msg, { ...msg.ms, back: wallClock() - msg.postedAt, roundTrip: performance.now() - req.sentAt }));
      for (const w of msg.detail.result.warnings) actions.notify('warning', 'engine', warningText(w));
      if (msg.unknown?.some(Boolean)) {
        const chars = [...new Set(req.doc.tokens.filter((_, i) => msg.unknown?.[i]))];
        actions.notify('warning', 'engine', t('model.unknownChars', { n: msg.unknown.filter(Boolean).length, chars: chars.slice(0, 12).join(' ') }));
      }
    }
    if (queued) send();
    else actions.setBusy(false);
  }

  function send(): void {
    queued = false;
    const { doc, actions } = store.getState();
    const problem = limitProblem(doc);
    if (problem) {
      actions.setComputeError(t(problem.key, problem.params));
      actions.setBusy(inflight !== null);
      return;
    }
    if (inflight) {
      queued = true;
      if (inflight.spec.kind !== 'model' && performance.now() - inflight.sentAt > STALE_AFTER_MS) restart();
      return;
    }
    const spec = specOf(doc, context());
    const halted = store.getState().halted;
    if (spec.kind === 'model' && doc.source.kind === 'model' && halted?.model === doc.source.model) {
      // Its last run never ended: wait for the user (ModelSource asks) instead of hanging the worker again.
      actions.setModelState({ key: spec.model.key, status: 'halted', error: null });
      actions.setComputeError(t('model.halted', { name: modelName(doc.source.model), step: stepText(halted.step) }));
      actions.setBusy(false);
      return;
    }
    if (!worker) worker = spawn();
    const req: Pending = { id: nextId++, spec, doc, sentAt: performance.now() };
    inflight = req;
    actions.setBusy(true);
    sendPageModel(worker, spec);
    if (spec.kind === 'model' && store.getState().model.key !== spec.model.key) {
      actions.setModelState({ key: spec.model.key, status: 'loading', loaded: 0, total: null, files: [], fromCache: false, size: null, sizeAtLeast: false, info: null, error: null });
    }
    // The model result shown: a request that only changes its layer is answered from the worker's kept run.
    const shown = store.getState().computed;
    const reuse = shown?.model ? shown.id : null;
    worker.postMessage({ type: 'compute', id: req.id, spec: req.spec, sentAt: wallClock(), reuse } satisfies ToWorker);
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = setTimeout(() => {
      if (inflight === req && queued && req.spec.kind !== 'model') restart();
    }, STALE_AFTER_MS);
  }

  /** At most this many results are held for recycling when no view reports what it shows (then none are). */
  const MAX_LENT = 4;

  function lend(id: number, buffers: ArrayBuffer[]): void {
    lent.set(id, buffers);
    for (const old of lent.keys()) if (lent.size > MAX_LENT) lent.delete(old);
  }

  /** Hands the arrays of results older than the one on screen back to the worker (never the store's own). */
  function recycle(shownId: number): void {
    const current = store.getState().computed?.id;
    const back: ArrayBuffer[] = [];
    for (const [id, buffers] of lent) {
      if (id >= shownId || id === current) continue;
      back.push(...buffers);
      lent.delete(id);
    }
    if (worker && back.length > 0) worker.postMessage({ type: 'recycle', buffers: back } satisfies ToWorker, back);
  }

  function analysisFailed(id: number, why: string): void {
    const { actions, computed } = store.getState();
    if (computed?.id !== id || computed.analysis) return;
    actions.setAnalysisError(id, why);
    actions.notify('warning', 'engine', t('model.scores.failed', { why }));
  }

  /**
   * A step went its budget without a sign of life: the worker is replaced (nothing else can stop it), the
   * user is told which step, and a model whose run it was is held until the user agrees to run it again.
   */
  function onStuck(step: WorkStep): void {
    const { actions, doc, computed, importance } = store.getState();
    const req = inflight;
    worker?.terminate();
    worker = null;
    inflight = null;
    lost();
    queued = false;
    if (staleTimer) clearTimeout(staleTimer);
    const params = { step: stepText(step), seconds: Math.round(STEP_BUDGET_MS[step] / 1000) };
    const why = t('engine.stuckWhy', params);
    flowLost(step === 'flow' ? why : null);
    if (importance.status === 'running' || importance.status === 'cancelling') {
      sweepId = -1;
      actions.setImportance({ status: 'error', error: why });
    }
    if (step === 'flow') {
      // The max-flow was stuck, not the model: Flow says why; a request that waited behind it goes to a new worker.
      if (req) schedule();
      else actions.setBusy(false);
      return;
    }
    if (doc.source.kind === 'model') actions.setHalted({ model: doc.source.model, step });
    if (req?.spec.kind === 'model') actions.modelFailed(req.spec.model.key, why);
    else if (req) actions.setComputeError(t('engine.stuck', params));
    else if (computed && !computed.analysis) analysisFailed(computed.id, why);
    else actions.notify('error', 'engine', t('engine.stuck', params));
    actions.setBusy(false);
  }

  /** Abandons the running computation: a fresh worker takes the newest request. */
  function restart(): void {
    worker?.terminate();
    worker = null;
    inflight = null;
    flowLost(null);
    lost();
    watchdog.stop();
    send();
  }

  /** A replaced worker takes its max-flow with it: Flow says why (`why`), or asks again (null). */
  function flowLost(why: string | null): void {
    if (!flowJob) return;
    flowJob = null;
    store.getState().actions.setMaxFlow(why ? { status: 'error', error: why } : { status: 'idle' });
  }

  /** Has the worker compute the max-flow Flow asks for, and stops one it no longer asks for. */
  function followMaxFlow(s: StoreState): void {
    const want = wantedMaxFlow(s);
    if (flowJob && (!want || want.of !== flowJob.of || want.layer !== flowJob.layer)) {
      worker?.postMessage({ type: 'flow-cancel', id: flowJob.id } satisfies ToWorker);
      flowJob = null;
    }
    const mf = s.maxFlow;
    if (!want || flowJob || (mf.of === want.of && mf.layer === want.layer && mf.status !== 'idle')) return;
    if (!worker) worker = spawn();
    flowJob = { id: nextFlow++, of: want.of, layer: want.layer };
    worker.postMessage({ type: 'flow', id: flowJob.id, attention: want.attention, layer: want.layer } satisfies ToWorker);
    s.actions.setMaxFlow({ status: 'running', of: want.of, layer: want.layer, done: 0, total: want.attention[0]?.[0]?.rows ?? 0, matrix: null, error: null });
  }

  let scheduled = false;
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      send();
    });
  }

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.shownId !== prev.shownId) recycle(s.shownId);
    if (s.backend.preferred !== prev.backend.preferred) {
      backendPref = s.backend.preferred;
      worker?.postMessage({ type: 'backend', preferred: backendPref, workers } satisfies ToWorker);
      schedule();
      return;
    }
    const isModel = s.doc.source.kind === 'model';
    if (s.doc !== prev.doc && (RELEVANT.some((k) => s.doc[k] !== prev.doc[k]) || (isModel && MODEL_RELEVANT.some((k) => s.doc[k] !== prev.doc[k])))) schedule();
    else if (s.userModel !== prev.userModel && isModel && s.doc.source.kind === 'model' && s.doc.source.model === 'user') schedule();
    else if ((s.localFiles !== prev.localFiles || s.confirmedDownload !== prev.confirmedDownload || s.hub !== prev.hub || s.halted !== prev.halted) && isModel) schedule();
    // A pooled result keeps its maps in the worker: a focused query's rows are asked for there.
    const c = s.computed;
    if (c?.pooled && s.focus.query !== null && (s.focus.query !== prev.focus.query || c !== prev.computed)) {
      const have = s.focusRows;
      if (!(have && have.of === c.id && have.query === s.focus.query) && s.focus.query < c.tokens.length) worker?.postMessage({ type: 'rows', of: c.id, query: s.focus.query } satisfies ToWorker);
    }
    if (s.model.error === 'cancelled' && prev.model.error !== 'cancelled' && s.model.key) {
      const step = watchdog.running;
      if (inflight?.spec.kind === 'model' && step !== null && step !== 'download') {
        // Converting or reading the tokenizer runs without pause: the worker would hear the cancel only
        // when the model is ready. Replace it instead.
        worker?.terminate();
        worker = null;
        inflight = null;
        lost();
        watchdog.stop();
        flowLost(null);
        s.actions.modelFailed(s.model.key, t('hub.cancelled'));
      } else worker?.postMessage({ type: 'cancel-load', key: s.model.key } satisfies ToWorker);
    }
    if (s.importance.status === 'requested' && prev.importance.status !== 'requested' && s.doc.source.kind === 'model') {
      if (!worker) worker = spawn();
      const spec = specOf(s.doc, context());
      if (spec.kind === 'model') {
        sweepId = nextSweep++;
        sendPageModel(worker, spec);
        worker.postMessage({ type: 'sweep', id: sweepId, model: spec.model } satisfies ToWorker);
        s.actions.setImportance({ status: 'running' });
      }
    }
    if (s.maxFlow !== prev.maxFlow || s.computed !== prev.computed || s.doc.view !== prev.doc.view) followMaxFlow(s);
    if (s.importance.status === 'cancelling' && prev.importance.status !== 'cancelling') {
      worker?.postMessage({ type: 'sweep-cancel', id: sweepId } satisfies ToWorker);
      // A result the worker posted before it saw the cancel must not bring the heatmap back.
      sweepId = -1;
      s.actions.setImportance({ status: 'idle', done: 0, total: 0 });
    }
  });

  worker = spawn();
  send();

  return {
    stop() {
      unsubscribe();
      watchdog.stop();
      if (staleTimer) clearTimeout(staleTimer);
      worker?.terminate();
      worker = null;
      lost();
    },
    refresh: schedule,
    port: {
      model() {
        const spec = specOf(store.getState().doc, context());
        return spec.kind === 'model' ? { key: spec.model.key, origin: spec.model.origin } : null;
      },
      post(msg) {
        if (!worker) worker = spawn();
        sendPageModel(worker, specOf(store.getState().doc, context()));
        worker.postMessage(msg);
      },
      listen(fn) {
        corpusListeners.add(fn);
        return () => corpusListeners.delete(fn);
      },
      onLost(fn) {
        lostListeners.add(fn);
        return () => lostListeners.delete(fn);
      },
    },
  };
}
