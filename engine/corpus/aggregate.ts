// Heads across a corpus: every head's scores pooled over many sequences, aggregated as the maps come
// (one layer of one sequence at a time), so a run never holds more than one layer's maps.
//
// A corpus score is the mean over every eligible query row of every sequence, rows pooled — not a mean
// of per-sequence means — with the rows and their eligibility of headScores.ts (ROW_SCORES). Beside it,
// the spread across sequences: each sequence's own score (its eligible rows only) goes into a fine
// histogram (FINE_BINS bins over [0, 1]) and running moments, so memory stays the same whatever the
// corpus size; the 95 % interval is read from that histogram (off by less than 1 / FINE_BINS), the
// standard deviation is exact. And per head, the top-K (sequence, query, key) places with key ≠ 0 where
// it attends hardest.
import { addRows, emptySums, rowPlan, SCORE_KEYS, type RowPlan, type ScoreKey, type ScoreSums } from '../headScores.ts';
import type { Matrix } from '../types.ts';
import { TopExamples, type TopExample } from './topExamples.ts';

export type { TopExample } from './topExamples.ts';

/** Bins of the per-sequence scores over [0, 1]: an interval end is within 1 / FINE_BINS of the exact quantile. */
export const FINE_BINS = 1000;

export interface CorpusOptions {
  layers: number;
  /** Query heads per layer. */
  heads: number;
  /** Whether the model's attention is causal (decoders) or full (encoders). */
  causal: boolean;
  /** Top examples kept per head (default 10). */
  top?: number;
  /** Histogram bins over [0, 1] shown (default 20; must divide FINE_BINS). */
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
  /** 2.5th and 97.5th percentiles of the per-sequence scores (linear interpolation between order statistics, as d3's quantileSorted, read from FINE_BINS bins); null without any. */
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

/**
 * The per-sequence scores of one score of one head, in constant memory: counts in FINE_BINS bins, the
 * running mean and sum of squared deviations (Welford), the smallest and largest.
 */
class Spread {
  readonly counts = new Uint32Array(FINE_BINS);
  n = 0;
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    this.counts[Math.min(FINE_BINS - 1, Math.max(0, Math.floor(v * FINE_BINS)))]++;
    this.n++;
    const d = v - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (v - this.mean);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /**
   * The r-th smallest score (0-based), taking a bin's c scores as spread evenly across it (the k-th at
   * (k + ½) / c of its width), within [min, max]: less than one bin's width from the true one.
   */
  private orderStatistic(r: number): number {
    let before = 0;
    for (let b = 0; b < FINE_BINS; b++) {
      const c = this.counts[b];
      if (r < before + c) {
        const v = (b + (r - before + 0.5) / c) / FINE_BINS;
        return Math.min(this.max, Math.max(this.min, v));
      }
      before += c;
    }
    return this.max;
  }

  /** The p-quantile, interpolating linearly between order statistics (d3's quantileSorted on the binned scores). */
  quantile(p: number): number {
    const at = (this.n - 1) * p;
    const lo = Math.floor(at);
    const a = this.orderStatistic(lo);
    return lo + 1 < this.n ? a + (this.orderStatistic(lo + 1) - a) * (at - lo) : a;
  }

  /** Counts in `bins` equal bins over [0, 1] (bins divides FINE_BINS, so each is a run of fine bins). */
  histogram(bins: number): number[] {
    const out = new Array<number>(bins).fill(0);
    const per = FINE_BINS / bins;
    for (let b = 0; b < FINE_BINS; b++) out[Math.floor(b / per)] += this.counts[b];
    return out;
  }
}

function summarise(spread: Spread, pooled: number, rows: number, bins: number): ScoreSummary {
  const histogram = spread.histogram(bins);
  // Every eligible row belongs to a sequence with a score of its own: no sequences, no rows.
  if (spread.n === 0) return { mean: null, rows, sequences: 0, interval: null, sd: null, histogram };
  return {
    mean: pooled / rows,
    rows,
    sequences: spread.n,
    interval: [spread.quantile(0.025), spread.quantile(0.975)],
    sd: Math.sqrt(spread.m2 / spread.n),
    histogram,
  };
}

/**
 * Per head: the pooled sums, each score's spread over sequences and the top examples; and the current
 * sequence's sums and top examples, added to those only when it ends (a sequence whose forward pass
 * fails half-way leaves nothing behind).
 */
interface HeadState {
  pooled: ScoreSums;
  spread: Spread[];
  top: TopExamples;
  sequenceSums: ScoreSums;
  sequenceTop: TopExamples;
}

/**
 * One sequence's contribution, taken from the aggregator that ran it (`takePart`) and added to another
 * (`add`): sums and counts per head and score, and the sequence's top examples per head. Plain data (it
 * crosses between workers). Adding the parts of sequences 0, 1, 2, … in that order performs the very
 * operations a single aggregator performs, so a corpus split across workers gives a bit-identical result.
 */
export interface SequencePart {
  /** The sequence's index in the corpus (its top examples name it). */
  sequence: number;
  /** Its query rows (tokens). */
  rows: number;
  /** [layer][head][score], SCORE_KEYS.length per head. */
  sums: Float64Array;
  counts: Float64Array;
  /** Per head (layer-major: index layer × heads + head): the sequence's strongest examples. */
  top: TopExample[][];
}

/**
 * Aggregates heads over a corpus, sequence by sequence: begin(ids), then addLayer(l, maps) for every layer
 * in order, then end(). Holds O(layers · heads · (scores · FINE_BINS + K)) numbers whatever the corpus size, never a map.
 */
export class CorpusAggregator {
  readonly top: number;
  readonly bins: number;
  private readonly state: HeadState[][];
  private sequences = 0;
  private rows = 0;
  /** The sequence being added: its row plan and the next layer expected. */
  private current: { plan: RowPlan; nextLayer: number; sequence: number } | null = null;

  constructor(readonly options: CorpusOptions) {
    this.top = options.top ?? 10;
    this.bins = options.bins ?? 20;
    if (!Number.isInteger(this.bins) || this.bins < 1 || FINE_BINS % this.bins !== 0) throw new RangeError(`bins: expected a whole number that divides ${FINE_BINS}, got ${this.bins}`);
    this.state = Array.from({ length: options.layers }, () =>
      Array.from({ length: options.heads }, () => ({
        pooled: emptySums(),
        spread: SCORE_KEYS.map(() => new Spread()),
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

  /**
   * Starts a sequence (its token ids: they decide the duplicate-token and induction rows); drops an unfinished
   * one. `sequence`: its index in the corpus, for a worker that runs some of them (default: the next).
   */
  begin(ids: ArrayLike<number>, sequence = this.sequences): void {
    if (ids.length === 0) throw new RangeError(`sequence ${sequence}: no tokens`);
    for (const layer of this.state) {
      for (const head of layer) {
        head.sequenceSums.sum.fill(0);
        head.sequenceSums.count.fill(0);
        head.sequenceTop.clear();
      }
    }
    this.current = { plan: rowPlan(ids.length, { causal: this.options.causal, tokens: ids }), nextLayer: 0, sequence };
  }

  /** Layer `layer`'s maps (one n×n A per query head) of the current sequence; layers come in order. */
  addLayer(layer: number, maps: readonly Matrix[]): void {
    const cur = this.current;
    const s = cur?.sequence;
    if (!cur) throw new Error(`layer ${layer}: no sequence begun`);
    if (layer !== cur.nextLayer) throw new Error(`sequence ${s}: expected layer ${cur.nextLayer}, got layer ${layer}`);
    if (maps.length !== this.options.heads) throw new RangeError(`sequence ${s}, layer ${layer}: expected ${this.options.heads} maps, got ${maps.length}`);
    const { plan } = cur;
    maps.forEach((A, h) => {
      const head = this.state[layer][h];
      addRows(A, plan, head.sequenceSums);
      this.offerTop(head.sequenceTop, cur.sequence, A, plan);
    });
    cur.nextLayer++;
  }

  /** Ends the current sequence (every layer must have been added) and adds it. */
  end(): void {
    this.add(this.takePart());
  }

  /** Ends the current sequence and hands its contribution out instead of adding it (see SequencePart). */
  takePart(): SequencePart {
    const cur = this.current;
    if (!cur) throw new Error('end(): no sequence begun');
    if (cur.nextLayer !== this.options.layers) throw new Error(`sequence ${cur.sequence}: ended after ${cur.nextLayer} of ${this.options.layers} layers`);
    const K = SCORE_KEYS.length;
    const { layers, heads } = this.options;
    const part: SequencePart = { sequence: cur.sequence, rows: cur.plan.n, sums: new Float64Array(layers * heads * K), counts: new Float64Array(layers * heads * K), top: [] };
    this.state.forEach((layer, l) =>
      layer.forEach((head, h) => {
        part.sums.set(head.sequenceSums.sum, (l * heads + h) * K);
        part.counts.set(head.sequenceSums.count, (l * heads + h) * K);
        part.top.push(head.sequenceTop.sorted());
      }),
    );
    this.current = null;
    return part;
  }

  /**
   * Adds a sequence's part (from this aggregator or another of the same shape). Parts added in the order of
   * their sequences give exactly what one aggregator running them all gives.
   */
  add(part: SequencePart): void {
    const K = SCORE_KEYS.length;
    const { layers, heads } = this.options;
    if (part.sums.length !== layers * heads * K || part.top.length !== layers * heads) throw new RangeError(`sequence ${part.sequence}: a part of another shape`);
    this.state.forEach((layer, l) =>
      layer.forEach((head, h) => {
        const o = (l * heads + h) * K;
        for (let k = 0; k < K; k++) {
          const sum = part.sums[o + k];
          const count = part.counts[o + k];
          head.pooled.sum[k] += sum;
          head.pooled.count[k] += count;
          if (count > 0) head.spread[k].add(sum / count);
        }
        for (const t of part.top[l * heads + h]) head.top.offer(t.sequence, t.query, t.key, t.weight);
      }),
    );
    this.rows += part.rows;
    this.sequences++;
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
          SCORE_KEYS.forEach((key, k) => (scores[key] = summarise(head.spread[k], head.pooled.sum[k], head.pooled.count[k], this.bins)));
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
