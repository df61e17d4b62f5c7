// The compute worker's message loop, run in Node with a stand-in for the worker global: it keeps answering
// after a task throws outside its own error handling, tells the page when the head analysis fails, and
// announces its steps to the page's watchdog.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../engine/backend.ts';
import { DEFAULT_DOC, normalizeDoc } from '../state/document.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { Matrix } from '../engine/types.ts';
import { attentionFlow } from '../engine/analysis/maxflow.ts';

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
/** Runs after each message the worker posts (as the page would answer it, before the worker goes on). */
let onPost: ((msg: FromWorker) => void) | null = null;
const worker = {
  onmessage: null as ((e: { data: ToWorker }) => void) | null,
  postMessage(msg: FromWorker) {
    if (refuse?.(msg)) {
      refuse = null;
      throw new DOMException('could not be cloned', 'DataCloneError');
    }
    posted.push(msg);
    onPost?.(msg);
  },
};

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  (globalThis as unknown as { self: typeof worker }).self = worker;
  await import('./compute.worker.ts');
});
beforeEach(() => {
  posted.length = 0;
  onPost = null;
  flags.failAnalysis = false;
});

const scenario = () => normalizeDoc({ ...DEFAULT_DOC, tokens: ['the', 'cat', 'sat', 'down'] });
const compute = (id: number) => worker.onmessage!({ data: { type: 'compute', id, spec: { kind: 'scenario', scenario: scenario() }, sentAt: 0 } });
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

describe('max-flow in the worker', () => {
  // Two layers of two causal heads on four tokens (rows sum to 1).
  const causal = (n: number, seed: number): Matrix => {
    const data = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += data[i * n + j] = 1 + ((seed * 7 + i * 3 + j * 5) % 11);
      for (let j = 0; j <= i; j++) data[i * n + j] /= sum;
    }
    return { rows: n, cols: n, data };
  };
  const attention = [
    [causal(4, 1), causal(4, 2)],
    [causal(4, 3), causal(4, 4)],
  ];
  const flow = (id: number) => worker.onmessage!({ data: { type: 'flow', id, attention, layer: 1 } });

  it('answers row by row with progress, under its own step, then the flow of engine/analysis/maxflow.ts', async () => {
    flow(1);
    await vi.waitFor(() => expect(of(1, 'flow-done')).toHaveLength(1), { timeout: 30_000 });
    expect(of(1, 'flow-progress').map((m) => (m as { done: number; total: number }).done)).toEqual([1, 2, 3, 4]);
    expect(of(1, 'flow-progress').every((m) => (m as { total: number }).total === 4)).toBe(true);
    expect(Array.from((of(1, 'flow-done')[0] as { flow: Matrix }).flow.data)).toEqual(Array.from(attentionFlow(attention, 1).data));
    expect(posted.filter((m) => m.type === 'step').map((m) => (m as { step: string | null }).step)).toEqual(['flow', null]);
  });

  it('a cancel stops it between rows, and one sent before it began stops it from beginning', async () => {
    // As soon as 2 reports its first row, the page cancels it, asks for 3 and cancels it (3 still waits its
    // turn), and asks for 4.
    onPost = (m) => {
      if (m.type === 'flow-progress' && m.id === 2) {
        onPost = null;
        worker.onmessage!({ data: { type: 'flow-cancel', id: 2 } });
        flow(3);
        worker.onmessage!({ data: { type: 'flow-cancel', id: 3 } });
        flow(4);
      }
    };
    flow(2);
    await vi.waitFor(() => expect(of(4, 'flow-done')).toHaveLength(1), { timeout: 30_000 });
    expect(of(2, 'flow-progress')).toHaveLength(1);
    expect(of(2, 'flow-done')).toEqual([]);
    expect([...of(3, 'flow-progress'), ...of(3, 'flow-done')]).toEqual([]);
  });
});
