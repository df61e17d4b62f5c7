// Every head of a model (layers × heads) scored at once, plus how alike their patterns are: what the
// model view's badges, the scores table and "heads like this one" show. Pure; see headScores.ts for
// what each score means.
import { addRows, emptySums, headSimilarity, meanOf, rowPlan, scoresOf, type HeadScores, type RowRange } from './headScores.ts';
import type { Matrix } from './types.ts';

/** A (layers × heads) per layer, per head, on one token sequence. */
export interface HeadsOnInput<T> {
  layers: Matrix[][];
  tokens: ArrayLike<T>;
}

export interface HeadAnalysisOptions<T> {
  /** Whether the attention is causally masked. */
  causal: boolean;
  /**
   * The same heads on a random sequence repeated twice, for the induction score (rows: the second
   * copy). Without it, induction is measured on the input itself (NaN when nothing repeats).
   */
  probe?: HeadsOnInput<T> & { rows: RowRange };
  /** Skip the similarity matrix when (heads² / 2) · n² exceeds this (it is O(heads² n²)). */
  maxSimilarityWork?: number;
}

export interface HeadAnalysis {
  /** scores[l][h]. */
  scores: HeadScores[][];
  /** similarity[a][b] for flattened heads a = l·H + h; null when the input is too large. */
  similarity: number[][] | null;
  /** Where the induction scores were measured. */
  inductionOn: 'probe' | 'input';
}

const DEFAULT_MAX_SIMILARITY_WORK = 3e7;

export function analyzeHeads<T>(on: HeadsOnInput<T>, opts: HeadAnalysisOptions<T>): HeadAnalysis {
  const { causal, probe } = opts;
  const flat = on.layers.flat();
  const n = flat[0]?.rows ?? on.tokens.length;
  // One row plan per sequence, shared by every head.
  const plan = rowPlan(n, { causal, tokens: on.tokens });
  const probePlan = probe ? rowPlan(probe.tokens.length, { causal, tokens: probe.tokens, rows: probe.rows }) : null;
  const scores = on.layers.map((heads, l) =>
    heads.map((A, h) => {
      const s = scoresOf(addRows(A, plan, emptySums()));
      if (probe) s.induction = meanOf(addRows(probe.layers[l][h], probePlan!, emptySums(), ['induction']), 'induction');
      return s;
    }),
  );
  const work = (flat.length * flat.length * n * n) / 2;
  let similarity: number[][] | null = null;
  if (work <= (opts.maxSimilarityWork ?? DEFAULT_MAX_SIMILARITY_WORK)) {
    similarity = flat.map(() => new Array<number>(flat.length).fill(1));
    for (let a = 0; a < flat.length; a++) {
      for (let b = a + 1; b < flat.length; b++) {
        const v = headSimilarity(flat[a], flat[b], { causal });
        similarity[a][b] = v;
        similarity[b][a] = v;
      }
    }
  }
  return { scores, similarity, inductionOn: probe ? 'probe' : 'input' };
}
