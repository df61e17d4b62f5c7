// The compute client against a stand-in worker (fake timers: the watchdog's budgets are checked as
// budgets, no test waits for real time): a step that never ends replaces the worker and names the step;
// the model whose run it was waits for the user on the next start; a failed head analysis is said.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, type AppStore, type Computed } from '../state/store.ts';
import type { ModelId } from '../state/document.ts';
import { startComputeClient, type ComputeClient } from './computeClient.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { STEP_BUDGET_MS } from './watchdog.ts';

class FakeWorker {
  static all: FakeWorker[] = [];
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(msg: ToWorker) {
    this.sent.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  emit(msg: FromWorker) {
    this.onmessage!({ data: msg });
  }
  computes() {
    return this.sent.filter((m): m is Extract<ToWorker, { type: 'compute' }> => m.type === 'compute');
  }
}

const MODEL = 'hf:local/hangs@main' as ModelId;
let store: AppStore;
let client: ComputeClient | null = null;
const flush = () => vi.advanceTimersByTimeAsync(0);
const last = () => FakeWorker.all.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('Worker', FakeWorker);
  FakeWorker.all = [];
  store = createAppStore();
});
afterEach(() => {
  client?.stop();
  client = null;
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const start = async () => {
  client = startComputeClient(store, { modelBase: 'http://127.0.0.1/models/' });
  await flush();
};
const noticeTexts = () => store.getState().notices.map((n) => n.text);
/** Answers the request in flight (with an error: these tests need no picture), so the client is idle. */
const settle = () => {
  const id = last().computes().at(-1)!.id;
  last().emit({ type: 'error', id, message: 'not needed here', caseError: null, model: null });
};

describe('the watchdog', () => {
  it('a model run stuck in tokenizing: the worker is replaced, the step named, the model held, the document back as it was', async () => {
    const tokensBefore = store.getState().doc.tokens;
    store.getState().actions.useModel(MODEL);
    await start();
    const w = FakeWorker.all[0];
    const req = w.computes().at(-1)!;
    expect(req.spec.kind).toBe('model');
    for (const step of ['download', 'build', 'tokenizer', 'tokenize'] as const) w.emit({ type: 'step', step });
    await vi.advanceTimersByTimeAsync(STEP_BUDGET_MS.tokenize - 1);
    expect(w.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.terminated).toBe(true);
    expect(store.getState().halted).toEqual({ model: MODEL, step: 'tokenize' });
    expect(noticeTexts().some((t) => t.includes('stopped answering while tokenizing the text') && t.includes(`no sign of life for ${STEP_BUDGET_MS.tokenize / 1000} s`))).toBe(true);
    // The switch to the model is undone: seeded weights, the same tokens; a fresh worker computes them.
    expect(store.getState().doc.source.kind).toBe('seeded');
    expect(store.getState().doc.tokens).toEqual(tokensBefore);
    await flush();
    expect(FakeWorker.all).toHaveLength(2);
    expect(last().computes().at(-1)!.spec.kind).toBe('seeded');
  });

  it('a step that keeps reporting progress is not stopped; an idle worker never is', async () => {
    store.getState().actions.useModel(MODEL);
    await start();
    const w = FakeWorker.all[0];
    w.emit({ type: 'step', step: 'download' });
    for (let k = 0; k < 5; k++) {
      await vi.advanceTimersByTimeAsync(STEP_BUDGET_MS.download - 1000);
      w.emit({ type: 'model-progress', key: MODEL, loaded: k, total: null });
    }
    w.emit({ type: 'step', step: null });
    await vi.advanceTimersByTimeAsync(10 * STEP_BUDGET_MS.forward);
    expect(w.terminated).toBe(false);
    expect(store.getState().halted).toBeNull();
  });

  it('Cancel while the worker converts the weights: it cannot hear the cancel, so it is replaced and the document goes back', async () => {
    store.getState().actions.useModel(MODEL);
    await start();
    const w = FakeWorker.all[0];
    w.emit({ type: 'step', step: 'download' });
    store.getState().actions.cancelModelLoad();
    // While downloading, the worker hears a cancel: it is asked to stop the download.
    expect(w.sent.at(-1)).toEqual({ type: 'cancel-load', key: MODEL });
    expect(w.terminated).toBe(false);
    store.getState().actions.setModelState({ status: 'loading', error: null });
    w.emit({ type: 'step', step: 'build' });
    store.getState().actions.cancelModelLoad();
    expect(w.terminated).toBe(true);
    expect(store.getState().doc.source.kind).toBe('seeded');
    expect(noticeTexts().some((t) => t.includes('the download was cancelled'))).toBe(true);
    await flush();
    expect(last().computes().at(-1)!.spec.kind).toBe('seeded');
  });

  it('a held model is not run at start: the user is asked, and runs it by saying so', async () => {
    store.getState().actions.useModel(MODEL);
    store.getState().actions.setHalted({ model: MODEL, step: 'tokenize' });
    await start();
    const models = () => FakeWorker.all.flatMap((w) => w.computes()).filter((m) => m.spec.kind === 'model');
    expect(models()).toEqual([]);
    expect(store.getState().model).toMatchObject({ key: MODEL, status: 'halted' });
    expect(store.getState().computeError).toContain('Last time, local/hangs@main stopped answering while tokenizing the text');
    expect(store.getState().busy).toBe(false);
    store.getState().actions.setHalted(null);
    await flush();
    expect(models()).toHaveLength(1);
  });
});

describe('head analysis', () => {
  /** A result on screen, as far as the analysis is concerned. */
  function shown(id: number): void {
    const c = { id, tokens: ['a'], attention: [], pooled: false, layer: 0, input: {}, result: { heads: [{}] }, model: null, unknown: null, mechanism: 'multi', convention: 'standard', excludedKeys: [false], ms: {} };
    store.getState().actions.setComputed(c as unknown as Omit<Computed, 'analysis' | 'analysisError' | 'fromKeptRun'>);
  }

  it('a failed analysis is said where the scores would be and in a notice; one for an older result is ignored', async () => {
    await start();
    settle();
    shown(7);
    last().emit({ type: 'analysis-error', id: 6, message: 'old' });
    expect(store.getState().computed!.analysisError).toBeNull();
    last().emit({ type: 'analysis-error', id: 7, message: 'out of memory' });
    expect(store.getState().computed!.analysisError).toBe('out of memory');
    expect(noticeTexts()).toContain('The head scores could not be computed: out of memory');
  });

  it('an analysis that never ends: the worker is replaced and the scores say why they are missing', async () => {
    await start();
    settle();
    shown(8);
    const w = last();
    w.emit({ type: 'step', step: 'analysis' });
    await vi.advanceTimersByTimeAsync(STEP_BUDGET_MS.analysis);
    expect(w.terminated).toBe(true);
    expect(store.getState().computed!.analysisError).toContain('stopped answering while scoring the heads');
  });
});
