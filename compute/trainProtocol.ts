// Messages between the page (compute/trainClient.ts) and compute/train.worker.ts. Plain data; the snapshots'
// attention matrices and packed weights are transferred.
import type { ArchSize, TaskName } from '../engine/model/tasks.ts';
import type { ModelManifest } from '../engine/model/format.ts';

export interface TrainConfig {
  task: TaskName;
  size: Pick<ArchSize, 'nLayers' | 'nHeads' | 'dModel'>;
  steps: number;
  lr: number;
  batch: number;
  seed: number;
  /** A snapshot of every head's attention every this many steps (and at step 0 and the last step). */
  snapshotEvery: number;
  /** The corpus task's text, fetched by the worker (resolved against the page's base URL by the page). */
  corpusUrl: string;
}

export type ToTrainWorker =
  /** Starts run number `run` (discarding any other) on `text`, the app's current text. */
  | { type: 'start'; run: number; config: TrainConfig; text: string }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Stops and forgets the run. */
  | { type: 'reset' }
  /** The app's text changed: later snapshots use it (when paused or done, one is taken at once). */
  | { type: 'input'; text: string }
  /** Asks for the current weights as a model file named by modelName (answered by 'packed' with the same id). */
  | { type: 'pack'; id: number };

export type TrainStatus = 'idle' | 'starting' | 'running' | 'paused' | 'done' | 'error';

export interface TrainProgress {
  step: number;
  /** The last step's loss (nats per character, over the targets that can be learned). */
  loss: number;
  tokensPerSec: number;
  /** Training time, pauses excluded. */
  elapsedMs: number;
}

export interface TrainSnapshot {
  step: number;
  /** Display labels of the input's tokens (tokenizeForModel), at most the context. */
  tokens: string[];
  /** The text was longer than the context and was cut to its first `tokens.length` characters. */
  cut: boolean;
  /** A[layer][head]: n×n row-major, from modelForward (the engine's attention). */
  A: Float32Array[][];
}

export type TrainErrorCode = 'corpus' | 'training' | 'backend';

export type TrainWorkerMessage =
  | { type: 'status'; status: TrainStatus; backend: string | null }
  /** `losses`: the loss of every step since the previous message; the i-th brings the step count to firstStep + i + 1. */
  | { type: 'progress'; progress: TrainProgress; firstStep: number; losses: number[] }
  | { type: 'snapshot'; snapshot: TrainSnapshot }
  | { type: 'packed'; id: number; manifest: ModelManifest; bytes: Uint8Array }
  /** `detail` is in English (from the engine or the network); the page words the rest by `code`. */
  | { type: 'error'; code: TrainErrorCode; detail: string };

/** Every message names its run, so the page drops what an abandoned run still had in the queue. */
export type FromTrainWorker = TrainWorkerMessage & { run: number };

/** The name of a trained model and of its download, e.g. attention-lab-copy-step300. */
export function modelName(task: TaskName, step: number): string {
  return `attention-lab-${task}-step${step}`;
}

/** The distinct buffers of a snapshot, for postMessage's transfer list (heads may share one). */
export function snapshotBuffers(s: TrainSnapshot): ArrayBuffer[] {
  return [...new Set(s.A.flat().map((a) => a.buffer as ArrayBuffer))];
}
