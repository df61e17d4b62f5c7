// A file's bytes as the loader holds them. A browser will not allocate one ArrayBuffer of 2 GiB or more
// (Chromium stops at 2,145,386,496 bytes; Firefox just under 2 GiB), yet a 1B-class checkpoint's single
// model.safetensors is 2.5 GB: such a file is kept as consecutive pieces. A byte range is a view when it
// lies inside one piece and a copy of just that range when it crosses a seam.

/** Bytes in each piece of a file that does not fit one: 1 GiB, well under every browser's cap. */
export const PIECE_BYTES = 2 ** 30;

/** A file as consecutive pieces (each a Uint8Array of its own buffer). */
export class Pieces {
  readonly byteLength: number;
  /** Offset in the file of each piece's first byte. */
  private readonly starts: number[];

  readonly pieces: readonly Uint8Array[];

  constructor(pieces: readonly Uint8Array[]) {
    this.pieces = pieces.filter((p) => p.byteLength > 0);
    this.starts = [];
    let at = 0;
    for (const p of this.pieces) {
      this.starts.push(at);
      at += p.byteLength;
    }
    this.byteLength = at;
  }

  /** Bytes begin…end−1: a view into one piece, or a copy when the range crosses from one piece into the next. */
  range(begin: number, end: number): Uint8Array {
    if (!(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= this.byteLength)) {
      throw new RangeError(`bytes ${begin}…${end} are outside 0…${this.byteLength}`);
    }
    if (begin === end) return new Uint8Array(0);
    let k = this.pieceAt(begin);
    const first = this.pieces[k];
    const local = begin - this.starts[k];
    if (end - this.starts[k] <= first.byteLength) return first.subarray(local, end - this.starts[k]);
    const out = new Uint8Array(end - begin);
    let written = 0;
    for (let from = local; written < out.byteLength; k++, from = 0) {
      const take = this.pieces[k].subarray(from, from + out.byteLength - written);
      out.set(take, written);
      written += take.byteLength;
    }
    return out;
  }

  /** The piece holding byte `at` (pieces are never empty: the constructor drops empty ones). */
  private pieceAt(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A file's bytes: one array, or pieces when it is larger than a browser's ArrayBuffer can be. */
export type FileBytes = Uint8Array | Pieces;

/** Bytes begin…end−1 of a file: a view where possible (see Pieces.range). */
export function byteRange(bytes: FileBytes, begin: number, end: number): Uint8Array {
  return bytes instanceof Pieces ? bytes.range(begin, end) : bytes.subarray(begin, end);
}

/** The whole file as one array (JSON files, which are capped far below a piece: for pieces this copies). */
export function contiguous(bytes: FileBytes): Uint8Array {
  return bytes instanceof Pieces ? bytes.range(0, bytes.byteLength) : bytes;
}

/** The file in chunks of at most `size` bytes, in order (views: nothing is copied). */
export function* chunksOf(bytes: FileBytes, size: number): Generator<Uint8Array> {
  for (const piece of bytes instanceof Pieces ? bytes.pieces : [bytes]) {
    for (let at = 0; at < piece.byteLength; at += size) yield piece.subarray(at, Math.min(piece.byteLength, at + size));
  }
}

/**
 * Bytes arriving in order (a download, a stream read from a cache), kept in pieces of at most `pieceBytes`.
 * With the size known every piece is allocated at its final length (no copy); without it the last piece
 * doubles as it fills, up to `pieceBytes`, and the next one starts.
 */
export class PieceBuffer {
  private pieces: Uint8Array[] = [];
  /** Bytes written. */
  length = 0;

  constructor(
    /** The file's size when known (the pieces are then exact), else null. */
    public expected: number | null,
    private readonly pieceBytes = PIECE_BYTES,
  ) {}

  write(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.byteLength; ) {
      const piece = this.room();
      const used = this.length % this.pieceBytes;
      const take = Math.min(chunk.byteLength - at, piece.byteLength - used);
      piece.set(chunk.subarray(at, at + take), used);
      this.length += take;
      at += take;
    }
  }

  /** Forget the bytes written (a download that starts over); the pieces are kept for the new bytes. */
  restart(): void {
    this.length = 0;
  }

  /** The bytes written: one array up to `pieceBytes`, else Pieces. */
  bytes(): FileBytes {
    const full = Math.floor(this.length / this.pieceBytes);
    const rest = this.length - full * this.pieceBytes;
    const out = this.pieces.slice(0, full);
    if (rest > 0) {
      const last = this.pieces[full];
      out.push(last.byteLength === rest ? last : last.slice(0, rest));
    }
    if (out.length === 0) return new Uint8Array(0);
    return out.length === 1 ? out[0] : new Pieces(out);
  }

  /** The piece the next byte goes to, with room for it (allocated or grown as needed). */
  private room(): Uint8Array {
    const k = Math.floor(this.length / this.pieceBytes);
    const used = this.length - k * this.pieceBytes;
    const have = this.pieces[k];
    if (have && used < have.byteLength) return have;
    const left = this.expected === null ? null : this.expected - k * this.pieceBytes;
    // Known size: the piece's final length. Unknown: double what this piece holds (64 kB to start).
    const size = Math.min(this.pieceBytes, left !== null && left > used ? left : Math.max(64 * 1024, 2 * used));
    const grown = new Uint8Array(size);
    if (have) grown.set(have.subarray(0, used));
    this.pieces[k] = grown;
    return grown;
  }
}
