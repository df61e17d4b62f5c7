// checkCorpusRun: a run made by the aggregator survives JSON unchanged; every kind of damage is one error
// naming the field.
import { describe, expect, it } from 'vitest';
import { CorpusAggregator } from './aggregate.ts';
import { exampleSequences, type CorpusRun } from './run.ts';
import { checkCorpusRun, CorpusRunError } from './runData.ts';
import type { Matrix } from '../types.ts';

const A = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows.length, data: Float64Array.from(rows.flat()) });

function makeRun(): CorpusRun {
  const agg = new CorpusAggregator({ layers: 2, heads: 1, causal: true, top: 2 });
  const seqs = [
    { ids: [1, 2, 1], maps: [A([[1, 0, 0], [0.3, 0.7, 0], [0.2, 0.5, 0.3]]), A([[1, 0, 0], [0.9, 0.1, 0], [0.1, 0.1, 0.8]])] },
    { ids: [4], maps: [A([[1]]), A([[1]])] },
  ];
  for (const s of seqs) {
    agg.begin(s.ids);
    s.maps.forEach((m, l) => agg.addLayer(l, [m]));
    agg.end();
  }
  const result = agg.result();
  return {
    model: { key: 'brown-char', name: 'm', type: 'char-transformer', layers: 2, heads: 1, causal: true },
    corpus: { id: 'test', name: 'test', sequences: 2, tokens: 4, skipped: 0, truncated: 0, unknown: 0 },
    settings: { top: 2, bins: 20, maxSequences: 10, maxTokens: 10 },
    result,
    examples: exampleSequences(result).map((s) => ({ sequence: s, tokens: seqs[s].ids.map(String), text: seqs[s].ids.join(''), exact: true })),
    elapsedMs: 12.5,
  };
}

/** The error of a run changed by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a run damaged on purpose, field by field
function errorOf(edit: (run: any) => void): string {
  const run = JSON.parse(JSON.stringify(makeRun()));
  edit(run);
  try {
    checkCorpusRun(run);
  } catch (e) {
    expect(e).toBeInstanceOf(CorpusRunError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('checkCorpusRun', () => {
  it('accepts a run as the worker makes it, through JSON, unchanged', () => {
    const run = makeRun();
    expect(run.examples.map((x) => x.sequence)).toEqual([0]);
    expect(checkCorpusRun(JSON.parse(JSON.stringify(run)))).toEqual(run);
  });

  it('names the field and what is wrong', () => {
    expect(errorOf((r) => (r.model = 3))).toBe('model: expected a JSON object, got 3');
    expect(errorOf((r) => (r.model.layers = 1.5))).toBe('model.layers: expected a whole number ≥ 0, got 1.5');
    expect(errorOf((r) => (r.model.layers = 3))).toBe('result.heads: expected a list of the length the run says, got an array of 2');
    expect(errorOf((r) => (r.result.heads[1][0].scores.induction.mean = 1.5))).toBe('result.heads[1][0].scores.induction.mean: expected a number from 0 to 1, got 1.5');
    expect(errorOf((r) => delete r.result.heads[0][0].scores.self)).toBe('result.heads[0][0].scores.self: expected a JSON object, got nothing');
    expect(errorOf((r) => (r.result.heads[0][0].scores.self.interval = [0.6, 0.2]))).toBe('result.heads[0][0].scores.self.interval: expected null or [low, high] with 0 ≤ low ≤ high ≤ 1, got an array of 2');
    expect(errorOf((r) => r.result.heads[0][0].scores.self.histogram.pop())).toBe('result.heads[0][0].scores.self.histogram: expected a list of the length the run says, got an array of 19');
    expect(errorOf((r) => (r.result.bins = 7))).toBe('result.bins: expected a whole number that divides 1000, got 7');
    expect(errorOf((r) => (r.result.heads[0][0].top[0].sequence = 5))).toBe('result.heads[0][0].top[0].sequence: expected an index within the run, got 5');
    expect(errorOf((r) => (r.result.heads[0][0].top[0].query = 3))).toBe('result.heads[0][0].top[0].query: expected an index within the run, got 3');
    expect(errorOf((r) => (r.examples = []))).toBe('result.heads[0][0].top[0].sequence: expected an index within the run, got 0');
    expect(errorOf((r) => (r.examples[0].tokens[1] = 7))).toBe('examples[0].tokens[1]: expected a string, got 7');
    expect(errorOf((r) => (r.examples[0].text = null))).toBe('examples[0].text: expected a string, got null');
    expect(errorOf((r) => (r.elapsedMs = -1))).toBe('elapsedMs: expected a finite number ≥ 0, got -1');
    expect(() => checkCorpusRun('<html>')).toThrow('run: expected a JSON object, got the string "<html>"');
  });
});
