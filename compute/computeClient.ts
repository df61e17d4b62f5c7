// Bridges the store and the compute worker: watches the inputs that change the numbers, debounces,
// keeps one request in flight (the newest pending one goes next), drops stale answers by request id,
// and replaces a worker stuck on a long computation when a newer request is waiting.
import type { CaseJson } from '../engine/types.ts';
import { caseErrorText, warningText } from '../i18n/caseErrorText.ts';
import { t } from '../i18n/index.ts';
import { effectiveConvention, effectiveKeyWeights, effectiveMechanism, limitProblem, toScenario, type DocState } from '../state/document.ts';
import { wallClock, type ComputeSpec, type FromWorker, type ToWorker } from './protocol.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { AppStore, UserModel } from '../state/store.ts';

// Debouncing: changes made in the same task (e.g. an example setting text, sizes and mode) are
// merged by a microtask; bursts across tasks (typing, slider drags) by the one-in-flight rule: the
// first change computes at once, and every change made meanwhile becomes one follow-up request.
/** A computation running longer than this is abandoned (worker replaced) once a newer one waits. */
const STALE_AFTER_MS = 1500;

interface Pending {
  id: number;
  spec: ComputeSpec;
  tokens: string[];
  doc: DocState;
  sentAt: number;
}

const RELEVANT: (keyof DocState)[] = ['tokens', 'source', 'mechanism', 'convention', 'seed', 'd', 'h', 'dk', 'causal', 'keyWeights', 'padding', 'overrides'];

/** The shipped model's manifest, relative to the models folder. */
const SHIPPED_MODEL = 'brown-char.json';

export interface ComputeClientOptions {
  /** URL of the folder holding the shipped models (default: "models/" under the page's base URL). */
  modelBase?: string;
}

function specOf(doc: DocState, userModel: UserModel | null, modelBase: string): ComputeSpec {
  if (doc.source.kind === 'model') {
    const text = doc.tokens.join('');
    if (doc.source.model === 'user') return { kind: 'model', key: userModel?.key ?? 'user:none', url: null, text };
    return { kind: 'model', key: doc.source.model, url: new URL(SHIPPED_MODEL, modelBase).href, text };
  }
  if (doc.source.kind === 'case') {
    return {
      kind: 'case',
      case: doc.source.case as CaseJson,
      causal: doc.causal,
      keyWeights: effectiveKeyWeights(doc),
      overrides: doc.overrides,
    };
  }
  return { kind: 'seeded', scenario: toScenario(doc) };
}

export interface ComputeClient {
  stop(): void;
  /** Forces a recomputation of the current document. */
  refresh(): void;
}

/** Connects a store (the app's by default; a widget passes its own) to a compute worker of its own. */
export function startComputeClient(store: AppStore, options: ComputeClientOptions = {}): ComputeClient {
  const modelBase = options.modelBase ?? new URL('models/', document.baseURI).href;
  let worker: Worker | null = null;
  /** The page-held model the current worker has been given. */
  let sentModelKey: string | null = null;
  let nextId = 1;
  let inflight: Pending | null = null;
  let queued = false;
  let staleTimer: ReturnType<typeof setTimeout> | null = null;
  let backendPref: BackendPref = store.getState().backend.preferred;

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
    };
    w.postMessage({ type: 'backend', preferred: backendPref } satisfies ToWorker);
    sentModelKey = null;
    return w;
  }

  /** Gives the worker the page's model before a computation that needs it. */
  function sendUserModel(w: Worker, spec: ComputeSpec): void {
    const um = store.getState().userModel;
    if (spec.kind !== 'model' || spec.url !== null || !um || um.key !== spec.key || sentModelKey === um.key) return;
    w.postMessage({ type: 'model', key: um.key, manifest: um.manifest, bytes: um.bytes } satisfies ToWorker);
    sentModelKey = um.key;
  }

  function onMessage(msg: FromWorker): void {
    const { actions } = store.getState();
    if (msg.type === 'backend') {
      const error =
        msg.active === null
          ? t('backend.failed', { why: msg.error ?? t('engine.unknownError') })
          : msg.preferred !== 'auto' && msg.preferred !== msg.active
            ? t('backend.unavailable', { preferred: msg.preferred, active: msg.active, why: msg.why ?? t('engine.unknownError') })
            : null;
      actions.setActiveBackend(msg.active, error);
      return;
    }
    if (msg.type === 'model-progress') {
      actions.setModelState({ key: msg.key, status: 'loading', loaded: msg.loaded, total: msg.total, error: null });
      return;
    }
    if (msg.type === 'model-ready') {
      actions.setModelState({ key: msg.key, status: 'ready', info: msg.info, error: null, loaded: 0, total: null });
      return;
    }
    if (msg.type === 'analysis') {
      actions.setAnalysis(msg.id, msg.analysis);
      return;
    }
    const req = inflight;
    if (!req || msg.id !== req.id) return; // stale: a replaced worker or an abandoned request
    inflight = null;
    if (staleTimer) clearTimeout(staleTimer);
    if (msg.type === 'error') {
      if (msg.model?.kind === 'load') {
        actions.setComputeError(null);
        actions.modelFailed(msg.model.key, msg.message);
      } else if (msg.model?.kind === 'context') {
        actions.setComputeError(t('model.context', { n: msg.model.n, context: msg.model.context }));
      } else {
        actions.setComputeError(t('engine.failed', { why: msg.caseError ? caseErrorText(msg.caseError) : msg.message }));
      }
    } else {
      const first = msg.layers[0].input;
      const excludedKeys = req.tokens.map((_, j) => first.keyWeights !== null && first.keyWeights[j] === 0);
      actions.setComputed({
        id: req.id,
        tokens: req.tokens,
        layers: msg.layers,
        unknown: msg.unknown,
        mechanism: effectiveMechanism(req.doc),
        convention: effectiveConvention(req.doc),
        excludedKeys,
        ms: { ...msg.ms, back: wallClock() - msg.postedAt, roundTrip: performance.now() - req.sentAt },
      });
      for (const w of msg.layers[0].result.warnings) actions.notify('warning', 'engine', warningText(w));
      if (msg.unknown?.some(Boolean)) {
        const chars = [...new Set(req.tokens.filter((_, i) => msg.unknown?.[i]))];
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
      if (performance.now() - inflight.sentAt > STALE_AFTER_MS) restart();
      return;
    }
    if (!worker) worker = spawn();
    const spec = specOf(doc, store.getState().userModel, modelBase);
    const req: Pending = { id: nextId++, spec, tokens: doc.tokens, doc, sentAt: performance.now() };
    inflight = req;
    actions.setBusy(true);
    sendUserModel(worker, spec);
    if (spec.kind === 'model' && store.getState().model.key !== spec.key) actions.setModelState({ key: spec.key, status: 'loading', loaded: 0, total: null, info: null, error: null });
    worker.postMessage({ type: 'compute', id: req.id, spec: req.spec, sentAt: wallClock() } satisfies ToWorker);
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = setTimeout(() => {
      if (inflight === req && queued) restart();
    }, STALE_AFTER_MS);
  }

  /** Abandons the running computation: a fresh worker takes the newest request. */
  function restart(): void {
    worker?.terminate();
    worker = null;
    inflight = null;
    send();
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
    if (s.backend.preferred !== prev.backend.preferred) {
      backendPref = s.backend.preferred;
      worker?.postMessage({ type: 'backend', preferred: backendPref } satisfies ToWorker);
      schedule();
      return;
    }
    if (s.doc !== prev.doc && RELEVANT.some((k) => s.doc[k] !== prev.doc[k])) schedule();
    else if (s.userModel !== prev.userModel && s.doc.source.kind === 'model' && s.doc.source.model === 'user') schedule();
  });

  worker = spawn();
  send();

  return {
    stop() {
      unsubscribe();
      if (staleTimer) clearTimeout(staleTimer);
      worker?.terminate();
      worker = null;
    },
    refresh: schedule,
  };
}
