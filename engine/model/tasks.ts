// Training data for the character transformer: seeded batch samplers over the shipped ASCII vocabulary
// (format.ts asciiVocabulary), so the user's text can be fed to any model trained on them. The tasks:
//   corpus     windows of a given text;
//   copy       "abc|abc " examples packed into a row: a random lowercase string, a separator, the same string;
//   reverse    "abc|cba ": the string, a separator, the string reversed;
//   induction  a random segment written twice in a row of random filler.
// A target the model cannot predict (a random character, where a random string ends) gets loss weight 0,
// so the loss falls to 0 as the model learns the task, and its curve shows the learning.
// The small architecture the tasks are made for is here too (not in trainer.ts), so a page can show
// model sizes without loading TensorFlow.js.
import { uniformStream } from '../seeded.ts';
import { asciiVocabulary, type ModelArchitecture } from './format.ts';

export type TaskName = 'corpus' | 'copy' | 'reverse' | 'induction';
export const TASK_NAMES: readonly TaskName[] = ['copy', 'reverse', 'induction', 'corpus'];

/** The sizes a browser user picks; dHead defaults to dModel / nHeads and dMlp to 4·dModel. */
export type ArchSize = Pick<ModelArchitecture, 'nLayers' | 'nHeads' | 'dModel' | 'dHead' | 'dMlp' | 'context'>;

export const DEFAULT_SIZE = { nLayers: 2, nHeads: 4, dModel: 32, context: 32 } as const;

export function trainArchitecture(size: Partial<ArchSize> = {}): ModelArchitecture {
  const nLayers = size.nLayers ?? DEFAULT_SIZE.nLayers;
  const nHeads = size.nHeads ?? DEFAULT_SIZE.nHeads;
  const dModel = size.dModel ?? DEFAULT_SIZE.dModel;
  return {
    type: 'decoder-only-transformer',
    nLayers,
    nHeads,
    dModel,
    // W^O maps nHeads·dHead back to dModel, so dHead need not divide dModel exactly.
    dHead: size.dHead ?? Math.max(1, Math.floor(dModel / nHeads)),
    dMlp: size.dMlp ?? 4 * dModel,
    context: size.context ?? DEFAULT_SIZE.context,
    vocabSize: asciiVocabulary().tokens.length,
    norm: 'pre-layernorm',
    layerNormEps: 1e-5,
    activation: 'gelu-tanh',
    positional: 'learned',
    attentionBias: false,
    tiedEmbeddings: false,
  };
}

export interface Batch {
  B: number;
  T: number;
  /** B×T input ids. */
  x: Int32Array;
  /** B×T target ids (x shifted by one). */
  y: Int32Array;
  /** B×T loss weights: 0 where the target cannot be predicted (e.g. the first copy of a random segment). */
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

/** Character ids (Uint8Array; vocab size < 256), unknown characters → unknownId. */
export function encode(text: string, charToId: Map<string, number>, unknownId: number): Uint8Array {
  const chars = Array.from(text);
  const out = new Uint8Array(chars.length);
  chars.forEach((c, i) => (out[i] = charToId.get(c) ?? unknownId));
  return out;
}

/**
 * Deterministic batches of text (the shipped model's sampler). A plain row is a random window of T+1
 * characters of the text. A repeated row is such a window in which a segment S (length L in
 * [minSegment, (T+1)/2]) is written at p and again at p + L + gap: "…text S gap-text S text…", where S
 * is another stretch of the text or uniformly random characters.
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

// ------------------------------------------------------------------------------------------------
// The synthetic tasks, as characters of the ASCII vocabulary.

/** Between a string and its copy (copy, reverse). */
export const SEPARATOR = '|';
/** After the second half of a copy or reverse example. */
export const EXAMPLE_END = ' ';
const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const ALPHANUMERIC = `${LOWERCASE}ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789`;
/** String lengths of copy and reverse examples (shorter when the context is small). */
const PAIR_LENGTH = { min: 3, max: 8 };
const MIN_SEGMENT = 4;

const VOCAB = asciiVocabulary();
const CHAR_TO_ID = new Map(VOCAB.tokens.map((t, i) => [t, i] as const).filter(([, i]) => i !== VOCAB.unknownId));

/** The ASCII vocabulary's id of a character of the task alphabets. */
function idOf(ch: string): number {
  const id = CHAR_TO_ID.get(ch);
  if (id === undefined) throw new Error(`tasks: ${JSON.stringify(ch)} is not in the ASCII vocabulary`);
  return id;
}

/** One row of a synthetic task: `chars` (length W) and whether each character can be predicted from the ones before it. */
interface Row {
  chars: string[];
  learnable: boolean[];
}

type RandomInt = (lo: number, hi: number) => number;

/** Copy or reverse examples, packed from the row's start and cut at W characters. */
function pairRow(W: number, int: RandomInt, reverse: boolean): Row {
  const max = Math.max(1, Math.min(PAIR_LENGTH.max, Math.floor((W - 2) / 2)));
  const min = Math.min(PAIR_LENGTH.min, max);
  const chars: string[] = [];
  const learnable: boolean[] = [];
  const push = (c: string, ok: boolean) => {
    chars.push(c);
    learnable.push(ok);
  };
  while (chars.length < W) {
    const s = Array.from({ length: int(min, max) }, () => LOWERCASE[int(0, LOWERCASE.length - 1)]);
    // Where the string ends is random, so the separator is not predictable; everything after it is.
    for (const c of s) push(c, false);
    push(SEPARATOR, false);
    for (const c of reverse ? s.slice().reverse() : s) push(c, true);
    push(EXAMPLE_END, true);
  }
  return { chars: chars.slice(0, W), learnable: learnable.slice(0, W) };
}

/**
 * Random filler with a random segment S written twice: filler S filler S filler (the gap at least 1).
 * S is a quarter to half of the row, so that many targets reward an induction head.
 */
function inductionRow(W: number, int: RandomInt): Row {
  const maxL = Math.max(1, Math.floor((W - 1) / 2));
  const L = int(Math.min(maxL, Math.max(MIN_SEGMENT, Math.floor(W / 4))), maxL);
  const slack = W - 2 * L; // filler characters: ≥ 1
  const gap = int(1, slack);
  const p = int(0, slack - gap);
  const q = p + L + gap;
  const chars = Array.from({ length: W }, () => ALPHANUMERIC[int(0, ALPHANUMERIC.length - 1)]);
  for (let k = 0; k < L; k++) chars[q + k] = chars[p + k];
  // The second copy's first character could be any filler; the rest follow from the first copy.
  const learnable = chars.map((_, k) => k > q && k < q + L);
  return { chars, learnable };
}

export interface TaskSamplerOptions {
  task: TaskName;
  /** Rows per batch. */
  B: number;
  /** Tokens per row (the model's context). */
  T: number;
  seed: number;
  /** The text of the corpus task (required for it). */
  corpusText?: string;
}

/** A seeded batch sampler for a task: the same options give the same batches. */
export function taskSampler(o: TaskSamplerOptions): () => Batch {
  if (o.task === 'corpus') {
    const ids = encode(o.corpusText ?? '', CHAR_TO_ID, VOCAB.unknownId);
    if (ids.length < o.T + 1) throw new Error(`tasks: the corpus text has ${ids.length} characters; the corpus task needs at least ${o.T + 1}`);
    return makeSampler(ids, { B: o.B, T: o.T, seed: o.seed, repeatFraction: 0, randomSegmentFraction: 0, alphabet: [], minSegment: MIN_SEGMENT });
  }
  const task = o.task;
  const rnd = uniformStream(`task\u0000${task}\u0000${o.seed}`);
  const int: RandomInt = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const W = o.T + 1;
  return () => {
    const x = new Int32Array(o.B * o.T);
    const y = new Int32Array(o.B * o.T);
    const w = new Float32Array(o.B * o.T);
    for (let b = 0; b < o.B; b++) {
      const row = task === 'induction' ? inductionRow(W, int) : pairRow(W, int, task === 'reverse');
      for (let t = 0; t < o.T; t++) {
        x[b * o.T + t] = idOf(row.chars[t]);
        y[b * o.T + t] = idOf(row.chars[t + 1]);
        w[b * o.T + t] = row.learnable[t + 1] ? 1 : 0;
      }
    }
    return { B: o.B, T: o.T, x, y, w, repeated: o.B };
  };
}

/** Used by taskExample for the corpus task when no corpus text is at hand. */
const CORPUS_FALLBACK = 'The jury said it did find that many of the';

/**
 * One example input of a task, at most `context` characters, for the user to feed to a model trained
 * on it: whole copy/reverse examples ("abc|abc defg|defg"), an induction row, or a stretch of the
 * corpus text starting at a word.
 */
export function taskExample(task: TaskName, seed: number, opts: { context?: number; corpusText?: string } = {}): string {
  const context = opts.context ?? 32;
  const rnd = uniformStream(`example\u0000${task}\u0000${seed}`);
  const int: RandomInt = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  if (task === 'induction') return inductionRow(context, int).chars.join('');
  if (task === 'corpus') {
    const text = (opts.corpusText ?? CORPUS_FALLBACK).replace(/\n/g, ' ');
    const start = text.length <= context ? 0 : text.indexOf(' ', int(0, text.length - context - 1)) + 1;
    const stretch = text.slice(start, start + context + 1);
    // Whole words only.
    return stretch.length <= context ? stretch : stretch.slice(0, Math.max(stretch.lastIndexOf(' '), 1));
  }
  const row = pairRow(4 * context, int, task === 'reverse').chars.join('');
  // Whole examples only: cut after the last example end that fits.
  const cut = row.slice(0, context + 1).lastIndexOf(EXAMPLE_END);
  return row.slice(0, cut > 0 ? cut : context);
}
