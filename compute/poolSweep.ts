// "Which heads matter?" over the worker pool: the base pass once here, then each head's ablation a task
// (an independent forward pass from the residual entering its layer) claimed by whoever is free; the
// deltas land in their place, so the result is the one a single worker computes.
import type { RunnableModel } from './models.ts';
import { sweepBase, sweepOne, type SweepResult } from './modelRun.ts';
import { PoolJob, runShared, type WorkerPool } from './pool.ts';
import type { ModelSpec } from './poolProtocol.ts';
import type { ModelRequest } from './protocol.ts';

export interface SweepSharing {
  pool: WorkerPool;
  model: ModelSpec;
}

/**
 * Ablates each head alone: Δ log p(target) at the position (compute/modelRun.ts sweepBase). With `sharing`
 * the pool's members run some of the heads. `cancelled` is checked between heads; null when it was.
 * `workers` counts those who ran at least one head (this worker included), `shared` the heads pool workers ran.
 */
export async function sweepHeads(
  m: RunnableModel,
  req: ModelRequest,
  onProgress: (done: number, total: number) => void,
  cancelled: () => boolean,
  sharing: SweepSharing | null = null,
): Promise<(SweepResult & { workers: number; shared: number }) | null> {
  const base = await sweepBase(m, req);
  const { layers: L, heads: H } = m.info;
  const deltas = Array.from({ length: L }, () => new Array<number>(H).fill(0));
  let done = 0;
  const job = new PoolJob<number>(L * H, (index, delta) => {
    deltas[Math.floor(index / H)][index % H] = delta;
    onProgress(++done, L * H);
  });
  sharing?.pool.share({ job, model: sharing.model, context: { kind: 'sweep', base }, task: (index) => ({ kind: 'sweep', layer: Math.floor(index / H), head: index % H }) });
  try {
    await runShared(job, (index) => sweepOne(m, base, Math.floor(index / H), index % H), sharing?.pool ?? null, cancelled);
  } finally {
    if (!job.finished) job.cancel();
  }
  if (!job.finished) return null;
  const by = [...job.ranBy.values()];
  return { deltas, target: m.token(base.targetId), position: base.position, workers: new Set(by).size, shared: by.filter((w) => w !== 'self').length };
}
