// Masks are absolute and overflow is named: at extreme magnitudes (scores of ±1e30, weights of 1e16)
// a masked key gets exactly 0 weight, and a float32 overflow is an error naming the matrix, never NaN.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { referenceAttention } from './reference.ts';
import { parseCase } from './validate.ts';
import { CaseError } from './caseError.ts';
import type { AttentionInput, AttentionResult, Matrix } from './types.ts';

const mat = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float64Array.from(values) });
const STRATEGIES = ['per-head', 'batched'] as const;

/** One head with 1×1 weights on a one-column X: s_ij = scale·(x_i·wq)(x_j·wk). */
function scalarCase(x: number[], wq: number, wk: number, over: Partial<AttentionInput> = {}): AttentionInput {
  return {
    X: mat(x.length, 1, x),
    heads: [{ Wq: mat(1, 1, [wq]), Wk: mat(1, 1, [wk]), Wv: mat(1, 1, [1]) }],
    Wo: null,
    scale: 1,
    causal: false,
    keyWeights: null,
    ...over,
  };
}

/** The result, or the named float32 overflow that is the only error allowed to stop it. */
async function resultOrOverflow(input: AttentionInput, strategy: (typeof STRATEGIES)[number]): Promise<AttentionResult | CaseError> {
  try {
    return await computeAttention(input, { strategy });
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    expect((e as CaseError).code).toBe('non-finite');
    return e as CaseError;
  }
}

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('masks are absolute', () => {
  it('a causal mask does not leak whatever the score gap (Wq = Wk = 1e16: scores up to 4e32)', async () => {
    // s_02 = 2e32 is far above s_00 = 1e32: with a finite mask bias of −1e30, key 2 would win row 0.
    const input = scalarCase([1, -1, 2], 1e16, 1e16, { causal: true });
    for (const strategy of STRATEGIES) {
      const A = (await computeAttention(input, { strategy })).heads[0].A.data;
      expect(Array.from(A.slice(0, 3))).toEqual([1, 0, 0]);
      expect(Array.from(A.slice(3, 6))).toEqual([0, 1, 0]);
      expect(A[8]).toBe(1); // row 2: s_22 = 4e32 is its largest admissible score
    }
    expect(Array.from(referenceAttention(input).heads[0].A.data.slice(0, 6))).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('a key of weight 0 gets exactly 0 even with the largest score, and tiny weights still count', async () => {
    const input = scalarCase([1, 3, 2], 1e15, 1e15, { keyWeights: Float64Array.of(1, 0, 1e-30) });
    for (const strategy of STRATEGIES) {
      const A = (await computeAttention(input, { strategy })).heads[0].A.data;
      for (let i = 0; i < 3; i++) expect(A[i * 3 + 1]).toBe(0);
      // row 0: s_00 = 1e30 vs s_02 = 2e30: key 2 wins despite its weight of 1e-30 (log w ≈ −69)
      expect(A[2]).toBe(1);
    }
  });

  it('rows without an admissible key are zero, not NaN (all weights 0; causal with leading zeros)', async () => {
    for (const [causal, w] of [
      [false, [0, 0, 0]],
      [true, [0, 0, 1]],
    ] as const) {
      const input = scalarCase([1e10, -1e10, 5], 1e5, 1e5, { causal, keyWeights: Float64Array.from(w) });
      for (const strategy of STRATEGIES) {
        const r = await computeAttention(input, { strategy });
        expect(r.heads[0].A.data.every(Number.isFinite)).toBe(true);
        expect(r.warnings[0]?.code).toBe('empty-rows');
        for (const i of r.warnings[0].rows) for (let j = 0; j < 3; j++) expect(r.heads[0].A.data[i * 3 + j]).toBe(0);
      }
    }
  });
});

describe('float32 overflow is named', () => {
  it('scores that overflow float32 throw a CaseError naming heads[k].scores and the element', async () => {
    const input = scalarCase([1, 2], 1e20, 1e20); // Q, K ≈ 1e20 are finite; Q·Kᵀ ≈ 1e40 is not
    for (const strategy of STRATEGIES) {
      const err = await computeAttention(input, { strategy }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaseError);
      expect((err as CaseError).code).toBe('non-finite');
      expect((err as CaseError).message).toBe('heads[0].scores: not finite at [0][0] (Infinity): the numbers are too large for float32');
    }
  });

  it('a projection that overflows names Q; an output that overflows names out', async () => {
    const q = await computeAttention(scalarCase([1e30], 1e30, 1)).catch((e: unknown) => e);
    expect((q as CaseError).field).toBe('heads[0].Q');
    const big = scalarCase([1e20, 1e20], 1e-20, 1e-20, { Wo: mat(1, 1, [1e30]) });
    const out = await computeAttention(big).catch((e: unknown) => e);
    expect((out as CaseError).field).toBe('out');
  });

  it('input numbers beyond float32 are rejected by name before any computation', () => {
    const bad = { X: [[1, 4e38]], heads: [{ Wq: [[1], [1]], Wk: [[1], [1]], Wv: [[1], [1]] }] };
    expect(() => parseCase(bad)).toThrow('X[0][1]: expected a number within ±3.4e38 (float32), got 4e+38');
  });
});

describe('property: extreme magnitudes keep A a distribution over admissible keys', () => {
  const huge = fc.oneof(fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.constantFrom(1e16, -1e16, 0, 1e-16));
  const arb = fc
    .record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 3 }) })
    .chain(({ n, d }) =>
      fc.record({
        // x ~ 1e15 and w ~ 1e16 (scale 1e-16) give scores up to about ±1e30 — within float32.
        X: fc.array(fc.double({ min: -1e15, max: 1e15, noNaN: true }), { minLength: n * d, maxLength: n * d }).map((a) => mat(n, d, a)),
        Wq: fc.array(huge, { minLength: d, maxLength: d }).map((a) => mat(d, 1, a)),
        Wk: fc.array(huge, { minLength: d, maxLength: d }).map((a) => mat(d, 1, a)),
        causal: fc.boolean(),
        keyWeights: fc.option(
          fc.array(fc.oneof(fc.constant(0), fc.constant(1e16), fc.double({ min: 0, max: 1e16, noNaN: true })), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
          { nil: null },
        ),
      }),
    );

  it('finite, in [0, 1], masked keys exactly 0, rows sum to 1 (or 0 when empty); agrees with the reference on masks', async () => {
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, Wq, Wk, causal, keyWeights }) => {
        const n = X.rows;
        const input: AttentionInput = { X, heads: [{ Wq, Wk, Wv: mat(X.cols, 1, new Array(X.cols).fill(1)) }], Wo: null, scale: 1e-16, causal, keyWeights };
        const want = referenceAttention(input);
        const empty = new Set(want.warnings[0]?.rows ?? []);
        for (const strategy of STRATEGIES) {
          // Only a named float32 overflow may stop it (V = X·1 can reach 3e15·… but never overflow here).
          const r = await resultOrOverflow(input, strategy);
          if (r instanceof CaseError) continue;
          const A = r.heads[0].A.data;
          for (let i = 0; i < n; i++) {
            let sum = 0;
            for (let j = 0; j < n; j++) {
              const a = A[i * n + j];
              expect(Number.isFinite(a) && a >= 0 && a <= 1 + 1e-6).toBe(true);
              const masked = (causal && j > i) || (keyWeights !== null && keyWeights[j] === 0);
              if (masked) expect(a).toBe(0);
              sum += a;
            }
            if (empty.has(i)) expect(sum).toBe(0);
            else expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
          }
        }
      }),
      { numRuns: 200, seed: 20261130 },
    );
  });
});

describe('the n×n matrices are proven finite from Q and K, and scanned when that fails', () => {
  /** Every number computeAttention returned. */
  const numbers = (r: Awaited<ReturnType<typeof computeAttention>>) => [...r.heads.flatMap((h) => [h.Q, h.K, h.V, h.scores, h.A, h.Z]), r.Z, ...(r.out ? [r.out] : [])];

  it('one overflowing score among 25,600 is named at its element, in both layouts', async () => {
    // s_ij = x_i·x_j: only s_37,37 = 1e40 overflows; row 37 and column 37 hold 1e20 elsewhere.
    const x = Array.from({ length: 160 }, (_, i) => (i === 37 ? 1e20 : 1 + i / 160));
    for (const strategy of STRATEGIES) {
      const err = await computeAttention(scalarCase(x, 1, 1), { strategy }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CaseError);
      expect((err as CaseError).message).toBe('heads[0].scores: not finite at [37][37] (Infinity): the numbers are too large for float32');
    }
  });

  it('a score that overflows to −∞ while A and Z stay finite is still named (only the proof or a scan of the scores can see it)', async () => {
    // s_ij = −x_i·x_j: only s_37,37 (−1e40, or −4e38 just past float32's largest number) overflows, to
    // −∞; softmax gives that key exactly 0 and row 37 puts all its weight on key 0, so A, Z and every
    // n×d matrix are finite. An unsound proof (say, scores taken as finite whatever Q and K) returns
    // the −∞ as a number.
    for (const big of [1e20, 2e19]) {
      const x = Array.from({ length: 160 }, (_, i) => (i === 37 ? big : 1 + i / 160));
      for (const strategy of STRATEGIES) {
        const err = await computeAttention(scalarCase(x, 1, -1), { strategy }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CaseError);
        expect((err as CaseError).message).toBe('heads[0].scores: not finite at [37][37] (-Infinity): the numbers are too large for float32');
      }
    }
    // One step smaller, s_37,37 = −1e38 is a float32 number: no error, and row 37 still puts all its weight on key 0.
    const x = Array.from({ length: 160 }, (_, i) => (i === 37 ? 1e19 : 1 + i / 160));
    const want = referenceAttention(scalarCase(x, 1, -1)).heads[0];
    for (const strategy of STRATEGIES) {
      const r = await computeAttention(scalarCase(x, 1, -1), { strategy });
      const s = r.heads[0].scores.data[37 * 160 + 37];
      expect(Math.abs(s - want.scores.data[37 * 160 + 37])).toBeLessThanOrEqual(1e-6 * 1e38);
      expect(Array.from(r.heads[0].A.data.slice(37 * 160, 37 * 160 + 3))).toEqual([1, 0, 0]);
    }
  });

  it('scores too large to be proven finite but finite all the same are no error (and equal the reference)', async () => {
    // Orthogonal rows of norm 1.5e19: ‖q‖·‖k‖ = 2.25e38 is above the proof's bound, yet s_ii = 2.25e38 < 3.4e38.
    const input: AttentionInput = {
      X: mat(2, 2, [1.5e19, 0, 0, 1.5e19]),
      heads: [{ Wq: mat(2, 2, [1, 0, 0, 1]), Wk: mat(2, 2, [1, 0, 0, 1]), Wv: mat(2, 2, [1, 0, 0, 1]) }],
      Wo: null,
      scale: 1,
      causal: false,
      keyWeights: null,
    };
    const want = referenceAttention(input).heads[0].scores.data;
    for (const strategy of STRATEGIES) {
      const r = await computeAttention(input, { strategy });
      r.heads[0].scores.data.forEach((s, k) => expect(Math.abs(s - want[k])).toBeLessThanOrEqual(1e-6 * Math.abs(want[k])));
      expect(Array.from(r.heads[0].A.data)).toEqual([1, 0, 0, 1]);
    }
  });

  it('property: at any magnitude, either every number returned is finite or a CaseError names the first matrix that is not', async () => {
    const magnitude = fc.constantFrom(1, 1e5, 1e10, 1e15, 1e19, 1e20, 1e25);
    const arb = fc
      .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 2 }), mx: magnitude, mw: magnitude })
      .chain(({ n, d, h, mx, mw }) => {
        const values = (len: number, m: number) => fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: len, maxLength: len }).map((a) => a.map((v) => v * m));
        const weight = values(d * d, mw).map((a) => mat(d, d, a));
        return fc.record({
          X: values(n * d, mx).map((a) => mat(n, d, a)),
          heads: fc.array(fc.record({ Wq: weight, Wk: weight, Wv: weight }), { minLength: h, maxLength: h }),
          scale: fc.constantFrom(1, 0.5, 1e-10, 1e10),
          causal: fc.boolean(),
        });
      });
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, heads, scale, causal }) => {
        const input: AttentionInput = { X, heads, Wo: null, scale, causal, keyWeights: null };
        for (const strategy of STRATEGIES) {
          const r = await resultOrOverflow(input, strategy);
          if (r instanceof CaseError) {
            expect(r.field).toMatch(/^heads\[\d\]\.(Q|K|V|scores|Z)$|^Z$/);
            continue;
          }
          for (const m of numbers(r)) expect(m.data.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });
});
