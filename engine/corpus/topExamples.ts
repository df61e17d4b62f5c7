// The K strongest attention weights seen so far, in a bounded min-heap: a corpus run offers every
// (sequence, query, key) weight of a head and keeps only K of them, whatever the corpus size.

/** One place in a corpus: A[query][key] of a head on sequence `sequence` (0-based indices). */
export interface TopExample {
  sequence: number;
  query: number;
  key: number;
  weight: number;
}

/**
 * Keeps the K largest weights offered. Among equal weights the earlier place (sequence, then query, then
 * key) wins, so the result does not depend on the heap's internal order.
 */
export class TopExamples {
  private readonly weight: Float64Array;
  private readonly place: Int32Array; // sequence, query, key per slot
  private size = 0;

  constructor(readonly k: number) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`top: expected a whole number ≥ 0, got ${k}`);
    this.weight = new Float64Array(k);
    this.place = new Int32Array(3 * k);
  }

  /** The weight an offer must beat to be kept (−∞ until K are held). */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.weight[0];
  }

  /** Offers A[query][key] of `sequence` (in any order: ties resolve by place). */
  offer(sequence: number, query: number, key: number, weight: number): void {
    if (this.k === 0 || !(weight >= this.threshold)) return;
    if (this.size === this.k) {
      if (weight === this.weight[0] && !this.earlier(sequence, query, key, 0)) return;
      this.set(0, sequence, query, key, weight);
      this.down(0);
    } else {
      this.set(this.size, sequence, query, key, weight);
      this.up(this.size++);
    }
  }

  /** Forgets everything held. */
  clear(): void {
    this.size = 0;
  }

  /** The kept examples, strongest first (ties: earlier place first). */
  sorted(): TopExample[] {
    const out: TopExample[] = [];
    for (let s = 0; s < this.size; s++) out.push({ sequence: this.place[3 * s], query: this.place[3 * s + 1], key: this.place[3 * s + 2], weight: this.weight[s] });
    return out.sort((a, b) => b.weight - a.weight || a.sequence - b.sequence || a.query - b.query || a.key - b.key);
  }

  private set(s: number, sequence: number, query: number, key: number, weight: number): void {
    this.weight[s] = weight;
    this.place[3 * s] = sequence;
    this.place[3 * s + 1] = query;
    this.place[3 * s + 2] = key;
  }

  /** Whether the place (sequence, query, key) comes before slot s's. */
  private earlier(sequence: number, query: number, key: number, s: number): boolean {
    const p = this.place;
    const o = 3 * s;
    if (sequence !== p[o]) return sequence < p[o];
    if (query !== p[o + 1]) return query < p[o + 1];
    return key < p[o + 2];
  }

  /** Whether slot a is weaker than slot b (the one to drop first): a smaller weight, or the same weight at a later place. */
  private weaker(a: number, b: number): boolean {
    const wa = this.weight[a];
    const wb = this.weight[b];
    if (wa !== wb) return wa < wb;
    return this.earlier(this.place[3 * b], this.place[3 * b + 1], this.place[3 * b + 2], a);
  }

  private swap(a: number, b: number): void {
    const w = this.weight[a];
    this.weight[a] = this.weight[b];
    this.weight[b] = w;
    for (let c = 0; c < 3; c++) {
      const t = this.place[3 * a + c];
      this.place[3 * a + c] = this.place[3 * b + c];
      this.place[3 * b + c] = t;
    }
  }

  private up(s: number): void {
    while (s > 0) {
      const parent = (s - 1) >> 1;
      if (!this.weaker(s, parent)) return;
      this.swap(s, parent);
      s = parent;
    }
  }

  private down(s: number): void {
    for (;;) {
      const l = 2 * s + 1;
      const r = l + 1;
      let m = s;
      if (l < this.size && this.weaker(l, m)) m = l;
      if (r < this.size && this.weaker(r, m)) m = r;
      if (m === s) return;
      this.swap(s, m);
      s = m;
    }
  }
}
