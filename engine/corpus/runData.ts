// A corpus run read back from outside the worker — a file, the browser's cache, the widget's `corpus`
// property — is untrusted: checkCorpusRun accepts exactly the shape CorpusJob.run() makes (within the
// app's sizes) and otherwise throws one CorpusRunError naming the field, what it should be and what it is
// (machine-readably, so the app words it in its own language).
import { described, describedText, type Described } from '../caseError.ts';
import { SCORE_KEYS } from '../headScores.ts';
import { FINE_BINS, type CorpusResult, type ScoreSummary } from './aggregate.ts';
import type { CorpusRun, ExampleSequence } from './run.ts';
import type { TopExample } from './topExamples.ts';

/** What a field should have been. */
export type RunExpected =
  | 'object'
  | 'string'
  | 'boolean'
  | 'count'
  | 'score'
  | 'score-or-null'
  | 'number'
  | 'interval'
  | 'list'
  | 'length'
  | 'in-range'
  | 'bins';

const EXPECTED_TEXT: Record<RunExpected, string> = {
  object: 'a JSON object',
  string: 'a string',
  boolean: 'true or false',
  count: 'a whole number ≥ 0',
  score: 'a number from 0 to 1',
  'score-or-null': 'a number from 0 to 1, or null',
  number: 'a finite number ≥ 0',
  interval: 'null or [low, high] with 0 ≤ low ≤ high ≤ 1',
  list: 'a list',
  length: 'a list of the length the run says',
  'in-range': 'an index within the run',
  bins: 'a whole number that divides 1000',
};

export class CorpusRunError extends Error {
  constructor(
    /** Where: "result.heads[3][1].scores.induction.mean". */
    readonly field: string,
    readonly expected: RunExpected,
    readonly got: Described,
  ) {
    super(`${field}: expected ${EXPECTED_TEXT[expected]}, got ${describedText(got)}`);
    this.name = 'CorpusRunError';
  }
}

/** The largest run accepted: layers, heads per layer, top examples per head, sequences, tokens per sequence. */
export const RUN_LIMITS = { layers: 256, heads: 128, top: 1000, sequences: 1_000_000, tokens: 1_000_000 } as const;

type Obj = Record<string, unknown>;

function fail(field: string, expected: RunExpected, v: unknown): never {
  throw new CorpusRunError(field, expected, described(v));
}

function obj(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'object', v);
  return v as Obj;
}

function str(o: Obj, k: string, field: string): string {
  if (typeof o[k] !== 'string') fail(`${field}.${k}`, 'string', o[k]);
  return o[k] as string;
}

function bool(o: Obj, k: string, field: string): boolean {
  if (typeof o[k] !== 'boolean') fail(`${field}.${k}`, 'boolean', o[k]);
  return o[k] as boolean;
}

function count(v: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(field, 'count', v);
  return v as number;
}

function nonNegative(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(field, 'number', v);
  return v as number;
}

/** A score: in [0, 1], with the float32 rounding a map's weights may carry. */
function score(v: unknown, field: string): number {
  if (typeof v !== 'number' || !(v >= -1e-6 && v <= 1 + 1e-6)) fail(field, 'score', v);
  return v as number;
}

function list(v: unknown, field: string, length?: number): unknown[] {
  if (!Array.isArray(v)) fail(field, 'list', v);
  if (length !== undefined && v.length !== length) fail(field, 'length', v);
  return v;
}

function summary(v: unknown, field: string, bins: number): ScoreSummary {
  const o = obj(v, field);
  const mean = o.mean === null ? null : score(o.mean, `${field}.mean`);
  if (o.mean === undefined) fail(`${field}.mean`, 'score-or-null', o.mean);
  let interval: [number, number] | null = null;
  if (o.interval !== null) {
    const iv = o.interval;
    if (!Array.isArray(iv) || iv.length !== 2 || typeof iv[0] !== 'number' || typeof iv[1] !== 'number' || !(iv[0] >= -1e-6 && iv[0] <= iv[1] && iv[1] <= 1 + 1e-6)) fail(`${field}.interval`, 'interval', iv);
    interval = [iv[0], iv[1]];
  }
  return {
    mean,
    rows: count(o.rows, `${field}.rows`),
    sequences: count(o.sequences, `${field}.sequences`),
    interval,
    sd: o.sd === null ? null : nonNegative(o.sd, `${field}.sd`),
    histogram: list(o.histogram, `${field}.histogram`, bins).map((x, k) => count(x, `${field}.histogram[${k}]`)),
  };
}

function topExample(v: unknown, field: string, sequences: number): TopExample {
  const o = obj(v, field);
  const sequence = count(o.sequence, `${field}.sequence`);
  if (sequence >= sequences) fail(`${field}.sequence`, 'in-range', sequence);
  return { sequence, query: count(o.query, `${field}.query`), key: count(o.key, `${field}.key`), weight: score(o.weight, `${field}.weight`) };
}

function result(v: unknown, layers: number, heads: number): CorpusResult {
  const o = obj(v, 'result');
  const sequences = count(o.sequences, 'result.sequences', RUN_LIMITS.sequences);
  const top = count(o.top, 'result.top', RUN_LIMITS.top);
  const bins = count(o.bins, 'result.bins', FINE_BINS);
  if (bins === 0 || FINE_BINS % bins !== 0) fail('result.bins', 'bins', bins);
  return {
    sequences,
    rows: count(o.rows, 'result.rows'),
    causal: bool(o, 'causal', 'result'),
    top,
    bins,
    heads: list(o.heads, 'result.heads', layers).map((layer, l) =>
      list(layer, `result.heads[${l}]`, heads).map((head, h) => {
        const f = `result.heads[${l}][${h}]`;
        const ho = obj(head, f);
        const so = obj(ho.scores, `${f}.scores`);
        const scores = Object.fromEntries(SCORE_KEYS.map((k) => [k, summary(so[k], `${f}.scores.${k}`, bins)])) as CorpusResult['heads'][0][0]['scores'];
        const tops = list(ho.top, `${f}.top`);
        if (tops.length > top) fail(`${f}.top`, 'length', tops);
        return { scores, top: tops.map((t, k) => topExample(t, `${f}.top[${k}]`, sequences)) };
      }),
    ),
  };
}

function example(v: unknown, field: string): ExampleSequence {
  const o = obj(v, field);
  const tokens = list(o.tokens, `${field}.tokens`);
  if (tokens.length === 0 || tokens.length > RUN_LIMITS.tokens) fail(`${field}.tokens`, 'length', tokens);
  tokens.forEach((t, k) => {
    if (typeof t !== 'string') fail(`${field}.tokens[${k}]`, 'string', t);
  });
  return { sequence: count(o.sequence, `${field}.sequence`), tokens: tokens as string[], text: str(o, 'text', field), exact: bool(o, 'exact', field) };
}

/** A corpus run from untrusted JSON: the run itself, or a CorpusRunError naming the first thing wrong. */
export function checkCorpusRun(v: unknown): CorpusRun {
  const o = obj(v, 'run');
  const mo = obj(o.model, 'model');
  const model = {
    key: str(mo, 'key', 'model'),
    name: str(mo, 'name', 'model'),
    type: str(mo, 'type', 'model'),
    layers: count(mo.layers, 'model.layers', RUN_LIMITS.layers),
    heads: count(mo.heads, 'model.heads', RUN_LIMITS.heads),
    causal: bool(mo, 'causal', 'model'),
  };
  const co = obj(o.corpus, 'corpus');
  const corpus = {
    id: str(co, 'id', 'corpus'),
    name: str(co, 'name', 'corpus'),
    sequences: count(co.sequences, 'corpus.sequences'),
    tokens: count(co.tokens, 'corpus.tokens'),
    skipped: count(co.skipped, 'corpus.skipped'),
    truncated: count(co.truncated, 'corpus.truncated'),
    unknown: count(co.unknown, 'corpus.unknown'),
  };
  const so = obj(o.settings, 'settings');
  const settings = {
    top: count(so.top, 'settings.top', RUN_LIMITS.top),
    bins: count(so.bins, 'settings.bins', FINE_BINS),
    maxSequences: count(so.maxSequences, 'settings.maxSequences'),
    maxTokens: count(so.maxTokens, 'settings.maxTokens'),
  };
  const res = result(o.result, model.layers, model.heads);
  const examples = list(o.examples, 'examples').map((x, k) => example(x, `examples[${k}]`));
  // Every top example points at a sequence the run carries, at a query and key inside it.
  const bySequence = new Map(examples.map((x) => [x.sequence, x]));
  res.heads.forEach((layer, l) =>
    layer.forEach((head, h) =>
      head.top.forEach((t, k) => {
        const f = `result.heads[${l}][${h}].top[${k}]`;
        const seq = bySequence.get(t.sequence);
        if (!seq) fail(`${f}.sequence`, 'in-range', t.sequence);
        if (t.query >= seq.tokens.length) fail(`${f}.query`, 'in-range', t.query);
        if (t.key >= seq.tokens.length) fail(`${f}.key`, 'in-range', t.key);
      }),
    ),
  );
  return { model, corpus, settings, result: res, examples, elapsedMs: nonNegative(o.elapsedMs, 'elapsedMs') };
}
