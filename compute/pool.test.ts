// The worker pool, its members in-process (each message cloned and delivered on a later turn, as
// postMessage does) on the gpt2-tiny conformance checkpoint: a sweep and a corpus run split across
// workers give exactly the one-worker results; members that fail, crash or go silent are dropped, a notice
// says so, and their tasks are run by another with the same result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { initBackend } from '../engine/backend.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { CONFORMANCE_MODELS } from '../engine/checkpoint/test-checkpoints.ts';
import { DEFAULT_CORPUS_SETTINGS } from '../engine/corpus/run.ts';
import { fromFiles, type RunnableModel } from './models.ts';
import { corpusRunner } from './corpusRunner.ts';
import type { CorpusJob } from './corpusRun.ts';
import { nextTurn, WorkerPool, type MemberPort, type PoolNotice } from './pool.ts';
import { shareCorpus } from './poolCorpus.ts';
import { sweepHeads } from './poolSweep.ts';
import { memberHandler } from './poolTasks.ts';
import type { FromMember, ModelSpec, ToMember } from './poolProtocol.ts';
import type { CorpusMessage, CorpusStart, FromWorker, ModelRequest } from './protocol.ts';

let m: RunnableModel;
beforeAll(async () => {
  await initBackend('wasm');
  m = await fromFiles('tiny', dirFiles(join(CONFORMANCE_MODELS, 'gpt2-tiny')));
});
afterAll(() => m?.model.dispose());

const later = (fn: () => void) => setTimeout(fn, 0);

/** How an in-process member misbehaves: fails every task, crashes on its first task, or never answers one. */
type Fault = 'task-fails' | 'crashes' | 'silent' | null;

/** A member running memberHandler in this process on the test's model. */
function member(fault: Fault, log: { tasks: number }): MemberPort {
  let toManager: (msg: FromMember) => void = () => undefined;
  let onFail: (why: string) => void = () => undefined;
  let dead = false;
  const handle = memberHandler(
    (msg) => later(() => !dead && toManager(structuredClone(msg))),
    async () => m,
  );
  return {
    post(msg: ToMember) {
      const copy = structuredClone(msg);
      later(() => {
        if (dead) return;
        if (copy.type === 'task') {
          log.tasks++;
          if (fault === 'silent') return;
          if (fault === 'crashes') return onFail('the worker crashed');
          if (fault === 'task-fails') return toManager({ type: 'task-failed', job: copy.job, index: copy.index, message: 'out of memory' });
        }
        handle(copy);
      });
    },
    listen(message, fail) {
      toManager = message;
      onFail = fail;
    },
    terminate() {
      dead = true;
    },
  };
}

function pool(faults: Fault[], opts = {}) {
  const notices: PoolNotice[] = [];
  const log = { tasks: 0 };
  const queue = [...faults];
  const p = new WorkerPool(() => member(queue.shift() ?? null, log), (n) => notices.push(n), opts);
  p.resize(faults.length);
  return { pool: p, notices, log };
}

const SPEC: ModelSpec = { key: 'tiny', origin: { kind: 'page' }, page: null };
const REQ: ModelRequest = { key: 'tiny', origin: { kind: 'page' }, text: '3 50 7 50 7 88 3 50 7 12', pair: null, layer: 0, position: null, ablate: [], ablateMode: 'zero', target: null, compare: null, compareShift: 0 };
const sweep = (sharing: Parameters<typeof sweepHeads>[4]) => sweepHeads(m, REQ, () => undefined, () => false, sharing);

describe('the head sweep over a pool', () => {
  it('members run heads; the deltas are exactly those of one worker', async () => {
    const alone = (await sweep(null))!;
    expect(alone.workers).toBe(1);
    const { pool: p, notices } = pool([null, null]);
    // The first run loads the model in the members (they may join late); the second finds them ready.
    expect((await sweep({ pool: p, model: SPEC }))!.deltas).toStrictEqual(alone.deltas);
    const shared = (await sweep({ pool: p, model: SPEC }))!;
    expect(shared.deltas).toStrictEqual(alone.deltas);
    expect(shared.workers).toBe(3);
    expect(notices).toEqual([]);
    p.close();
  });

  it.each([
    ['task-fails', 'failed', 'out of memory'],
    ['crashes', 'failed', 'the worker crashed'],
  ] as const)('a member that %s is dropped with a notice; its heads run elsewhere, same deltas', async (fault, reason, detail) => {
    const alone = (await sweep(null))!;
    const { pool: p, notices, log } = pool([fault, null]);
    await sweep({ pool: p, model: SPEC });
    const shared = (await sweep({ pool: p, model: SPEC }))!;
    expect(shared.deltas).toStrictEqual(alone.deltas);
    expect(log.tasks).toBeGreaterThan(0);
    expect(notices).toEqual([{ reason, detail }]);
    expect(p.size).toBe(1);
    p.close();
  });

  it('a member that never answers a task is dropped once its budget has passed; its head runs here, same deltas', async () => {
    const alone = (await sweep(null))!;
    const { pool: p, notices, log } = pool(['silent'], { minSilentMs: 20, silentFactor: 1 });
    await sweep({ pool: p, model: SPEC });
    const shared = (await sweep({ pool: p, model: SPEC }))!;
    expect(shared.deltas).toStrictEqual(alone.deltas);
    expect(log.tasks).toBe(1);
    expect(notices.map((n) => n.reason)).toEqual(['silent']);
    expect(p.size).toBe(0);
  });
});

const SEQS = [
  [3, 50, 7, 50, 7, 88, 3, 50, 7, 12],
  [1, 2, 3, 1, 2, 3],
  [42],
  [9, 9, 9, 4, 9],
  [10, 20, 30, 40, 50, 60, 70],
  [5, 6, 5, 6, 5, 6, 5],
  [77, 78, 79],
];
const START: CorpusStart = {
  type: 'corpus',
  id: 1,
  key: 'tiny',
  origin: { kind: 'page' },
  corpus: { id: 'test', name: 'test corpus', entries: SEQS.map((ids) => ({ ids, line: null })) },
  settings: { ...DEFAULT_CORPUS_SETTINGS, top: 4 },
};

/** A corpus run on a task queue like the worker's, shared with `p` (none: alone); its result and who ran each sequence. */
async function corpus(p: WorkerPool | null) {
  const messages: CorpusMessage[] = [];
  let chain: Promise<void> = Promise.resolve();
  let job: CorpusJob | null = null;
  const runner = corpusRunner(
    (msg: FromWorker) => messages.push(msg as CorpusMessage),
    // A turn of the event loop before each task, as the worker's queue takes (the members' answers are read then).
    (task) => {
      chain = chain.then(nextTurn).then(task);
    },
    async () => m,
    (j) => {
      job = j;
      if (p) shareCorpus(p, j, SPEC);
    },
  );
  runner.start(START);
  for (let seen: Promise<void> | null = null; seen !== chain; ) {
    seen = chain;
    await chain;
  }
  const done = messages.find((x) => x.type === 'corpus-done');
  if (!done) throw new Error(`no result: ${JSON.stringify(messages.at(-1))}`);
  return { run: done.run, ranBy: new Set(job!.work.ranBy.values()) };
}

describe('a corpus run over a pool', () => {
  it('members run sequences; the result is bit-identical to one worker', async () => {
    const alone = await corpus(null);
    expect(alone.ranBy).toEqual(new Set(['self']));
    const { pool: p, notices } = pool([null]);
    await corpus(p);
    const shared = await corpus(p);
    expect(shared.ranBy).toEqual(new Set(['self', 'member 1']));
    expect(shared.run.result).toStrictEqual(alone.run.result);
    expect(shared.run.examples).toStrictEqual(alone.run.examples);
    expect(notices).toEqual([]);
    p.close();
  });

  it('a member that fails or goes silent is dropped; its sequences run here, same result', async () => {
    const alone = await corpus(null);
    for (const fault of ['crashes', 'silent'] as const) {
      const { pool: p, notices } = pool([fault], { minSilentMs: 20, silentFactor: 1 });
      await corpus(p);
      const shared = await corpus(p);
      expect(shared.run.result).toStrictEqual(alone.run.result);
      expect(notices.map((n) => n.reason)).toEqual([fault === 'silent' ? 'silent' : 'failed']);
      expect(p.size).toBe(0);
      p.close();
    }
  });
});
