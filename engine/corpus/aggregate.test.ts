// Corpus scores: pooled by hand on small cases, against a naive second implementation (the definitions
// restated as plain loops, sharing no code with headScores.ts) on random corpora, and the aggregator's
// bookkeeping (order of layers, a sequence that fails half-way).
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../types.ts';
import { uniformStream } from '../seeded.ts';
import { quantileSorted } from 'd3-array';
import { CorpusAggregator, FINE_BINS, type CorpusResult } from './aggregate.ts';
import { TopExamples } from './topExamples.ts';
import { SCORE_KEYS } from '../headScores.ts';

const fromRows = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows.length, data: Float64Array.from(rows.flat()) });
const H = (ps: number[]) => -ps.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0);

/** One layer, one head: each sequence given as its tokens and its A. */
function aggregate(seqs: { tokens: number[]; A: number[][] }[], opts: { causal?: boolean; top?: number } = {}): CorpusResult {
  const agg = new CorpusAggregator({ layers: 1, heads: 1, causal: opts.causal ?? true, top: opts.top ?? 3 });
  for (const s of seqs) {
    agg.begin(s.tokens);
    agg.addLayer(0, [fromRows(s.A)]);
    agg.end();
  }
  return agg.result();
}

describe('corpus scores pooled by hand', () => {
  // Sequence 0: tokens 5 7 5; sequence 1: 9 9; sequence 2: a single token (no row is eligible for anything).
  const seq0 = { tokens: [5, 7, 5], A: [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.2, 0.3]] };
  const seq1 = { tokens: [9, 9], A: [[1, 0], [0.6, 0.4]] };
  const seq2 = { tokens: [4], A: [[1]] };
  const r = aggregate([seq0, seq1, seq2]);
  const s = r.heads[0][0].scores;

  it('means over every eligible row of every sequence, rows pooled', () => {
    expect(r.sequences).toBe(3);
    expect(r.rows).toBe(6);
    // previous-token: rows i ≥ 1 — 0.25, 0.2 (seq 0) and 0.6 (seq 1): 1.05 / 3, not the mean of per-sequence means (0.4125)
    expect(s.previousToken.mean).toBeCloseTo(1.05 / 3, 15);
    expect(s.previousToken.rows).toBe(3);
    // first-token and self: rows with two or more admissible keys — seq 0 rows 1, 2; seq 1 row 1
    expect(s.firstToken.mean).toBeCloseTo((0.25 + 0.5 + 0.6) / 3, 15);
    expect(s.self.mean).toBeCloseTo((0.75 + 0.3 + 0.4) / 3, 15);
    expect(s.entropy.mean).toBeCloseTo((H([0.25, 0.75]) / Math.log(2) + H([0.5, 0.2, 0.3]) / Math.log(3) + H([0.6, 0.4]) / Math.log(2)) / 3, 14);
    expect(s.entropy.rows).toBe(3);
    // duplicate-token: seq 0 row 2 (5 at 0) → 0.5; seq 1 row 1 (9 at 0) → 0.6
    expect(s.duplicateToken.mean).toBeCloseTo(0.55, 15);
    expect(s.duplicateToken.rows).toBe(2);
    // induction: seq 0 row 2 → the token after the earlier 5, key 1: 0.2; seq 1 row 1's only target would be itself
    expect(s.induction.mean).toBeCloseTo(0.2, 15);
    expect(s.induction.rows).toBe(1);
  });

  it('a spread of the per-sequence scores: sequences with eligible rows only', () => {
    // previous-token per sequence: 0.225 (seq 0), 0.6 (seq 1); seq 2 has none
    expect(s.previousToken.sequences).toBe(2);
    // the interval is read from FINE_BINS bins: within one bin of the exact quantiles
    expect(Math.abs(s.previousToken.interval![0] - (0.225 + 0.375 * 0.025))).toBeLessThan(1 / FINE_BINS);
    expect(Math.abs(s.previousToken.interval![1] - (0.225 + 0.375 * 0.975))).toBeLessThan(1 / FINE_BINS);
    expect(s.previousToken.sd).toBeCloseTo(0.1875, 15);
    const hist = new Array(20).fill(0);
    hist[4] = 1; // 0.225
    hist[12] = 1; // 0.6
    expect(s.previousToken.histogram).toEqual(hist);
    expect(s.induction.sequences).toBe(1);
    expect(s.induction.interval).toEqual([0.2, 0.2]); // one sequence: its score exactly (the bin is clamped to the smallest and largest)
    expect(s.induction.sd).toBe(0);
  });

  it('top examples: the strongest weights with key ≠ 0 among admissible keys, strongest first', () => {
    expect(r.heads[0][0].top).toEqual([
      { sequence: 0, query: 1, key: 1, weight: 0.75 },
      { sequence: 1, query: 1, key: 1, weight: 0.4 },
      { sequence: 0, query: 2, key: 2, weight: 0.3 },
    ]);
  });

  it('a corpus of sequences with no eligible row: every score null, no spread', () => {
    const none = aggregate([seq2, seq2]);
    expect(none.rows).toBe(2);
    for (const key of SCORE_KEYS) {
      expect(none.heads[0][0].scores[key]).toEqual({ mean: null, rows: 0, sequences: 0, interval: null, sd: null, histogram: new Array(20).fill(0) });
    }
    expect(none.heads[0][0].top).toEqual([]);
    // and induction alone is null where nothing repeats
    expect(aggregate([seq0]).heads[0][0].scores.induction.mean).toBeCloseTo(0.2, 15);
    expect(aggregate([{ tokens: [1, 2, 3], A: seq0.A }]).heads[0][0].scores.induction.mean).toBeNull();
  });

  it('full attention (encoders): every row has n admissible keys, every key ≠ 0 can be a top example', () => {
    const full = aggregate([{ tokens: [1, 2], A: [[0.1, 0.9], [0.7, 0.3]] }], { causal: false, top: 5 });
    const f = full.heads[0][0].scores;
    expect(f.firstToken.mean).toBeCloseTo(0.4, 15); // rows 0 and 1 both count
    expect(f.self.mean).toBeCloseTo(0.2, 15);
    expect(f.previousToken.mean).toBeCloseTo(0.7, 15);
    expect(full.heads[0][0].top).toEqual([
      { sequence: 0, query: 0, key: 1, weight: 0.9 },
      { sequence: 0, query: 1, key: 1, weight: 0.3 },
    ]);
  });
});

/** A random causal attention matrix: row i a softmax of random logits over keys 0…i (sharp at times). */
function randomCausal(n: number, next: () => number): Matrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const sharp = next() < 0.3 ? 8 : 1;
    let z = 0;
    for (let j = 0; j <= i; j++) z += data[i * n + j] = Math.exp(sharp * (next() * 4 - 2));
    for (let j = 0; j <= i; j++) data[i * n + j] /= z;
  }
  return { rows: n, cols: n, data };
}

/** The corpus scores written out as loops over all maps kept in memory: a second implementation. */
function naive(corpus: { tokens: number[]; maps: Matrix[][] }[], l: number, h: number, k: number) {
  const pooled: Record<string, [number, number]> = {};
  const perSeq: Record<string, number[]> = {};
  const add = (v: number, acc: [number, number]) => {
    acc[0] += v;
    acc[1]++;
  };
  const entries: { sequence: number; query: number; key: number; weight: number }[] = [];
  corpus.forEach(({ tokens, maps }, s) => {
    const A = maps[l][h];
    const n = tokens.length;
    const a = (i: number, j: number) => A.data[i * n + j];
    const seq: Record<string, [number, number]> = {};
    for (const key of SCORE_KEYS) seq[key] = [0, 0];
    for (let i = 0; i < n; i++) {
      if (i >= 1) add(a(i, i - 1), seq.previousToken);
      if (i >= 1) {
        add(a(i, 0), seq.firstToken);
        add(a(i, i), seq.self);
        let e = 0;
        for (let j = 0; j <= i; j++) if (a(i, j) > 0) e -= a(i, j) * Math.log(a(i, j));
        add(e / Math.log(i + 1), seq.entropy);
      }
      let dup = 0;
      let anyDup = false;
      let ind = 0;
      let anyInd = false;
      for (let j = 0; j < i; j++) {
        if (tokens[j] !== tokens[i]) continue;
        dup += a(i, j);
        anyDup = true;
        if (j + 1 < i) {
          ind += a(i, j + 1);
          anyInd = true;
        }
      }
      if (anyDup) add(dup, seq.duplicateToken);
      if (anyInd) add(ind, seq.induction);
      for (let j = 1; j <= i; j++) entries.push({ sequence: s, query: i, key: j, weight: a(i, j) });
    }
    for (const key of SCORE_KEYS) {
      pooled[key] ??= [0, 0];
      pooled[key][0] += seq[key][0];
      pooled[key][1] += seq[key][1];
      perSeq[key] ??= [];
      if (seq[key][1] > 0) perSeq[key].push(seq[key][0] / seq[key][1]);
    }
  });
  entries.sort((x, y) => y.weight - x.weight || x.sequence - y.sequence || x.query - y.query || x.key - y.key);
  return { pooled, perSeq, top: entries.slice(0, k) };
}

describe('corpus scores against a second implementation', () => {
  it('random corpora (3 layers × 2 heads, repeats from a small alphabet): means, row counts, intervals, sd, top examples', () => {
    for (const seed of [1, 2, 3]) {
      const next = uniformStream(`corpus-test\u0000${seed}`);
      const corpus = Array.from({ length: 7 }, () => {
        const n = 1 + Math.floor(next() * 12);
        return { tokens: Array.from({ length: n }, () => Math.floor(next() * 4)), maps: Array.from({ length: 3 }, () => [randomCausal(n, next), randomCausal(n, next)]) };
      });
      const agg = new CorpusAggregator({ layers: 3, heads: 2, causal: true, top: 6 });
      for (const { tokens, maps } of corpus) {
        agg.begin(tokens);
        maps.forEach((layer, l) => agg.addLayer(l, layer));
        agg.end();
      }
      const r = agg.result();
      expect(r.rows).toBe(corpus.reduce((s, c) => s + c.tokens.length, 0));
      for (let l = 0; l < 3; l++) {
        for (let h = 0; h < 2; h++) {
          const want = naive(corpus, l, h, 6);
          for (const key of SCORE_KEYS) {
            const got = r.heads[l][h].scores[key];
            const [sum, count] = want.pooled[key];
            expect(got.rows, `${seed} ${l}.${h} ${key}`).toBe(count);
            if (count === 0) expect(got.mean).toBeNull();
            else expect(got.mean!).toBeCloseTo(sum / count, 12);
            const per = want.perSeq[key];
            expect(got.sequences).toBe(per.length);
            expect(got.histogram.reduce((a, b) => a + b, 0)).toBe(per.length);
            if (per.length > 0) {
              const m = per.reduce((a, b) => a + b, 0) / per.length;
              expect(got.sd!).toBeCloseTo(Math.sqrt(per.reduce((a, v) => a + (v - m) ** 2, 0) / per.length), 12);
              const sorted = [...per].sort((a, b) => a - b);
              expect(Math.abs(got.interval![0] - quantileSorted(sorted, 0.025)!)).toBeLessThan(1 / FINE_BINS);
              expect(Math.abs(got.interval![1] - quantileSorted(sorted, 0.975)!)).toBeLessThan(1 / FINE_BINS);
              const hist = new Array(20).fill(0);
              for (const v of per) hist[Math.min(19, Math.floor(v * 20))]++;
              expect(got.histogram).toEqual(hist);
              expect(got.interval![0]).toBeGreaterThanOrEqual(sorted[0] - 1e-15);
              expect(got.interval![1]).toBeLessThanOrEqual(sorted.at(-1)! + 1e-15);
            }
          }
          expect(r.heads[l][h].top).toEqual(want.top);
        }
      }
    }
  });
});

describe('the spread in constant memory, and TopExamples', () => {
  it('many sequences in constant memory: the interval within one fine bin of the exact quantiles, the sd exact', () => {
    // 3,000 one-row-scored sequences (tokens 1 2: previous-token = A[1][0]) with scores from a skewed law,
    // some on bin edges and at 0 and 1.
    const next = uniformStream('many-sequences');
    const agg = new CorpusAggregator({ layers: 1, heads: 1, causal: true, top: 0, bins: 40 });
    const scores: number[] = [];
    for (let s = 0; s < 3000; s++) {
      const v = s % 97 === 0 ? 1 : s % 89 === 0 ? 0 : s % 13 === 0 ? Math.round(next() * 1000) / 1000 : next() ** 3;
      scores.push(v);
      agg.begin([1, 2]);
      agg.addLayer(0, [fromRows([[1, 0], [v, 1 - v]])]);
      agg.end();
    }
    const got = agg.result().heads[0][0].scores.previousToken;
    const sorted = [...scores].sort((a, b) => a - b);
    for (const [k, p] of [[0, 0.025], [1, 0.975]] as const) expect(Math.abs(got.interval![k] - quantileSorted(sorted, p)!)).toBeLessThan(1 / FINE_BINS);
    const m = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(got.sd!).toBeCloseTo(Math.sqrt(scores.reduce((a, v) => a + (v - m) ** 2, 0) / scores.length), 10);
    expect(got.mean!).toBeCloseTo(m, 12);
    expect(got.histogram).toHaveLength(40);
    expect(got.histogram[39]).toBe(scores.filter((v) => v >= 39 / 40).length);
    expect(got.histogram.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(() => new CorpusAggregator({ layers: 1, heads: 1, causal: true, bins: 7 })).toThrow(`bins: expected a whole number that divides ${FINE_BINS}, got 7`);
  });

  it('keeps the K largest of many offers in any order, ties going to the earlier place', () => {
    const next = uniformStream('top-examples');
    for (const k of [0, 1, 5, 40]) {
      const offers = Array.from({ length: 300 }, (_, t) => ({ sequence: Math.floor(t / 30), query: t % 30, key: 1 + (t % 7), weight: Math.round(next() * 20) / 20 }));
      const shuffled = [...offers].sort(() => next() - 0.5);
      const top = new TopExamples(k);
      for (const o of shuffled) top.offer(o.sequence, o.query, o.key, o.weight);
      const want = [...offers].sort((x, y) => y.weight - x.weight || x.sequence - y.sequence || x.query - y.query || x.key - y.key).slice(0, k);
      expect(top.sorted()).toEqual(want);
    }
    expect(() => new TopExamples(-1)).toThrow('top: expected a whole number ≥ 0, got -1');
  });
});

describe('the aggregator keeps its books', () => {
  const A = fromRows([[1, 0], [0.5, 0.5]]);

  it('layers in order, every map, every layer before the end', () => {
    const agg = new CorpusAggregator({ layers: 2, heads: 1, causal: true });
    expect(() => agg.addLayer(0, [A])).toThrow('layer 0: no sequence begun');
    agg.begin([1, 2]);
    expect(() => agg.addLayer(1, [A])).toThrow('sequence 0: expected layer 0, got layer 1');
    expect(() => agg.addLayer(0, [A, A])).toThrow('sequence 0, layer 0: expected 1 maps, got 2');
    agg.addLayer(0, [A]);
    expect(() => agg.end()).toThrow('sequence 0: ended after 1 of 2 layers');
    expect(() => agg.begin([])).toThrow('sequence 0: no tokens');
    expect(() => agg.addLayer(1, [fromRows([[1]])])).toThrow('A is 1×1 but the row plan has 2 rows');
  });

  it('a sequence that fails half-way leaves nothing behind', () => {
    const clean = new CorpusAggregator({ layers: 2, heads: 1, causal: true, top: 2 });
    const broken = new CorpusAggregator({ layers: 2, heads: 1, causal: true, top: 2 });
    const B = fromRows([[1, 0], [0.1, 0.9]]);
    broken.begin([3, 3]);
    broken.addLayer(0, [B]); // … and its forward pass fails before layer 1
    for (const agg of [clean, broken]) {
      agg.begin([1, 2]);
      agg.addLayer(0, [A]);
      agg.addLayer(1, [A]);
      agg.end();
    }
    expect(broken.result()).toEqual(clean.result());
    expect(clean.result().heads[0][0].top).toEqual([{ sequence: 0, query: 1, key: 1, weight: 0.5 }]);
  });
});

describe('parts of a corpus run in several aggregators', () => {
  it('added in sequence order, give the very result (bit for bit) of one aggregator running every sequence', () => {
    const next = uniformStream('parts');
    const L = 2;
    const seqs = Array.from({ length: 23 }, () => {
      const n = 1 + Math.floor(next() * 9);
      return { tokens: Array.from({ length: n }, () => Math.floor(next() * 3)), maps: Array.from({ length: L }, () => [randomCausal(n, next), randomCausal(n, next), randomCausal(n, next)]) };
    });
    const options = { layers: L, heads: 3, causal: true, top: 4 };
    const one = new CorpusAggregator(options);
    for (const s of seqs) {
      one.begin(s.tokens);
      s.maps.forEach((m, l) => one.addLayer(l, m));
      one.end();
    }
    // Three workers take sequences in turn (0, 3, 6, … to the first), each with an aggregator of its own.
    const workers = [0, 1, 2].map(() => new CorpusAggregator(options));
    const parts = seqs.map((s, k) => {
      const w = workers[k % 3];
      w.begin(s.tokens, k);
      s.maps.forEach((m, l) => w.addLayer(l, m));
      // Through structuredClone, as a part crosses between workers.
      return structuredClone(w.takePart());
    });
    expect(workers.map((w) => w.done)).toEqual([0, 0, 0]);
    const merged = new CorpusAggregator(options);
    for (const p of parts) merged.add(p);
    expect(merged.result()).toStrictEqual(one.result());
    // The top examples name the corpus' sequence, whichever worker ran it.
    expect(parts[7].sequence).toBe(7);
    expect(parts[7].top.every((list) => list.every((t) => t.sequence === 7))).toBe(true);
  });

  it('refuses a part of another shape', () => {
    const a = new CorpusAggregator({ layers: 1, heads: 2, causal: true });
    a.begin([1]);
    a.addLayer(0, [fromRows([[1]]), fromRows([[1]])]);
    const part = a.takePart();
    expect(() => new CorpusAggregator({ layers: 1, heads: 1, causal: true }).add(part)).toThrow('sequence 0: a part of another shape');
  });
});
