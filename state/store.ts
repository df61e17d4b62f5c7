// The store. Input → store → engine (worker) → result → views.
// `doc` is the user's document (URL, localStorage, undo); the rest is derived or transient. The
// actions come from slices with one job each (state/slices/); each validates what it is given and
// returns a message (or null) for the control that called it, so the last good state always stays.
// There is no global store: the app and every embedded widget create their own and provide it by
// context, so nothing can reach the wrong one.
import { createContext, useContext, useEffect } from 'react';
import { createStore, useStore as useZustandStore, type StoreApi } from 'zustand';
import type { BackendPref } from '../engine/backend.ts';
import type { Focus } from '../components/common/types.ts';
import { DEFAULT_DOC, DEFAULT_TEXTS, normalizeDoc, type Content, type DocState } from './document.ts';
import { createHistory } from './history.ts';
import { DEFAULT_HUB } from '../engine/checkpoint/hubRef.ts';
import { tokenizeFor } from './tokens.ts';
import { getLang } from '../i18n/index.ts';
import type { SliceContext } from './slices/context.ts';
import { documentSlice, type DocumentActions } from './slices/document.ts';
import { modelSourceSlice, NO_MODEL, type HaltedModel, type ModelSourceActions, type ModelState, type UserModel } from './slices/modelSource.ts';
import { noticesSlice, type Notice, type NoticeActions } from './slices/notices.ts';
import { NO_IMPORTANCE, NO_MAX_FLOW, NO_MODE, resultsSlice, type BackendMode, type Computed, type FocusRows, type Importance, type MaxFlow, type ResultActions } from './slices/results.ts';
import { NO_FOCUS, viewSlice, type ViewActions } from './slices/view.ts';
import { corpusSlice, NO_CORPUS_RUN, type CorpusActions, type CorpusFile, type CorpusRunState, type CorpusSourceInfo } from './slices/corpus.ts';

export type { HaltedModel, ModelState, UserModel } from './slices/modelSource.ts';
export type { Notice, NoticeAction, NoticeArea } from './slices/notices.ts';
export { NO_FOCUS } from './slices/view.ts';
export type { BackendMode, Computed, FocusRows, Importance, MaxFlow } from './slices/results.ts';
export { inputTokens, shownMaxFlow, wantedMaxFlow } from './slices/results.ts';
export type { CorpusFile, CorpusRunState, CorpusSourceInfo } from './slices/corpus.ts';
export { alignTokens } from './tokenEdits.ts';

export interface BackendState {
  preferred: BackendPref;
  active: string | null;
  error: string | null;
  mode: BackendMode;
}

export interface StoreState {
  doc: DocState;
  past: Content[];
  future: Content[];
  focus: Focus;
  /** Heads drawn in the Lines view. */
  enabledHeads: boolean[];
  computed: Computed | null;
  /** The result the views have on screen (0: none yet): arrays of older results may be reused. */
  shownId: number;
  /** Row `query` of every head's A (rows[l][h]) of result `of`, asked of the worker for a pooled result. */
  focusRows: FocusRows | null;
  busy: boolean;
  /** Why the current document isn't shown (engine error or limit); the last good result stays. */
  computeError: string | null;
  backend: BackendState;
  model: ModelState;
  userModel: UserModel | null;
  notices: Notice[];
  importance: Importance;
  maxFlow: MaxFlow;
  /** Files of a checkpoint opened from a local folder (held for the worker; never persisted). */
  localFiles: { key: string; files: { path: string; file: Blob }[] } | null;
  /** A large download the user agreed to (its model key). */
  confirmedDownload: string | null;
  /**
   * A model whose last run the watchdog stopped (a step that never ended), and that step: it is not run
   * again until the user says so (kept across visits by state/haltedModel.ts).
   */
  halted: HaltedModel | null;
  /** The Hub's base URL checkpoints are fetched from (https://huggingface.co or a mirror). */
  hub: string;
  /** Incremented when the document is replaced wholesale (link, undo, example) so inputs re-sync. */
  revision: number;
  /** The Corpus view's run of the current pick, what the picked corpus holds, and the files opened for it. */
  corpusRun: CorpusRunState;
  corpusSource: CorpusSourceInfo | null;
  corpusFiles: CorpusFile[];
  actions: Actions;
}

export type Actions = DocumentActions & ModelSourceActions & ViewActions & ResultActions & NoticeActions & CorpusActions;

export type AppStore = StoreApi<StoreState>;

function initialDoc(): DocState {
  const text = DEFAULT_TEXTS[getLang()];
  return normalizeDoc({ ...DEFAULT_DOC, text, tokens: tokenizeFor(text, DEFAULT_DOC.mode, DEFAULT_DOC.source) });
}

/** A new, independent store (the app has one; every embedded widget has its own). */
export function createAppStore(): AppStore {
  return createStore<StoreState>()((set, get) => {
    const ctx: SliceContext = { set, get, history: createHistory(set, get) };
    return {
      doc: initialDoc(),
      past: [],
      future: [],
      focus: NO_FOCUS,
      enabledHeads: [],
      computed: null,
      shownId: 0,
      focusRows: null,
      busy: false,
      computeError: null,
      backend: { preferred: 'auto', active: null, error: null, mode: NO_MODE },
      model: NO_MODEL,
      userModel: null,
      notices: [],
      importance: NO_IMPORTANCE,
      maxFlow: NO_MAX_FLOW,
      localFiles: null,
      confirmedDownload: null,
      halted: null,
      hub: DEFAULT_HUB,
      revision: 0,
      corpusRun: NO_CORPUS_RUN,
      corpusSource: null,
      corpusFiles: [],
      actions: { ...documentSlice(ctx), ...modelSourceSlice(ctx), ...viewSlice(ctx), ...resultsSlice(ctx), ...noticesSlice(ctx), ...corpusSlice(ctx) },
    };
  });
}

/** The store of the app or widget this component belongs to. */
export const StoreContext = createContext<AppStore | null>(null);

/** The store itself (for reading it in handlers and effects); throws outside a StoreContext provider. */
export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no StoreContext provider: render inside the app or a widget');
  return store;
}

/** A selected part of this component's store. */
export function useStore<T>(selector: (s: StoreState) => T): T {
  return useZustandStore(useStoreApi(), selector);
}

/** Actions never change identity: select them once. */
export const useActions = () => useStore((s) => s.actions);

/**
 * Call where the views render `computed`: once it is committed, older results are drawn nowhere, and
 * the compute client hands their arrays back to the worker for the next results.
 */
export function useResultShown(computed: Computed | null): void {
  const { resultShown } = useActions();
  useEffect(() => {
    if (computed) resultShown(computed.id);
  }, [computed, resultShown]);
}
