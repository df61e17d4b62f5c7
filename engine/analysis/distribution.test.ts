import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { klDivergence, logSoftmax, predictionChange, softmax, topK } from './distribution.ts';
import { attentionDifference, matchTokens } from './compare.ts';

describe('distributions from logits', () => {
  it('softmax by hand: logits (0, ln 3) → (1/4, 3/4), stable at ±1e4', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 15);
    expect(p[1]).toBeCloseTo(0.75, 15);
    expect(Array.from(softmax([1e4, 1e4 - Math.log(3)]))).toEqual([0.75, 0.25].map((x) => expect.closeTo(x, 12)));
    expect(logSoftmax([-1e4, 0])[0]).toBeCloseTo(-1e4, 6);
  });

  it('top-k: most probable first, k at most V', () => {
    expect(topK([0.1, 0.5, 0.05, 0.35], 2)).toEqual([
      { id: 1, p: 0.5 },
      { id: 3, p: 0.35 },
    ]);
    expect(topK([0.2, 0.8], 5).map((t) => t.id)).toEqual([1, 0]);
  });

  it('KL by hand: P = (½, ½), Q = (¼, ¾) → ½ln2 + ½ln(2/3); KL(P‖P) = 0; KL ≥ 0', () => {
    expect(klDivergence([0, 0], [0, Math.log(3)])).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 14);
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 2, maxLength: 12 }), (l) => {
        expect(klDivergence(l, l)).toBeCloseTo(0, 12);
        const q = l.map((x, i) => x + (i % 3));
        expect(klDivergence(l, q)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('prediction change: Δlog p of the target and the top tokens before and after', () => {
    const c = predictionChange([0, 0, 0], [0, Math.log(2), 0], 1, 2);
    expect(c.logpBefore).toBeCloseTo(Math.log(1 / 3), 14);
    expect(c.logpAfter).toBeCloseTo(Math.log(2 / 4), 14);
    expect(c.deltaLogp).toBeCloseTo(Math.log(1.5), 14);
    expect(c.topAfter[0]).toEqual({ id: 1, p: expect.closeTo(0.5, 14) });
  });
});

describe('comparing two inputs', () => {
  it('matches rows along the longest common subsequence', () => {
    const a = 'the animal was too tired'.split(' ');
    const b = 'the animal was far too wide'.split(' ');
    expect(matchTokens(a, b)).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
    expect(matchTokens(['x'], ['y'])).toEqual([]);
  });

  it('the difference of two aligned maps is B − A', () => {
    const A = { rows: 1, cols: 2, data: Float32Array.of(0.25, 0.75) };
    const B = { rows: 1, cols: 2, data: Float32Array.of(0.5, 0.5) };
    expect(Array.from(attentionDifference(A, B).data)).toEqual([0.25, -0.25]);
    expect(() => attentionDifference(A, { rows: 2, cols: 2, data: new Float32Array(4) })).toThrow(/1×2 vs 2×2/);
  });
});
