// The corpora the app ships, as data: where each one's text is (relative to the page's base URL) and
// how it becomes sequences. Their names and descriptions are in the i18n catalogs (corpus.shipped.*);
// origins and licences in public/corpora/README.md.
import { makeInductionProbe } from '../headScores.ts';
import { parseTextCorpus, type CorpusEntry } from './read.ts';

export type ShippedCorpusId = 'brown' | 'stories' | 'zh' | 'induction';

export interface ShippedCorpus {
  id: ShippedCorpusId;
  /** The text file, relative to the page's base URL; null for a corpus made for each model. */
  path: string | null;
  /** One sequence per line, or per sentence of each line (long prose). */
  split: 'lines' | 'sentences' | null;
}

export const SHIPPED_CORPORA: readonly ShippedCorpus[] = [
  { id: 'brown', path: 'train/brown-excerpt.txt', split: 'sentences' },
  { id: 'stories', path: 'corpora/stories.txt', split: 'lines' },
  { id: 'zh', path: 'corpora/zh.txt', split: 'lines' },
  { id: 'induction', path: null, split: null },
];

/**
 * The sentences of prose: a break after . ! or ? (and a closing quote) followed by space and a capital
 * letter, a digit or an opening quote. Abbreviations like "Jr." before a capital split too — harmless
 * for a corpus of sequences.
 */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A shipped corpus' text as sequences, each with its line in the file. */
export function shippedEntries(corpus: ShippedCorpus, text: string): CorpusEntry[] {
  const lines = parseTextCorpus(text);
  if (corpus.split !== 'sentences') return lines;
  return lines.flatMap(({ text: t, line }) => sentences(t).map((s) => ({ text: s, line })));
}

/** The repeated-random-tokens probe: `count` sequences, each a random segment of `half` ids from `alphabet` twice (seeded). */
export function inductionProbeCorpus(alphabet: readonly number[], count: number, half: number, seed: number): CorpusEntry[] {
  return Array.from({ length: count }, (_, s) => ({ ids: makeInductionProbe(alphabet, half, seed * 100_003 + s).tokens, line: null }));
}
