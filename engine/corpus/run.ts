// A model over a corpus: each sequence's forward pass hands every layer's maps to the aggregator as they
// are computed and keeps none of them (ForwardOptions.maps returns nothing), so memory is that of one
// sequence's forward pass whatever the corpus size.
import type { ModelInfo, TransformerModel } from '../transformer/types.ts';
import type { Matrix } from '../types.ts';
import { CorpusAggregator, type CorpusResult } from './aggregate.ts';

const NONE: Matrix[] = [];

/** Whether a model's attention is causal: decoders are; an encoder's info says `causal: false`. */
export function isCausal(info: ModelInfo): boolean {
  return (info as ModelInfo & { causal?: boolean }).causal !== false;
}

/** An aggregator shaped for `model`. */
export function aggregatorFor(model: TransformerModel, opts: { top?: number; bins?: number } = {}): CorpusAggregator {
  const { layers, heads } = model.info;
  return new CorpusAggregator({ layers, heads, causal: isCausal(model.info), ...opts });
}

/** Runs one sequence and adds it to `agg`; on failure the sequence leaves nothing in it. */
export async function addSequence(model: TransformerModel, agg: CorpusAggregator, ids: ArrayLike<number>): Promise<void> {
  agg.begin(ids);
  await model.forward(ids, {
    keep: 'attention',
    maps: (layer, A) => {
      agg.addLayer(layer, A);
      return NONE;
    },
  });
  agg.end();
}

export interface CorpusProgress {
  /** Sequences done, of `total`. */
  done: number;
  total: number;
  /** Tokens done. */
  tokens: number;
  elapsedMs: number;
}

/** Every sequence in turn (the command line and the benchmark; the app's worker steps with addSequence to pause and cancel). */
export async function runCorpus(
  model: TransformerModel,
  sequences: ArrayLike<number>[],
  opts: { top?: number; bins?: number; onProgress?: (p: CorpusProgress) => void } = {},
): Promise<CorpusResult> {
  const agg = aggregatorFor(model, opts);
  const t0 = performance.now();
  let tokens = 0;
  for (const ids of sequences) {
    await addSequence(model, agg, ids);
    tokens += ids.length;
    opts.onProgress?.({ done: agg.done, total: sequences.length, tokens, elapsedMs: performance.now() - t0 });
  }
  return agg.result();
}
