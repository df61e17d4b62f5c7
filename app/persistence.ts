// Keeps the document in the URL hash and in localStorage, and reads it back at start-up.
// The URL wins over localStorage when it holds state. A link that doesn't parse keeps whatever it
// can and says what it couldn't ("Link: heads must be 1–16, got 40").
import type { CaseJson } from '../engine/types.ts';
import { bundleText, parseBundle } from '../engine/model/bundle.ts';
import { t } from './i18n/index.ts';
import type { DocState } from './model.ts';
import { useStore, type BackendPref, type UserModel } from './store.ts';
import { decodeState, encodeState } from './urlState.ts';

const KEY_DOC = 'attention-lab:doc';
const KEY_CASE = 'attention-lab:case';
const KEY_BACKEND = 'attention-lab:backend';
/** The model trained or loaded in this browser, as a bundle (so a reload keeps the user's model). */
const KEY_USER_MODEL = 'attention-lab:user-model';
const WRITE_MS = 200;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The document from localStorage (or null), with any storage problem reported. */
function fromStorage(base: DocState): DocState | null {
  const ls = storage();
  if (!ls) return null;
  try {
    const hash = ls.getItem(KEY_DOC);
    if (!hash) return null;
    let withCase = base;
    const caseText = ls.getItem(KEY_CASE);
    if (caseText) withCase = { ...base, source: { kind: 'case', case: JSON.parse(caseText) as CaseJson } };
    const { doc } = decodeState(hash, withCase);
    return doc;
  } catch {
    return null;
  }
}

function writeStorage(doc: DocState, hash: string): void {
  const ls = storage();
  if (!ls) return;
  try {
    ls.setItem(KEY_DOC, hash);
    if (doc.source.kind === 'case') ls.setItem(KEY_CASE, JSON.stringify(doc.source.case));
    else ls.removeItem(KEY_CASE);
  } catch {
    useStore.getState().actions.notify('warning', 'storage', t('storage.full'));
  }
}

let lastHash = '';

/** Reads the start-up state: defaults ← localStorage ← URL. */
export function loadInitialState(): void {
  const { actions, doc: defaults } = useStore.getState();
  let doc = fromStorage(defaults) ?? defaults;
  const hash = window.location.hash;
  if (hash.length > 1) {
    const decoded = decodeState(hash, doc);
    if (decoded.doc) doc = decoded.doc;
    for (const e of decoded.errors) actions.notify('error', 'link', e);
  }
  restoreUserModel();
  actions.replaceDoc(doc, false);
  const pref = storage()?.getItem(KEY_BACKEND);
  if (pref === 'wasm' || pref === 'webgl' || pref === 'cpu' || pref === 'auto') actions.setBackend(pref as BackendPref);
}

function restoreUserModel(): void {
  const text = storage()?.getItem(KEY_USER_MODEL);
  if (!text) return;
  try {
    const { manifest, bytes } = parseBundle(text);
    useStore.getState().actions.keepUserModel(manifest, bytes, manifest.name);
  } catch {
    storage()?.removeItem(KEY_USER_MODEL); // a stale or damaged copy: the user can load the file again
  }
}

function writeUserModel(m: UserModel | null): void {
  const ls = storage();
  if (!ls) return;
  try {
    if (m) ls.setItem(KEY_USER_MODEL, bundleText({ ...m.manifest, name: m.name }, m.bytes));
    else ls.removeItem(KEY_USER_MODEL);
  } catch {
    useStore.getState().actions.notify('warning', 'storage', t('storage.full'));
  }
}

/** Starts mirroring the store into the URL and localStorage; follows hash edits made by the user. */
export function startPersistence(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  const write = () => {
    if (!dirty) return;
    dirty = false;
    const doc = useStore.getState().doc;
    const hash = encodeState(doc);
    if (hash !== lastHash) {
      lastHash = hash;
      history.replaceState(history.state, '', `#${hash}`);
    }
    writeStorage(doc, hash);
  };
  // Written when the page is idle after a pause: a long link costs Chrome tens of ms to replace.
  const schedule = () => {
    timer = null;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => write(), { timeout: 1000 });
    else write();
  };
  const unsubscribe = useStore.subscribe((s, prev) => {
    if (s.doc !== prev.doc) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(schedule, WRITE_MS);
      dirty = true;
    }
    if (s.userModel !== prev.userModel) writeUserModel(s.userModel);
    if (s.backend.preferred !== prev.backend.preferred) {
      try {
        storage()?.setItem(KEY_BACKEND, s.backend.preferred);
      } catch {
        /* storage full or blocked: the choice still applies to this page */
      }
    }
  });
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    write();
  };
  // A link pasted into this tab's address bar (or back/forward) replaces the document, undoably.
  const onHash = () => {
    const hash = window.location.hash.replace(/^#/, '');
    if (hash === lastHash) return;
    const { doc, actions } = useStore.getState();
    const decoded = decodeState(hash, doc);
    actions.clearNotices('link');
    for (const e of decoded.errors) actions.notify('error', 'link', e);
    if (decoded.doc) actions.replaceDoc(decoded.doc, true);
    lastHash = hash;
  };
  window.addEventListener('hashchange', onHash);
  window.addEventListener('pagehide', flush);
  dirty = true;
  write();
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHash);
    window.removeEventListener('pagehide', flush);
  };
}

/** The shareable link to the current document (written now, not after the debounce). */
export function currentLink(): string {
  const hash = encodeState(useStore.getState().doc);
  return `${window.location.origin}${window.location.pathname}#${hash}`;
}
