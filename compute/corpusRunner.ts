// The worker's corpus runs: one at a time (a new one replaces the last), each sequence a task on the
// worker's queue so the page's other requests are answered in between, paused by not queueing the next
// step, cancelled at the next step. Progress is posted at most every PROGRESS_MS and at the end.
import { CorpusError } from '../engine/corpus/read.ts';
import { CorpusJob, entriesOf, prepareCorpus } from './corpusRun.ts';
import type { RunnableModel } from './models.ts';
import type { CorpusControl, CorpusStart, FromWorker, ModelOrigin } from './protocol.ts';

const PROGRESS_MS = 100;

interface Running {
  id: number;
  job: CorpusJob | null;
  paused: boolean;
  cancelled: boolean;
  /** A step is on the queue (so resuming does not queue a second). */
  queued: boolean;
  lastPost: number;
}

export interface CorpusRunner {
  start(msg: CorpusStart): void;
  control(msg: CorpusControl): void;
}

/**
 * `enqueue` runs a task after the worker's earlier ones (its message queue); `load` gives the model of a
 * key and origin (the worker's getModel); `share` offers a job's sequences to the worker pool (compute/poolCorpus.ts).
 */
export function corpusRunner(
  post: (msg: FromWorker) => void,
  enqueue: (task: () => Promise<void>) => void,
  load: (key: string, origin: ModelOrigin) => Promise<RunnableModel>,
  share: (job: CorpusJob, msg: CorpusStart) => void = () => {},
): CorpusRunner {
  let current: Running | null = null;

  const fail = (r: Running, e: unknown) => {
    if (current === r) current = null;
    r.job?.work.cancel();
    const c = e instanceof CorpusError ? { sequence: e.sequence, line: e.line, code: e.code, params: e.params } : null;
    post({ type: 'corpus-error', id: r.id, message: e instanceof Error ? e.message : String(e), corpusError: c });
  };

  const progress = (r: Running, force: boolean) => {
    const now = performance.now();
    if (!force && now - r.lastPost < PROGRESS_MS) return;
    r.lastPost = now;
    post({ type: 'corpus-progress', id: r.id, status: r.job!.status(), paused: r.paused });
  };

  const schedule = (r: Running) => {
    if (r.queued || r.paused || r.cancelled || current !== r) return;
    r.queued = true;
    enqueue(() => step(r));
  };

  async function step(r: Running): Promise<void> {
    r.queued = false;
    if (r.cancelled || r.paused || current !== r || !r.job) return;
    try {
      await r.job.step();
    } catch (e) {
      fail(r, e);
      return;
    }
    if (r.job.finished) {
      progress(r, true);
      current = null;
      post({ type: 'corpus-done', id: r.id, run: r.job.run() });
      return;
    }
    progress(r, false);
    schedule(r);
  }

  return {
    start(msg) {
      if (current) {
        current.cancelled = true;
        current.job?.work.cancel();
      }
      const r: Running = { id: msg.id, job: null, paused: false, cancelled: false, queued: true, lastPost: 0 };
      current = r;
      enqueue(async () => {
        r.queued = false;
        if (r.cancelled) return;
        try {
          const m = await load(msg.key, msg.origin);
          const prepared = prepareCorpus(m, entriesOf(m, msg.corpus, msg.settings), msg.settings);
          r.job = new CorpusJob(m, { id: msg.corpus.id, name: msg.corpus.name }, prepared, msg.settings);
        } catch (e) {
          fail(r, e);
          return;
        }
        const p = r.job.prepared;
        post({ type: 'corpus-prepared', id: r.id, sequences: p.ids.length, tokens: r.job.totalTokens, skipped: p.skipped, truncated: p.truncated, unknown: p.unknown });
        progress(r, true);
        share(r.job, msg);
        schedule(r);
      });
    },
    control(msg) {
      const r = current;
      if (!r || r.id !== msg.id) return;
      if (msg.action === 'cancel') {
        r.cancelled = true;
        r.job?.work.cancel();
        current = null;
        post({ type: 'corpus-cancelled', id: r.id });
      } else {
        r.paused = msg.action === 'pause';
        r.job?.work.setPaused(r.paused);
        if (r.job) progress(r, true);
        schedule(r);
      }
    },
  };
}
