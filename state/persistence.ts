// Keeps the document in the URL hash and in localStorage, and reads it back at start-up.
// The URL wins over localStorage when it holds state. A link that doesn't parse keeps whatever it
// can and says what it couldn't ("Link: heads must be 1–16, got 40").
import { bundleText, parseBundle } from '../engine/model/bundle.ts';
import { t } from '../i18n/index.ts';
import type { DocState } from './document.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { AppStore, UserModel } from './store.ts';
import { decodeState, encodeState } from './urlState.ts';
import { admitCaseText } from './caseImport.ts';
import { downloadText } from './download.ts';
import { DEFAULT_HUB, hubFromQuery } from '../engine/checkpoint/hubRef.ts';

const KEY_DOC = 'attention-lab:doc';
const KEY_CASE = 'attention-lab:case';
const KEY_BACKEND = 'attention-lab:backend';
/** The Hub address chosen in the settings (a ?hub= in the page address wins). */
const KEY_HUB = 'attention-lab:hub';
/** The model trained or loaded in this browser, as a bundle (so a reload keeps the user's model). */
const KEY_USER_MODEL = 'attention-lab:user-model';
const WRITE_MS = 200;
/** Dispatch this event on window to have the link and localStorage written at once. */
const FLUSH_EVENT = 'attention-lab:flush-link';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Saved data that could not be read is moved here, so nothing overwrites it before the user decides. */
const KEY_BROKEN_DOC = 'attention-lab:broken-doc';
const KEY_BROKEN_MODEL = 'attention-lab:broken-model';
/** Keys reported in this page already (not reminded of twice). */
const reportedKeys = new Set<string>();

/**
 * Says that saved data could not be read, logs why, and keeps the data under `brokenKey` until the
 * user downloads it or discards it (the notice offers both). Shown again on every start until then.
 */
function reportBroken(store: AppStore, brokenKey: string, data: string, message: 'storage.brokenDoc' | 'storage.brokenModel', why: string): void {
  const ls = storage();
  reportedKeys.add(brokenKey);
  console.warn(`Attention Lab: ${brokenKey}: ${why}`);
  try {
    // Never overwrite what an earlier visit kept aside: keep both.
    const earlier = ls?.getItem(brokenKey);
    ls?.setItem(brokenKey, earlier && earlier !== data ? `${earlier}\n${data}` : data);
  } catch {
    /* storage full: the notice still offers the download for this session */
  }
  const { actions } = store.getState();
  actions.notify('warning', 'storage', t(message, { why }), [
    { id: 'download-broken', label: t('storage.download'), run: () => downloadText(`${brokenKey.replace(':', '-')}.json`, data) },
    { id: 'discard-broken', label: t('storage.discard'), dismisses: true, run: () => ls?.removeItem(brokenKey) },
  ]);
}

/** Data that was kept aside on an earlier visit and not yet discarded (unless reported again just now). */
function remindBroken(store: AppStore): void {
  for (const [key, message] of [
    [KEY_BROKEN_DOC, 'storage.brokenDoc'],
    [KEY_BROKEN_MODEL, 'storage.brokenModel'],
  ] as const) {
    const data = storage()?.getItem(key);
    if (data && !reportedKeys.has(key)) reportBroken(store, key, data, message, t('storage.earlier'));
  }
}

/** The document from localStorage (or null); what cannot be read is reported and kept aside. */
function fromStorage(store: AppStore, base: DocState): DocState | null {
  const ls = storage();
  if (!ls) return null;
  let hash: string | null;
  let caseText: string | null;
  try {
    hash = ls.getItem(KEY_DOC);
    caseText = ls.getItem(KEY_CASE);
  } catch (e) {
    console.warn('Attention Lab: localStorage could not be read', e);
    return null;
  }
  if (!hash) return null;
  const problems: string[] = [];
  let withCase = base;
  if (caseText) {
    const admitted = admitCaseText(caseText);
    if (admitted.ok) withCase = { ...base, source: { kind: 'case', case: admitted.case } };
    else problems.push(admitted.problem);
  }
  const { doc, errors } = decodeState(hash, withCase);
  problems.push(...errors);
  if (problems.length > 0) reportBroken(store, KEY_BROKEN_DOC, JSON.stringify({ [KEY_DOC]: hash, [KEY_CASE]: caseText }), 'storage.brokenDoc', problems.join('; '));
  return doc;
}

function writeStorage(store: AppStore, doc: DocState, hash: string): void {
  const ls = storage();
  if (!ls) return;
  try {
    ls.setItem(KEY_DOC, hash);
    if (doc.source.kind === 'case') ls.setItem(KEY_CASE, JSON.stringify(doc.source.case));
    else ls.removeItem(KEY_CASE);
  } catch {
    store.getState().actions.notify('warning', 'storage', t('storage.full'));
  }
}

let lastHash = '';

/** Reads the start-up state: defaults ← localStorage ← URL. */
export function loadInitialState(store: AppStore): void {
  const { actions, doc: defaults } = store.getState();
  let doc = fromStorage(store, defaults) ?? defaults;
  const hash = window.location.hash;
  if (hash.length > 1) {
    const decoded = decodeState(hash, doc);
    if (decoded.doc) doc = decoded.doc;
    for (const e of decoded.errors) actions.notify('error', 'link', e);
  }
  restoreUserModel(store);
  remindBroken(store);
  actions.replaceDoc(doc, false);
  let hub: string | null = null;
  try {
    hub = hubFromQuery(window.location.search);
  } catch (e) {
    actions.notify('error', 'link', t('link.hub', { why: e instanceof Error ? e.message : String(e) }));
  }
  hub ??= storage()?.getItem(KEY_HUB) ?? null;
  const hubProblem = hub ? actions.setHub(hub) : null;
  if (hubProblem) actions.notify('error', 'link', t('link.hub', { why: hubProblem }));
  const pref = storage()?.getItem(KEY_BACKEND);
  if (pref === 'wasm' || pref === 'webgl' || pref === 'cpu' || pref === 'auto') actions.setBackend(pref as BackendPref);
}

function restoreUserModel(store: AppStore): void {
  const text = storage()?.getItem(KEY_USER_MODEL);
  if (!text) return;
  try {
    const { manifest, bytes } = parseBundle(text);
    store.getState().actions.keepUserModel(manifest, bytes, manifest.name);
  } catch (e) {
    // Kept aside (not deleted): the user decides whether to download it or let it go.
    reportBroken(store, KEY_BROKEN_MODEL, text, 'storage.brokenModel', e instanceof Error ? e.message : String(e));
    storage()?.removeItem(KEY_USER_MODEL);
  }
}

function writeUserModel(store: AppStore, m: UserModel | null): void {
  const ls = storage();
  if (!ls) return;
  try {
    if (m) ls.setItem(KEY_USER_MODEL, bundleText({ ...m.manifest, name: m.name }, m.bytes));
    else ls.removeItem(KEY_USER_MODEL);
  } catch {
    store.getState().actions.notify('warning', 'storage', t('storage.full'));
  }
}

/** Starts mirroring the store into the URL and localStorage; follows hash edits made by the user. */
export function startPersistence(store: AppStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  const write = () => {
    if (!dirty) return;
    dirty = false;
    const doc = store.getState().doc;
    const hash = encodeState(doc);
    if (hash !== lastHash) {
      lastHash = hash;
      history.replaceState(history.state, '', `#${hash}`);
    }
    writeStorage(store, doc, hash);
  };
  // Written when the page is idle after a pause: a long link costs Chrome tens of ms to replace.
  const schedule = () => {
    timer = null;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => write(), { timeout: 1000 });
    else write();
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.doc !== prev.doc) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(schedule, WRITE_MS);
      dirty = true;
    }
    if (s.userModel !== prev.userModel) writeUserModel(store, s.userModel);
    if (s.hub !== prev.hub) {
      try {
        if (s.hub === DEFAULT_HUB) storage()?.removeItem(KEY_HUB);
        else storage()?.setItem(KEY_HUB, s.hub);
      } catch {
        /* the choice still applies to this page */
      }
    }
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
    const { doc, actions } = store.getState();
    const decoded = decodeState(hash, doc);
    actions.clearNotices('link');
    for (const e of decoded.errors) actions.notify('error', 'link', e);
    if (decoded.doc) actions.replaceDoc(decoded.doc, true);
    lastHash = hash;
  };
  window.addEventListener('hashchange', onHash);
  window.addEventListener('pagehide', flush);
  // Writes the link now instead of after the pause: for tests (which then read it without timing).
  window.addEventListener(FLUSH_EVENT, flush);
  dirty = true;
  write();
  return () => {
    unsubscribe();
    window.removeEventListener('hashchange', onHash);
    window.removeEventListener('pagehide', flush);
    window.removeEventListener(FLUSH_EVENT, flush);
  };
}

/** The shareable link to the current document (written now, not after the debounce). */
export function currentLink(store: AppStore): string {
  const { doc, hub } = store.getState();
  const hash = encodeState(doc);
  // A Hub model opened from a mirror: the link names the mirror too.
  const query = doc.source.kind === 'model' && doc.source.model.startsWith('hf:') && hub !== DEFAULT_HUB ? `?hub=${encodeURIComponent(hub)}` : '';
  return `${window.location.origin}${window.location.pathname}${query}#${hash}`;
}
