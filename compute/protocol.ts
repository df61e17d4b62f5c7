// Messages between the page and compute/compute.worker.ts. Plain data; typed arrays are transferred.
import type { AttentionInput, AttentionResult, CaseJson, HeadAblation, Matrix } from '../engine/types.ts';
import type { HeadRef } from '../engine/transformer/types.ts';
import type { CaseErrorData } from '../engine/caseError.ts';
import type { Scenario } from '../engine/scenario.ts';
import type { HeadAnalysis } from '../engine/headAnalysis.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { ModelInfo } from '../engine/model/info.ts';
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
  /** The layer whose engine input and result come back in full (the others: A only). */
  layer: number;
  /** Where predictions, the lens and the ablation are read; null: the last position. */
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

/**
 * What to compute: a seeded scenario, a case with the app's causal/weights/padding/edits on top, or a
 * model's forward pass over a text.
 */
export type ComputeSpec =
  | { kind: 'seeded'; scenario: Scenario }
  | { kind: 'model'; model: ModelRequest }
  | {
      kind: 'case';
      case: CaseJson;
      causal: boolean;
      /** A local window on the causal mask; null: none. */
      window: number | null;
      /** Effective weights (padding already folded in as 0). */
      keyWeights: number[];
      overrides: Record<string, number>;
    };

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
  | { type: 'backend'; preferred: BackendPref }
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
  | { type: 'sweep-cancel'; id: number };

export type { CompareLayer, ModelExtras, TokenChance } from '../engine/analysis/extras.ts';
import type { CompareLayer, ModelExtras } from '../engine/analysis/extras.ts';



/** Why a model computation failed, for the page to act on (fall back, or word the limit). */
export type ModelProblem =
  | { kind: 'load'; key: string }
  | { kind: 'context'; n: number; context: number }
  /** A download over the size limit waits for the user's go-ahead (`atLeast`: its size is not known, only that it passed `bytes`). */
  | { kind: 'confirm'; key: string; bytes: number; atLeast: boolean }
  | { kind: 'cancelled'; key: string };

export type FromWorker =
  /** `error`: why no backend started (active null); a fallback to another backend is told by preferred ≠ active. */
  | { type: 'backend'; preferred: BackendPref; active: string | null; error: string | null; /** Why the preferred backend failed, when it did. */ why: string | null }
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
  | { type: 'model-progress'; key: string; loaded: number; total: number | null; files?: { name: string; received: number; total: number | null }[]; fromCache?: boolean }
  | { type: 'model-ready'; key: string; info: ModelInfo }
  | { type: 'sweep-progress'; id: number; done: number; total: number }
  /** deltas[l][h] = log p(target) with head (l, h) ablated − without. */
  | { type: 'sweep-done'; id: number; deltas: number[][]; target: string; position: number }
  | { type: 'sweep-error'; id: number; message: string }
  /** `caseError`: the problem was a CaseError (bad case, edit or size), for the page to word in its language. */
  | { type: 'error'; id: number; message: string; caseError: CaseErrorData | null; model: ModelProblem | null };

/** Every distinct ArrayBuffer under a result's matrices, for postMessage's transfer list. */
export function transferables(attention: readonly Matrix[][], detail: { input: AttentionInput; result: AttentionResult }, extras: Pick<ModelExtras, 'rollout' | 'compare'> | null): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = (m: Matrix) => {
    const buf = m.data.buffer;
    if (buf instanceof ArrayBuffer && buf.byteLength > 0) seen.add(buf);
  };
  for (const layer of attention) layer.forEach(add);
  collect(seen, detail.input, detail.result);
  if (extras) {
    extras.rollout.forEach(add);
    extras.compare?.heads.forEach(add);
    extras.compare?.scores?.forEach(add);
  }
  return [...seen];
}

function collect(seen: Set<ArrayBuffer>, input: AttentionInput, result: AttentionResult): void {
  const add = (m: Matrix | null | undefined) => {
    const buf = m?.data.buffer;
    if (buf instanceof ArrayBuffer && buf.byteLength > 0) seen.add(buf);
  };
  add(input.X);
  for (const h of input.heads) {
    add(h.Wq);
    add(h.Wk);
    add(h.Wv);
  }
  add(input.Wo);
  if (input.keyWeights && input.keyWeights.buffer instanceof ArrayBuffer) seen.add(input.keyWeights.buffer);
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
