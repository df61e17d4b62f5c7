// Attention flow (Abnar & Zuidema 2020, the max-flow variant of rollout): the layers form a graph with a
// node per (layer, position) and an edge from (l, j) up to (l+1, i) whose capacity is Â_l[i][j], the
// same residual-augmented attention rollout multiplies. How much of input j reaches position i after
// layer l is the maximum flow from (0, j) to (l, i); each row is then normalised to sum 1, as in the
// paper. Rollout multiplies paths and lets them share an edge's capacity; flow cannot, so it spreads
// credit more evenly. One max-flow per (i, j) pair per layer: meant for short inputs (MAX_FLOW_TOKENS).
import type { Matrix } from '../types.ts';
import { residualAttention } from './rollout.ts';

/** Above this many tokens the n² max-flows per layer are too slow to run on a page. */
export const MAX_FLOW_TOKENS = 32;

/** Residual capacity below this counts as none (the capacities are float attention weights). */
const EPS = 1e-12;

/**
 * Max flow from (0, source) to (top, sink) in the layered graph with capacities `cap[k][i*n+j]` on the
 * edge (k, j) → (k+1, i), by Edmonds–Karp (shortest augmenting paths; the residual graph also runs
 * back down an edge that carries flow).
 */
function maxFlow(cap: readonly Float64Array[], n: number, top: number, source: number, sink: number, causal: boolean): number {
  // Causal attention only looks back, so a path from `source` to `sink` stays between the two positions.
  const lo = causal ? source : 0;
  const hi = causal ? sink : n - 1;
  if (lo > hi) return 0;
  const flow = cap.slice(0, top).map(() => new Float64Array(n * n));
  const node = (k: number, p: number) => k * n + p;
  const total = (top + 1) * n;
  const prev = new Int32Array(total);
  let value = 0;
  for (;;) {
    prev.fill(-1);
    const start = node(0, source);
    const goal = node(top, sink);
    prev[start] = start;
    const queue = [start];
    for (let q = 0; q < queue.length && prev[goal] < 0; q++) {
      const u = queue[q];
      const k = Math.floor(u / n);
      const p = u % n;
      // Up: (k, p) → (k+1, i) with capacity left.
      if (k < top) {
        for (let i = lo; i <= hi; i++) {
          const v = node(k + 1, i);
          if (prev[v] < 0 && cap[k][i * n + p] - flow[k][i * n + p] > EPS) {
            prev[v] = u;
            queue.push(v);
          }
        }
      }
      // Down: (k, p) → (k−1, j) where the edge (k−1, j) → (k, p) carries flow.
      if (k > 0) {
        for (let j = lo; j <= hi; j++) {
          const v = node(k - 1, j);
          if (prev[v] < 0 && flow[k - 1][p * n + j] > EPS) {
            prev[v] = u;
            queue.push(v);
          }
        }
      }
    }
    if (prev[goal] < 0) return value;
    // The bottleneck along the path, then push it.
    let push = Infinity;
    for (let v = goal; v !== start; v = prev[v]) {
      const u = prev[v];
      const [ku, pu, kv, pv] = [Math.floor(u / n), u % n, Math.floor(v / n), v % n];
      push = Math.min(push, kv > ku ? cap[ku][pv * n + pu] - flow[ku][pv * n + pu] : flow[kv][pu * n + pv]);
    }
    for (let v = goal; v !== start; v = prev[v]) {
      const u = prev[v];
      const [ku, pu, kv, pv] = [Math.floor(u / n), u % n, Math.floor(v / n), v % n];
      if (kv > ku) flow[ku][pv * n + pu] += push;
      else flow[kv][pu * n + pv] -= push;
    }
    value += push;
  }
}

/**
 * Attention flow after layer `layer` (0-based): `layers[l][k]` is head k's n×n A in layer l. Returns an
 * n×n float64 matrix whose row i is where the information at position i came from (rows sum to 1).
 */
export function attentionFlow(layers: Matrix[][], layer: number): Matrix {
  const rows = attentionFlowRows(layers, layer);
  for (;;) {
    const r = rows.next();
    if (r.done) return r.value;
  }
}

/**
 * attentionFlow a row at a time: yields how many rows are done after each one, and returns the matrix. The
 * worker pauses between rows, so that it reports progress and hears a cancel.
 */
export function* attentionFlowRows(layers: Matrix[][], layer: number): Generator<number, Matrix, void> {
  const n = layers[0]?.[0]?.rows ?? 0;
  if (n > MAX_FLOW_TOKENS) throw new Error(`attention flow: ${n} tokens, at most ${MAX_FLOW_TOKENS}`);
  if (layer < 0 || layer >= layers.length) throw new Error(`attention flow: no layer ${layer}`);
  const cap = layers.slice(0, layer + 1).map(residualAttention);
  const causal = cap.every((c) => c.every((x, k) => x === 0 || k % n <= Math.floor(k / n)));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const f = maxFlow(cap, n, layer + 1, j, i, causal);
      data[i * n + j] = f;
      sum += f;
    }
    if (sum > 0) for (let j = 0; j < n; j++) data[i * n + j] /= sum;
    yield i + 1;
  }
  return { rows: n, cols: n, data };
}
