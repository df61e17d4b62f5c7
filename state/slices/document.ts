// Document edits and undo: the text, the tokens chip by chip, the mechanism and its numbers, key
// weights and padding, numbers edited by hand, imported cases and examples. Every action validates
// what it is given and returns a message (or null) for the control that called it.
import { divisible, type Convention, type Mechanism, type TokenizeMode } from '../../engine/scenario.ts';
import { isFloat32Finite } from '../../engine/caseError.ts';
import { LANGS, t, type Lang, type MessageKey } from '../../i18n/index.ts';
import { admitCaseText } from '../caseImport.ts';
import { caseTokens, DEFAULT_TEXTS, intInRange, isCheckpoint, UI_LIMITS, parseOverridePath, type AblationMode, type DocState, type HeadRef, type ModelId, type PairLines, type SpecialTokens } from '../document.ts';
import { GENERIC_MASK } from '../../engine/checkpoint/tokenizer.ts';
import { uniqueHeads } from '../urlState.ts';
import { EXAMPLES } from '../examples.ts';
import { joinTokens, sameTokens, tokenizeFor } from '../tokens.ts';
import { alignTokens, withTokens } from '../tokenEdits.ts';
import type { NoticeArea } from './notices.ts';
import type { SliceContext } from './context.ts';

export interface DocumentActions {
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
  /** A local window on the causal mask (null: none); cases and seeded weights only. */
  setWindow(window: number | null): string | null;
  /** The tile size the Steps view's online softmax uses (null: none). */
  setTile(tile: number | null): string | null;
  setKeyWeight(index: number, w: number): string | null;
  togglePadding(index: number): void;
  setOverride(path: string, value: number): string | null;
  clearOverrides(): void;
  /** Reads a case (file or pasted JSON) through the one gate for cases; false (with a notice) when refused. */
  importCase(text: string, origin: 'file' | 'paste', name?: string): boolean;
  /** Loads an example; `on` opens it on that model (a teaching example on a real encoder). */
  loadExample(id: string, on?: ModelId): void;
  /** Ablates a head of the model, or stops ablating it. */
  toggleAblation(ref: HeadRef): void;
  /** Ablates exactly these heads (none: an empty list). */
  setAblation(refs: HeadRef[]): void;
  setAblationMode(mode: AblationMode): void;
  /** The token whose log-probability the ablation follows; null: the model's top prediction. */
  setTarget(token: string | null): void;
  /** A second text to compare with the first; null: no comparison. */
  setCompare(text: string | null): void;
  /** An encoder's second sentence (B); null: none. */
  setPair(text: string | null): void;
  /** Shows, hides, or hides and renormalises around the framing tokens ([CLS], [SEP], <s>, </s>). */
  setSpecials(specials: SpecialTokens): void;
  /** The Lines view's sentence-pair filter. */
  setPairLines(lines: PairLines): void;
  /** Reads the second input this many positions later (the position-shift experiment); 0: not shifted. */
  setShift(shift: number): string | null;
  /** After a language switch: a document still on a default sentence takes this language's one. */
  followLanguage(lang: Lang): void;
  undo(): void;
  redo(): void;
  /** Replaces the document (a link, localStorage); `undoable` says whether it can be undone. */
  replaceDoc(doc: DocState, undoable: boolean): void;
}

const msg = (key: MessageKey, params: Record<string, string | number> = {}) => t(key, params);

/** Whether two texts hold a different number of masks ("[MASK]", or the model's own mask token). */
function masksChanged(before: string, after: string, maskToken: string | null): boolean {
  const count = (text: string) => text.split(GENERIC_MASK).length + (maskToken && maskToken !== GENERIC_MASK ? text.split(maskToken).length : 0);
  return count(before) !== count(after);
}

/** A trained model reads single characters: the first token that is not one code point, or −1. */
function oneCharTokens(tokens: readonly string[]): number {
  return tokens.findIndex((tok) => Array.from(tok).length !== 1);
}

export function documentSlice({ set, get, history }: SliceContext): DocumentActions {
  const { commit } = history;
  // A case fixes its tokens, and so does a checkpoint's tokenizer (its tokens come from the text).
  const isCase = () => {
    const { source } = get().doc;
    return source.kind === 'case' || (source.kind === 'model' && isCheckpoint(source.model));
  };
  const isModel = () => get().doc.source.kind === 'model';
  /** The mask token of the model shown (an encoder's), or null. */
  const maskToken = () => (isModel() ? (get().model.info?.maskToken ?? null) : null);
  const oneCharProblem = (tokens: readonly string[]) => {
    const bad = isModel() ? oneCharTokens(tokens) : -1;
    return bad < 0 ? null : msg('model.oneChar', { i: bad + 1, got: tokens[bad] });
  };

  return {
    setText(text) {
      const doc = get().doc;
      if (doc.source.kind === 'case') return;
      const tokens = tokenizeFor(text, doc.mode, doc.source);
      const next = withTokens(doc, tokens, alignTokens(doc.tokens, tokens), text);
      // A mask typed or removed: an encoder's predictions go to the (new) first mask, not the cell picked before.
      commit(isModel() && masksChanged(doc.text, text, maskToken()) ? { ...next, cell: null } : next, 'text');
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
      if (tokens.length > UI_LIMITS.maxTokens) return msg('limit.tokens', { n: tokens.length, max: UI_LIMITS.maxTokens });
      const bad = oneCharProblem(tokens);
      if (bad) return bad;
      commit(withTokens(doc, tokens, alignTokens(doc.tokens, tokens)), 'tokens');
      return null;
    },
    editToken(index, text) {
      const doc = get().doc;
      if (doc.source.kind === 'model' && isCheckpoint(doc.source.model)) return msg('hub.chipsHelp');
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
      if (doc.tokens.length >= UI_LIMITS.maxTokens) return msg('limit.tokens', { n: doc.tokens.length + 1, max: UI_LIMITS.maxTokens });
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
      if (!intInRange(h, 1, UI_LIMITS.maxHeads)) return msg('input.range', { field: msg('param.h'), lo: 1, hi: UI_LIMITS.maxHeads, got: String(h) });
      const doc = get().doc;
      // h is the multi-head count whichever mechanism is shown: it must fit d before multi-head is chosen.
      if (!divisible({ ...doc, mechanism: 'multi', h })) return msg('input.notDivisible', { d: doc.d, h });
      commit({ ...doc, h }, 'h');
      return null;
    },
    setD(d) {
      if (!intInRange(d, 1, UI_LIMITS.maxD)) return msg('input.range', { field: msg('param.d'), lo: 1, hi: UI_LIMITS.maxD, got: String(d) });
      const doc = get().doc;
      if (!divisible({ ...doc, d })) return msg('input.notDivisible', { d, h: doc.h });
      commit({ ...doc, d }, 'd');
      return null;
    },
    setDk(dk) {
      if (dk !== null && !intInRange(dk, 1, UI_LIMITS.maxD)) return msg('input.range', { field: msg('param.dk'), lo: 1, hi: UI_LIMITS.maxD, got: String(dk) });
      commit({ ...get().doc, dk }, 'dk');
      return null;
    },
    setSeed(seed) {
      if (!intInRange(seed, 0, UI_LIMITS.maxSeed)) return msg('input.range', { field: msg('param.seed'), lo: 0, hi: UI_LIMITS.maxSeed, got: String(seed) });
      commit({ ...get().doc, seed }, 'seed');
      return null;
    },
    setWindow(window) {
      const doc = get().doc;
      if (window !== null && !intInRange(window, 1, UI_LIMITS.maxTokens)) return msg('input.range', { field: msg('param.win'), lo: 1, hi: UI_LIMITS.maxTokens, got: String(window) });
      if (doc.source.kind === 'model' || doc.window === window) return null;
      commit({ ...doc, window }, 'window');
      return null;
    },
    setTile(tile) {
      const doc = get().doc;
      if (tile !== null && !intInRange(tile, 1, UI_LIMITS.maxTokens)) return msg('input.range', { field: msg('param.tile'), lo: 1, hi: UI_LIMITS.maxTokens, got: String(tile) });
      if (doc.tile === tile) return null;
      commit({ ...doc, tile }, 'tile');
      return null;
    },
    setCausal(causal) {
      commit({ ...get().doc, causal }, 'causal');
    },
    setKeyWeight(index, w) {
      const doc = get().doc;
      if (!intInRange(index, 0, doc.tokens.length - 1)) return null;
      if (!Number.isFinite(w) || w < 0 || w > UI_LIMITS.maxWeight) return msg('input.weight', { i: index + 1, hi: UI_LIMITS.maxWeight, got: String(w) });
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
        window: c.window ?? null,
        tile: c.tile ?? null,
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
    loadExample(id, on) {
      const ex = EXAMPLES.find((e) => e.id === id);
      if (!ex) return;
      const doc = get().doc;
      // `on`: the example on that model. Otherwise a trained model stays the source (its text is what changes);
      // a case gives way to seeded weights.
      const source = on ? ({ kind: 'model', model: on } as const) : (ex.patch.source ?? (doc.source.kind === 'model' ? doc.source : ({ kind: 'seeded' } as const)));
      const mode = source.kind === 'model' ? (isCheckpoint(source.model) ? 'words' : 'chars') : (ex.patch.mode ?? doc.mode);
      const tokens = tokenizeFor(ex.text, mode, source);
      // Another model: nothing of the last one's (layer, ablated heads, target) carries over.
      const fresh = doc.source.kind !== 'model' || source.kind !== 'model' || doc.source.model !== source.model ? { layer: 0, ablate: [], target: null } : {};
      const base: DocState = {
        ...doc,
        ...ex.patch,
        ...fresh,
        source,
        text: ex.text,
        pair: null,
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
    toggleAblation(ref) {
      const doc = get().doc;
      if (doc.source.kind !== 'model') return;
      const on = doc.ablate.some((r) => r.layer === ref.layer && r.head === ref.head);
      const ablate = on ? doc.ablate.filter((r) => r.layer !== ref.layer || r.head !== ref.head) : uniqueHeads([...doc.ablate, ref]);
      // A tick is a click, not a burst: ticks of different heads, and "Ablate none" after them, are steps of
      // their own however quickly they follow (a shared tag merged them, and undo lost every tick).
      commit({ ...doc, ablate }, `ablate:${ref.layer}.${ref.head}`);
    },
    setAblation(refs) {
      const doc = get().doc;
      if (doc.source.kind !== 'model') return;
      commit({ ...doc, ablate: uniqueHeads(refs) }, 'ablate-set');
    },
    setAblationMode(ablateMode) {
      const doc = get().doc;
      if (doc.source.kind !== 'model' || doc.ablateMode === ablateMode) return;
      commit({ ...doc, ablateMode }, 'ablate-mode');
    },
    setTarget(target) {
      const doc = get().doc;
      if (doc.source.kind !== 'model' || doc.target === target) return;
      commit({ ...doc, target }, 'target');
    },
    setCompare(compare) {
      const doc = get().doc;
      if (doc.source.kind !== 'model' || doc.compare === compare) return;
      commit({ ...doc, compare }, 'compare');
    },
    setPair(text) {
      const doc = get().doc;
      const pair = text === null || text.trim() === '' ? null : text;
      if (doc.source.kind !== 'model' || doc.pair === pair) return;
      commit(masksChanged(doc.pair ?? '', pair ?? '', maskToken()) ? { ...doc, pair, cell: null } : { ...doc, pair }, 'pair');
    },
    setSpecials(specials) {
      const doc = get().doc;
      if (doc.specials === specials) return;
      commit({ ...doc, specials }, 'specials');
    },
    setPairLines(pairLines) {
      const doc = get().doc;
      if (doc.pairLines === pairLines) return;
      commit({ ...doc, pairLines }, 'pair-lines');
    },
    setShift(shift) {
      const doc = get().doc;
      if (!intInRange(shift, 0, UI_LIMITS.maxShift)) return msg('input.range', { field: msg('param.shift'), lo: 0, hi: UI_LIMITS.maxShift, got: String(shift) });
      if (doc.source.kind !== 'model' || doc.shift === shift) return null;
      commit({ ...doc, shift }, 'shift');
      return null;
    },
    undo() {
      history.undo();
    },
    redo() {
      history.redo();
    },
    followLanguage(lang) {
      const doc = get().doc;
      const want = DEFAULT_TEXTS[lang];
      if (doc.source.kind !== 'seeded' || doc.text === want || Object.keys(doc.overrides).length > 0) return;
      // Untouched: a default sentence with its own tokens (no chip edits, weights or padding).
      const untouched =
        LANGS.some((l) => doc.text === DEFAULT_TEXTS[l]) &&
        sameTokens(doc.tokens, tokenizeFor(doc.text, doc.mode, doc.source)) &&
        doc.keyWeights.every((w) => w === 1) &&
        !doc.padding.some(Boolean);
      if (!untouched) return;
      const tokens = tokenizeFor(want, doc.mode, doc.source);
      history.replace(withTokens(doc, tokens, alignTokens(doc.tokens, tokens), want), false);
    },
    replaceDoc(doc, undoable) {
      history.replace(doc, undoable);
    },
  };
}
