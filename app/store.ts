// The one store. Input → store → engine (worker) → result → views.
// `doc` is the user's document (URL, localStorage, undo); the rest is derived or transient.
// Every action is named, validates what it is given, and returns an error message (or null) so the
// control that called it can show it inline; the last good state always stays.
import { createContext, useContext } from 'react';
import { createStore, useStore as useZustandStore, type StoreApi } from 'zustand';
import type { AttentionInput, AttentionResult } from '../engine/types.ts';
import { isFloat32Finite } from '../engine/validate.ts';
import type { HeadAnalysis } from '../engine/headAnalysis.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { LayerResult, ModelInfo } from './protocol.ts';
import { admitCaseText } from './caseImport.ts';
import type { Focus } from '../components/types.ts';
import { EXAMPLES } from './examples.ts';
import { t, type MessageKey } from './i18n/index.ts';
import {
  DEFAULT_DOC,
  LIMITS,
  caseTokens,
  contentOf,
  effectiveHeads,
  intInRange,
  normalizeDoc,
  parseOverridePath,
  remapTokenRows,
  type CellRef,
  type Content,
  type ModelId,
  type Convention,
  type DocState,
  type Mechanism,
  type TokenizeMode,
  type ViewName,
} from './model.ts';
import { joinTokens, tokenizeFor } from './tokens.ts';

export type BackendPref = 'auto' | 'wasm' | 'webgl' | 'cpu';
export type NoticeArea = 'link' | 'file' | 'edit' | 'engine' | 'storage' | 'clipboard';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  area: NoticeArea;
  text: string;
  /** Buttons offered with the message (e.g. download broken data, then discard it). */
  actions?: NoticeAction[];
}

export interface NoticeAction {
  label: string;
  /** Stable test id of the button. */
  id: string;
  run: () => void;
  /** Whether running it also dismisses the notice. */
  dismisses?: boolean;
}

/** One finished computation, with everything the views need to draw it. */
export interface Computed {
  id: number;
  tokens: string[];
  /** Every layer (one for seeded weights and cases; a trained model's layers in order). */
  layers: LayerResult[];
  /** The layer the views show, and its input and result (layers[layer]). */
  layer: number;
  input: AttentionInput;
  result: AttentionResult;
  /** Head scores and similarity; null until the worker sends them. */
  analysis: HeadAnalysis | null;
  /** Trained model: characters it does not know (read as its unknown token); null otherwise. */
  unknown: boolean[] | null;
  mechanism: Mechanism;
  convention: Convention;
  /** Keys with weight 0 (padding or a slider at 0). */
  excludedKeys: boolean[];
  /** Where the time went: page → worker queue, build, compute, worker → page, and the whole round trip. */
  ms: { queue: number; build: number; compute: number; back: number; roundTrip: number };
}

export const NO_FOCUS: Focus = { head: null, query: null, key: null };

/** A trained model held by this page (trained in the Train panel or loaded from a file). */
export interface UserModel {
  name: string;
  manifest: ModelManifest;
  bytes: Uint8Array;
  /** Changes with every new user model, so the worker is given the new weights. */
  key: string;
}

export interface ModelState {
  /** The model being loaded or shown, null before one was asked for. */
  key: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Bytes of the weights received so far, and the total when known. */
  loaded: number;
  total: number | null;
  info: ModelInfo | null;
  error: string | null;
}

export interface StoreState {
  doc: DocState;
  past: Content[];
  future: Content[];
  focus: Focus;
  /** Heads drawn in the Lines view. */
  enabledHeads: boolean[];
  computed: Computed | null;
  busy: boolean;
  /** Why the current document isn't shown (engine error or limit); the last good result stays. */
  computeError: string | null;
  backend: { preferred: BackendPref; active: string | null; error: string | null };
  model: ModelState;
  userModel: UserModel | null;
  notices: Notice[];
  /** Incremented when the document is replaced wholesale (link, undo, example) so inputs re-sync. */
  revision: number;
  actions: Actions;
}

export interface Actions {
  setText(text: string): void;
  setMode(mode: TokenizeMode): void;
  setTokens(tokens: string[]): string | null;
  editToken(index: number, text: string): string | null;
  insertToken(index: number, text: string): string | null;
  deleteToken(index: number): string | null;
  moveToken(from: number, to: number): string | null;
  setMechanism(m: Mechanism): void;
  setConvention(c: Convention): void;
  setHeads(h: number): string | null;
  setD(d: number): string | null;
  setDk(dk: number | null): string | null;
  setSeed(seed: number): string | null;
  setCausal(causal: boolean): void;
  setKeyWeight(index: number, w: number): string | null;
  togglePadding(index: number): void;
  setOverride(path: string, value: number): string | null;
  clearOverrides(): void;
  importCase(text: string, origin: 'file' | 'paste', name?: string): boolean;
  useSeeded(): void;
  /** Shows a trained model: the shipped one, or the one trained or loaded in this browser. */
  useModel(model: ModelId): void;
  /** Keeps a model trained in this browser and shows it. */
  useTrainedModel(manifest: ModelManifest, bytes: Uint8Array, name: string): void;
  /** Keeps a model trained or loaded in this browser (e.g. restored from storage) without showing it. */
  keepUserModel(manifest: ModelManifest, bytes: Uint8Array, name: string): void;
  /** Reads a model bundle file (engine/model/bundle.ts) and shows it; false (with a notice) when it is broken. */
  loadModelFile(text: string, fileName: string): Promise<boolean>;
  loadExample(id: string): void;
  selectHead(head: number): void;
  selectLayer(layer: number): void;
  selectLayerHead(layer: number, head: number): void;
  selectCell(cell: CellRef | null): void;
  setFocus(focus: Focus | null): void;
  setView(view: ViewName): void;
  setStep(step: number): void;
  toggleLineHead(head: number): void;
  undo(): void;
  redo(): void;
  /** Replaces the document (a link, localStorage); `history` says whether it can be undone. */
  replaceDoc(doc: DocState, history: boolean): void;
  setBackend(pref: BackendPref): void;
  // Plumbing for the compute client.
  setComputed(c: Omit<Computed, 'layer' | 'input' | 'result' | 'analysis'>): void;
  setAnalysis(id: number, analysis: HeadAnalysis): void;
  setModelState(patch: Partial<ModelState>): void;
  /** A model could not be loaded: say why and show seeded weights instead. */
  modelFailed(key: string, why: string): void;
  setBusy(busy: boolean): void;
  setComputeError(message: string | null): void;
  setActiveBackend(name: string | null, error: string | null): void;
  notify(kind: Notice['kind'], area: NoticeArea, text: string, actions?: NoticeAction[]): void;
  dismiss(id: number): void;
  clearNotices(area?: NoticeArea): void;
}

const HISTORY_LIMIT = 200;
/** Edits of the same kind closer than this merge into one undo step (typing, slider drags). */
const COALESCE_MS = 700;

let noticeId = 0;

/** Where each old token went when the token list changed from `a` to `b` (common prefix and suffix kept). */
export function alignTokens(a: readonly string[], b: readonly string[]): (i: number) => number | null {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return (i) => (i < pre ? i : i >= a.length - suf ? i - a.length + b.length : null);
}

function carry<T>(values: readonly T[], map: (i: number) => number | null, n: number, fill: T): T[] {
  const out = Array.from({ length: n }, () => fill);
  values.forEach((v, i) => {
    const j = map(i);
    if (j !== null && j >= 0 && j < n) out[j] = v;
  });
  return out;
}

/** The document with new tokens; per-token settings and X-row edits follow their tokens. */
function withTokens(doc: DocState, tokens: string[], map: (i: number) => number | null, text?: string): DocState {
  const n = tokens.length;
  const cellMap = (c: CellRef | null): CellRef | null => {
    if (!c) return null;
    const row = map(c.row);
    const col = map(c.col);
    return row === null || col === null ? null : { row, col };
  };
  return {
    ...doc,
    tokens,
    text: text ?? joinTokens(tokens, doc.mode),
    keyWeights: carry(doc.keyWeights, map, n, 1),
    padding: carry(doc.padding, map, n, false),
    overrides: remapTokenRows(doc.overrides, map),
    cell: cellMap(doc.cell),
  };
}

function initialDoc(): DocState {
  return normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeFor(DEFAULT_DOC.text, DEFAULT_DOC.mode, DEFAULT_DOC.source) });
}

/** The selected layer's view of a computation. */
function atLayer<T extends Pick<Computed, 'layers'>>(c: T, layer: number): T & Pick<Computed, 'layer' | 'input' | 'result'> {
  const l = Math.max(0, Math.min(c.layers.length - 1, layer));
  return { ...c, layer: l, input: c.layers[l].input, result: c.layers[l].result };
}

/** A trained model reads single characters: every token must be one code point. */
function oneCharTokens(tokens: readonly string[]): number {
  return tokens.findIndex((tok) => Array.from(tok).length !== 1);
}

const NO_MODEL: ModelState = { key: null, status: 'idle', loaded: 0, total: null, info: null, error: null };
let userModelCount = 0;

const msg = (key: MessageKey, params: Record<string, string | number> = {}) => t(key, params);

export type AppStore = StoreApi<StoreState>;

/** A new, independent store (the app has one; every embedded widget has its own). */
export function createAppStore(): AppStore {
  return createStore<StoreState>()((set, get) => {
  // Undo coalescing state, per store.
  let lastTag: string | null = null;
  let lastAt = 0;

  /** Applies an edit to the document, recording one undo step (merged with the previous edit of the same tag). */
  function commit(next: DocState, tag: string): void {
    const prev = get().doc;
    const doc = normalizeDoc(next);
    if (doc === prev) return;
    const now = Date.now();
    const merge = tag === lastTag && now - lastAt < COALESCE_MS && get().past.length > 0;
    lastTag = tag;
    lastAt = now;
    set((s) => ({
      doc,
      past: merge ? s.past : [...s.past, contentOf(prev)].slice(-HISTORY_LIMIT),
      future: [],
    }));
  }

  /** View-only changes (selection, tab, step): not undoable. */
  function look(patch: Partial<DocState>): void {
    set((s) => ({ doc: normalizeDoc({ ...s.doc, ...patch }) }));
  }

  const isCase = () => get().doc.source.kind === 'case';
  const isModel = () => get().doc.source.kind === 'model';
  const oneCharProblem = (tokens: readonly string[]) => {
    const bad = isModel() ? oneCharTokens(tokens) : -1;
    return bad < 0 ? null : msg('model.oneChar', { i: bad + 1, got: tokens[bad] });
  };

  const actions: Actions = {
    setText(text) {
      const doc = get().doc;
      if (doc.source.kind === 'case') return;
      const tokens = tokenizeFor(text, doc.mode, doc.source);
      commit(withTokens(doc, tokens, alignTokens(doc.tokens, tokens), text), 'text');
    },
    setMode(mode) {
      const doc = get().doc;
      if (doc.source.kind !== 'seeded' || mode === doc.mode) return;
      const tokens = tokenizeFor(doc.text, mode, doc.source);
      commit(withTokens({ ...doc, mode }, tokens, alignTokens(doc.tokens, tokens), doc.text), 'mode');
    },
    setTokens(tokens) {
      const doc = get().doc;
      if (doc.source.kind === 'case' && tokens.length !== doc.tokens.length) return msg('edit.caseFixed');
      if (tokens.length > LIMITS.maxTokens) return msg('limit.tokens', { n: tokens.length, max: LIMITS.maxTokens });
      const bad = oneCharProblem(tokens);
      if (bad) return bad;
      commit(withTokens(doc, tokens, alignTokens(doc.tokens, tokens)), 'tokens');
      return null;
    },
    editToken(index, text) {
      const doc = get().doc;
      if (!intInRange(index, 0, doc.tokens.length - 1)) return null;
      if (text === '') return msg('edit.emptyToken', { i: index + 1 });
      if (text === doc.tokens[index]) return null;
      const bad = oneCharProblem([text]);
      if (bad) return msg('model.oneChar', { i: index + 1, got: text });
      const tokens = doc.tokens.slice();
      tokens[index] = text;
      commit(withTokens(doc, tokens, (i) => i), `edit:${index}`);
      return null;
    },
    insertToken(index, text) {
      const doc = get().doc;
      if (isCase()) return msg('edit.caseFixed');
      if (text === '') return msg('edit.emptyToken', { i: index + 1 });
      if (doc.tokens.length >= LIMITS.maxTokens) return msg('limit.tokens', { n: doc.tokens.length + 1, max: LIMITS.maxTokens });
      if (oneCharProblem([text])) return msg('model.oneChar', { i: index + 1, got: text });
      const at = Math.max(0, Math.min(index, doc.tokens.length));
      const tokens = [...doc.tokens.slice(0, at), text, ...doc.tokens.slice(at)];
      commit(withTokens(doc, tokens, (i) => (i < at ? i : i + 1)), 'insert');
      return null;
    },
    deleteToken(index) {
      const doc = get().doc;
      if (isCase()) return msg('edit.caseFixed');
      if (!intInRange(index, 0, doc.tokens.length - 1)) return null;
      if (doc.tokens.length === 1) return msg('edit.lastToken');
      const tokens = doc.tokens.filter((_, i) => i !== index);
      commit(withTokens(doc, tokens, (i) => (i < index ? i : i === index ? null : i - 1)), 'delete');
      return null;
    },
    moveToken(from, to) {
      const doc = get().doc;
      if (isCase()) return msg('edit.caseFixed');
      const n = doc.tokens.length;
      if (!intInRange(from, 0, n - 1)) return null;
      const dest = Math.max(0, Math.min(n - 1, to));
      if (dest === from) return null;
      const order = doc.tokens.map((_, i) => i);
      order.splice(from, 1);
      order.splice(dest, 0, from);
      const where = new Array<number>(n);
      order.forEach((old, pos) => (where[old] = pos));
      commit(
        withTokens(
          doc,
          order.map((i) => doc.tokens[i]),
          (i) => where[i],
        ),
        'move',
      );
      return null;
    },
    setMechanism(mechanism) {
      const doc = get().doc;
      if (mechanism === doc.mechanism) return;
      commit({ ...doc, mechanism }, 'mechanism');
    },
    setConvention(convention) {
      const doc = get().doc;
      if (convention === doc.convention) return;
      commit({ ...doc, convention }, 'convention');
    },
    setHeads(h) {
      if (!intInRange(h, 1, LIMITS.maxHeads)) return msg('input.range', { field: msg('param.h'), lo: 1, hi: LIMITS.maxHeads, got: String(h) });
      const doc = get().doc;
      if (doc.dk === null && doc.convention === 'standard' && doc.d % h !== 0) return msg('input.notDivisible', { d: doc.d, h });
      commit({ ...doc, h }, 'h');
      return null;
    },
    setD(d) {
      if (!intInRange(d, 1, LIMITS.maxD)) return msg('input.range', { field: msg('param.d'), lo: 1, hi: LIMITS.maxD, got: String(d) });
      const doc = get().doc;
      if (doc.dk === null && doc.convention === 'standard' && doc.mechanism === 'multi' && d % doc.h !== 0) return msg('input.notDivisible', { d, h: doc.h });
      commit({ ...doc, d }, 'd');
      return null;
    },
    setDk(dk) {
      if (dk !== null && !intInRange(dk, 1, LIMITS.maxD)) return msg('input.range', { field: msg('param.dk'), lo: 1, hi: LIMITS.maxD, got: String(dk) });
      commit({ ...get().doc, dk }, 'dk');
      return null;
    },
    setSeed(seed) {
      if (!intInRange(seed, 0, LIMITS.maxSeed)) return msg('input.range', { field: msg('param.seed'), lo: 0, hi: LIMITS.maxSeed, got: String(seed) });
      commit({ ...get().doc, seed }, 'seed');
      return null;
    },
    setCausal(causal) {
      commit({ ...get().doc, causal }, 'causal');
    },
    setKeyWeight(index, w) {
      const doc = get().doc;
      if (!intInRange(index, 0, doc.tokens.length - 1)) return null;
      if (!Number.isFinite(w) || w < 0 || w > LIMITS.maxWeight) return msg('input.weight', { i: index + 1, hi: LIMITS.maxWeight, got: String(w) });
      const keyWeights = doc.keyWeights.slice();
      keyWeights[index] = w;
      commit({ ...doc, keyWeights }, `w:${index}`);
      return null;
    },
    togglePadding(index) {
      const doc = get().doc;
      if (!intInRange(index, 0, doc.tokens.length - 1)) return;
      const padding = doc.padding.slice();
      padding[index] = !padding[index];
      commit({ ...doc, padding }, `pad:${index}`);
    },
    setOverride(path, value) {
      const p = parseOverridePath(path);
      if (!p) return msg('edit.path', { path });
      if (!isFloat32Finite(value)) return msg('edit.value', { path, got: String(value) });
      const doc = get().doc;
      commit({ ...doc, overrides: { ...doc.overrides, [path]: value } }, `ov:${path}`);
      return null;
    },
    clearOverrides() {
      const doc = get().doc;
      if (Object.keys(doc.overrides).length === 0) return;
      commit({ ...doc, overrides: {} }, 'ov-clear');
    },
    importCase(text, origin, name) {
      const area: NoticeArea = 'file';
      const prefix = origin === 'file' ? msg('case.fromFile', { name: name ?? '' }) : msg('case.fromPaste');
      const fail = (reason: string) => {
        get().actions.clearNotices(area);
        get().actions.notify('error', area, msg('case.problem', { source: prefix, problem: reason }));
        return false;
      };
      const admitted = admitCaseText(text);
      if (!admitted.ok) return fail(admitted.problem);
      const c = admitted.case;
      const doc = get().doc;
      const tokens = caseTokens(c);
      const n = tokens.length;
      const keyWeights = Array.isArray(c.keyWeights) ? c.keyWeights.slice() : new Array<number>(n).fill(1);
      const next: DocState = {
        ...doc,
        source: { kind: 'case', case: c },
        tokens,
        text: joinTokens(tokens, doc.mode),
        keyWeights,
        padding: new Array<boolean>(n).fill(false),
        causal: c.causal === true,
        overrides: {},
        mechanism: c.heads.length > 1 ? 'multi' : keyWeights.some((w) => w !== 1) ? 'weighted' : 'self',
        head: 0,
        cell: null,
        step: 0,
      };
      commit(next, 'import');
      get().actions.clearNotices(area);
      get().actions.notify('info', area, msg('case.loaded', { n, h: c.heads.length, d: c.X[0]?.length ?? 0 }));
      return true;
    },
    useSeeded() {
      const doc = get().doc;
      if (doc.source.kind === 'seeded') return;
      const source = { kind: 'seeded' } as const;
      const tokens = doc.source.kind === 'model' ? tokenizeFor(doc.text, doc.mode, source) : doc.tokens;
      commit({ ...withTokens(doc, tokens, alignTokens(doc.tokens, tokens), doc.text), source, overrides: {}, layer: 0 }, 'source:seeded');
      set((s) => ({ revision: s.revision + 1 }));
    },
    useModel(model) {
      const doc = get().doc;
      if (model === 'user' && !get().userModel) {
        get().actions.notify('error', 'file', msg('model.noUserModel'));
        return;
      }
      if (doc.source.kind === 'model' && doc.source.model === model) return;
      const source = { kind: 'model', model } as const;
      // A case has no text of its own: its labels, joined, are the closest thing.
      const text = doc.source.kind === 'case' ? doc.tokens.join(' ') : doc.text;
      const tokens = tokenizeFor(text, 'chars', source);
      commit(
        {
          ...doc,
          source,
          mode: 'chars',
          text,
          tokens,
          keyWeights: tokens.map(() => 1),
          padding: tokens.map(() => false),
          overrides: {},
          causal: true,
          layer: 0,
          head: 0,
          cell: null,
        },
        `source:${model}`,
      );
      set((s) => ({ revision: s.revision + 1 }));
    },
    keepUserModel(manifest, bytes, name) {
      set({ userModel: { name, manifest, bytes, key: `user:${++userModelCount}` } });
    },
    useTrainedModel(manifest, bytes, name) {
      // Already showing the user's model: the compute client recomputes when the weights change.
      get().actions.keepUserModel(manifest, bytes, name);
      get().actions.useModel('user');
      get().actions.clearNotices('file');
      get().actions.notify('info', 'file', msg('model.using', { name }));
    },
    async loadModelFile(text, fileName) {
      try {
        // Loaded on demand: the model checks are not part of the widget's first load.
        const { parseBundle } = await import('../engine/model/bundle.ts');
        const { manifest, bytes } = parseBundle(text);
        get().actions.useTrainedModel(manifest, bytes, manifest.name || fileName);
        return true;
      } catch (e) {
        get().actions.clearNotices('file');
        get().actions.notify('error', 'file', msg('model.fileProblem', { name: fileName, problem: e instanceof Error ? e.message : String(e) }));
        return false;
      }
    },
    loadExample(id) {
      const ex = EXAMPLES.find((e) => e.id === id);
      if (!ex) return;
      const doc = get().doc;
      // A trained model stays the source (its text is what changes); a case gives way to seeded weights.
      const source = ex.patch.source ?? (doc.source.kind === 'model' ? doc.source : ({ kind: 'seeded' } as const));
      const mode = source.kind === 'model' ? 'chars' : (ex.patch.mode ?? doc.mode);
      const tokens = tokenizeFor(ex.text, mode, source);
      const base: DocState = {
        ...doc,
        ...ex.patch,
        source,
        text: ex.text,
        mode,
        tokens,
        keyWeights: tokens.map(() => 1),
        padding: tokens.map(() => false),
        overrides: {},
        head: 0,
        cell: null,
        step: 0,
      };
      if (ex.patch.keyWeights) base.keyWeights = tokens.map((_, i) => ex.patch.keyWeights?.[i] ?? 1);
      commit(base, 'example');
      set((s) => ({ revision: s.revision + 1 }));
    },
    selectHead(head) {
      const { doc, computed } = get();
      const heads = computed && doc.source.kind === 'model' ? computed.result.heads.length : effectiveHeads(doc);
      if (!intInRange(head, 0, heads - 1)) return;
      look({ head });
    },
    selectLayer(layer) {
      const { computed } = get();
      const layers = computed?.layers.length ?? 1;
      if (!intInRange(layer, 0, layers - 1) || get().doc.source.kind !== 'model') return;
      look({ layer });
      if (computed && computed.layer !== layer) set({ computed: atLayer(computed, layer) });
    },
    selectLayerHead(layer, head) {
      get().actions.selectLayer(layer);
      get().actions.selectHead(head);
    },
    selectCell(cell) {
      look({ cell });
    },
    setFocus(focus) {
      const f = focus ?? NO_FOCUS;
      const cur = get().focus;
      if (cur.head === f.head && cur.query === f.query && cur.key === f.key) return;
      set({ focus: f });
    },
    setView(view) {
      look({ view });
    },
    setStep(step) {
      if (!intInRange(step, 0, LIMITS.maxStep)) return;
      look({ step });
    },
    toggleLineHead(head) {
      const heads = effectiveHeads(get().doc);
      const cur = get().enabledHeads;
      const enabled = Array.from({ length: heads }, (_, i) => cur[i] ?? true);
      enabled[head] = !enabled[head];
      set({ enabledHeads: enabled });
    },
    undo() {
      const { past, future, doc } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      lastTag = null;
      set((s) => ({
        doc: normalizeDoc({ ...doc, ...prev }),
        past: past.slice(0, -1),
        future: [...future, contentOf(doc)],
        revision: s.revision + 1,
      }));
    },
    redo() {
      const { past, future, doc } = get();
      const next = future[future.length - 1];
      if (!next) return;
      lastTag = null;
      set((s) => ({
        doc: normalizeDoc({ ...doc, ...next }),
        future: future.slice(0, -1),
        past: [...past, contentOf(doc)].slice(-HISTORY_LIMIT),
        revision: s.revision + 1,
      }));
    },
    replaceDoc(doc, history) {
      const prev = get().doc;
      lastTag = null;
      set((s) => ({
        doc: normalizeDoc(doc),
        past: history ? [...s.past, contentOf(prev)].slice(-HISTORY_LIMIT) : s.past,
        future: history ? [] : s.future,
        revision: s.revision + 1,
      }));
    },
    setBackend(preferred) {
      set((s) => ({ backend: { ...s.backend, preferred, error: null } }));
    },
    setComputed(c) {
      const layer = Math.min(get().doc.layer, c.layers.length - 1);
      const computed: Computed = { ...atLayer(c, layer), analysis: null };
      set((s) => ({
        computed,
        computeError: null,
        enabledHeads: Array.from({ length: computed.result.heads.length }, (_, i) => s.enabledHeads[i] ?? true),
      }));
      // A link or an older result may name a layer or head the model does not have.
      const doc = get().doc;
      const head = Math.min(doc.head, computed.result.heads.length - 1);
      if (layer !== doc.layer || head !== doc.head) look({ layer, head });
    },
    setAnalysis(id, analysis) {
      const c = get().computed;
      if (c && c.id === id) set({ computed: { ...c, analysis } });
    },
    setModelState(patch) {
      set((s) => ({ model: { ...s.model, ...patch } }));
    },
    modelFailed(key, why) {
      set((s) => ({ model: { ...s.model, key, status: 'error', error: why } }));
      get().actions.notify('error', 'engine', msg('model.failed', { why }));
      const { source } = get().doc;
      if (source.kind !== 'model') return;
      // Right after the switch, going back restores the document exactly as it was (mode, mask, weights).
      if (lastTag === `source:${source.model}` && get().past.length > 0) {
        get().actions.undo();
        set({ future: [] });
      } else get().actions.useSeeded();
    },
    setBusy(busy) {
      if (get().busy !== busy) set({ busy });
    },
    setComputeError(computeError) {
      if (get().computeError !== computeError) set({ computeError });
    },
    setActiveBackend(active, error) {
      set((s) => ({ backend: { ...s.backend, active, error } }));
    },
    notify(kind, area, text, actions) {
      set((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { id: ++noticeId, kind, area, text, actions }].slice(-6) }));
    },
    dismiss(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
    clearNotices(area) {
      set((s) => ({ notices: area ? s.notices.filter((n) => n.area !== area) : [] }));
    },
  };

  return {
    doc: initialDoc(),
    past: [],
    future: [],
    focus: NO_FOCUS,
    enabledHeads: [],
    computed: null,
    busy: false,
    computeError: null,
    backend: { preferred: 'auto', active: null, error: null },
    model: NO_MODEL,
    userModel: null,
    notices: [],
    revision: 0,
    actions,
  };
  });
}

/** The app's store. Components read the store of the nearest StoreContext provider (a widget's), else this one. */
export const appStore: AppStore = createAppStore();
export const StoreContext = createContext<AppStore>(appStore);

function useBoundStore<T>(selector: (s: StoreState) => T): T {
  return useZustandStore(useContext(StoreContext), selector);
}

/** `useStore(selector)` in components (context-aware); `useStore.getState()` etc. reach the app's store. */
export const useStore: typeof useBoundStore & AppStore = Object.assign(useBoundStore, appStore);

/** Actions never change identity: select them once. */
export const useActions = () => useStore((s) => s.actions);
