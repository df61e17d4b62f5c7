// Scores that say what an attention head does, computed from its attention matrix A (n×n, row i the
// distribution of query i over the keys). All are means over query rows of a number in [0, 1]; a score
// is NaN when no row qualifies (e.g. previousToken of a 1-token sequence, induction without repeats).
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

/** Mean of A[i, i−1] over i ≥ 1: 1 for a head that always looks at the previous token. */
export function previousToken(A: Matrix): number {
  const n = checkSquare(A);
  let s = 0;
  for (let i = 1; i < n; i++) s += A.data[i * n + i - 1];
  return mean(s, n - 1);
}

/** Mean of A[i, i−k] over i ≥ k: attention to the token k places back (k = 1 is previousToken). */
export function offsetAttention(A: Matrix, k: number): number {
  const n = checkSquare(A);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`offsetAttention: expected an offset k ≥ 0, got ${k}`);
  let s = 0;
  for (let i = k; i < n; i++) s += A.data[i * n + i - k];
  return mean(s, n - k);
}

/** Mean of A[i, col(i)] over rows with more than one admissible key (a one-key row says nothing). */
function meanOverInformativeRows(A: Matrix, causal: boolean, col: (i: number) => number): number {
  const n = checkSquare(A);
  let s = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (admissible(i, n, causal) < 2) continue;
    s += A.data[i * n + col(i)];
    k++;
  }
  return mean(s, k);
}

/** Mean of A[i, 0] over rows with more than one admissible key: 1 for an "attention sink" head. */
export function firstToken(A: Matrix, opts: ScoreOptions = {}): number {
  return meanOverInformativeRows(A, opts.causal ?? true, () => 0);
}

/** Mean of A[i, i] over rows with more than one admissible key: 1 for a head that attends to itself. */
export function selfAttention(A: Matrix, opts: ScoreOptions = {}): number {
  return meanOverInformativeRows(A, opts.causal ?? true, (i) => i);
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
  const n = checkSquare(A);
  const causal = opts.causal ?? true;
  let s = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const m = admissible(i, n, causal);
    if (m < 2) continue;
    s += rowEntropy(A, i, m) / Math.log(m);
    k++;
  }
  return mean(s, k);
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
  const n = checkSquare(A);
  checkTokens(n, tokens);
  const [from, to] = rowsOf(n, rows);
  let s = 0;
  let k = 0;
  for (let i = from; i < to; i++) {
    let mass = 0;
    let any = false;
    for (let j = 0; j < i; j++) {
      if (tokens[j] === tokens[i]) {
        mass += A.data[i * n + j];
        any = true;
      }
    }
    if (any) {
      s += mass;
      k++;
    }
  }
  return mean(s, k);
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
  const n = checkSquare(A);
  checkTokens(n, tokens);
  const [from, to] = rowsOf(n, rows);
  let s = 0;
  let k = 0;
  for (let i = from; i < to; i++) {
    const targets = inductionTargets(tokens, i);
    if (targets.length === 0) continue;
    let mass = 0;
    for (const t of targets) mass += A.data[i * n + t];
    s += mass;
    k++;
  }
  return mean(s, k);
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

export interface HeadScores {
  previousToken: number;
  firstToken: number;
  self: number;
  entropy: number;
  duplicateToken: number;
  induction: number;
}

/** All scores of one head at once (tokens for the token-dependent ones). */
export function headScores<T>(A: Matrix, tokens: ArrayLike<T>, opts: ScoreOptions & { rows?: RowRange } = {}): HeadScores {
  return {
    previousToken: previousToken(A),
    firstToken: firstToken(A, opts),
    self: selfAttention(A, opts),
    entropy: normalisedEntropy(A, opts),
    duplicateToken: duplicateToken(A, tokens, opts.rows),
    induction: induction(A, tokens, opts.rows),
  };
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
