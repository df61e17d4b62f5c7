// Property tests (fast-check): on random shapes and values, the tfjs engine agrees with the
// independent float64 reference within float32 tolerance.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import { initBackend } from './backend.ts';
import type { AttentionInput, Matrix } from './types.ts';
import { expectResultsClose } from './test-utils.ts';

const value = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });
const mat = (rows: number, cols: number) =>
  fc.array(value, { minLength: rows * cols, maxLength: rows * cols }).map((a): Matrix => ({ rows, cols, data: Float64Array.from(a) }));

const inputArb: fc.Arbitrary<AttentionInput> = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 8 }),
    h: fc.integer({ min: 1, max: 4 }),
    dk: fc.integer({ min: 1, max: 6 }),
    dv: fc.integer({ min: 1, max: 6 }),
    dOut: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  })
  .chain(({ n, d, h, dk, dv, dOut }) =>
    fc.record({
      X: mat(n, d),
      heads: fc.array(fc.record({ Wq: mat(d, dk), Wk: mat(d, dk), Wv: mat(d, dv) }), { minLength: h, maxLength: h }),
      Wo: dOut === null ? fc.constant(null) : mat(h * dv, dOut),
      scale: fc.option(fc.double({ min: 0.05, max: 4, noNaN: true }), { nil: null }),
      causal: fc.boolean(),
      keyWeights: fc.option(
        fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 5, noNaN: true })), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a)),
        { nil: null },
      ),
    }),
  );

describe('property: engine = float64 reference (within float32 tolerance)', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('random shapes, values, scales, masks and key weights', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        const want = referenceAttention(input);
        for (const strategy of ['per-head', 'batched'] as const) {
          const got = await computeAttention(input, { strategy });
          expectResultsClose(got, want, 1e-4, 1e-4);
          // no NaN anywhere, even for rows without an admissible key
          for (const h of got.heads) for (const m of [h.scores, h.A, h.Z]) expect(m.data.every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('large score ranges stay stable (values up to ±30, scale 1)', async () => {
    const big = fc.double({ min: -30, max: 30, noNaN: true });
    const arb = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        X: fc.array(big, { minLength: n * 2, maxLength: n * 2 }).map((a): Matrix => ({ rows: n, cols: 2, data: Float64Array.from(a) })),
        causal: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ({ X, causal }) => {
        const I: Matrix = { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1) };
        // scores = x_i·x_j up to 1800 in magnitude
        const input: AttentionInput = { X, heads: [{ Wq: I, Wk: I, Wv: I }], Wo: null, scale: 1, causal, keyWeights: null };
        const want = referenceAttention(input);
        for (const strategy of ['per-head', 'batched'] as const) {
          const got = await computeAttention(input, { strategy });
          for (const m of [got.heads[0].A, got.heads[0].Z]) expect(m.data.every(Number.isFinite)).toBe(true);
          // float32 scores of ~1000 carry ~1e-4 absolute error, which moves A by about that much
          expectResultsClose(got, want, 1e-3, 1e-3);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});
