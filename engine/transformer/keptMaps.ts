// A run's attention maps, kept to answer later questions (another layer, a focused row). A decoder's at
// half the size: under the causal mask A[i][j] is exactly 0 for every j > i (the mask is a −∞ bias), so
// storing the lower triangle with its diagonal — n(n+1)/2 numbers a head instead of n² — loses nothing:
// every map and row read back equals the original bit for bit. An encoder's (full attention) whole.
import type { Matrix } from '../types.ts';

export class KeptMaps {
  private readonly packed: (Float32Array | undefined)[][];
  /** Offset of row i in a kept map, and how many of its numbers are kept (the lower triangle of a causal map). */
  private readonly rowStart: (i: number) => number;
  private readonly rowLength: (i: number) => number;

  constructor(
    readonly n: number,
    readonly layers: number,
    /** The maps are causal (packed to their lower triangle); false: full attention, kept whole. */
    readonly causal = true,
  ) {
    this.packed = Array.from({ length: layers }, () => []);
    this.rowStart = causal ? (i) => (i * (i + 1)) / 2 : (i) => i * n;
    this.rowLength = causal ? (i) => i + 1 : () => n;
  }

  /**
   * Keeps layer `layer`'s maps (n×n each). Causal: throws when a map is not (a non-zero above the
   * diagonal): then half of it would be lost.
   */
  put(layer: number, maps: readonly Matrix[]): void {
    const n = this.n;
    this.packed[layer] = maps.map((A, h) => {
      if (A.rows !== n || A.cols !== n) throw new Error(`layer ${layer} head ${h}: expected ${n}×${n}, got ${A.rows}×${A.cols}`);
      const out = new Float32Array(this.rowStart(n));
      for (let i = 0; i < n; i++) {
        const row = i * n;
        const kept = this.rowLength(i);
        for (let j = kept; j < n; j++) {
          if (A.data[row + j] !== 0) throw new Error(`layer ${layer} head ${h}: A[${i}][${j}] = ${A.data[row + j]} above the diagonal: not a causal map`);
        }
        out.set(A.data.subarray(row, row + kept), this.rowStart(i));
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
    for (let i = 0; i < n; i++) data.set(p.subarray(this.rowStart(i), this.rowStart(i) + this.rowLength(i)), i * n);
    return { rows: n, cols: n, data };
  }

  /** Row `query` of a head's map (n numbers, a new array). */
  row(layer: number, head: number, query: number): Float32Array {
    const p = this.of(layer, head);
    const out = new Float32Array(this.n);
    out.set(p.subarray(this.rowStart(query), this.rowStart(query) + this.rowLength(query)));
    return out;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.packed.reduce((s, heads) => s + heads.reduce((t, p) => t + (p?.byteLength ?? 0), 0), 0);
  }
}
