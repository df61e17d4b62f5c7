// The store. Input → store → engine (worker) → result → views.
// `doc` is the user's document (URL, localStorage, undo); the rest is derived or transient. The
// actions come from slices with one job each (state/slices/); each validates what it is given and
// returns a message (or null) for the control that called it, so the last good state always stays.
// There is no global store: the app and every embedded widget create their own and provide it by
// context, so nothing can reach the wrong one.
import { createContext, useContext, useEffect } from 'react';
import { createStore, useStore as useZustandStore, type StoreApi } from 'zustand';
import type { BackendPref } from '../engine/backend.ts';
import type { HeadAnalysis } from '../engine/headAnalysis.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import type { ModelExtras } from '../engine/analysis/extras.ts';
import type { Focus } from '../components/types.ts';
import { DEFAULT_DOC, DEFAULT_TEXTS, normalizeDoc, type Content, type Convention, type DocState, type Mechanism } from './document.ts';
import { createHistory } from './history.ts';
import { DEFAULT_HUB } from '../engine/checkpoint/hubRef.ts';
import { tokenizeFor } from './tokens.ts';
import { getLang } from '../i18n/index.ts';
import type { SliceContext } from './slices/context.ts';
import { documentSlice, type DocumentActions } from './slices/document.ts';
import { modelSourceSlice, NO_MODEL, type ModelSourceActions, type ModelState, type UserModel } from './slices/modelSource.ts';
import { noticesSlice, type Notice, type NoticeActions } from './slices/notices.ts';
import { resultsSlice, type ResultActions } from './slices/results.ts';
import { NO_FOCUS, viewSlice, type ViewActions } from './slices/view.ts';

export type { ModelState, UserModel } from './slices/modelSource.ts';
export type { Notice, NoticeAction, NoticeArea } from './slices/notices.ts';
export { NO_FOCUS } from './slices/view.ts';
export { alignTokens } from './tokenEdits.ts';

/** One finished computation, with everything the views need to draw it. */
export interface Computed {
  id: number;
  tokens: string[];
  /** A per head, per layer (one layer for seeded weights and cases); max-pooled thumbnails when `pooled`. */
  attention: Matrix[][];
  /**
   * A long model input: `attention` holds thumbnails; the layer shown is whole in `result`, and a focused
   * query's rows come from the worker on request (`focusRows`).
   */
  pooled: boolean;
  /** The shown layer was answered from the worker's kept run of the same request (no new forward pass). */
  fromKeptRun: boolean;
  /** The layer the views show in detail, and its engine input and result. */
  layer: number;
  input: AttentionInput;
  result: AttentionResult;
  /** Model runs: predictions, lens, rollout, ablation, the second input; null for seeded weights and cases. */
  model: ModelExtras | null;
  /** Head scores and similarity; null until the worker sends them. */
  analysis: HeadAnalysis | null;
  /** Character model: characters it does not know (read as its unknown token); null otherwise. */
  unknown: boolean[] | null;
  mechanism: Mechanism;
  convention: Convention;
  /** Keys with weight 0 (padding or a slider at 0). */
  excludedKeys: boolean[];
  /** Where the time went: page → worker queue, build, compute, worker → page, and the whole round trip. */
  ms: { queue: number; build: number; compute: number; back: number; roundTrip: number };
}

/** A focused query's attention row in every head, for a result whose maps stayed in the worker. */
export interface FocusRows {
  of: number;
  query: number;
  rows: Float32Array[][];
}

/** "Which heads matter?": each head ablated in turn, in the worker. */
export interface Importance {
  /** 'requested': the compute client starts it; 'cancelling': it stops it. */
  status: 'idle' | 'requested' | 'running' | 'cancelling' | 'done' | 'error';
  done: number;
  total: number;
  deltas: number[][] | null;
  target: string | null;
  position: number | null;
  error: string | null;
}

export const NO_IMPORTANCE: Importance = { status: 'idle', done: 0, total: 0, deltas: null, target: null, position: null, error: null };

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
  backend: { preferred: BackendPref; active: string | null; error: string | null };
  model: ModelState;
  userModel: UserModel | null;
  notices: Notice[];
  importance: Importance;
  /** Files of a checkpoint opened from a local folder (held for the worker; never persisted). */
  localFiles: { key: string; files: { path: string; file: Blob }[] } | null;
  /** A large download the user agreed to (its model key). */
  confirmedDownload: string | null;
  /** The Hub's base URL checkpoints are fetched from (https://huggingface.co or a mirror). */
  hub: string;
  /** Incremented when the document is replaced wholesale (link, undo, example) so inputs re-sync. */
  revision: number;
  actions: Actions;
}

export type Actions = DocumentActions & ModelSourceActions & ViewActions & ResultActions & NoticeActions;

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
      backend: { preferred: 'auto', active: null, error: null },
      model: NO_MODEL,
      userModel: null,
      notices: [],
      importance: NO_IMPORTANCE,
      localFiles: null,
      confirmedDownload: null,
      hub: DEFAULT_HUB,
      revision: 0,
      actions: { ...documentSlice(ctx), ...modelSourceSlice(ctx), ...viewSlice(ctx), ...resultsSlice(ctx), ...noticesSlice(ctx) },
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
