// The Corpus view's part of the document: which corpus, with which caps (what a run depends on), and how
// its results are looked at (the head whose dashboard is open, the heatmap's score, the table's sort and
// filter). Both are in the link; neither is undoable. Pure: shared by the store, urlState and the tests.
import { SCORE_KEYS, type ScoreKey } from '../engine/headScores.ts';
import { SHIPPED_CORPORA, type ShippedCorpusId } from '../engine/corpus/shipped.ts';
import type { HeadRef } from '../engine/transformer/types.ts';
import type { SortDir, SortKey } from '../components/modelview/headTable.ts';

/** A corpus: one the app ships, or a file the user opened (named by a hash of its content). */
export type CorpusSourceId = ShippedCorpusId | `file:${string}`;

/** The corpus the Corpus view runs every head over, and the caps of the run. */
export interface CorpusPick {
  source: CorpusSourceId;
  /** Sequences run (the first ones). */
  maxSequences: number;
  /** Tokens per sequence (longer ones are cut; never past the model's context). */
  maxTokens: number;
  /** Top examples kept per head. */
  top: number;
}

/** How the results are looked at. */
export interface CorpusLook {
  /** The head whose dashboard is open; null: the head finder. */
  head: HeadRef | null;
  /** The score the layers × heads heatmap shows. */
  score: ScoreKey;
  sort: { key: SortKey; dir: SortDir };
  /** The head finder's filter, as typed ("induction > 0.5"). */
  filter: string;
}

export const DEFAULT_CORPUS: CorpusPick = { source: 'brown', maxSequences: 64, maxTokens: 128, top: 10 };
export const DEFAULT_CORPUS_LOOK: CorpusLook = { head: null, score: 'induction', sort: { key: 'head', dir: 'asc' }, filter: '' };

/** Histogram bins of a run (they divide the aggregator's fine bins). */
export const CORPUS_BINS = 20;

export const CORPUS_LIMITS = {
  maxSequences: 4096,
  /** Tokens per sequence: a model's context cuts it further. */
  maxTokens: 1024,
  maxTop: 100,
  /** The filter as typed, in characters. */
  maxFilter: 200,
  /** Layers and heads a dashboard may name (the model's own are checked when its results are shown). */
  maxLayer: 255,
  maxHead: 127,
} as const;

const SHIPPED_IDS: readonly string[] = SHIPPED_CORPORA.map((c) => c.id);

/** A corpus id from a link or a control, or null: a shipped one, or "file:" and 6–64 hex digits. */
export function parseCorpusSource(s: string): CorpusSourceId | null {
  if (SHIPPED_IDS.includes(s)) return s as ShippedCorpusId;
  return /^file:[0-9a-f]{6,64}$/.test(s) ? (s as CorpusSourceId) : null;
}

const whole = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** Why a pick's number is refused (the key of the cap, its range), or null. */
export function pickProblem(p: Omit<CorpusPick, 'source'>): { field: 'maxSequences' | 'maxTokens' | 'top'; lo: number; hi: number; got: number } | null {
  if (!whole(p.maxSequences, 1, CORPUS_LIMITS.maxSequences)) return { field: 'maxSequences', lo: 1, hi: CORPUS_LIMITS.maxSequences, got: p.maxSequences };
  if (!whole(p.maxTokens, 2, CORPUS_LIMITS.maxTokens)) return { field: 'maxTokens', lo: 2, hi: CORPUS_LIMITS.maxTokens, got: p.maxTokens };
  if (!whole(p.top, 0, CORPUS_LIMITS.maxTop)) return { field: 'top', lo: 0, hi: CORPUS_LIMITS.maxTop, got: p.top };
  return null;
}

/** The table's sort as a link writes it: "induction" (descending), "+induction" (ascending); "head" and "-head" for layer order. */
export function formatSort(sort: CorpusLook['sort']): string {
  const natural = sort.key === 'head' ? 'asc' : 'desc';
  return `${sort.dir === natural ? '' : sort.key === 'head' ? '-' : '+'}${sort.key}`;
}

export function parseSort(s: string): CorpusLook['sort'] | null {
  const m = /^([+-]?)(\w+)$/.exec(s);
  if (!m) return null;
  const key = m[2] as SortKey;
  if (key !== 'head' && !(SCORE_KEYS as readonly string[]).includes(key)) return null;
  const natural: SortDir = key === 'head' ? 'asc' : 'desc';
  if (m[1] === '') return { key, dir: natural };
  if (key === 'head' ? m[1] !== '-' : m[1] !== '+') return null;
  return { key, dir: natural === 'asc' ? 'desc' : 'asc' };
}

export function parseScoreKey(s: string): ScoreKey | null {
  return (SCORE_KEYS as readonly string[]).includes(s) ? (s as ScoreKey) : null;
}
