// Keeps the document in the URL hash and in localStorage, and reads it back at start-up.
// The URL wins over localStorage when it holds state. A link that doesn't parse keeps whatever it
// can and says what it couldn't ("Link: heads must be 1–16, got 40").
//
// localStorage is shared by every tab of the app. The latest document is one key (what a new tab
// opens with); a case too large for a link is kept under its own id (`attention-lab:case:<id>`),
// which the document's link names, so a tab never overwrites or deletes another tab's case. A case is
// stored before the document that names it: when storage is full, neither changes, and the notice
// says what is not saved.
import { bundleText, parseBundle } from '../engine/model/bundle.ts';
import { t } from '../i18n/index.ts';
import { hubErrorText } from '../i18n/hubErrorText.ts';
import type { DocState } from './document.ts';
import type { BackendPref } from '../engine/backend.ts';
import type { AppStore, UserModel } from './store.ts';
import { decodeState, encodeState, type DecodeOptions } from './urlState.ts';
import { downloadText } from './download.ts';
import type { CaseJson } from '../engine/types.ts';
import { DEFAULT_HUB, hubFromQuery } from '../engine/checkpoint/hubRef.ts';

const KEY_DOC = 'attention-lab:doc';
/** Before cases had ids, the one case too large for a link lived here (still read for such links). */
const KEY_CASE_LEGACY = 'attention-lab:case';
/** A case too large for a link, under its id (caseRef in urlState.ts). */
const CASE_PREFIX = 'attention-lab:case:';
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

/** The JSON of a case kept in this browser, by id (null: the one kept before cases had ids). */
function storedCase(id: string | null): string | null {
  try {
    return storage()?.getItem(id === null ? KEY_CASE_LEGACY : CASE_PREFIX + id) ?? null;
  } catch {
    return null;
  }
}

const DECODE: DecodeOptions = { storedCase };

/** The case id a hash names (`cref`), or null. */
function caseRefOf(hash: string): string | null {
  return /(?:^|&)cref=([0-9a-f]{16})(?:&|$)/.exec(hash)?.[1] ?? null;
}

/** The document from localStorage (or null); what cannot be read is reported and kept aside. */
function fromStorage(store: AppStore, base: DocState): DocState | null {
  const ls = storage();
  if (!ls) return null;
  let hash: string | null;
  try {
    hash = ls.getItem(KEY_DOC);
  } catch (e) {
    console.warn('Attention Lab: localStorage could not be read', e);
    return null;
  }
  if (!hash) return null;
  const { doc, errors } = decodeState(hash, base, DECODE);
  if (errors.length > 0) {
    const caseText = /(?:^|&)src=case(?:&|$)/.test(hash) && !/(?:^|&)case=/.test(hash) ? storedCase(caseRefOf(hash)) : null;
    reportBroken(store, KEY_BROKEN_DOC, JSON.stringify({ [KEY_DOC]: hash, case: caseText }), 'storage.brokenDoc', errors.join('; '));
  }
  return doc;
}

/**
 * This tab's hold on the stored case it shows (a shared Web Lock named after the case's key): freeing
 * space never removes a case that an open tab shows.
 */
let held: { id: string; release: () => void } | null = null;

function holdCase(id: string | null): void {
  if (held?.id === id) return;
  held?.release();
  held = null;
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (id === null || !locks) return;
  let release = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  locks.request(CASE_PREFIX + id, { mode: 'shared' }, () => done).catch(() => undefined);
  held = { id, release };
}

/** Ids of the cases open tabs show (their locks), or null where the browser has no Web Locks. */
async function casesInUse(): Promise<Set<string> | null> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return null;
  const { held: h = [], pending = [] } = await locks.query();
  return new Set([...h, ...pending].map((l) => l.name ?? '').filter((n) => n.startsWith(CASE_PREFIX)).map((n) => n.slice(CASE_PREFIX.length)));
}

/**
 * Removes the stored cases that no open tab shows and that the saved document does not name (the
 * user asked for it: storage is full). Returns how many and how many characters were freed.
 */
async function freeCaseSpace(): Promise<{ n: number; chars: number } | null> {
  const inUse = await casesInUse();
  const ls = storage();
  if (!inUse || !ls) return null;
  const docRef = caseRefOf(ls.getItem(KEY_DOC) ?? '');
  const keys: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const key = ls.key(i);
    if (key === KEY_CASE_LEGACY || (key?.startsWith(CASE_PREFIX) && !inUse.has(key.slice(CASE_PREFIX.length)) && key !== CASE_PREFIX + docRef)) keys.push(key);
  }
  let chars = 0;
  for (const key of keys) {
    chars += (ls.getItem(key) ?? '').length;
    ls.removeItem(key);
  }
  return { n: keys.length, chars };
}

/** The id of a case storage refused (not tried again until the case changes or space is freed). */
let refusedCase: string | null = null;

/** A case too large for the link could not be stored: say so, offer the file and (with Web Locks) to free space. */
function caseNotSaved(store: AppStore, c: CaseJson, retry: () => void): void {
  const { actions } = store.getState();
  const free = {
    id: 'free-space',
    label: t('storage.free'),
    dismisses: true,
    run: () =>
      void freeCaseSpace().then((freed) => {
        if (!freed || freed.n === 0) return actions.notify('warning', 'storage', t('storage.nothingToFree'));
        actions.notify('info', 'storage', t('storage.freed', { n: freed.n, size: `${Math.max(1, Math.round(freed.chars / 1000))}k` }));
        refusedCase = null;
        retry();
      }),
  };
  actions.notify('warning', 'storage', t('storage.caseFull'), [
    { id: 'download-case', label: t('storage.downloadCase'), run: () => downloadText('attention-case.json', JSON.stringify(c, null, 1)) },
    ...(typeof navigator !== 'undefined' && navigator.locks ? [free] : []),
  ]);
}

/**
 * Saves the document: first its case when the link cannot hold it (under its id; nothing is
 * overwritten), then the document. When the case cannot be stored, the document is not either, so
 * what a reload finds is always a document with its own case.
 */
function writeStorage(store: AppStore, doc: DocState, hash: string, retry: () => void): void {
  const ls = storage();
  if (!ls) return;
  const ref = doc.source.kind === 'case' ? caseRefOf(hash) : null;
  if (ref !== null && doc.source.kind === 'case') {
    if (ref === refusedCase) return;
    try {
      if (ls.getItem(CASE_PREFIX + ref) === null) ls.setItem(CASE_PREFIX + ref, JSON.stringify(doc.source.case));
    } catch {
      refusedCase = ref;
      caseNotSaved(store, doc.source.case, retry);
      return;
    }
  }
  holdCase(ref);
  try {
    ls.setItem(KEY_DOC, hash);
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
    const decoded = decodeState(hash, doc, DECODE);
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
    actions.notify('error', 'link', t('link.hub', { why: hubErrorText(e) }));
  }
  hub ??= storage()?.getItem(KEY_HUB) ?? null;
  const hubProblem = hub ? actions.setHub(hub) : null;
  if (hubProblem) actions.notify('error', 'link', t('link.hub', { why: hubProblem }));
  const pref = storage()?.getItem(KEY_BACKEND);
  if (pref === 'wasm' || pref === 'webgpu' || pref === 'webgl' || pref === 'cpu' || pref === 'auto') actions.setBackend(pref as BackendPref);
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
  const text = m ? bundleText({ ...m.manifest, name: m.name }, m.bytes) : null;
  try {
    if (text !== null) ls.setItem(KEY_USER_MODEL, text);
    else ls.removeItem(KEY_USER_MODEL);
  } catch {
    // The model is not in the link: say that a reload loses it, and offer the file.
    store.getState().actions.notify('warning', 'storage', t('storage.modelFull'), [
      { id: 'download-model', label: t('storage.downloadModel'), run: () => downloadText(`${m?.name ?? 'model'}.json`, text ?? '') },
    ]);
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
    writeStorage(store, doc, hash, () => {
      dirty = true;
      write();
    });
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
    const decoded = decodeState(hash, doc, DECODE);
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
