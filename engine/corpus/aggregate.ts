// Heads across a corpus: every head's scores pooled over many sequences, aggregated as the maps come
// (one layer of one sequence at a time), so a run never holds more than one layer's maps.
//
// A corpus score is the mean over every eligible query row of every sequence, rows pooled — not a mean
// of per-sequence means — with the rows and their eligibility of headScores.ts (ROW_SCORES). Beside it,
// the spread across sequences: each sequence's own score (its eligible rows only) gives a 95 % interval,
// a standard deviation and a histogram. And per head, the top-K (sequence, query, key) places with
// key ≠ 0 where it attends hardest.
import { addRows, emptySums, rowPlan, SCORE_KEYS, type RowPlan, type ScoreKey, type ScoreSums } from '../headScores.ts';
import type { Matrix } from '../types.ts';
import { TopExamples, type TopExample } from './topExamples.ts';

export type { TopExample } from './topExamples.ts';

export interface CorpusOptions {
  layers: number;
  /** Query heads per layer. */
  heads: number;
  /** Whether the model's attention is causal (decoders) or full (encoders). */
  causal: boolean;
  /** Top examples kept per head (default 10). */
  top?: number;
  /** Histogram bins over [0, 1] (default 20). */
  bins?: number;
}

/** One score of one head over the corpus. */
export interface ScoreSummary {
  /** Mean over every eligible row of every sequence, rows pooled; null when no row was eligible. */
  mean: number | null;
  /** Eligible rows pooled. */
  rows: number;
  /** Sequences with at least one eligible row: those with a score of their own. */
  sequences: number;
  /** 2.5th and 97.5th percentiles of the per-sequence scores (linear interpolation); null without any. */
  interval: [number, number] | null;
  /** Standard deviation of the per-sequence scores (population); null without any. */
  sd: number | null;
  /** Per-sequence scores counted in `bins` equal bins over [0, 1] (the last one closed). */
  histogram: number[];
}

export interface CorpusHead {
  scores: Record<ScoreKey, ScoreSummary>;
  /** The strongest weights A[query][key] with key ≠ 0 over the corpus, strongest first. */
  top: TopExample[];
}

export interface CorpusResult {
  /** Sequences aggregated. */
  sequences: number;
  /** Query rows (tokens) aggregated. */
  rows: number;
  causal: boolean;
  /** Top examples kept per head. */
  top: number;
  bins: number;
  /** heads[layer][head]. */
  heads: CorpusHead[][];
}

/** The p-quantile of ascending values, interpolating linearly between order statistics (as d3.quantileSorted). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = (n - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

function summarise(perSequence: number[], pooled: number, rows: number, bins: number): ScoreSummary {
  const histogram = new Array<number>(bins).fill(0);
  for (const v of perSequence) histogram[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]++;
  const k = perSequence.length;
  // Every eligible row belongs to a sequence with a score of its own: no sequences, no rows.
  if (k === 0) return { mean: null, rows, sequences: 0, interval: null, sd: null, histogram };
  const sorted = Float64Array.from(perSequence).sort();
  let m = 0;
  for (const v of perSequence) m += v;
  m /= k;
  let ss = 0;
  for (const v of perSequence) ss += (v - m) ** 2;
  return {
    mean: pooled / rows,
    rows,
    sequences: k,
    interval: [quantileSorted(sorted, 0.025), quantileSorted(sorted, 0.975)],
    sd: Math.sqrt(ss / k),
    histogram,
  };
}

/**
 * Per head: the pooled sums, each score's per-sequence values and the top examples; and the current
 * sequence's sums and top examples, added to those only when it ends (a sequence whose forward pass
 * fails half-way leaves nothing behind).
 */
interface HeadState {
  pooled: ScoreSums;
  perSequence: number[][];
  top: TopExamples;
  sequenceSums: ScoreSums;
  sequenceTop: TopExamples;
}

/**
 * Aggregates heads over a corpus, sequence by sequence: begin(ids), then addLayer(l, maps) for every layer
 * in order, then end(). Holds O(layers · heads · (scores · sequences + K)) numbers, never a map.
 */
export class CorpusAggregator {
  readonly top: number;
  readonly bins: number;
  private readonly state: HeadState[][];
  private sequences = 0;
  private rows = 0;
  /** The sequence being added: its row plan and the next layer expected. */
  private current: { plan: RowPlan; nextLayer: number } | null = null;

  constructor(readonly options: CorpusOptions) {
    this.top = options.top ?? 10;
    this.bins = options.bins ?? 20;
    if (!Number.isInteger(this.bins) || this.bins < 1) throw new RangeError(`bins: expected a whole number ≥ 1, got ${this.bins}`);
    this.state = Array.from({ length: options.layers }, () =>
      Array.from({ length: options.heads }, () => ({
        pooled: emptySums(),
        perSequence: SCORE_KEYS.map(() => []),
        top: new TopExamples(this.top),
        sequenceSums: emptySums(),
        sequenceTop: new TopExamples(this.top),
      })),
    );
  }

  /** Sequences completed so far. */
  get done(): number {
    return this.sequences;
  }

  /** Starts the next sequence (its token ids: they decide the duplicate-token and induction rows); drops an unfinished one. */
  begin(ids: ArrayLike<number>): void {
    if (ids.length === 0) throw new RangeError(`sequence ${this.sequences}: no tokens`);
    for (const layer of this.state) {
      for (const head of layer) {
        head.sequenceSums.sum.fill(0);
        head.sequenceSums.count.fill(0);
        head.sequenceTop.clear();
      }
    }
    this.current = { plan: rowPlan(ids.length, { causal: this.options.causal, tokens: ids }), nextLayer: 0 };
  }

  /** Layer `layer`'s maps (one n×n A per query head) of the current sequence; layers come in order. */
  addLayer(layer: number, maps: readonly Matrix[]): void {
    const cur = this.current;
    const s = this.sequences;
    if (!cur) throw new Error(`layer ${layer}: no sequence begun`);
    if (layer !== cur.nextLayer) throw new Error(`sequence ${s}: expected layer ${cur.nextLayer}, got layer ${layer}`);
    if (maps.length !== this.options.heads) throw new RangeError(`sequence ${s}, layer ${layer}: expected ${this.options.heads} maps, got ${maps.length}`);
    const { plan } = cur;
    maps.forEach((A, h) => {
      const head = this.state[layer][h];
      addRows(A, plan, head.sequenceSums);
      this.offerTop(head.sequenceTop, s, A, plan);
    });
    cur.nextLayer++;
  }

  /** Ends the current sequence (every layer must have been added). */
  end(): void {
    const cur = this.current;
    if (!cur) throw new Error('end(): no sequence begun');
    if (cur.nextLayer !== this.options.layers) throw new Error(`sequence ${this.sequences}: ended after ${cur.nextLayer} of ${this.options.layers} layers`);
    for (const layer of this.state) {
      for (const head of layer) {
        const { sum, count } = head.sequenceSums;
        for (let k = 0; k < SCORE_KEYS.length; k++) {
          head.pooled.sum[k] += sum[k];
          head.pooled.count[k] += count[k];
          if (count[k] > 0) head.perSequence[k].push(sum[k] / count[k]);
        }
        head.top.offerAll(head.sequenceTop);
      }
    }
    this.rows += cur.plan.n;
    this.sequences++;
    this.current = null;
  }

  /** Every head's summary of the sequences ended so far. */
  result(): CorpusResult {
    return {
      sequences: this.sequences,
      rows: this.rows,
      causal: this.options.causal,
      top: this.top,
      bins: this.bins,
      heads: this.state.map((layer) =>
        layer.map((head) => {
          const scores = {} as Record<ScoreKey, ScoreSummary>;
          SCORE_KEYS.forEach((key, k) => (scores[key] = summarise(head.perSequence[k], head.pooled.sum[k], head.pooled.count[k], this.bins)));
          return { scores, top: head.top.sorted() };
        }),
      ),
    };
  }

  /** Offers every admissible key ≠ 0 of every row (most fall below the K held and cost one comparison). */
  private offerTop(top: TopExamples, s: number, A: Matrix, plan: RowPlan): void {
    if (top.k === 0) return;
    const { n, causal } = plan;
    const data = A.data;
    for (let i = 0; i < n; i++) {
      const end = causal ? i + 1 : n;
      const row = i * n;
      for (let j = 1; j < end; j++) {
        const w = data[row + j];
        if (w >= top.threshold) top.offer(s, i, j, w);
      }
    }
  }
}
