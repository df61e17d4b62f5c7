// The Corpus view: which corpus and caps (in the document, with how the results are looked at), the
// files the user opened, and the run — asked for here, carried out by the corpus client
// (compute/corpusClient.ts) in the compute worker, which reports back through setCorpusRun.
import type { CorpusEntry } from '../../engine/corpus/read.ts';
import { CorpusError, parseCorpusFile } from '../../engine/corpus/read.ts';
import { contentHash } from '../../engine/corpus/hash.ts';
import type { CorpusRun, ExampleSequence } from '../../engine/corpus/run.ts';
import type { HeadRef } from '../../engine/transformer/types.ts';
import { corpusErrorText } from '../../i18n/corpusErrorText.ts';
import { t } from '../../i18n/index.ts';
import { CORPUS_LIMITS, pickProblem, type CorpusLook, type CorpusPick, type CorpusSourceId } from '../corpusDoc.ts';
import type { SliceContext } from './context.ts';

/** A corpus file the user opened (kept for this page, and in the browser's cache by the corpus client). */
export interface CorpusFile {
  id: `file:${string}`;
  name: string;
  /** The file's text (read again into sequences when a run starts). */
  text: string;
  /** Sequences it holds. */
  sequences: number;
}

/**
 * Where the run of the current pick is. 'requested', 'pausing', 'resuming' and 'cancelling' are asks the
 * corpus client carries out; the others are what the worker reported.
 */
export type CorpusRunStatus = 'idle' | 'requested' | 'preparing' | 'running' | 'pausing' | 'paused' | 'resuming' | 'cancelling' | 'done' | 'error';

/** The corpus as the model read it (before the first sequence runs). */
export interface CorpusPrepared {
  sequences: number;
  tokens: number;
  skipped: number;
  truncated: number;
  unknown: number;
}

export interface CorpusProgress {
  done: number;
  total: number;
  tokens: number;
  totalTokens: number;
  /** Time spent running, pauses excluded (ms). */
  elapsedMs: number;
}

export interface CorpusRunState {
  status: CorpusRunStatus;
  /** The cache key (model, corpus, settings) this state is about; null while it is not known yet. */
  key: string | null;
  /** The finished run shown. */
  run: CorpusRun | null;
  /** It came from the browser's cache (or this page's memory), not from a run just now. */
  fromCache: boolean;
  prepared: CorpusPrepared | null;
  progress: CorpusProgress | null;
  error: string | null;
}

export const NO_CORPUS_RUN: CorpusRunState = { status: 'idle', key: null, run: null, fromCache: false, prepared: null, progress: null, error: null };

/** What the picked corpus holds, before a run: its name and sequences ('missing': a file this browser does not have). */
export interface CorpusSourceInfo {
  id: CorpusSourceId;
  status: 'loading' | 'ready' | 'missing' | 'error';
  /** A file's name (shipped corpora are named by the catalogs). */
  name: string | null;
  /** Sequences in the corpus (null until read; for the probe, as many as the cap asks). */
  sequences: number | null;
  error: string | null;
}

export interface CorpusActions {
  /** Changes the corpus or its caps; a message when a cap is out of range (nothing changes then). */
  setCorpusPick(patch: Partial<CorpusPick>): string | null;
  setCorpusLook(patch: Partial<CorpusLook>): void;
  /** Opens a head's dashboard (null: back to the head finder). */
  openCorpusHead(ref: HeadRef | null): void;
  /** Reads a .txt, .jsonl or .json corpus the user picked and makes it the corpus; a message when it cannot be read. */
  openCorpusFile(name: string, text: string): string | null;
  /** Keeps a corpus file read back from the browser's cache (the corpus client). */
  keepCorpusFile(file: CorpusFile): void;
  runCorpus(): void;
  pauseCorpus(): void;
  resumeCorpus(): void;
  cancelCorpus(): void;
  /** The corpus client's report. */
  setCorpusRun(patch: Partial<CorpusRunState>): void;
  setCorpusSource(info: CorpusSourceInfo | null): void;
  /** Opens sequence `example` in every view, on head `ref`, with the query and key selected. */
  openCorpusExample(ref: HeadRef, example: ExampleSequence, query: number, key: number): void;
}

/** Largest corpus file read (characters). */
export const MAX_CORPUS_FILE_CHARS = 64_000_000;
/** Files kept for this page (the newest). */
const KEEP_FILES = 4;

export function corpusSlice({ set, get, history }: SliceContext): CorpusActions {
  const { look } = history;
  const keep = (file: CorpusFile) => set((s) => ({ corpusFiles: [file, ...s.corpusFiles.filter((f) => f.id !== file.id)].slice(0, KEEP_FILES) }));
  const status = () => get().corpusRun.status;
  const setRun = (patch: Partial<CorpusRunState>) => set((s) => ({ corpusRun: { ...s.corpusRun, ...patch } }));
  return {
    setCorpusPick(patch) {
      const next = { ...get().doc.corpus, ...patch };
      const problem = pickProblem(next);
      if (problem) return t('corpus.capRange', { field: t(`corpus.cap.${problem.field}`), lo: problem.lo, hi: problem.hi, got: problem.got });
      look({ corpus: next });
      return null;
    },
    setCorpusLook(patch) {
      const cur = get().doc.corpusLook;
      const next = { ...cur, ...patch, filter: (patch.filter ?? cur.filter).slice(0, CORPUS_LIMITS.maxFilter) };
      look({ corpusLook: next });
    },
    openCorpusHead(ref) {
      get().actions.setCorpusLook({ head: ref });
    },
    openCorpusFile(name, text) {
      if (text.length > MAX_CORPUS_FILE_CHARS) return t('corpus.file.tooLarge', { name, max: MAX_CORPUS_FILE_CHARS.toLocaleString() });
      let entries: CorpusEntry[];
      try {
        entries = parseCorpusFile(name, text);
      } catch (e) {
        if (e instanceof CorpusError) return t('corpus.file.bad', { name, why: corpusErrorText(e) });
        throw e;
      }
      const id = `file:${contentHash(text)}` as const;
      keep({ id, name, text, sequences: entries.length });
      look({ corpus: { ...get().doc.corpus, source: id } });
      return null;
    },
    keepCorpusFile: keep,
    runCorpus() {
      if (['idle', 'done', 'error'].includes(status())) setRun({ status: 'requested', error: null, progress: null, prepared: null });
    },
    pauseCorpus() {
      if (status() === 'running') setRun({ status: 'pausing' });
    },
    resumeCorpus() {
      if (status() === 'paused') setRun({ status: 'resuming' });
    },
    cancelCorpus() {
      if (['requested', 'preparing', 'running', 'pausing', 'paused', 'resuming'].includes(status())) setRun({ status: 'cancelling' });
    },
    setCorpusRun: setRun,
    setCorpusSource(info) {
      set({ corpusSource: info });
    },
    openCorpusExample(ref, example, query, key) {
      const { doc, actions } = get();
      if (doc.source.kind !== 'model') return;
      actions.setText(example.text);
      look({ layer: ref.layer, head: ref.head, cell: { row: query, col: key }, view: 'heads' });
      if (!example.exact) actions.notify('warning', 'engine', t('corpus.example.inexact'));
    },
  };
}
