// Bridges the store and the compute worker: watches the inputs that change the numbers, debounces,
// keeps one request in flight (the newest pending one goes next), drops stale answers by request id,
// and replaces a worker stuck on a long computation when a newer request is waiting.
import type { CaseJson, EngineWarning } from '../engine/types.ts';
import { caseErrorText } from './caseErrorText.ts';
import { t } from './i18n/index.ts';
import { effectiveConvention, effectiveKeyWeights, effectiveMechanism, limitProblem, toScenario, type DocState } from './model.ts';
import { wallClock, type ComputeSpec, type FromWorker, type ToWorker } from './protocol.ts';
import { useStore, type AppStore, type BackendPref } from './store.ts';

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

function specOf(doc: DocState): ComputeSpec {
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

/** An engine warning in the interface language (the engine words it in English). */
export function warningText(w: EngineWarning): string {
  if (w.code !== 'empty-rows') return w.message;
  const { rows } = w;
  const list = rows.length > 12 ? t('engine.emptyRows.more', { list: rows.slice(0, 12).join(', '), n: rows.length }) : rows.join(', ');
  return t(rows.length === 1 ? 'engine.emptyRows.one' : 'engine.emptyRows', { rows: list });
}

export interface ComputeClient {
  stop(): void;
  /** Forces a recomputation of the current document. */
  refresh(): void;
}

/** Connects a store (the app's by default; a widget passes its own) to a compute worker of its own. */
export function startComputeClient(store: AppStore = useStore): ComputeClient {
  let worker: Worker | null = null;
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
    return w;
  }

  function onMessage(msg: FromWorker): void {
    const { actions } = store.getState();
    if (msg.type === 'backend') {
      const error =
        msg.active === null
          ? t('backend.failed', { why: msg.error ?? t('engine.unknownError') })
          : msg.preferred !== 'auto' && msg.preferred !== msg.active
            ? t('backend.unavailable', { preferred: msg.preferred, active: msg.active })
            : null;
      actions.setActiveBackend(msg.active, error);
      return;
    }
    const req = inflight;
    if (!req || msg.id !== req.id) return; // stale: a replaced worker or an abandoned request
    inflight = null;
    if (staleTimer) clearTimeout(staleTimer);
    if (msg.type === 'error') {
      actions.setComputeError(t('engine.failed', { why: msg.caseError ? caseErrorText(msg.caseError) : msg.message }));
    } else {
      const excludedKeys = req.tokens.map((_, j) => msg.input.keyWeights !== null && msg.input.keyWeights[j] === 0);
      actions.setComputed({
        id: req.id,
        tokens: req.tokens,
        input: msg.input,
        result: msg.result,
        mechanism: effectiveMechanism(req.doc),
        convention: effectiveConvention(req.doc),
        excludedKeys,
        ms: { ...msg.ms, back: wallClock() - msg.postedAt, roundTrip: performance.now() - req.sentAt },
      });
      for (const w of msg.result.warnings) actions.notify('warning', 'engine', warningText(w));
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
    const req: Pending = { id: nextId++, spec: specOf(doc), tokens: doc.tokens, doc, sentAt: performance.now() };
    inflight = req;
    actions.setBusy(true);
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
