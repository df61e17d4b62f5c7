// Messages between the page and app/compute.worker.ts. Plain data; typed arrays are transferred.
import type { AttentionInput, AttentionResult, CaseJson, LayerResult, Matrix } from '../engine/types.ts';
import type { CaseErrorData } from '../engine/caseError.ts';
import type { Scenario } from '../engine/scenario.ts';
import type { HeadAnalysis } from '../engine/headAnalysis.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { ModelInfo } from '../engine/model/info.ts';

/**
 * What to compute: a seeded scenario, a case with the app's causal/weights/padding/edits on top, or a
 * trained model's forward pass over a text. A model is named by `key`: the worker loads it from `url`
 * (the manifest; the weights file sits beside it) or was given it with a 'model' message.
 */
export type ComputeSpec =
  | { kind: 'seeded'; scenario: Scenario }
  | { kind: 'model'; key: string; url: string | null; text: string }
  | {
      kind: 'case';
      case: CaseJson;
      causal: boolean;
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
  | { type: 'compute'; id: number; spec: ComputeSpec; sentAt: number };



/** Why a model computation failed, for the page to act on (fall back, or word the limit). */
export type ModelProblem = { kind: 'load'; key: string } | { kind: 'context'; n: number; context: number };

export type FromWorker =
  /** `error`: why no backend started (active null); a fallback to another backend is told by preferred ≠ active. */
  | { type: 'backend'; preferred: BackendPref; active: string | null; error: string | null; /** Why the preferred backend failed, when it did. */ why: string | null }
  | {
      type: 'result';
      id: number;
      layers: LayerResult[];
      /** Model source: characters outside the model's vocabulary (read as its unknown token). */
      unknown: boolean[] | null;
      ms: WorkerTimings;
      postedAt: number;
    }
  /** Head scores and similarity for result `id`, sent after it (they never delay the picture). */
  | { type: 'analysis'; id: number; analysis: HeadAnalysis }
  | { type: 'model-progress'; key: string; loaded: number; total: number | null }
  | { type: 'model-ready'; key: string; info: ModelInfo }
  /** `caseError`: the problem was a CaseError (bad case, edit or size), for the page to word in its language. */
  | { type: 'error'; id: number; message: string; caseError: CaseErrorData | null; model: ModelProblem | null };

/** Every distinct ArrayBuffer under the layers' inputs and results, for postMessage's transfer list. */
export function transferables(layers: readonly LayerResult[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const { input, result } of layers) collect(seen, input, result);
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
