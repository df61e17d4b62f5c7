// A pool worker's side (compute/pool.ts): loads the model it is told (as the compute worker did), keeps the
// job's shared context, runs each task it is given and answers with its result. The compute worker's script
// runs this when started as a member (compute/poolProtocol.ts MEMBER_NAME); tests run it in-process.
import type { CorpusAggregator } from '../engine/corpus/aggregate.ts';
import { aggregatorFor, sequencePart } from '../engine/corpus/run.ts';
import type { RunnableModel } from './models.ts';
import { sweepOne } from './modelRun.ts';
import type { FromMember, JobContext, ModelSpec, TaskResult, TaskSpec, ToMember } from './poolProtocol.ts';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A corpus job's scratch aggregator (one per job: it holds megabytes of bins on a large model). */
const scratch = new WeakMap<JobContext, CorpusAggregator>();

/** One task on a loaded model, with its job's context: the same code the compute worker runs for its own share. */
export function runTask(m: RunnableModel, context: JobContext, task: TaskSpec): Promise<TaskResult> {
  if (context.kind === 'sweep' && task.kind === 'sweep') return sweepOne(m, context.base, task.layer, task.head);
  if (context.kind === 'corpus' && task.kind === 'corpus') {
    let agg = scratch.get(context);
    if (!agg) scratch.set(context, (agg = aggregatorFor(m.model, { top: context.top, bins: context.bins })));
    return sequencePart(m.model, agg, task.ids, task.sequence);
  }
  return Promise.reject(new Error(`a ${task.kind} task in a ${context.kind} job`));
}

/**
 * A member's message handler. `load` opens a model as the compute worker's getModel does (with the page's
 * bundle or files when the spec carries them).
 */
export function memberHandler(post: (msg: FromMember) => void, load: (spec: ModelSpec) => Promise<RunnableModel>): (msg: ToMember) => void {
  let model: { key: string; promise: Promise<RunnableModel> } | null = null;
  let context: { job: number; context: JobContext } | null = null;
  // Tasks run one after another, in the order they came (the manager sends one at a time anyway).
  let queue: Promise<unknown> = Promise.resolve();
  return (msg) => {
    if (msg.type === 'model') {
      const key = msg.model.key;
      const promise = load(msg.model);
      model = { key, promise };
      promise.then(
        () => post({ type: 'ready', key }),
        (e: unknown) => post({ type: 'load-failed', key, message: errorText(e) }),
      );
    } else if (msg.type === 'context') context = { job: msg.job, context: msg.context };
    else if (msg.type === 'task') {
      const m = model;
      const c = context;
      queue = queue.then(async () => {
        try {
          if (!m) throw new Error('no model loaded');
          if (!c || c.job !== msg.job) throw new Error(`no context for job ${msg.job}`);
          post({ type: 'result', job: msg.job, index: msg.index, value: await runTask(await m.promise, c.context, msg.task) });
        } catch (e) {
          post({ type: 'task-failed', job: msg.job, index: msg.index, message: errorText(e) });
        }
      });
    }
  };
}
