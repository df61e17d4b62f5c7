// Float32Arrays handed back for reuse. Memory an engine result was written into before is cheap to
// write again; fresh memory is not: the system maps and zeroes every new page on first touch, and on
// some machines (virtual machines returning freed memory to their host) that costs more than
// computing attention at n = 1,024. So a caller that is done with a result's arrays can give them
// back, and the next computation reads its matrices into them.

/** Where computeAttention takes arrays to read its matrices into (an array of the exact length, or none). */
export interface FloatSource {
  take(length: number): Float32Array | undefined;
}

/** Arrays by length, oldest dropped first beyond `maxBytes`. */
export class FloatPool implements FloatSource {
  readonly #free: Float32Array[] = [];
  readonly #asked = new Set<number>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Gives a whole buffer back (its bytes as float32); a buffer of another size stays until pushed out. */
  put(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0 || buffer.byteLength % 4 !== 0 || buffer.byteLength > this.maxBytes) return;
    this.#free.push(new Float32Array(buffer));
    this.#bytes += buffer.byteLength;
    while (this.#bytes > this.maxBytes) this.#bytes -= this.#free.shift()!.byteLength;
  }

  take(length: number): Float32Array | undefined {
    this.#asked.add(length);
    // The newest first: its pages are the most likely to be resident still.
    for (let k = this.#free.length - 1; k >= 0; k--) {
      const a = this.#free[k];
      if (a.length !== length) continue;
      this.#free.splice(k, 1);
      this.#bytes -= a.byteLength;
      return a;
    }
    return undefined;
  }

  /** Drops the arrays of lengths not asked for since the last trim (the sizes have changed). */
  trim(): void {
    for (let k = this.#free.length - 1; k >= 0; k--) {
      if (this.#asked.has(this.#free[k].length)) continue;
      this.#bytes -= this.#free[k].byteLength;
      this.#free.splice(k, 1);
    }
    this.#asked.clear();
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }
}
