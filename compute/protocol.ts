// Messages between the page and compute/compute.worker.ts. Plain data; typed arrays are transferred.
import type { AttentionInput, AttentionResult, HeadAblation, Matrix } from '../engine/types.ts';
import type { HeadRef } from '../engine/transformer/types.ts';
import type { CaseErrorData } from '../engine/caseError.ts';
import type { HubParams, HubReason } from '../engine/checkpoint/hubErrors.ts';
import type { Scenario } from '../engine/scenario.ts';
import type { HeadAnalysis } from '../engine/headAnalysis.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { GpuVerdict, ThreadsWhy } from '../engine/backendChoice.ts';
import type { PoolWhy } from '../engine/poolPlan.ts';
import type { ModelInfo } from '../engine/model/info.ts';
import type { CorpusEntry, CorpusErrorCode } from '../engine/corpus/read.ts';
import type { CorpusRun, CorpusSettings } from '../engine/corpus/run.ts';
import type { Described } from '../engine/caseError.ts';
import type { WorkStep } from './watchdog.ts';

/** Where a model comes from: the shipped manifest's URL, the page (a 'model' or 'local-files' message), or the Hub. */
export type ModelOrigin =
  | { kind: 'url'; url: string }
  | { kind: 'page' }
  | {
      kind: 'hub';
      /** `hf:owner/name@revision`. */
      ref: string;
      /** The hub's base URL (https://huggingface.co or a mirror). */
      hub: string;
      /** Ask the user before downloading more than this many bytes; null: the user agreed to this download. */
      askAbove: number | null;
    };

/** A model's forward pass over a text, and what the views ask of it. */
export interface ModelRequest {
  /** Names the model (the worker keeps loaded models by key). */
  key: string;
  origin: ModelOrigin;
  text: string;
  /** An encoder's second sentence (B), read with the text as a pair; null: none (a decoder ignores it). */
  pair: string | null;
  /** The layer whose engine input and result come back in full (the others: A only). */
  layer: number;
  /** Where predictions, the lens and the ablation are read; null: the model's own choice (an encoder's first mask, else the last position). */
  position: number | null;
  ablate: HeadRef[];
  ablateMode: HeadAblation;
  /** The token whose log-probability the ablation follows; null: the top prediction. */
  target: string | null;
  /** A second text, whose attention comes back too; null: none. */
  compare: string | null;
  /** Read the second input (the compare text, or the text itself when there is none) from this position on; 0: from the start. */
  compareShift: number;
}

/** What to compute: a scenario (seeded, or a case with its mask, weights and edits; engine/scenario.ts), or a model's forward pass over a text. */
export type ComputeSpec = { kind: 'scenario'; scenario: Scenario } | { kind: 'model'; model: ModelRequest };

/** Absolute times (performance.timeOrigin + now()) let both sides time the hops between them. */
export function wallClock(): number {
  return performance.timeOrigin + performance.now();
}

export interface WorkerTimings {
  /** Page → worker: from postMessage until the worker starts on it (queueing included). */
  queue: number;
  /** Building the AttentionInput (0 when the seeded numbers are cached). */
  build: number;
  /** computeAttention. */
  compute: number;
}

export type ToWorker =
  /** `workers`: `?workers=N` from the page address (engine/poolPlan.ts), null: not given. */
  | { type: 'backend'; preferred: BackendPref; workers?: number | null }
  /** A model held by the page (trained or loaded from a file in this browser). */
  | { type: 'model'; key: string; manifest: ModelManifest; bytes: Uint8Array }
  /**
   * `reuse`: the id of the model result the page shows. When the request differs from it only in the
   * layer, the worker answers with a 'layer' message (that layer from the kept run) instead of a new run.
   */
  | { type: 'compute'; id: number; spec: ComputeSpec; sentAt: number; reuse?: number | null }
  /** Row `query` of every head's A of result `of` (sent as thumbnails): answered with 'rows'. */
  | { type: 'rows'; of: number; query: number }
  /** A checkpoint picked as local files (a folder), under `key`. */
  | { type: 'local-files'; key: string; files: { path: string; file: Blob }[] }
  /** Stops a model download (the request then fails with an abort). */
  | { type: 'cancel-load'; key: string }
  /** Ablates each head of the model in turn and reports Δ log p(target) at `position`. */
  | { type: 'sweep'; id: number; model: ModelRequest }
  | { type: 'sweep-cancel'; id: number }
  /**
   * Attention flow by max-flow (engine/analysis/maxflow.ts) after `layer` of the maps `attention` (every layer of
   * a short input, as the page holds them): answered with 'flow-progress' per row and 'flow-done'. Ids grow;
   * 'flow-cancel' stops that request and every earlier one, running or waiting.
   */
  | { type: 'flow'; id: number; attention: Matrix[][]; layer: number }
  | { type: 'flow-cancel'; id: number }
  /** Arrays of results the page no longer shows (transferred): the next results are read into them. */
  | { type: 'recycle'; buffers: ArrayBuffer[] }
  | CorpusStart
  | CorpusControl;

/** Runs every head of a model over a corpus (replacing any corpus run still going). */
export interface CorpusStart {
  type: 'corpus';
  id: number;
  key: string;
  origin: ModelOrigin;
  corpus: CorpusSource;
  settings: CorpusSettings;
}

/** The sequences to run: given (text or ids), or the repeated-random-tokens probe made from the model's ordinary tokens. */
export type CorpusSource = { id: string; name: string } & ({ entries: CorpusEntry[] } | { probe: { count: number; half: number; seed: number } });

/** Pauses (after the sequence being run), resumes or cancels corpus run `id`. */
export interface CorpusControl {
  type: 'corpus-control';
  id: number;
  action: 'pause' | 'resume' | 'cancel';
}

/** Where a corpus went wrong, for the page to word in its language (engine/corpus/read.ts). */
export interface CorpusErrorData {
  sequence: number | null;
  line: number | null;
  code: CorpusErrorCode;
  params: { detail?: string; got?: Described; index?: number };
}

export type { CompareLayer, ModelExtras, TokenChance } from '../engine/analysis/extras.ts';
import type { CompareLayer, ModelExtras } from '../engine/analysis/extras.ts';



/** A HubError's wording and parameters (engine/checkpoint/hubErrors.ts), as posted to the page. */
export interface HubProblem {
  reason: HubReason;
  params: HubParams;
}

/** Why a model computation failed, for the page to act on (fall back, or word the limit). */
export type ModelProblem =
  /** `why`: a download or opening problem (a HubError, ModelLoadError included) for the page's catalogs; null: `message` says it. */
  | { kind: 'load'; key: string; why: HubProblem | null }
  | { kind: 'context'; n: number; context: number }
  /** A download over the size limit waits for the user's go-ahead (`atLeast`: its size is not known, only that it passed `bytes`). */
  | { kind: 'confirm'; key: string; bytes: number; atLeast: boolean }
  | { kind: 'cancelled'; key: string };

export type FromWorker =
  /** `error`: why no backend started (active null); a fallback to another backend is told by preferred ≠ active. */
  | {
      type: 'backend';
      preferred: BackendPref;
      active: string | null;
      error: string | null;
      /** Why the preferred backend failed, when it did. */
      why: string | null;
      /** wasm's threads (null on other backends), and why only one. */
      threads: number | null;
      threadsWhy: ThreadsWhy | null;
      /** Why WebGPU is not used, when it was wanted ('auto' where the browser has WebGPU, or asked for). */
      gpu: GpuVerdict | null;
    }
  | {
      type: 'result';
      id: number;
      /** A per head, per layer: the maps, or their max-pooled thumbnails when `pooled` (long inputs). */
      attention: Matrix[][];
      pooled: boolean;
      /** The requested layer in full: what computeAttention was given and returned. */
      detail: { layer: number; input: AttentionInput; result: AttentionResult };
      /** The model's tokens of the text (a checkpoint's tokenizer), else null (the page's tokens stand). */
      tokens: string[] | null;
      model: ModelExtras | null;
      /** Model source: characters outside the model's vocabulary (read as its unknown token). */
      unknown: boolean[] | null;
      ms: WorkerTimings;
      postedAt: number;
    }
  /** Request `id` answered from the kept run: another layer in full (and the second input's maps there). */
  | { type: 'layer'; id: number; detail: { layer: number; input: AttentionInput; result: AttentionResult }; compare: CompareLayer | null; ms: WorkerTimings; postedAt: number }
  /** rows[l][h]: row `query` of head h's A in layer l, of result `of`. */
  | { type: 'rows'; of: number; query: number; rows: Float32Array[][] }
  /** Result `id`'s rollout, when it was too long to compute before the picture (its extras held none). */
  | { type: 'rollout'; id: number; rollout: Matrix[] }
  /** Head scores and similarity for result `id`, sent after it (they never delay the picture). */
  | { type: 'analysis'; id: number; analysis: HeadAnalysis }
  /** The head analysis of result `id` failed: the picture stands, the scores say why they are missing. */
  | { type: 'analysis-error'; id: number; message: string }
  /** The step the worker is in (null: idle), for the page's watchdog (compute/watchdog.ts). */
  | { type: 'step'; step: WorkStep | null }
  /** How many workers share the sweep and corpus runs, and why (engine/poolPlan.ts); sent after 'backend' and when a model changes it. */
  | { type: 'workers'; workers: number; why: PoolWhy }
  /** A pool worker failed or went silent and was dropped: its work was run by another. */
  | { type: 'pool-notice'; reason: 'failed' | 'silent'; detail: string }
  | { type: 'model-progress'; key: string; loaded: number; total: number | null; files?: { name: string; received: number; total: number | null }[]; fromCache?: boolean }
  | { type: 'model-ready'; key: string; info: ModelInfo }
  /** A Hub model was loaded but could not be stored for offline use (`why`: e.g. the storage quota). */
  | { type: 'model-not-stored'; key: string; why: string }
  | { type: 'sweep-progress'; id: number; done: number; total: number }
  /** deltas[l][h] = log p(target) with head (l, h) ablated − without; `workers`: how many workers ran heads, `shared`: how many heads pool workers ran (compute/pool.ts). */
  | { type: 'sweep-done'; id: number; deltas: number[][]; target: string; position: number; workers: number; shared: number }
  | { type: 'sweep-error'; id: number; message: string }
  | { type: 'flow-progress'; id: number; done: number; total: number }
  | { type: 'flow-done'; id: number; flow: Matrix }
  | { type: 'flow-error'; id: number; message: string }
  /** The corpus as the model reads it, within the caps, before the first sequence runs. */
  | { type: 'corpus-prepared'; id: number; sequences: number; tokens: number; skipped: number; truncated: number; unknown: number }
  | { type: 'corpus-progress'; id: number; status: { done: number; total: number; tokens: number; totalTokens: number; elapsedMs: number }; paused: boolean }
  | { type: 'corpus-done'; id: number; run: CorpusRun }
  | { type: 'corpus-cancelled'; id: number }
  | { type: 'corpus-error'; id: number; message: string; corpusError: CorpusErrorData | null }
  /** `caseError`: the problem was a CaseError (bad case, edit or size), for the page to word in its language. */
  | { type: 'error'; id: number; message: string; caseError: CaseErrorData | null; model: ModelProblem | null };

export type CorpusMessage = Extract<FromWorker, { type: `corpus-${string}` }>;

export function isCorpusMessage(msg: FromWorker): msg is CorpusMessage {
  return msg.type.startsWith('corpus-');
}

/** Every distinct ArrayBuffer under a result's matrices, for postMessage's transfer list. */
export function transferables(attention: readonly Matrix[][], detail: { input: AttentionInput; result: AttentionResult }, extras: Pick<ModelExtras, 'rollout' | 'compare'> | null): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = adder(seen);
  for (const layer of attention) layer.forEach((m) => add(m));
  collect(seen, detail.input, detail.result);
  if (extras) {
    extras.rollout.forEach(add);
    extras.compare?.heads.forEach(add);
    extras.compare?.scores?.forEach(add);
  }
  return [...seen];
}

/** Every distinct ArrayBuffer under a result's matrices (what the engine read back; not its input). */
export function resultBuffers(result: AttentionResult): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  collectResult(seen, result);
  return [...seen];
}

const adder = (seen: Set<ArrayBuffer>) => (m: Matrix | null | undefined) => {
  const buf = m?.data.buffer;
  if (buf instanceof ArrayBuffer && buf.byteLength > 0) seen.add(buf);
};

function collect(seen: Set<ArrayBuffer>, input: AttentionInput, result: AttentionResult): void {
  const add = adder(seen);
  add(input.X);
  for (const h of input.heads) {
    add(h.Wq);
    add(h.Wk);
    add(h.Wv);
  }
  add(input.Wo);
  if (input.keyWeights && input.keyWeights.buffer instanceof ArrayBuffer) seen.add(input.keyWeights.buffer);
  collectResult(seen, result);
}

function collectResult(seen: Set<ArrayBuffer>, result: AttentionResult): void {
  const add = adder(seen);
  for (const h of result.heads) {
    add(h.Qpre);
    add(h.Kpre);
    add(h.Q);
    add(h.K);
    add(h.V);
    add(h.scores);
    add(h.A);
    add(h.Z);
  }
  add(result.Z);
  add(result.out);
}
