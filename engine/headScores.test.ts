import { describe, expect, it } from 'vitest';
import type { Matrix } from './types.ts';
import {
  duplicateToken,
  firstToken,
  headScores,
  headSimilarity,
  induction,
  inductionTargets,
  makeInductionProbe,
  normalisedEntropy,
  offsetAttention,
  previousToken,
  selfAttention,
} from './headScores.ts';

/** An n×n matrix whose row i is f(i) (a map key → weight; unspecified keys 0). */
function rowsOf(n: number, f: (i: number) => Record<number, number>): Matrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (const [j, w] of Object.entries(f(i))) data[i * n + Number(j)] = w;
  return { rows: n, cols: n, data };
}

const oneHot = (n: number, pick: (i: number) => number) => rowsOf(n, (i) => ({ [pick(i)]: 1 }));

/** Causal uniform attention: row i spreads 1/(i+1) over keys 0…i. */
function uniformCausal(n: number): Matrix {
  return rowsOf(n, (i) => Object.fromEntries(Array.from({ length: i + 1 }, (_, j) => [j, 1 / (i + 1)])));
}

describe('previousToken, firstToken, selfAttention', () => {
  const n = 7;
  const prev = oneHot(n, (i) => Math.max(0, i - 1));
  const first = oneHot(n, () => 0);
  const diag = oneHot(n, (i) => i);

  it('scores 1 for the pattern it names and 0 for the others', () => {
    expect(previousToken(prev)).toBe(1);
    expect(firstToken(first)).toBe(1);
    expect(selfAttention(diag)).toBe(1);
    expect(previousToken(diag)).toBe(0);
    expect(firstToken(diag)).toBe(0);
    expect(selfAttention(prev)).toBe(0);
    // row 1 of the previous-token matrix points at key 0, the only overlap with "first token"
    expect(firstToken(prev)).toBeCloseTo(1 / (n - 1), 12);
  });

  it('offsetAttention generalises previousToken to k places back', () => {
    const twoBack = oneHot(n, (i) => Math.max(0, i - 2));
    expect(offsetAttention(twoBack, 2)).toBe(1);
    expect(offsetAttention(prev, 1)).toBe(previousToken(prev));
    expect(offsetAttention(diag, 0)).toBe(1);
    expect(offsetAttention(twoBack, 1)).toBeCloseTo(1 / (n - 1), 12); // only row 1 (clamped to key 0)
    expect(offsetAttention(prev, n)).toBeNaN();
  });

  it('averages over rows: uniform causal attention', () => {
    const U = uniformCausal(n);
    let want = 0;
    for (let i = 1; i < n; i++) want += 1 / (i + 1);
    expect(previousToken(U)).toBeCloseTo(want / (n - 1), 12);
    expect(firstToken(U)).toBeCloseTo(want / (n - 1), 12);
    expect(selfAttention(U)).toBeCloseTo(want / (n - 1), 12);
  });

  it('skips the forced row 0 under a causal mask, but not without one', () => {
    // diag has A[0][0] = 1, which would make firstToken 1/n if counted
    expect(firstToken(diag, { causal: false })).toBeCloseTo(1 / n, 12);
    expect(firstToken(diag)).toBe(0);
  });

  it('is NaN when no row qualifies, and rejects non-square input', () => {
    const one: Matrix = { rows: 1, cols: 1, data: new Float32Array([1]) };
    expect(previousToken(one)).toBeNaN();
    expect(firstToken(one)).toBeNaN();
    expect(() => previousToken({ rows: 2, cols: 3, data: new Float32Array(6) })).toThrow(/square/);
  });
});

describe('normalisedEntropy', () => {
  it('is 1 for uniform causal attention and 0 for one-hot attention', () => {
    expect(normalisedEntropy(uniformCausal(9))).toBeCloseTo(1, 12);
    expect(normalisedEntropy(oneHot(9, (i) => i))).toBe(0);
    expect(normalisedEntropy(oneHot(9, () => 0))).toBe(0);
  });

  it('is 1 for uniform full attention with { causal: false }', () => {
    const n = 5;
    expect(normalisedEntropy(rowsOf(n, () => Object.fromEntries(Array.from({ length: n }, (_, j) => [j, 1 / n]))), { causal: false })).toBeCloseTo(1, 12);
  });

  it('half-half rows: H = log 2 over log(#keys)', () => {
    const n = 4; // rows 1..3: mass 0.5 on keys 0 and i
    const A = rowsOf(n, (i) => (i === 0 ? { 0: 1 } : { 0: 0.5, [i]: 0.5 }));
    const want = (Math.log(2) / Math.log(2) + Math.log(2) / Math.log(3) + Math.log(2) / Math.log(4)) / 3;
    expect(normalisedEntropy(A)).toBeCloseTo(want, 12);
  });
});

describe('duplicateToken and induction', () => {
  //            0    1    2    3    4    5    6    7
  const toks = ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd'];

  it('induction targets follow the definition {j+1 : j < i, t_j = t_i, j+1 < i}', () => {
    expect(inductionTargets(toks, 4)).toEqual([1]);
    expect(inductionTargets(toks, 7)).toEqual([4]);
    expect(inductionTargets(toks, 3)).toEqual([]);
    // "a a": j = 0 gives j + 1 = 1 = i itself, excluded
    expect(inductionTargets(['a', 'a'], 1)).toEqual([]);
    expect(inductionTargets(['x', 'a', 'y', 'a', 'z', 'a'], 5)).toEqual([2, 4]);
  });

  it('a hand-built induction matrix scores 1 on the second copy; a duplicate-token one scores 1 on its own test', () => {
    // Query i in the second copy attends to i − 4 + 1 (the token after its earlier copy).
    const ind = oneHot(8, (i) => (i >= 4 ? i - 3 : i));
    expect(induction(ind, toks)).toBe(1);
    expect(duplicateToken(ind, toks)).toBe(0);
    // Query i in the second copy attends to its earlier copy i − 4.
    const dup = oneHot(8, (i) => (i >= 4 ? i - 4 : i));
    expect(duplicateToken(dup, toks)).toBe(1);
    expect(induction(dup, toks)).toBe(0);
    // a previous-token head is neither
    const prev = oneHot(8, (i) => Math.max(0, i - 1));
    expect(induction(prev, toks)).toBe(0);
    expect(duplicateToken(prev, toks)).toBe(0);
  });

  it('splits the mass over several targets and averages over qualifying rows only', () => {
    const t = ['x', 'a', 'y', 'a', 'z', 'a'];
    // row 3 (targets {2}) puts 0.5 there; row 5 (targets {2, 4}) puts 0.25 + 0.25; other rows irrelevant.
    const A = rowsOf(6, (i): Record<number, number> => (i === 3 ? { 2: 0.5, 3: 0.5 } : i === 5 ? { 2: 0.25, 4: 0.25, 0: 0.5 } : { 0: 1 }));
    expect(induction(A, t)).toBeCloseTo(0.5, 12);
    expect(induction(A, t, { from: 5 })).toBeCloseTo(0.5, 12);
    expect(induction(A, ['p', 'q', 'r', 's', 't', 'u'])).toBeNaN();
  });

  it('checks the token count', () => {
    expect(() => induction(oneHot(3, () => 0), ['a', 'b'])).toThrow(/tokens: expected 3/);
  });
});

describe('headSimilarity', () => {
  it('is 1 for identical heads, 0 for disjoint one-hot heads, symmetric, and between', () => {
    const n = 6;
    const prev = oneHot(n, (i) => Math.max(0, i - 1));
    const diag = oneHot(n, (i) => i);
    const U = uniformCausal(n);
    expect(headSimilarity(prev, prev)).toBeCloseTo(1, 12);
    expect(headSimilarity(prev, diag)).toBeCloseTo(0, 12);
    const s = headSimilarity(U, prev);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(1);
    expect(headSimilarity(prev, U)).toBeCloseTo(s, 12);
  });

  it('rejects heads of different sizes', () => {
    expect(() => headSimilarity(oneHot(3, () => 0), oneHot(4, () => 0))).toThrow(/3×3 but b is 4×4/);
  });
});

describe('makeInductionProbe', () => {
  it('is a seeded random segment repeated twice', () => {
    const p = makeInductionProbe(50, 20, 7);
    expect(p.tokens).toHaveLength(40);
    expect(p.tokens.slice(20)).toEqual(p.tokens.slice(0, 20));
    expect(p.rows).toEqual({ from: 20, to: 40 });
    expect(p.tokens.every((t) => Number.isInteger(t) && t >= 0 && t < 50)).toBe(true);
    expect(makeInductionProbe(50, 20, 7).tokens).toEqual(p.tokens);
    expect(makeInductionProbe(50, 20, 8).tokens).not.toEqual(p.tokens);
    const chars = makeInductionProbe(['a', 'b', 'c'], 5, 1);
    expect(chars.tokens.every((c) => 'abc'.includes(c))).toBe(true);
  });

  it('a perfect induction head on the probe scores 1 (rows of the second copy)', () => {
    const L = 16;
    const { tokens, rows } = makeInductionProbe(1000, L, 3);
    // Without chance repeats in the first copy, the only target of row i ≥ L is i − L + 1.
    expect(new Set(tokens.slice(0, L)).size).toBe(L);
    const A = oneHot(2 * L, (i) => (i >= L ? i - L + 1 : 0));
    expect(induction(A, tokens, rows)).toBe(1);
    const s = headScores(A, tokens, { rows });
    expect(s.induction).toBe(1);
    expect(s.duplicateToken).toBe(0);
    expect(s.previousToken).toBeLessThan(0.1);
  });
});
