// What the user configures (tokens, sizes, mechanism, masks) and how it becomes an AttentionInput.
import type { AttentionInput, Matrix } from './types.ts';
import { CaseError, describe, described, float32Overflow, isFloat32Finite } from './caseError.ts';
import { seededMatrix, tokenEmbedding } from './seeded.ts';

export type Mechanism = 'self' | 'weighted' | 'multi';
/** 'article': h heads of d×d, scale 1/√d, Z = concat (n×dh), no W^O. 'standard': d_k = d/h, scale 1/√d_k, W^O. */
export type Convention = 'article' | 'standard';
export type TokenizeMode = 'words' | 'chars';

export interface Scenario {
  tokens: string[];
  mechanism: Mechanism;
  convention: Convention;
  seed: number;
  d: number;
  /** Number of heads; forced to 1 unless mechanism is 'multi'. */
  h: number;
  /** Head size for the standard convention; null means d/h. Ignored by the article's convention (d_k = d). */
  dk: number | null;
  causal: boolean;
  /** A local window on the causal mask (each query sees its last `window` keys); null or absent: none. */
  window?: number | null;
  /** Per-key weights w_j ≥ 0, used when mechanism is 'weighted' (length n; missing entries mean 1). */
  keyWeights: number[];
  /** Per-token padding flags: a padded key gets w_j = 0 under every mechanism. */
  padding: boolean[];
  /** Sparse edits from the matrix editor, keyed by path: "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]". */
  overrides: Record<string, number>;
}

export type { AttentionInput };

// ---------------------------------------------------------------------------------------------
// Implementation: Scenario → AttentionInput (seeded, deterministic).

/**
 * Standard deviations of the seeded weights. Embeddings are N(0, 1). With W^Q, W^K ~ N(0, σ²) and
 * σ² = SCORE_SPREAD/d, each coordinate of q and k has variance SCORE_SPREAD, so a score q·k/√d_k has
 * a standard deviation of about SCORE_SPREAD whatever d, h and d_k are. Measured on 8–12-token
 * sentences (4 seeds, d 8–64, h 1–4): at 1 the rows of A are nearly uniform (mean row maximum 0.31,
 * normalised entropy 0.86); at 2.5 one row in ten is one-hot. 2 gives each query a clear favourite
 * (mean row maximum ≈ 0.5, entropy ≈ 0.63, 4% of rows above 0.9) while the other keys stay visible.
 * W^V ~ N(0, 1/d) keeps V (and Z) on the scale of X; W^O ~ N(0, 1/(h·d_v)) keeps `out` there too.
 */
const SCORE_SPREAD = 2;

/** Number of heads actually used: the scenario's h for 'multi', 1 for 'self' and 'weighted'. */
export function effectiveHeads(s: Scenario): number {
  return s.mechanism === 'multi' ? s.h : 1;
}

function positiveInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new CaseError(field, `expected a positive whole number, got ${describe(v)}`, { code: 'not-positive-int', got: described(v) });
  }
  return v;
}

/**
 * d_k (= d_v) of every head: d for the article's convention; scenario.dk, or d/h, for the standard one.
 * Throws CaseError when d is not divisible by h and dk is null.
 */
export function headSize(s: Scenario): number {
  const d = positiveInt(s.d, 'd');
  if (s.convention === 'article') return d;
  if (s.dk !== null && s.dk !== undefined) return positiveInt(s.dk, 'dk');
  const h = positiveInt(effectiveHeads(s), 'h');
  if (d % h !== 0) {
    throw new CaseError('h', `d = ${d} is not divisible by h = ${h}: choose h dividing d, or set d_k explicitly`, { code: 'not-divisible', params: { d, h } });
  }
  return d / h;
}

/** The per-key weights the scenario implies: 'weighted' uses s.keyWeights (missing = 1); padding forces 0. */
export function scenarioKeyWeights(s: Scenario): number[] {
  return s.tokens.map((_, j) => {
    if (s.padding[j]) return 0;
    if (s.mechanism !== 'weighted') return 1;
    const w = s.keyWeights[j];
    return w === undefined || w === null ? 1 : w;
  });
}

/** Builds the engine input of a scenario: seeded embeddings and weights, masks, then the overrides. */
export function buildInput(s: Scenario): AttentionInput {
  const n = s.tokens.length;
  if (n === 0) throw new CaseError('tokens', 'expected at least one token, got none', { code: 'no-tokens' });
  const d = positiveInt(s.d, 'd');
  const h = positiveInt(effectiveHeads(s), 'h');
  const dk = headSize(s);
  const seed = s.seed;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new CaseError('seed', `expected a number, got ${describe(seed)}`, { code: 'seed', got: described(seed) });
  }

  const X: Matrix = { rows: n, cols: d, data: new Float32Array(n * d) };
  s.tokens.forEach((t, i) => X.data.set(tokenEmbedding(t, d, seed), i * d));

  const qkStd = Math.sqrt(SCORE_SPREAD / d);
  const vStd = Math.sqrt(1 / d);
  const heads = Array.from({ length: h }, (_, k) => ({
    Wq: seededMatrix(d, dk, seed, `h${k}.Wq`, qkStd),
    Wk: seededMatrix(d, dk, seed, `h${k}.Wk`, qkStd),
    Wv: seededMatrix(d, dk, seed, `h${k}.Wv`, vStd),
  }));
  const Wo = s.convention === 'standard' ? seededMatrix(h * dk, d, seed, 'Wo', Math.sqrt(1 / (h * dk))) : null;
  const scale = 1 / Math.sqrt(dk); // article: d_k = d, so this is 1/√d

  const w = scenarioKeyWeights(s);
  w.forEach((wj, j) => {
    if (typeof wj !== 'number' || !Number.isFinite(wj) || wj < 0) {
      throw new CaseError(`keyWeights[${j}]`, `expected a finite number ≥ 0, got ${describe(wj)}`, { code: 'not-weight', got: described(wj) });
    }
  });
  const keyWeights = w.every((wj) => wj === 1) ? null : Float32Array.from(w);

  const input: AttentionInput = { X, heads, Wo, scale, causal: !!s.causal, keyWeights, window: s.causal ? (s.window ?? null) : null };
  return Object.keys(s.overrides ?? {}).length > 0 ? applyOverrides(input, s.overrides) : input;
}

const PATH_RE = /^(?:(X|Wo)|heads\[(\d+)\]\.(Wq|Wk|Wv))\[(\d+)\]\[(\d+)\]$/;

/** Resolves "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]" to a matrix and element; throws CaseError naming the path. */
function resolvePath(input: AttentionInput, path: string): { key: string; m: Matrix; i: number; j: number } {
  const match = PATH_RE.exec(path);
  if (!match) {
    throw new CaseError(path, 'unknown path: expected X[i][j], heads[k].Wq[i][j] (or Wk, Wv) or Wo[i][j]', { code: 'unknown-path' });
  }
  const [, top, headIdx, w, is, js] = match;
  const i = Number(is);
  const j = Number(js);
  let m: Matrix | null;
  let key: string;
  if (top === 'X') {
    m = input.X;
    key = 'X';
  } else if (top === 'Wo') {
    m = input.Wo;
    key = 'Wo';
    if (!m) throw new CaseError(path, 'there is no Wo in this configuration', { code: 'no-wo' });
  } else {
    const k = Number(headIdx);
    if (k >= input.heads.length) {
      const heads = input.heads.length;
      throw new CaseError(path, `out of range: there ${heads === 1 ? 'is 1 head' : `are ${heads} heads`}`, { code: 'head-out-of-range', params: { heads } });
    }
    m = input.heads[k][w as 'Wq' | 'Wk' | 'Wv'];
    key = `heads[${k}].${w}`;
  }
  if (i >= m.rows || j >= m.cols) {
    throw new CaseError(path, `out of range: ${key} is ${m.rows}×${m.cols}`, { code: 'cell-out-of-range', params: { key, rows: m.rows, cols: m.cols } });
  }
  return { key, m, i, j };
}

/** True when `path` names an existing element of `input` (use it to drop stale overrides after a resize). */
export function isValidOverridePath(input: AttentionInput, path: string): boolean {
  try {
    resolvePath(input, path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A copy of `input` with single elements replaced. Matrices that are edited are copied; the others
 * are shared with `input`. Unknown or out-of-range paths and non-finite values throw CaseError.
 */
export function applyOverrides(input: AttentionInput, overrides: Record<string, number>): AttentionInput {
  const copies = new Map<string, Matrix>();
  const out: AttentionInput = { ...input, heads: input.heads.map((hd) => ({ ...hd })) };
  for (const [path, value] of Object.entries(overrides)) {
    const { key, m, i, j } = resolvePath(input, path);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new CaseError(path, `expected a finite number, got ${describe(value)}`, { code: 'not-number', got: described(value) });
    }
    if (!isFloat32Finite(value)) throw float32Overflow(path, value);
    let copy = copies.get(key);
    if (!copy) {
      copy = { rows: m.rows, cols: m.cols, data: m.data.slice() };
      copies.set(key, copy);
      if (key === 'X') out.X = copy;
      else if (key === 'Wo') out.Wo = copy;
      else {
        const k = Number(/\d+/.exec(key)![0]);
        const w = key.slice(key.indexOf('.') + 1) as 'Wq' | 'Wk' | 'Wv';
        out.heads[k][w] = copy;
      }
    }
    copy.data[i * copy.cols + j] = value;
  }
  return out;
}
