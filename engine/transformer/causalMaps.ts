// A decoder's attention maps at half the size. Under the causal mask A[i][j] is exactly 0 for every
// j > i (the mask is a −∞ bias), so storing the lower triangle with its diagonal — n(n+1)/2 numbers a
// head instead of n² — loses nothing: every map and row read back equals the original bit for bit.
import type { Matrix } from '../types.ts';

/** Offset of row i in the packed lower triangle. */
const rowStart = (i: number) => (i * (i + 1)) / 2;

export class CausalMaps {
  private readonly packed: (Float32Array | undefined)[][];

  constructor(
    readonly n: number,
    readonly layers: number,
  ) {
    this.packed = Array.from({ length: layers }, () => []);
  }

  /**
   * Keeps layer `layer`'s maps (n×n each). Throws when a map is not causal (a non-zero above the
   * diagonal): then half of it would be lost.
   */
  put(layer: number, maps: readonly Matrix[]): void {
    const n = this.n;
    this.packed[layer] = maps.map((A, h) => {
      if (A.rows !== n || A.cols !== n) throw new Error(`layer ${layer} head ${h}: expected ${n}×${n}, got ${A.rows}×${A.cols}`);
      const out = new Float32Array(rowStart(n));
      for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let j = i + 1; j < n; j++) {
          if (A.data[row + j] !== 0) throw new Error(`layer ${layer} head ${h}: A[${i}][${j}] = ${A.data[row + j]} above the diagonal: not a causal map`);
        }
        out.set(A.data.subarray(row, row + i + 1), rowStart(i));
      }
      return out;
    });
  }

  /** How many heads layer `layer` holds (0 before put). */
  heads(layer: number): number {
    return this.packed[layer]?.length ?? 0;
  }

  private of(layer: number, head: number): Float32Array {
    const p = this.packed[layer]?.[head];
    if (!p) throw new Error(`no map kept for layer ${layer} head ${head}`);
    return p;
  }

  /** Head `head` of layer `layer` as an n×n matrix (a new array). */
  map(layer: number, head: number): Matrix {
    const p = this.of(layer, head);
    const n = this.n;
    const data = new Float32Array(n * n);
    for (let i = 0; i < n; i++) data.set(p.subarray(rowStart(i), rowStart(i) + i + 1), i * n);
    return { rows: n, cols: n, data };
  }

  /** Row `query` of a head's map (n numbers, a new array). */
  row(layer: number, head: number, query: number): Float32Array {
    const p = this.of(layer, head);
    const out = new Float32Array(this.n);
    out.set(p.subarray(rowStart(query), rowStart(query) + query + 1));
    return out;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.packed.reduce((s, heads) => s + heads.reduce((t, p) => t + (p?.byteLength ?? 0), 0), 0);
  }
}
