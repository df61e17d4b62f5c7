// Messages between the compute worker (the pool's manager, compute/pool.ts) and its pool workers (copies
// of the compute worker started as members, compute/poolTasks.ts). Plain data; typed arrays are copied.
import type { ModelManifest } from '../engine/model/format.ts';
import type { SequencePart } from '../engine/corpus/aggregate.ts';
import type { ModelOrigin } from './protocol.ts';
import type { SweepBase } from './modelRun.ts';

/** The name a pool worker is started with: the compute worker's script reads it to run as a member. */
export const MEMBER_NAME = 'attention-lab-pool';

/** A model a member loads as the manager did: its key and origin, and what the page gave the manager. */
export interface ModelSpec {
  key: string;
  origin: ModelOrigin;
  /** A model held by the page (origin 'page'): its bundle or its local files. */
  page: { manifest: ModelManifest; bytes: Uint8Array } | { files: { path: string; file: Blob }[] } | null;
}

/** What every task of a job shares, sent to a member once per job. */
export type JobContext = { kind: 'sweep'; base: SweepBase } | { kind: 'corpus'; top: number; bins: number };

/** One task: a head to ablate, or a corpus sequence (its index and ids) to run. */
export type TaskSpec = { kind: 'sweep'; layer: number; head: number } | { kind: 'corpus'; sequence: number; ids: Int32Array };

export type TaskResult = number | SequencePart;

export type ToMember =
  | { type: 'model'; model: ModelSpec }
  | { type: 'context'; job: number; context: JobContext }
  | { type: 'task'; job: number; index: number; task: TaskSpec };

export type FromMember =
  /** The model of `key` is loaded: tasks may come. */
  | { type: 'ready'; key: string }
  | { type: 'load-failed'; key: string; message: string }
  | { type: 'result'; job: number; index: number; value: TaskResult }
  | { type: 'task-failed'; job: number; index: number; message: string };
