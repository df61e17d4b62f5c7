// What the user configures (tokens, sizes, mechanism, masks, where the numbers come from) and the one
// translation of it into an AttentionInput: the rules that say how many heads, which head size and which
// key weights a scenario means live here and nowhere else.
import type { AttentionInput, CaseJson, Matrix } from './types.ts';
import { CaseError, describe, described, float32Overflow, isFloat32Finite } from './caseError.ts';
import { seededMatrix, tokenEmbedding } from './seeded.ts';
import { parseCase } from './validate.ts';

export type Mechanism = 'self' | 'weighted' | 'multi';
/** 'article': h heads of d×d, scale 1/√d, Z = concat (n×dh), no W^O. 'standard': d_k = d/h, scale 1/√d_k, W^O. */
export type Convention = 'article' | 'standard';
export type TokenizeMode = 'words' | 'chars';

/**
 * Where X and the weights come from: seeded from the tokens (the default), an imported case (its own X, heads,
 * W^O and scale), or a model's forward pass (computed elsewhere: a model is multi-head, standard, causal).
 */
export type ScenarioSource = { kind: 'seeded' } | { kind: 'case'; case: CaseJson } | { kind: 'model'; model: string };

export interface Scenario {
  /** Absent: seeded. */
  source?: ScenarioSource;
  tokens: string[];
  mechanism: Mechanism;
  convention: Convention;
  seed: number;
  d: number;
  /** Heads chosen for multi-head; the other mechanisms have one (kept while another mechanism is shown). */
  h: number;
  /** Head size for the standard convention; null means d/h. Ignored by the article's convention (d_k = d). */
  dk: number | null;
  causal: boolean;
  /** A local window on the causal mask (each query sees its last `window` keys); null or absent: none. */
  window?: number | null;
  /** Per-key weights w_j ≥ 0, used when weights apply (see weightsApply; length n, missing entries mean 1). */
  keyWeights: number[];
  /** Per-token padding flags: a padded key gets w_j = 0 under every mechanism. */
  padding: boolean[];
  /** Sparse edits from the matrix editor, keyed by path: "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]". */
  overrides: Record<string, number>;
}

export type { AttentionInput };

// ---------------------------------------------------------------------------------------------
// The rules.

type Sourced = Pick<Scenario, 'source' | 'mechanism'>;

/** Number of heads the engine computes: a case's own, h for seeded multi-head, 1 for 'self' and 'weighted'. */
export function effectiveHeads(s: Pick<Scenario, 'source' | 'mechanism' | 'h'>): number {
  if (s.source?.kind === 'case') return s.source.case.heads.length;
  return s.mechanism === 'multi' ? s.h : 1;
}

/**
 * The mechanism a scenario computes. A model is multi-head; a case with several heads is multi-head, a one-head
 * case self-attention or weighted attention as chosen (importing picks weighted when it has weights).
 */
export function effectiveMechanism(s: Sourced): Mechanism {
  if (s.source?.kind === 'model') return 'multi';
  if (s.source?.kind !== 'case') return s.mechanism;
  if (s.source.case.heads.length > 1) return 'multi';
  return s.mechanism === 'self' ? 'self' : 'weighted';
}

/** The convention a scenario computes: a model's is standard, a case's is standard exactly when it has W^O. */
export function effectiveConvention(s: Pick<Scenario, 'source' | 'convention'>): Convention {
  if (s.source?.kind === 'model') return 'standard';
  if (s.source?.kind !== 'case') return s.convention;
  return s.source.case.Wo ? 'standard' : 'article';
}

/** Whether the key weights take part: weighted attention, and a multi-head case (which keeps its weights). */
export function weightsApply(s: Sourced): boolean {
  return effectiveMechanism(s) === 'weighted' || (s.source?.kind === 'case' && s.source.case.heads.length > 1);
}

/** The weight of each key: 0 when padded, else its weight where weights apply (missing = 1), else 1. */
export function scenarioKeyWeights(s: Pick<Scenario, 'source' | 'mechanism' | 'tokens' | 'keyWeights' | 'padding'>): number[] {
  const apply = weightsApply(s);
  return s.tokens.map((_, j) => (s.padding[j] ? 0 : apply ? (s.keyWeights[j] ?? 1) : 1));
}

/**
 * d_k (= d_v) of every seeded head: d for the article's convention; dk, or d/h, for the standard one (d/h rounded
 * down when h does not divide d, which buildInput rejects: see `divisible`).
 */
export function headSize(s: Pick<Scenario, 'source' | 'mechanism' | 'convention' | 'd' | 'h' | 'dk'>): number {
  if (s.convention === 'article') return s.d;
  if (s.dk !== null && s.dk !== undefined) return s.dk;
  return Math.max(1, Math.floor(s.d / effectiveHeads(s)));
}

/** Whether d/h is whole where it has to be: seeded weights, the standard convention, d_k = d/h. */
export function divisible(s: Pick<Scenario, 'source' | 'mechanism' | 'convention' | 'd' | 'h' | 'dk'>): boolean {
  if ((s.source ?? SEEDED).kind !== 'seeded' || s.convention === 'article' || (s.dk !== null && s.dk !== undefined)) return true;
  return s.d % effectiveHeads(s) === 0;
}

const SEEDED: ScenarioSource = { kind: 'seeded' };

// ---------------------------------------------------------------------------------------------
// Scenario → AttentionInput.

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

function positiveInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new CaseError(field, `expected a positive whole number, got ${describe(v)}`, { code: 'not-positive-int', got: described(v) });
  }
  return v;
}

/**
 * X and the weights of a scenario before its mask, key weights and edits (causal false, no key weights): seeded
 * from the tokens, or the case's own. What depends only on the tokens, sizes, seed and convention, so a caller
 * may keep it (the worker caches it) and pass it to buildInput again.
 */
export function scenarioBase(s: Scenario): AttentionInput {
  const source = s.source ?? SEEDED;
  if (source.kind === 'model') throw new Error('scenarioBase: a model source is computed by its forward pass');
  if (source.kind === 'case') return { ...parseCase(source.case), causal: false, keyWeights: null };
  const n = s.tokens.length;
  if (n === 0) throw new CaseError('tokens', 'expected at least one token, got none', { code: 'no-tokens' });
  const d = positiveInt(s.d, 'd');
  const h = positiveInt(effectiveHeads(s), 'h');
  if (s.convention === 'standard' && s.dk !== null && s.dk !== undefined) positiveInt(s.dk, 'dk');
  if (!divisible(s)) {
    throw new CaseError('h', `d = ${d} is not divisible by h = ${h}: choose h dividing d, or set d_k explicitly`, { code: 'not-divisible', params: { d, h } });
  }
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
  return { X, heads, Wo, scale, causal: false, keyWeights: null };
}

/**
 * The engine input of a scenario: its base (built, or given from a cache) with the causal mask, the key weights
 * and the edited numbers. Throws CaseError naming the field that is wrong.
 */
export function buildInput(s: Scenario, base: AttentionInput = scenarioBase(s)): AttentionInput {
  const w = scenarioKeyWeights(s);
  w.forEach((wj, j) => {
    if (typeof wj !== 'number' || !Number.isFinite(wj) || wj < 0) {
      throw new CaseError(`keyWeights[${j}]`, `expected a finite number ≥ 0, got ${describe(wj)}`, { code: 'not-weight', got: described(wj) });
    }
  });
  // A case's numbers stay in float64, as parseCase reads them; seeded numbers are float32 like its weights.
  const keyWeights = w.every((wj) => wj === 1) ? null : s.source?.kind === 'case' ? Float64Array.from(w) : Float32Array.from(w);
  const input: AttentionInput = { ...base, causal: !!s.causal, keyWeights, window: s.causal ? (s.window ?? null) : null };
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
