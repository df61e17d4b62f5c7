// Bridges the Corpus view's state and the compute worker's corpus runs (compute/corpusRunner.ts): works out
// what the current pick is — the model, the corpus read into sequences, the caps — and its cache key;
// shows the cached result of that key at once when this browser has one; otherwise starts a run when
// asked, forwards pause/resume/cancel, turns the worker's reports into the store's, and keeps the finished
// run (this page's memory and the browser's cache). A run whose pick is no longer the current one (another
// model or corpus or caps) is cancelled.
import { CorpusError, parseCorpusFile, type CorpusEntry } from '../engine/corpus/read.ts';
import { contentHash } from '../engine/corpus/hash.ts';
import type { CorpusRun, CorpusSettings } from '../engine/corpus/run.ts';
import { SHIPPED_CORPORA, shippedEntries, type ShippedCorpus } from '../engine/corpus/shipped.ts';
import type { ModelInfo } from '../engine/model/info.ts';
import { corpusErrorText } from '../i18n/corpusErrorText.ts';
import { t } from '../i18n/index.ts';
import { CORPUS_BINS } from '../state/corpusDoc.ts';
import type { AppStore, CorpusRunState, StoreState } from '../state/store.ts';
import { corpusCache, type CorpusCache } from './corpusCache.ts';
import type { WorkerPort } from './computeClient.ts';
import type { CorpusMessage, CorpusSource } from './protocol.ts';

/** Bump when what a run computes changes: older cached results are then never shown (2: an encoder line cut to the cap keeps its [CLS] … [SEP]; examples open as the tokenizer's decoding). */
const CACHE_VERSION = 2;
/** Runs kept in this page's memory (the rest come from the browser's cache). */
const MEMORY_RUNS = 8;
/** The probe's seed: the same probe for every run of a model, so its results can be cached. */
const PROBE_SEED = 1;

export interface CorpusClientOptions {
  /** Where the shipped corpora are fetched from (default: the page's base URL). */
  base?: string;
  cache?: CorpusCache;
}

/** A pick worked out: what a run is sent, and the key its result is kept under. */
interface Subject {
  key: string;
  source: CorpusSource;
  settings: CorpusSettings;
}

/** What identifies a model's weights well enough for a cache key, besides its id. */
function fingerprint(info: ModelInfo): string {
  const { type, name, layers, heads, kvHeads, dModel, vocab, context, parameters, dtypes, steps, heldOutLoss } = info;
  return JSON.stringify([type, name, layers, heads, kvHeads, dModel, vocab, context, parameters, dtypes, steps, heldOutLoss]);
}

const userHashes = new WeakMap<Uint8Array, string>();

export interface CorpusClient {
  stop(): void;
}

export function startCorpusClient(store: AppStore, port: WorkerPort, options: CorpusClientOptions = {}): CorpusClient {
  const base = options.base ?? document.baseURI;
  const cache = options.cache ?? corpusCache();
  const texts = new Map<string, Promise<string>>();
  const memory = new Map<string, CorpusRun>();
  let running: { id: number; key: string } | null = null;
  let nextId = 1;
  /** The subject of the current pick, once worked out. */
  let subject: Subject | null = null;
  /** Increments with every new pick, so an older pick's late answer is dropped. */
  let generation = 0;
  const actions = () => store.getState().actions;
  const setRun = (patch: Partial<CorpusRunState>) => actions().setCorpusRun(patch);

  function remember(key: string, run: CorpusRun): void {
    memory.delete(key);
    memory.set(key, run);
    while (memory.size > MEMORY_RUNS) memory.delete(memory.keys().next().value!);
  }

  function shippedText(c: ShippedCorpus): Promise<string> {
    let p = texts.get(c.id);
    if (!p) {
      p = fetch(new URL(c.path!, base)).then(async (res) => {
        if (!res.ok) throw new Error(`${c.path}: HTTP ${res.status}`);
        return res.text();
      });
      p.catch(() => texts.delete(c.id));
      texts.set(c.id, p);
    }
    return p;
  }

  /** The current pick's corpus: its sequences (or the probe's recipe) and what keys it; null: not available. */
  async function corpusOf(s: StoreState, gen: number): Promise<{ source: CorpusSource; key: string; sequences: number; name: string | null } | null> {
    const pick = s.doc.corpus;
    // A resolve overtaken by a newer one (the pick changed while it read) reports nothing: it would show an older pick's file.
    const set = (status: 'loading' | 'ready' | 'missing' | 'error', name: string | null, sequences: number | null, error: string | null = null) => {
      if (gen === generation) actions().setCorpusSource({ id: pick.source, status, name, sequences, error });
    };
    if (pick.source.startsWith('file:')) {
      let file = s.corpusFiles.find((f) => f.id === pick.source) ?? null;
      if (!file) {
        set('loading', null, null);
        file = await cache.getFile(pick.source).catch(() => null);
        if (file) actions().keepCorpusFile(file);
      }
      if (!file) {
        set('missing', null, null);
        return null;
      }
      set('ready', file.name, file.sequences);
      return { source: { id: file.id, name: file.name, entries: parseCorpusFile(file.name, file.text) }, key: file.id, sequences: file.sequences, name: file.name };
    }
    const shipped = SHIPPED_CORPORA.find((c) => c.id === pick.source)!;
    if (!shipped.path) {
      set('ready', null, pick.maxSequences);
      const half = Math.floor(pick.maxTokens / 2);
      return { source: { id: shipped.id, name: shipped.id, probe: { count: pick.maxSequences, half, seed: PROBE_SEED } }, key: `${shipped.id}:${PROBE_SEED}`, sequences: pick.maxSequences, name: null };
    }
    set('loading', null, null);
    let text: string;
    try {
      text = await shippedText(shipped);
    } catch (e) {
      set('error', null, null, t('corpus.fetchFailed', { why: e instanceof Error ? e.message : String(e) }));
      return null;
    }
    let entries: CorpusEntry[];
    try {
      entries = shippedEntries(shipped, text);
    } catch (e) {
      set('error', null, null, e instanceof CorpusError ? corpusErrorText(e) : String(e));
      return null;
    }
    set('ready', null, entries.length);
    return { source: { id: shipped.id, name: shipped.id, entries }, key: `${shipped.id}:${contentHash(text)}`, sequences: entries.length, name: null };
  }

  /** The model's part of the key: its id (a page-held model by its bytes) and what its info says; null until it is loaded. */
  function modelOf(s: StoreState): string | null {
    if (s.doc.source.kind !== 'model') return null;
    const model = port.model();
    if (!model || s.model.status !== 'ready' || s.model.key !== model.key || !s.model.info) return null;
    let id = model.key;
    if (s.doc.source.model === 'user' && s.userModel) {
      const bytes = s.userModel.bytes;
      id = userHashes.get(bytes) ?? `user:${contentHash(bytes)}`;
      userHashes.set(bytes, id);
    }
    return JSON.stringify([id, fingerprint(s.model.info)]);
  }

  /** Works out the current pick; shows its cached result, or readies it for a run. */
  async function resolve(): Promise<void> {
    const gen = ++generation;
    const s = store.getState();
    const model = modelOf(s);
    if (model === null) {
      subject = null;
      return;
    }
    const corpus = await corpusOf(s, gen);
    if (gen !== generation) return;
    if (!corpus) {
      subject = null;
      setRun({ key: null, run: null, fromCache: false, status: store.getState().corpusRun.status === 'requested' ? 'idle' : store.getState().corpusRun.status });
      return;
    }
    const pick = s.doc.corpus;
    const settings: CorpusSettings = { top: pick.top, bins: CORPUS_BINS, maxSequences: pick.maxSequences, maxTokens: pick.maxTokens };
    const key = JSON.stringify([CACHE_VERSION, model, corpus.key, settings]);
    subject = { key, source: corpus.source, settings };
    const cur = store.getState().corpusRun;
    if (cur.key === key) {
      if (cur.status === 'requested') start(subject);
      return;
    }
    if (running && running.key !== key) cancelRunning();
    const cached = memory.get(key) ?? (await cache.getRun(key).catch(() => null));
    if (gen !== generation) return;
    if (cached) {
      remember(key, cached);
      setRun({ status: 'done', key, run: cached, fromCache: true, prepared: null, progress: null, error: null });
      return;
    }
    const wanted = store.getState().corpusRun.status === 'requested';
    setRun({ status: 'idle', key, run: null, fromCache: false, prepared: null, progress: null, error: null });
    if (wanted) start(subject);
  }

  function start(sub: Subject): void {
    const model = port.model();
    if (!model) return;
    if (running) cancelRunning();
    const id = nextId++;
    running = { id, key: sub.key };
    port.post({ type: 'corpus', id, key: model.key, origin: model.origin, corpus: sub.source, settings: sub.settings });
    setRun({ status: 'preparing', key: sub.key, run: null, fromCache: false, prepared: null, progress: null, error: null });
  }

  function cancelRunning(): void {
    if (!running) return;
    port.post({ type: 'corpus-control', id: running.id, action: 'cancel' });
    running = null;
  }

  function onMessage(msg: CorpusMessage): void {
    const r = running;
    if (!r || msg.id !== r.id) return;
    const mine = store.getState().corpusRun.key === r.key;
    switch (msg.type) {
      case 'corpus-prepared':
        if (mine) setRun({ prepared: { sequences: msg.sequences, tokens: msg.tokens, skipped: msg.skipped, truncated: msg.truncated, unknown: msg.unknown }, status: 'running' });
        return;
      case 'corpus-progress': {
        if (!mine) return;
        const status = store.getState().corpusRun.status;
        // An ask the worker has not seen yet stays until a report shows it done.
        const next = status === 'pausing' ? (msg.paused ? 'paused' : 'pausing') : status === 'resuming' ? (msg.paused ? 'resuming' : 'running') : status === 'cancelling' ? 'cancelling' : msg.paused ? 'paused' : 'running';
        setRun({ progress: msg.status, status: next });
        return;
      }
      case 'corpus-done':
        running = null;
        remember(r.key, msg.run);
        cache.putRun(r.key, msg.run).catch((e: unknown) => actions().notify('warning', 'storage', t('corpus.cacheFailed', { why: e instanceof Error ? e.message : String(e) })));
        if (mine) setRun({ status: 'done', run: msg.run, fromCache: false });
        return;
      case 'corpus-cancelled':
        running = null;
        if (mine) setRun({ status: 'idle', prepared: null, progress: null });
        return;
      case 'corpus-error':
        running = null;
        if (mine) setRun({ status: 'error', error: msg.corpusError ? corpusErrorText(msg.corpusError) : msg.message });
        return;
    }
  }

  const unlisten = port.listen(onMessage);
  const unlost = port.onLost(() => {
    if (!running) return;
    running = null;
    setRun({ status: 'error', error: t('corpus.lost') });
  });

  const wanted = (s: StoreState) => s.doc.view === 'corpus' || s.corpusRun.status === 'requested';
  /** What the pick depends on, cheaply: it is worked out again only when this changes (not on every download report). */
  const signature = (s: StoreState) => (wanted(s) ? JSON.stringify([modelOf(s), s.doc.corpus, s.corpusFiles.map((f) => f.id)]) : null);
  let last: string | null = null;
  const unsubscribe = store.subscribe((s, prev) => {
    const sig = signature(s);
    const changed = sig !== null && sig !== last;
    last = sig; // before resolve(): what it sets synchronously comes back here
    if (changed) void resolve();
    // A file the user opened is kept in the browser's cache, so a link naming it works here again.
    if (s.corpusFiles !== prev.corpusFiles && s.corpusFiles[0] && s.corpusFiles[0] !== prev.corpusFiles[0]) cache.putFile(s.corpusFiles[0]).catch(() => undefined);
    const status = s.corpusRun.status;
    if (status === prev.corpusRun.status) return;
    if (status === 'requested') {
      if (subject && subject.key === s.corpusRun.key) start(subject);
      else void resolve();
    } else if ((status === 'pausing' || status === 'resuming') && running) {
      port.post({ type: 'corpus-control', id: running.id, action: status === 'pausing' ? 'pause' : 'resume' });
    } else if (status === 'cancelling') {
      if (running) port.post({ type: 'corpus-control', id: running.id, action: 'cancel' });
      else setRun({ status: 'idle' });
    }
  });
  last = signature(store.getState());
  if (last !== null) void resolve();

  return {
    stop() {
      unsubscribe();
      unlisten();
      unlost();
      cancelRunning();
    },
  };
}
