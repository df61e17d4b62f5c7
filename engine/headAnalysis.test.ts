// analyzeHeads on constructed attention patterns: scores per layer/head, the probe's induction, similarity.
import { describe, expect, it } from 'vitest';
import { analyzeHeads } from './headAnalysis.ts';
import type { Matrix } from './types.ts';

/** Causal n×n attention where row i puts all its mass on key pick(i). */
function oneHot(n: number, pick: (i: number) => number): Matrix {
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + pick(i)] = 1;
  return { rows: n, cols: n, data };
}

const prev = (n: number) => oneHot(n, (i) => Math.max(0, i - 1));
const first = (n: number) => oneHot(n, () => 0);

describe('analyzeHeads', () => {
  it('scores every head and ranks identical patterns as similar', () => {
    const n = 6;
    const a = analyzeHeads({ layers: [[prev(n), first(n)], [prev(n), oneHot(n, (i) => i)]], tokens: [1, 2, 3, 4, 5, 6] }, { causal: true });
    expect(a.scores).toHaveLength(2);
    expect(a.scores[0][0].previousToken).toBe(1);
    expect(a.scores[0][1].firstToken).toBe(1);
    expect(a.scores[1][1].self).toBe(1);
    expect(Number.isNaN(a.scores[0][0].induction)).toBe(true); // nothing repeats and no probe
    expect(a.inductionOn).toBe('input');
    const sim = a.similarity!;
    expect(sim[0][2]).toBeCloseTo(1, 12); // L1H1 and L2H1 are both previous-token heads
    expect(sim[0][1]).toBeLessThan(0.5);
    expect(sim[1][0]).toBe(sim[0][1]);
  });

  it('takes the induction score from the probe', () => {
    // Probe: tokens 7 8 9 7 8 9; an induction head at i ≥ 3 attends to i − 2 (the token after the earlier copy).
    const probeTokens = [7, 8, 9, 7, 8, 9];
    const ind = oneHot(6, (i) => (i >= 3 ? i - 2 : 0));
    const a = analyzeHeads(
      { layers: [[prev(4)]], tokens: [1, 2, 3, 4] },
      { causal: true, probe: { layers: [[ind]], tokens: probeTokens, rows: { from: 3, to: 6 } } },
    );
    expect(a.scores[0][0].induction).toBe(1);
    expect(a.scores[0][0].previousToken).toBe(1);
    expect(a.inductionOn).toBe('probe');
  });

  it('skips the similarity matrix for large inputs', () => {
    const a = analyzeHeads({ layers: [[prev(8), first(8)]], tokens: [1, 2, 3, 4, 5, 6, 7, 8] }, { causal: true, maxSimilarityWork: 10 });
    expect(a.similarity).toBeNull();
    expect(a.scores[0][1].firstToken).toBe(1);
  });
});
