// The KV cache of generation, as a teaching computation: tokens arrive one at a time; each new token's
// query, key and value come from the engine (computeAttention on that one row, rotated at its position),
// its key and value are appended to the cache, and its row of A is computed against every cached key —
// one new row per step instead of the whole matrix again. The rows equal the full causal recomputation
// (kvCache.test.ts checks them against computeAttention), and a cost counter counts the multiply-adds of
// both ways.
//
// Heads that share a key/value head (grouped-query attention) share one cache entry; with a local window
// the cache keeps only the last `window` keys. Each cached key keeps its weight w_j (padding is w_j = 0),
// which multiplies e^{s_j} exactly as in computeAttention: a key of weight 0 takes no part in any row.
import { computeAttention } from './attention.ts';
import { kvHeadsOf } from './gqa.ts';
import { admissibleRange } from './keyRange.ts';
import { row } from './matrix.ts';
import { onlineSoftmaxRow } from './onlineSoftmax.ts';
import type { AttentionInput, Matrix } from './types.ts';

/** A layer's attention without its tokens: what a cache is built for. */
export type CacheLayer = Pick<AttentionInput, 'heads' | 'scale' | 'rotary' | 'window'>;

/** Multiply-adds of the matrix products (projections, q·k, a·v); W^O and the rotation are left out of both. */
export interface StepCost {
  /** With the cache: the new token's q, k, v, and its one row of scores and weighted sum. */
  cached: number;
  /** Without: every projection, score and weighted sum of the t + 1 tokens again. */
  recompute: number;
}

export interface CacheHeadStep {
  /** The new query (rotated at its position with RoPE). */
  q: number[];
  /** scale·q·k_j for every position j ≤ t (−∞ for a key the window has evicted). */
  scores: number[];
  /** The new row of A (positions 0…t; 0 for an evicted key or one of weight 0). */
  a: number[];
  /** z = Σ_j a_j v_j. */
  z: number[];
}

export interface CacheStep {
  /** The new token's position t (0-based). */
  position: number;
  /** What was appended: the new key and value of every key/value head. */
  k: number[][];
  v: number[][];
  heads: CacheHeadStep[];
  /** Keys held per key/value head after the step, from position `first` on. */
  held: number;
  first: number;
  cost: StepCost;
  /** The costs summed over every step so far. */
  total: StepCost;
}

const rowOf = (m: Matrix, i: number) => Array.from(row(m, i));

/**
 * The new token's row of attention from the cache: q against the cached keys of positions first…t (the
 * ones a window still holds), softmax weighted by the keys' weights (null: all 1), and the weighted sum of
 * the cached values. `scores` and `a` cover positions 0…t (−∞ and 0 before `first`).
 */
export function cacheRow(q: readonly number[], keys: readonly (readonly number[])[], values: readonly (readonly number[])[], scale: number, first = 0, weights: readonly number[] | null = null): CacheHeadStep {
  const held = keys.length;
  if (weights && weights.length !== held) throw new RangeError(`key weights: expected ${held} (one per cached key), got ${weights.length}`);
  const s = keys.map((kj) => scale * kj.reduce((acc, kt, c) => acc + kt * q[c], 0));
  const soft = onlineSoftmaxRow(s, { rows: held, cols: values[0].length, data: Float64Array.from(values.flat()) }, held, { keyWeights: weights });
  const pad = <T>(r: T[], fill: T) => [...new Array<T>(first).fill(fill), ...r];
  return { q: q.slice(), scores: pad(s, -Infinity), a: pad(soft.weights, 0), z: soft.z };
}

/** The shapes the cost depends on: model width, query and key/value heads, head sizes. */
export interface CostShape {
  d: number;
  heads: number;
  kvHeads: number;
  dk: number;
  dv: number;
}

/** Multiply-adds of step t (0-based) with `held` keys in the cache, and of recomputing all t + 1 tokens instead. */
export function stepCost(shape: CostShape, t: number, held: number): StepCost {
  const { d, heads, kvHeads, dk, dv } = shape;
  const n = t + 1;
  const projections = d * (heads * dk + kvHeads * (dk + dv));
  return { cached: projections + heads * held * (dk + dv), recompute: n * projections + heads * n * n * (dk + dv) };
}

export class KvCache {
  /** The key/value head each query head reads. */
  readonly kvOf: number[];
  private readonly keys: number[][][];
  private readonly values: number[][][];
  /** The weight of each cached position (shared by every key/value head). */
  private readonly weights: number[] = [];
  private readonly total: StepCost = { cached: 0, recompute: 0 };
  private t = 0;

  constructor(private readonly layer: CacheLayer) {
    this.kvOf = kvHeadsOf(layer.heads);
    const kvHeads = Math.max(...this.kvOf) + 1;
    this.keys = Array.from({ length: kvHeads }, () => []);
    this.values = Array.from({ length: kvHeads }, () => []);
  }

  /** Tokens appended so far. */
  get length(): number {
    return this.t;
  }

  /**
   * Appends token x (one row of the layer's X, length d) with its key weight (w ≥ 0; 0 for a padding token,
   * which still gets its own row but is never attended to) and computes its row of attention from the cache.
   */
  async append(x: ArrayLike<number>, weight = 1): Promise<CacheStep> {
    const { heads, window } = this.layer;
    const d = heads[0].Wq.rows;
    if (x.length !== d) throw new RangeError(`token: expected ${d} numbers (d), got ${x.length}`);
    if (!(Number.isFinite(weight) && weight >= 0)) throw new RangeError(`key weight: expected a finite number ≥ 0, got ${weight}`);
    const t = this.t;
    // The engine projects (and rotates, at position t) the new token: the same code as the full pass.
    const one = await computeAttention({ X: { rows: 1, cols: d, data: Float64Array.from(x) }, heads, Wo: null, scale: this.layer.scale, causal: true, keyWeights: null, rotary: this.layer.rotary, positionOffset: t });
    const kvHeads = this.keys.length;
    const k: number[][] = [];
    const v: number[][] = [];
    for (let g = 0; g < kvHeads; g++) {
      const head = one.heads[this.kvOf.indexOf(g)];
      k.push(rowOf(head.K, 0));
      v.push(rowOf(head.V, 0));
      this.keys[g].push(k[g]);
      this.values[g].push(v[g]);
    }
    const { lo: first } = admissibleRange(t, t + 1, true, window ?? null);
    // A window never looks back further than `window` keys: older entries are dropped from the cache.
    const evict = (list: number[][][]) => list.forEach((rows) => rows.splice(0, rows.length - (t + 1 - first)));
    evict(this.keys);
    evict(this.values);
    this.weights.push(weight);
    this.weights.splice(0, this.weights.length - (t + 1 - first));
    const held = t + 1 - first;
    const out = one.heads.map((hr, h) => cacheRow(rowOf(hr.Q, 0), this.keys[this.kvOf[h]], this.values[this.kvOf[h]], one.scale, first, this.weights));
    const cost = stepCost({ d, heads: heads.length, kvHeads, dk: heads[0].Wq.cols, dv: heads[0].Wv.cols }, t, held);
    this.total.cached += cost.cached;
    this.total.recompute += cost.recompute;
    this.t = t + 1;
    return { position: t, k, v, heads: out, held, first, cost, total: { ...this.total } };
  }
}
