// A model over a corpus: each sequence's forward pass hands every layer's maps to the aggregator as they
// are computed and keeps none of them (ForwardOptions.maps returns nothing), so memory is that of one
// sequence's forward pass whatever the corpus size.
import type { TransformerModel } from '../transformer/types.ts';
import type { Matrix } from '../types.ts';
import { CorpusAggregator, type CorpusResult, type SequencePart } from './aggregate.ts';

const NONE: Matrix[] = [];

/**
 * An aggregator shaped for `model`, with its mask: causal for decoders, full for encoders (every row has all
 * n keys admissible), exactly as the single-input scores of the same model count rows.
 */
export function aggregatorFor(model: TransformerModel, opts: { top?: number; bins?: number } = {}): CorpusAggregator {
  const { layers, heads, causal } = model.info;
  return new CorpusAggregator({ layers, heads, causal, ...opts });
}

/** Runs one sequence through `agg` (begun at index `sequence`), every layer's maps added as they come. */
async function runSequence(model: TransformerModel, agg: CorpusAggregator, ids: ArrayLike<number>, sequence?: number): Promise<void> {
  agg.begin(ids, sequence);
  await model.forward(ids, {
    keep: 'attention',
    maps: (layer, A) => {
      agg.addLayer(layer, A);
      return NONE;
    },
  });
}

/** Runs one sequence and adds it to `agg`; on failure the sequence leaves nothing in it. */
export async function addSequence(model: TransformerModel, agg: CorpusAggregator, ids: ArrayLike<number>): Promise<void> {
  await runSequence(model, agg, ids);
  agg.end();
}

/**
 * Runs sequence `sequence` of a corpus and hands its contribution out (SequencePart) instead of adding it:
 * `agg` is a scratch aggregator of the model's shape; the parts, added in sequence order to another, give
 * what addSequence over every sequence gives (a corpus split across workers, compute/pool.ts).
 */
export async function sequencePart(model: TransformerModel, agg: CorpusAggregator, ids: ArrayLike<number>, sequence: number): Promise<SequencePart> {
  await runSequence(model, agg, ids, sequence);
  return agg.takePart();
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

/** What a run was asked to do: top examples and histogram bins kept, and the caps on the corpus. */
export interface CorpusSettings {
  top: number;
  bins: number;
  /** Sequences beyond this many are not run. */
  maxSequences: number;
  /** Tokens per sequence: longer ones are cut (and never past the model's context). */
  maxTokens: number;
}

export const DEFAULT_CORPUS_SETTINGS: CorpusSettings = { top: 10, bins: 20, maxSequences: 256, maxTokens: 128 };

/** A sequence that top examples point into, as the result shows it and as the app opens it. */
export interface ExampleSequence {
  /** Its index in the corpus (0-based, as the top examples name it). */
  sequence: number;
  /** Its tokens as the views show them (cut as the run cut them). */
  tokens: string[];
  /** A text the model reads as these tokens: what the other views open. */
  text: string;
  /** Whether `text` reads back as exactly these tokens (false: the other views may show different ones). */
  exact: boolean;
}

/**
 * A finished corpus run as plain data: what the app caches, puts in files and hands to the widget. Its
 * top examples point into the corpus by sequence index; `examples` holds exactly those sequences, so the
 * result shows them without the corpus.
 */
export interface CorpusRun {
  model: { key: string; name: string; type: string; layers: number; heads: number; causal: boolean };
  corpus: {
    /** Names the corpus (a shipped corpus' id, or "file:" and a hash of the file). */
    id: string;
    name: string;
    /** Sequences and tokens run. */
    sequences: number;
    tokens: number;
    /** Sequences left out by maxSequences; sequences cut to maxTokens. */
    skipped: number;
    truncated: number;
    /** Characters outside a character model's vocabulary (read as its unknown token). */
    unknown: number;
  };
  settings: CorpusSettings;
  result: CorpusResult;
  /** Every sequence a top example points into, ascending. */
  examples: ExampleSequence[];
  /** Time spent running (pauses excluded), ms. */
  elapsedMs: number;
}

/** The sequences the top examples of every head point into, ascending. */
export function exampleSequences(result: CorpusResult): number[] {
  const seen = new Set<number>();
  for (const layer of result.heads) for (const head of layer) for (const t of head.top) seen.add(t.sequence);
  return [...seen].sort((a, b) => a - b);
}
