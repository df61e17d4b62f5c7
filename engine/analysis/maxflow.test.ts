import { describe, expect, it } from 'vitest';
import type { Matrix } from '../types.ts';
import { attentionFlow, attentionFlowRows, MAX_FLOW_TOKENS } from './maxflow.ts';
import { attentionRollout, residualAttention } from './rollout.ts';

const m = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) });

/** A causal row-stochastic n×n matrix from a seed (deterministic). */
function causalA(n: number, seed: number): Matrix {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = Array.from({ length: n }, (_, i) => {
    const r = Array.from({ length: n }, (_, j) => (j <= i ? 0.05 + rnd() : 0));
    const sum = r.reduce((a, b) => a + b, 0);
    return r.map((x) => x / sum);
  });
  return m(rows);
}

/** Max flow by brute force: the smallest cut over every subset of the middle layers' nodes. */
function minCut(cap: Float64Array[], n: number, source: number, sink: number): number {
  const L = cap.length; // layers of edges; nodes are layers 0..L
  const middle = (L - 1) * n;
  let best = Infinity;
  for (let mask = 0; mask < 1 << middle; mask++) {
    // On the source side: the source, the chosen middle nodes, and the other top nodes (dead ends, so
    // keeping them there cuts nothing); the other input nodes have no way in and stay on the sink side.
    const inS = (k: number, p: number) => (k === 0 ? p === source : k === L ? p !== sink : ((mask >> ((k - 1) * n + p)) & 1) === 1);
    let cut = 0;
    for (let k = 0; k < L; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (inS(k, j) && !inS(k + 1, i)) cut += cap[k][i * n + j];
    best = Math.min(best, cut);
  }
  return best;
}

describe('attention flow (max-flow variant of rollout)', () => {
  it('after one layer it is rollout: each path is a single edge', () => {
    const layers = [[causalA(4, 1), causalA(4, 2)]];
    const F = attentionFlow(layers, 0);
    const R = attentionRollout(layers)[0];
    for (let k = 0; k < 16; k++) expect(F.data[k]).toBeCloseTo(R.data[k], 12);
    // Attention that also looks ahead (not causal) takes the general path.
    const both = [[m([[0.2, 0.8], [0.6, 0.4]])]];
    const Fb = attentionFlow(both, 0);
    const Rb = attentionRollout(both)[0];
    for (let k = 0; k < 4; k++) expect(Fb.data[k]).toBeCloseTo(Rb.data[k], 12);
  });

  it('after two layers each middle node passes the smaller of its two capacities', () => {
    const layers = [[causalA(4, 3)], [causalA(4, 4), causalA(4, 5)]];
    const [c0, c1] = layers.map(residualAttention);
    const F = attentionFlow(layers, 1);
    for (let i = 0; i < 4; i++) {
      const raw = [0, 1, 2, 3].map((j) => [0, 1, 2, 3].reduce((s, p) => s + Math.min(c0[p * 4 + j], c1[i * 4 + p]), 0));
      const sum = raw.reduce((a, b) => a + b, 0);
      for (let j = 0; j < 4; j++) expect(F.data[i * 4 + j]).toBeCloseTo(raw[j] / sum, 12);
    }
  });

  it('equals the minimum cut on three layers, and rows sum to 1', () => {
    const n = 3;
    const layers = [[causalA(n, 6)], [causalA(n, 7)], [causalA(n, 8)]];
    const cap = layers.map(residualAttention);
    const F = attentionFlow(layers, 2);
    for (let i = 0; i < n; i++) {
      const raw = Array.from({ length: n }, (_, j) => minCut(cap, n, j, i));
      const sum = raw.reduce((a, b) => a + b, 0);
      for (let j = 0; j < n; j++) expect(F.data[i * n + j]).toBeCloseTo(raw[j] / sum, 10);
      expect(F.data[i * n] + F.data[i * n + 1] + F.data[i * n + 2]).toBeCloseTo(1, 12);
    }
  });

  it('refuses inputs longer than it is meant for', () => {
    const n = MAX_FLOW_TOKENS + 1;
    expect(() => attentionFlow([[causalA(n, 9)]], 0)).toThrow(/at most 32/);
  });

  it('a row at a time: counts the rows done, and the rows it gives are the minimum cuts', () => {
    const n = 3;
    const layers = [[causalA(n, 10), causalA(n, 11)], [causalA(n, 12), causalA(n, 13)]];
    const cap = layers.map(residualAttention);
    const rows = attentionFlowRows(layers, 1);
    const counts: number[] = [];
    let r = rows.next();
    for (; !r.done; r = rows.next()) counts.push(r.value);
    expect(counts).toEqual([1, 2, 3]);
    for (let i = 0; i < n; i++) {
      const raw = Array.from({ length: n }, (_, j) => minCut(cap, n, j, i));
      const sum = raw.reduce((a, b) => a + b, 0);
      for (let j = 0; j < n; j++) expect(r.value.data[i * n + j]).toBeCloseTo(raw[j] / sum, 10);
    }
  });
});
