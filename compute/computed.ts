// A computation's answer as the views draw it (the store's Computed): the worker's result, or the widget's quick
// first result on the main thread, assembled the same way.
import { effectiveConvention, effectiveMechanism } from '../engine/scenario.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import type { ModelExtras } from '../engine/analysis/extras.ts';
import type { DocState } from '../state/document.ts';
import type { Computed } from '../state/store.ts';
import type { WorkerTimings } from './protocol.ts';

/** What a computation returns: every layer's maps, the layer shown in full, and a model run's extras. */
export interface Answer {
  attention: Matrix[][];
  pooled: boolean;
  detail: { layer: number; input: AttentionInput; result: AttentionResult };
  model: ModelExtras | null;
  unknown: boolean[] | null;
  /** A checkpoint's tokens of the text (its tokenizer's); null: the document's tokens. */
  tokens: string[] | null;
}

/**
 * The Computed of answer `id` to document `doc` (the document the request was made of). Its tokens are a
 * checkpoint's tokenizer's when the answer has them, else the document's: they stay in the result and never
 * go back into the document, so an edit makes one request.
 */
export function computedOf(id: number, doc: DocState, answer: Answer, ms: WorkerTimings & { back: number; roundTrip: number }): Omit<Computed, 'analysis' | 'analysisError' | 'fromKeptRun'> {
  const tokens = answer.tokens ?? doc.tokens;
  const { keyWeights } = answer.detail.input;
  return {
    id,
    tokens,
    tokenized: answer.tokens && doc.source.kind === 'model' ? { model: doc.source.model, text: doc.text } : null,
    attention: answer.attention,
    pooled: answer.pooled,
    layer: answer.detail.layer,
    input: answer.detail.input,
    result: answer.detail.result,
    model: answer.model,
    unknown: answer.unknown,
    mechanism: effectiveMechanism(doc),
    convention: effectiveConvention(doc),
    excludedKeys: tokens.map((_, j) => keyWeights !== null && keyWeights[j] === 0),
    ms,
  };
}
