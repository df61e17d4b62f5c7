// Scores that say what an attention head does, computed from its attention matrix A (n×n, row i the
// distribution of query i over the keys). All are means over query rows of a number in [0, 1]; a score
// is NaN when no row qualifies (e.g. previousToken of a 1-token sequence, induction without repeats).
// ROW_SCORES defines each score on one row; the single-input scores here and the corpus scores
// (corpus/aggregate.ts, rows pooled over many sequences) are both sums of it over eligible rows.
//
// Rows with a single admissible key are skipped where they would only add a forced 1 (firstToken,
// self, entropy): under a causal mask row 0 can only attend to itself. Pass { causal: false } for
// full (bidirectional) attention, where every row has n admissible keys.
import type { Matrix } from './types.ts';
import { uniformStream } from './seeded.ts';

export interface ScoreOptions {
  /** Whether A is causally masked (row i has keys 0…i). Default true. */
  causal?: boolean;
}

/** Which query rows to average over: [from, to). Default all rows. */
export interface RowRange {
  from?: number;
  to?: number;
}

function checkSquare(A: Matrix, name = 'A'): number {
  if (A.rows !== A.cols) throw new RangeError(`${name}: expected a square attention matrix, got ${A.rows}×${A.cols}`);
  if (A.data.length !== A.rows * A.cols) throw new RangeError(`${name}: data has ${A.data.length} numbers for ${A.rows}×${A.cols}`);
  return A.rows;
}

function checkTokens(n: number, tokens: ArrayLike<unknown>): void {
  if (tokens.length !== n) throw new RangeError(`tokens: expected ${n} (one per row of A), got ${tokens.length}`);
}

/** Number of keys query i may attend to. */
function admissible(i: number, n: number, causal: boolean): number {
  return causal ? i + 1 : n;
}

const mean = (s: number, k: number) => (k === 0 ? NaN : s / k);

/** The six scores, in the order of ScoreSums' entries. */
export const SCORE_KEYS = ['previousToken', 'firstToken', 'self', 'entropy', 'duplicateToken', 'induction'] as const;
export type ScoreKey = (typeof SCORE_KEYS)[number];

/**
 * What the query rows of one sequence are scored on, whatever the head: the mask, and per row its earlier
 * copies (duplicate-token) and induction targets. Built once per sequence and shared by all its heads;
 * rows outside the token scores' range have neither (they do not count towards those two scores).
 */
export interface RowPlan {
  n: number;
  causal: boolean;
  /** copies[i]: the positions j < i with tokens[j] = tokens[i]; null without tokens. */
  copies: number[][] | null;
  /** targets[i]: inductionTargets(tokens, i); null without tokens. */
  targets: number[][] | null;
}

const NONE: number[] = [];

/** The plan of an n-row sequence; `tokens` for duplicate-token and induction, `rows` restricting those two. */
export function rowPlan<T>(n: number, opts: { causal?: boolean; tokens?: ArrayLike<T>; rows?: RowRange } = {}): RowPlan {
  const causal = opts.causal ?? true;
  const tokens = opts.tokens;
  if (!tokens) return { n, causal, copies: null, targets: null };
  checkTokens(n, tokens);
  const [from, to] = rowsOf(n, opts.rows);
  const seen = new Map<T, number[]>();
  const copies: number[][] = new Array(n);
  const targets: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const earlier = seen.get(tokens[i]);
    const inRange = i >= from && i < to;
    copies[i] = inRange && earlier ? earlier.slice() : NONE;
    targets[i] = inRange && earlier ? inductionTargets(tokens, i) : NONE;
    if (earlier) earlier.push(i);
    else seen.set(tokens[i], [i]);
  }
  return { n, causal, copies, targets };
}

/** Sum of A's row i over the given keys. */
function massOn(A: Matrix, i: number, keys: number[]): number {
  let mass = 0;
  for (const j of keys) mass += A.data[i * A.cols + j];
  return mass;
}

function needTokens(list: number[][] | null, score: ScoreKey): number[][] {
  if (!list) throw new RangeError(`${score}: needs the tokens`);
  return list;
}

/**
 * Each score's value on query row i of A, or null when row i does not count towards it — the one
 * definition behind the single-input scores and the corpus ones:
 * - previousToken: A[i, i−1], rows i ≥ 1;
 * - firstToken, self: A[i, 0], A[i, i], rows with at least two admissible keys (a one-key row is a forced 1);
 * - entropy: H(row) / log(admissible keys), the same rows;
 * - duplicateToken: the mass on the earlier copies of token i, rows that have one;
 * - induction: the mass on the induction targets of row i, rows that have one.
 */
export const ROW_SCORES: Record<ScoreKey, (A: Matrix, i: number, plan: RowPlan) => number | null> = {
  previousToken: (A, i) => (i >= 1 ? A.data[i * A.cols + i - 1] : null),
  firstToken: (A, i, p) => (admissible(i, p.n, p.causal) >= 2 ? A.data[i * A.cols] : null),
  self: (A, i, p) => (admissible(i, p.n, p.causal) >= 2 ? A.data[i * A.cols + i] : null),
  entropy: (A, i, p) => {
    const m = admissible(i, p.n, p.causal);
    return m >= 2 ? rowEntropy(A, i, m) / Math.log(m) : null;
  },
  duplicateToken: (A, i, p) => {
    const keys = needTokens(p.copies, 'duplicateToken')[i];
    return keys.length > 0 ? massOn(A, i, keys) : null;
  },
  induction: (A, i, p) => {
    const keys = needTokens(p.targets, 'induction')[i];
    return keys.length > 0 ? massOn(A, i, keys) : null;
  },
};

/** Sums and counts of eligible rows per score (SCORE_KEYS order): what the scores are means of. */
export interface ScoreSums {
  sum: Float64Array;
  count: Float64Array;
}

export const emptySums = (): ScoreSums => ({ sum: new Float64Array(SCORE_KEYS.length), count: new Float64Array(SCORE_KEYS.length) });

/** Adds every eligible row of A (for the scores in `keys`) to `into`. */
export function addRows(A: Matrix, plan: RowPlan, into: ScoreSums, keys: readonly ScoreKey[] = SCORE_KEYS): ScoreSums {
  const n = checkSquare(A);
  if (n !== plan.n) throw new RangeError(`A is ${n}×${n} but the row plan has ${plan.n} rows`);
  for (const key of keys) {
    const k = SCORE_KEYS.indexOf(key);
    const row = ROW_SCORES[key];
    let s = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = row(A, i, plan);
      if (v === null) continue;
      s += v;
      c++;
    }
    into.sum[k] += s;
    into.count[k] += c;
  }
  return into;
}

/** The mean of score `key` in `sums` (NaN when no row counted). */
export const meanOf = (sums: ScoreSums, key: ScoreKey): number => {
  const k = SCORE_KEYS.indexOf(key);
  return mean(sums.sum[k], sums.count[k]);
};

function scoreOf<T>(key: ScoreKey, A: Matrix, opts: { causal?: boolean; tokens?: ArrayLike<T>; rows?: RowRange } = {}): number {
  const n = checkSquare(A);
  return meanOf(addRows(A, rowPlan(n, opts), emptySums(), [key]), key);
}

/** Mean of A[i, i−1] over i ≥ 1: 1 for a head that always looks at the previous token. */
export function previousToken(A: Matrix): number {
  return scoreOf('previousToken', A);
}

/** Mean of A[i, i−k] over i ≥ k: attention to the token k places back (k = 1 is previousToken). */
export function offsetAttention(A: Matrix, k: number): number {
  const n = checkSquare(A);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`offsetAttention: expected an offset k ≥ 0, got ${k}`);
  let s = 0;
  for (let i = k; i < n; i++) s += A.data[i * n + i - k];
  return mean(s, n - k);
}

/** Mean of A[i, 0] over rows with more than one admissible key: 1 for an "attention sink" head. */
export function firstToken(A: Matrix, opts: ScoreOptions = {}): number {
  return scoreOf('firstToken', A, opts);
}

/** Mean of A[i, i] over rows with more than one admissible key: 1 for a head that attends to itself. */
export function selfAttention(A: Matrix, opts: ScoreOptions = {}): number {
  return scoreOf('self', A, opts);
}

/** Shannon entropy (nats) of row i over its first `m` entries. */
function rowEntropy(A: Matrix, i: number, m: number): number {
  let h = 0;
  const r = i * A.cols;
  for (let j = 0; j < m; j++) {
    const p = A.data[r + j];
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/**
 * Mean over rows of H(row) / log(number of admissible keys), rows with one key skipped: 1 for uniform
 * attention, 0 for one-hot attention.
 */
export function normalisedEntropy(A: Matrix, opts: ScoreOptions = {}): number {
  return scoreOf('entropy', A, opts);
}

function rowsOf(n: number, range: RowRange | undefined): [number, number] {
  const from = Math.max(0, range?.from ?? 0);
  const to = Math.min(n, range?.to ?? n);
  return [from, to];
}

/**
 * Duplicate-token score: over queries i that have an earlier copy of their own token (j < i with
 * tokens[j] = tokens[i]), the mean attention mass on those earlier copies.
 */
export function duplicateToken<T>(A: Matrix, tokens: ArrayLike<T>, rows?: RowRange): number {
  return scoreOf('duplicateToken', A, { tokens, rows });
}

/**
 * The induction targets of query i: positions j + 1 just after an earlier copy j of tokens[i]
 * (j < i, tokens[j] = tokens[i]), excluding j + 1 = i itself. An induction head attends there, copying
 * what followed the token last time ("… A B … A" → attend to B, predict B).
 */
export function inductionTargets<T>(tokens: ArrayLike<T>, i: number): number[] {
  const out: number[] = [];
  for (let j = 0; j + 1 < i; j++) if (tokens[j] === tokens[i]) out.push(j + 1);
  return out;
}

/**
 * Induction score: over queries i with at least one induction target, the mean attention mass on
 * those targets. On a random segment repeated twice (makeInductionProbe), restrict `rows` to the second
 * copy: a perfect induction head scores 1 there.
 */
export function induction<T>(A: Matrix, tokens: ArrayLike<T>, rows?: RowRange): number {
  return scoreOf('induction', A, { tokens, rows });
}

/** Jensen–Shannon divergence (base 2, in [0, 1]) of two distributions over the first m entries of rows. */
function jsDivergence(p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, m: number): number {
  let d = 0;
  for (let j = 0; j < m; j++) {
    const a = p[pOff + j];
    const b = q[qOff + j];
    const mid = (a + b) / 2;
    if (a > 0) d += a * Math.log2(a / mid);
    if (b > 0) d += b * Math.log2(b / mid);
  }
  return Math.min(1, Math.max(0, d / 2));
}

/**
 * How alike two heads' attention patterns are on the same tokens: 1 − the mean Jensen–Shannon
 * divergence (base 2) of corresponding rows, over rows with more than one admissible key. 1 for
 * identical patterns, 0 for rows with disjoint support. Symmetric.
 */
export function headSimilarity(a: Matrix, b: Matrix, opts: ScoreOptions = {}): number {
  const n = checkSquare(a, 'a');
  checkSquare(b, 'b');
  if (b.rows !== n) throw new RangeError(`headSimilarity: a is ${n}×${n} but b is ${b.rows}×${b.cols}`);
  const causal = opts.causal ?? true;
  let s = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const m = admissible(i, n, causal);
    if (m < 2) continue;
    s += jsDivergence(a.data, i * n, b.data, i * n, m);
    k++;
  }
  return k === 0 ? NaN : 1 - s / k;
}

/** Every score of one head (NaN where no row counted). */
export type HeadScores = Record<ScoreKey, number>;

/** All scores of one head at once (tokens for the token-dependent ones). */
export function headScores<T>(A: Matrix, tokens: ArrayLike<T>, opts: ScoreOptions & { rows?: RowRange } = {}): HeadScores {
  return scoresOf(addRows(A, rowPlan(checkSquare(A), { ...opts, tokens }), emptySums()));
}

/** The means of every score in `sums`. */
export function scoresOf(sums: ScoreSums): HeadScores {
  const out = {} as HeadScores;
  for (const key of SCORE_KEYS) out[key] = meanOf(sums, key);
  return out;
}

export interface InductionProbe<T> {
  /** A random segment followed by an exact copy of it: length 2·half. */
  tokens: T[];
  /** Length of each copy; the second copy starts at index `half`. */
  half: number;
  /** Rows to score induction on: the second copy. */
  rows: { from: number; to: number };
}

/**
 * A random sequence of `length` symbols repeated twice (seeded, deterministic). `alphabet` is either a
 * vocabulary size (symbols are ids 0…size−1) or a list of symbols to draw from (e.g. characters or
 * chosen token ids).
 */
export function makeInductionProbe(alphabet: number, length: number, seed: number): InductionProbe<number>;
export function makeInductionProbe<T>(alphabet: readonly T[], length: number, seed: number): InductionProbe<T>;
export function makeInductionProbe<T>(alphabet: number | readonly T[], length: number, seed: number): InductionProbe<T | number> {
  const size = typeof alphabet === 'number' ? alphabet : alphabet.length;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`makeInductionProbe: expected a non-empty alphabet, got ${size}`);
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`makeInductionProbe: expected a positive length, got ${length}`);
  const next = uniformStream(`induction-probe\u0000${seed}\u0000${size}`);
  const first: (T | number)[] = [];
  for (let i = 0; i < length; i++) {
    const k = Math.min(size - 1, Math.floor(next() * size));
    first.push(typeof alphabet === 'number' ? k : alphabet[k]);
  }
  return { tokens: [...first, ...first], half: length, rows: { from: length, to: 2 * length } };
}
