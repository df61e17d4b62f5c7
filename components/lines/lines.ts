// Which query→key lines the attention-lines view draws. With n tokens there are n² candidate
// lines per head; most carry almost no weight, so we keep the lines with A_ij ≥ threshold and at
// most topK per query row (the heaviest ones). Isolating one token keeps all its lines ≥ threshold.
import type { Matrix } from '../../engine/types.ts';

export interface LineSet {
  count: number;
  query: Int32Array;
  key: Int32Array;
  weight: Float32Array;
}

export interface CullOptions {
  /** Lines lighter than this are dropped. */
  threshold: number;
  /** At most this many lines per query row (the heaviest); Infinity for no cap. */
  topK: number;
  /** Only the outgoing lines of this query (no topK cap). */
  query?: number | null;
  /** Only the incoming lines of this key (no topK cap). */
  key?: number | null;
}

export const DEFAULT_LINE_THRESHOLD = 0.02;

/** Default per-row cap: every line for short inputs, the heaviest few for long ones. */
export function defaultTopK(n: number): number {
  if (n <= 64) return Infinity;
  if (n <= 256) return 8;
  return 4;
}

class Builder {
  q: number[] = [];
  k: number[] = [];
  w: number[] = [];
  push(i: number, j: number, a: number): void {
    this.q.push(i);
    this.k.push(j);
    this.w.push(a);
  }
  build(): LineSet {
    return { count: this.q.length, query: Int32Array.from(this.q), key: Int32Array.from(this.k), weight: Float32Array.from(this.w) };
  }
}

/** Selects the lines to draw from one head's A (n×n). Lines are returned lightest first, so heavy ones are drawn on top. */
export function selectLines(A: Matrix, options: CullOptions): LineSet {
  const { rows, cols, data } = A;
  const threshold = options.threshold;
  const out = new Builder();
  const onlyQuery = options.query ?? null;
  const onlyKey = options.key ?? null;
  const candidates: { j: number; a: number }[] = [];
  const rowFrom = onlyQuery !== null ? onlyQuery : 0;
  const rowTo = onlyQuery !== null ? Math.min(rows, onlyQuery + 1) : rows;
  const capped = onlyQuery === null && onlyKey === null && Number.isFinite(options.topK);
  for (let i = Math.max(0, rowFrom); i < rowTo; i++) {
    const base = i * cols;
    if (onlyKey !== null) {
      if (onlyKey >= 0 && onlyKey < cols) {
        const a = data[base + onlyKey];
        if (a >= threshold) out.push(i, onlyKey, a);
      }
      continue;
    }
    candidates.length = 0;
    for (let j = 0; j < cols; j++) {
      const a = data[base + j];
      if (a >= threshold) candidates.push({ j, a });
    }
    if (capped && candidates.length > options.topK) {
      candidates.sort((x, y) => y.a - x.a || x.j - y.j);
      candidates.length = Math.max(0, options.topK);
    }
    for (const c of candidates) out.push(i, c.j, c.a);
  }
  const set = out.build();
  return sortByWeight(set);
}

function sortByWeight(set: LineSet): LineSet {
  const order = Array.from({ length: set.count }, (_, k) => k);
  order.sort((x, y) => set.weight[x] - set.weight[y] || x - y);
  return {
    count: set.count,
    query: Int32Array.from(order, (k) => set.query[k]),
    key: Int32Array.from(order, (k) => set.key[k]),
    weight: Float32Array.from(order, (k) => set.weight[k]),
  };
}

/** Bucket index (0..buckets-1) of an opacity, so lines can be stroked in a few batched paths. */
export function opacityBucket(a: number, buckets: number): number {
  const t = a <= 0 ? 0 : a >= 1 ? 1 : a;
  return Math.min(buckets - 1, Math.floor(t * buckets));
}
