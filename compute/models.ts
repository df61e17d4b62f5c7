// The models the compute worker runs, by key: the shipped character model (fetched from its manifest's
// URL with progress), a model the page holds (trained or loaded here), a checkpoint from the Hub (with
// the size preflight, progress per file, cancel and the browser cache) or from local files. Every one
// is a TransformerModel with a way to read text into ids.
import { loadCheckpoint } from '../engine/checkpoint/load.ts';
import { loadTokenizer, typesForModel, type TextTokenizer } from '../engine/checkpoint/tokenizer.ts';
import type { CheckpointFiles } from '../engine/checkpoint/files.ts';
import { charModelAsTransformer } from '../engine/model/asTransformer.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { ModelInfo } from '../engine/model/info.ts';
import { loadModel, parseManifest, type LoadedModel } from '../engine/model/load.ts';
import { tokenizeForModel } from '../engine/model/tokenize.ts';
import type { TransformerModel } from '../engine/transformer/types.ts';
import type { Matrix } from '../engine/types.ts';
import { loadHubCheckpoint, type CheckpointProgress } from './hub/checkpoint.ts';
import { HubError } from './hub/index.ts';
import { localCheckpoint } from './hub/local.ts';
import { preflightHub } from './hub/preflight.ts';
import { browserModelStore } from './hub/store.ts';
import type { FromWorker, ModelOrigin } from './protocol.ts';

/** A model the worker can run on text. */
export interface RunnableModel {
  key: string;
  model: TransformerModel;
  info: ModelInfo;
  /** Text (and an encoder's second sentence) → ids, as `Reading` says. */
  read(text: string, pair?: string | null): Reading;
  /** The tokenizer's mask token id (an encoder's [MASK]), or null. */
  maskId: number | null;
  /** The display string of a token id. */
  token(id: number): string;
  /** A text written from ids (the tokenizer's decode; the characters; the ids themselves without a tokenizer): a candidate that may read back as them. */
  write(ids: number[]): string;
  /** The id of a display string, or null. */
  idOf(token: string): number | null;
  /** Ids a random induction probe may draw from. */
  probeAlphabet: number[];
  /** Every matrix the model owns (never transferred to the page: postMessage copies them). */
  weights: Set<ArrayBufferLike>;
}

/** What a model makes of a text. */
export interface Reading {
  ids: number[];
  /** As the views show them. */
  tokens: string[];
  /** Characters outside a character model's vocabulary; null otherwise. */
  unknown: boolean[] | null;
  /** The tokens are the model's (a checkpoint's tokenizer), not the page's. */
  modelTokens: boolean;
  /** Sentence A (0) or B (1) of each token, when the text came with a second sentence; else null. */
  segments: number[] | null;
  /** The token types the model embeds (BERT's; zeros where it has none), or null: all 0 / none. */
  types: number[] | null;
  /** The tokens the tokenizer frames the text with ([CLS], [SEP], <s>, </s>); null: none. */
  frame: boolean[] | null;
}

/** A model that cannot be fetched or opened here, worded like the Hub's errors (one catalog for both). */
export class ModelLoadError extends HubError {
  override name = 'ModelLoadError';
}

type Post = (msg: FromWorker) => void;

const loaded = new Map<string, RunnableModel>();
const loading = new Map<string, { promise: Promise<RunnableModel>; abort: AbortController }>();
/** Local folders and page-held bundles, until their model is built. */
const pageFiles = new Map<string, { path: string; file: Blob }[]>();
const pageBundles = new Map<string, { manifest: ModelManifest; bytes: Uint8Array }>();

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function weightBuffers(model: TransformerModel): Set<ArrayBufferLike> {
  const out = new Set<ArrayBufferLike>();
  const add = (m: Matrix | null | undefined) => m && out.add(m.data.buffer);
  for (const b of model.net.blocks) {
    add(b.Wo);
    for (const h of b.heads) {
      add(h.Wq);
      add(h.Wk);
      add(h.Wv);
      for (const bias of [h.bq, h.bk, h.bv]) if (bias) out.add(bias.buffer);
    }
    if (b.bo) out.add(b.bo.buffer);
  }
  return out;
}

function charModel(key: string, m: LoadedModel, model: TransformerModel): RunnableModel {
  const training = m.manifest.training ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const data = m.manifest.data ?? {};
  const tokens = m.vocab.tokens;
  return {
    key,
    model,
    info: {
      ...model.info,
      scale: model.net.scale,
      heldOutLoss: num(training.heldOutLoss),
      trainLoss: num(training.trainLoss),
      steps: num(training.steps),
      dataSource: typeof data.source === 'string' ? data.source : null,
      maskToken: null,
    },
    read(text) {
      const r = tokenizeForModel(m, text);
      return { ids: Array.from(r.ids), tokens: r.tokens, unknown: r.unknown, modelTokens: false, segments: null, types: null, frame: null };
    },
    maskId: null,
    token: (id) => tokens[id] ?? '',
    write: (ids) => ids.map((id) => tokens[id] ?? '').join(''),
    idOf: (token) => m.charToId.get(token) ?? null,
    // Letters and digits: the browser's induction task trains on those (see docs/model.md).
    probeAlphabet: tokens.flatMap((tok, id) => (id !== m.vocab.unknownId && /^[A-Za-z0-9]$/.test(tok) ? [id] : [])),
    weights: weightBuffers(model),
  };
}

function checkpointModel(key: string, model: TransformerModel, tokenizer: TextTokenizer | null): RunnableModel {
  const V = model.info.vocab;
  let byText: Map<string, number> | null = null;
  const read = (text: string, pair: string | null = null): Reading => {
    if (!tokenizer) {
      // No tokenizer.json: the text is read as token ids ("1 2 3").
      const ids = text.trim() === '' ? [] : text.trim().split(/[\s,]+/).map(Number);
      const bad = ids.findIndex((x) => !Number.isInteger(x) || x < 0 || x >= V);
      if (bad >= 0) throw new ModelLoadError('missing', 'no-tokenizer', { max: V - 1, got: text.trim().split(/[\s,]+/)[bad] });
      return { ids, tokens: ids.map(String), unknown: null, modelTokens: true, segments: null, types: null, frame: null };
    }
    // A second sentence is an encoder's (a decoder has no segments to give it).
    const second = pair !== null && pair.trim() !== '' && !model.info.causal ? pair : null;
    const e = tokenizer.encode(text, second);
    const types = model.info.typeVocab > 0 ? typesForModel(e.types, model.info.typeVocab) : null;
    return { ids: e.ids, tokens: e.tokens, unknown: null, modelTokens: true, segments: second === null ? null : e.types, types, frame: e.frame.some(Boolean) ? e.frame : null };
  };
  return {
    key,
    model,
    info: { ...model.info, scale: model.net.scale, heldOutLoss: null, trainLoss: null, steps: null, dataSource: null, maskToken: model.info.predicts === 'masked-token' ? (tokenizer?.mask?.token ?? null) : null },
    read,
    maskId: model.info.predicts === 'masked-token' ? (tokenizer?.mask?.id ?? null) : null,
    token: (id) => (tokenizer ? (tokenizer.token(id) ?? String(id)) : String(id)),
    write: (ids) => (tokenizer ? tokenizer.decode(ids) : ids.join(' ')),
    idOf(token) {
      if (!byText) {
        byText = new Map();
        for (let id = V - 1; id >= 0; id--) byText.set(tokenizer ? (tokenizer.token(id) ?? String(id)) : String(id), id);
      }
      return byText.get(token) ?? null;
    },
    // Ordinary vocabulary: skip the first tenth (specials, bytes) and draw from the rest.
    probeAlphabet: Array.from({ length: Math.max(2, Math.floor(V * 0.4)) }, (_, k) => Math.min(V - 1, Math.floor(V * 0.1) + k)),
    weights: weightBuffers(model),
  };
}

async function fetchOk(url: string, what: string, signal: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    throw new ModelLoadError('network', 'fetch-failed', { file: what, why: errorText(e) }, what);
  }
  if (!res.ok) throw new ModelLoadError('http', 'fetch-http', { file: what, status: res.status, statusText: res.statusText ? ` ${res.statusText}` : '' }, what);
  if ((res.headers.get('content-type') ?? '').includes('text/html')) throw new ModelLoadError('missing', 'fetch-html', { file: what }, what);
  return res;
}

/** The shipped character model: its manifest, then the weights with progress. */
async function fetchCharModel(key: string, url: string, signal: AbortSignal, post: Post): Promise<RunnableModel> {
  const name = url.slice(url.lastIndexOf('/') + 1);
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(await (await fetchOk(url, name, signal)).text());
  } catch (e) {
    throw e instanceof ModelLoadError ? e : new ModelLoadError('model', 'model-file', { file: name, why: errorText(e) }, name);
  }
  const binName = manifest.weights.file;
  const res = await fetchOk(new URL(binName, url).href, binName, signal);
  const total = manifest.weights.byteLength;
  const bytes = new Uint8Array(total);
  let received = 0;
  let lastPost = 0;
  const reader = res.body?.getReader();
  if (!reader) throw new ModelLoadError('network', 'no-body', { file: binName }, binName);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.length > total) throw new ModelLoadError('size', 'more-bytes', { file: binName, bytes: total }, binName);
    bytes.set(value, received);
    received += value.length;
    if (performance.now() - lastPost > 50) {
      lastPost = performance.now();
      post({ type: 'model-progress', key, loaded: received, total });
    }
  }
  post({ type: 'model-progress', key, loaded: received, total });
  stepper(post)('build');
  return fromBundle(key, manifest, bytes.subarray(0, received), binName);
}

async function fromBundle(key: string, manifest: ModelManifest, bytes: Uint8Array, what: string): Promise<RunnableModel> {
  let m: LoadedModel;
  try {
    m = loadModel(manifest, bytes);
  } catch (e) {
    throw new ModelLoadError('model', 'model-file', { file: what, why: errorText(e) }, what);
  }
  return charModel(key, m, await charModelAsTransformer(m, manifest.name));
}

/** Tells the page's watchdog which step the load is in (compute/watchdog.ts). */
const stepper = (post: Post | undefined) => (step: 'download' | 'build' | 'tokenizer') => post?.({ type: 'step', step });

/** A checkpoint's files as a runnable model (the worker's path for the Hub and local folders; tests call it directly). */
export async function fromFiles(key: string, files: CheckpointFiles, post?: Post): Promise<RunnableModel> {
  const step = stepper(post);
  step('build');
  // Converting a large checkpoint takes a while: each second of it is a sign of life for the watchdog.
  let beat = performance.now();
  const model = await loadCheckpoint(files, {
    onProgress: () => {
      if (performance.now() - beat < 1000) return;
      beat = performance.now();
      step('build');
    },
  });
  step('tokenizer');
  const tokenizer = await loadTokenizer(files);
  return checkpointModel(key, model, tokenizer);
}

async function fetchHub(key: string, origin: Extract<ModelOrigin, { kind: 'hub' }>, signal: AbortSignal, post: Post): Promise<RunnableModel> {
  const store = browserModelStore();
  const preflight = await preflightHub(origin.ref, { hub: origin.hub, store, signal });
  const files = new Map<string, { name: string; received: number; total: number | null }>();
  const ckpt = await loadHubCheckpoint(origin.ref, {
    hub: origin.hub,
    store,
    signal,
    preflight,
    askAbove: origin.askAbove,
    onProgress: (p: CheckpointProgress) => {
      files.set(p.file.file, { name: p.file.file, received: p.file.received, total: p.file.total });
      post({ type: 'model-progress', key, loaded: p.overall.received, total: p.overall.total, files: [...files.values()], fromCache: p.source === 'cache' });
    },
  });
  // Loaded but not kept for offline use (a storage quota): the page says so; the model still runs.
  if (ckpt.cacheError) post({ type: 'model-not-stored', key, why: ckpt.cacheError });
  return fromFiles(key, ckpt, post);
}

/** The model of a request: loaded once, then kept (one checkpoint at a time: a new one frees the last). */
export async function getModel(key: string, origin: ModelOrigin, post: Post): Promise<RunnableModel> {
  const have = loaded.get(key);
  if (have) return have;
  let job = loading.get(key);
  if (!job) {
    const abort = new AbortController();
    const step = stepper(post);
    const run = async (): Promise<RunnableModel> => {
      step(origin.kind === 'page' ? 'build' : 'download');
      if (origin.kind === 'url') return fetchCharModel(key, origin.url, abort.signal, post);
      if (origin.kind === 'hub') return fetchHub(key, origin, abort.signal, post);
      const bundle = pageBundles.get(key);
      if (bundle) return fromBundle(key, bundle.manifest, bundle.bytes, bundle.manifest.name);
      const files = pageFiles.get(key);
      if (files) return fromFiles(key, await localCheckpoint(files, key.replace(/^local:/, '')), post);
      throw new ModelLoadError('missing', 'gone', { key });
    };
    job = { promise: run(), abort };
    loading.set(key, job);
  }
  try {
    const m = await job.promise;
    // Big checkpoints are hundreds of megabytes: keep the character models and the newest checkpoint only.
    if (m.info.type !== 'char-transformer') {
      for (const [k, other] of loaded) {
        if (other.info.type !== 'char-transformer') {
          other.model.dispose();
          loaded.delete(k);
        }
      }
    }
    loaded.set(key, m);
    post({ type: 'model-ready', key, info: m.info });
    return m;
  } finally {
    loading.delete(key);
  }
}

/** A model held by the page (trained or loaded from a bundle here): replaces any earlier one. */
export function setPageBundle(key: string, manifest: ModelManifest, bytes: Uint8Array): void {
  for (const k of [...loaded.keys()]) {
    if (k.startsWith('user:')) {
      loaded.get(k)?.model.dispose();
      loaded.delete(k);
    }
  }
  pageBundles.clear();
  pageBundles.set(key, { manifest, bytes });
}

export function setPageFiles(key: string, files: { path: string; file: Blob }[]): void {
  loaded.get(key)?.model.dispose();
  loaded.delete(key);
  pageFiles.set(key, files);
}

/** What the page gave for a model of origin 'page' (its bundle, or its local files), for a pool worker to open it too. */
export function pageSource(key: string): { manifest: ModelManifest; bytes: Uint8Array } | { files: { path: string; file: Blob }[] } | null {
  const bundle = pageBundles.get(key);
  if (bundle) return bundle;
  const files = pageFiles.get(key);
  return files ? { files } : null;
}

export function cancelLoad(key: string): void {
  loading.get(key)?.abort.abort();
}

/** Buffers that belong to loaded models (copied, never transferred). */
export function modelBuffers(): Set<ArrayBufferLike> {
  const out = new Set<ArrayBufferLike>();
  for (const m of loaded.values()) for (const b of m.weights) out.add(b);
  return out;
}
