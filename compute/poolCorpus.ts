// A corpus run over the worker pool: every sequence is a task (compute/corpusRun.ts CorpusJob); the
// members run theirs into a scratch aggregator of their own and send its part back, which the job adds in
// sequence order.
import type { CorpusJob } from './corpusRun.ts';
import type { WorkerPool } from './pool.ts';
import type { ModelSpec } from './poolProtocol.ts';

export function shareCorpus(pool: WorkerPool, job: CorpusJob, model: ModelSpec): void {
  const { top, bins } = job.settings;
  pool.share({ job: job.work, model, context: { kind: 'corpus', top, bins }, task: (s) => ({ kind: 'corpus', sequence: s, ids: job.prepared.ids[s] }) });
}
