// The compute worker's message loop, run in Node with a stand-in for the worker global: it keeps answering
// after a task throws outside its own error handling, tells the page when the head analysis fails, and
// announces its steps to the page's watchdog.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../engine/backend.ts';
import { DEFAULT_DOC, normalizeDoc, toScenario } from '../state/document.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const flags = vi.hoisted(() => ({ failAnalysis: false }));
vi.mock('../engine/headAnalysis.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../engine/headAnalysis.ts')>();
  return {
    ...real,
    analyzeHeads: (...args: Parameters<typeof real.analyzeHeads>) => {
      if (flags.failAnalysis) throw new Error('the scores could not be computed here');
      return real.analyzeHeads(...args);
    },
  };
});

const posted: FromWorker[] = [];
/** Makes the next postMessage of a matching message throw, as postMessage does for data it cannot clone. */
let refuse: ((msg: FromWorker) => boolean) | null = null;
const worker = {
  onmessage: null as ((e: { data: ToWorker }) => void) | null,
  postMessage(msg: FromWorker) {
    if (refuse?.(msg)) {
      refuse = null;
      throw new DOMException('could not be cloned', 'DataCloneError');
    }
    posted.push(msg);
  },
};

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  (globalThis as unknown as { self: typeof worker }).self = worker;
  await import('./compute.worker.ts');
});
beforeEach(() => {
  posted.length = 0;
  flags.failAnalysis = false;
});

const scenario = () => toScenario(normalizeDoc({ ...DEFAULT_DOC, tokens: ['the', 'cat', 'sat', 'down'] }));
const compute = (id: number) => worker.onmessage!({ data: { type: 'compute', id, spec: { kind: 'seeded', scenario: scenario() }, sentAt: 0 } });
const of = (id: number, type: FromWorker['type']) => posted.filter((m) => m.type === type && 'id' in m && m.id === id);

describe('the compute worker', () => {
  it('a task that throws outside its own error handling is reported, and later messages are still answered', async () => {
    refuse = (m) => m.type === 'result' && m.id === 1;
    compute(1);
    compute(2);
    await vi.waitFor(() => expect(of(2, 'result')).toHaveLength(1), { timeout: 30_000 });
    expect(of(1, 'result')).toEqual([]);
    expect(of(1, 'error').map((m) => (m as { message: string }).message)).toEqual(['could not be cloned']);
  });

  it('a failed head analysis is told to the page (it no longer waits for scores forever)', async () => {
    flags.failAnalysis = true;
    compute(3);
    await vi.waitFor(() => expect(of(3, 'analysis-error')).toHaveLength(1), { timeout: 30_000 });
    expect(of(3, 'analysis-error')[0]).toMatchObject({ message: 'the scores could not be computed here' });
    expect(of(3, 'result')).toHaveLength(1);
    expect(of(3, 'analysis')).toEqual([]);
  });

  it('announces its steps, and idle at the end of each task', async () => {
    compute(4);
    await vi.waitFor(() => expect(posted.at(-1)).toEqual({ type: 'step', step: null }), { timeout: 30_000 });
    const steps = posted.filter((m) => m.type === 'step').map((m) => (m as { step: string | null }).step);
    expect(steps).toEqual(['compute', 'analysis', null]);
    const order = posted.map((m) => (m.type === 'step' ? `step:${m.step}` : m.type));
    expect(order).toEqual(['step:compute', 'result', 'step:analysis', 'analysis', 'step:null']);
  });
});
