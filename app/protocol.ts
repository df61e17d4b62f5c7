// Messages between the page and app/compute.worker.ts. Plain data; typed arrays are transferred.
import type { AttentionInput, AttentionResult, CaseJson, Matrix } from '../engine/types.ts';
import type { CaseErrorData } from '../engine/validate.ts';
import type { Scenario } from '../engine/scenario.ts';
import type { BackendPref } from './store.ts';

/** What to compute: a seeded scenario, or a case with the app's causal/weights/padding/edits on top. */
export type ComputeSpec =
  | { kind: 'seeded'; scenario: Scenario }
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
  | { type: 'compute'; id: number; spec: ComputeSpec; sentAt: number };

export type FromWorker =
  /** `error`: why no backend started (active null); a fallback to another backend is told by preferred ≠ active. */
  | { type: 'backend'; preferred: BackendPref; active: string | null; error: string | null }
  | { type: 'result'; id: number; input: AttentionInput; result: AttentionResult; ms: WorkerTimings; postedAt: number }
  /** `caseError`: the problem was a CaseError (bad case, edit or size), for the page to word in its language. */
  | { type: 'error'; id: number; message: string; caseError: CaseErrorData | null };

/** Every distinct ArrayBuffer under the input and result, for postMessage's transfer list. */
export function transferables(input: AttentionInput, result: AttentionResult): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
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
  return [...seen];
}
