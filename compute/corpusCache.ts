// Corpus results and corpus files kept between visits, so reopening a run is instant and a link that names
// a file the user opened works again in this browser. Cache Storage through the hub's byte store (a Map in
// tests and where Cache Storage is missing); an index keeps the newest entries within MAX_ENTRIES and
// MAX_BYTES. What is read back is checked like any outside data (the store is shared with older versions).
import { contiguous, type FileBytes } from '../engine/checkpoint/bytes.ts';
import { CorpusError, parseCorpusFile } from '../engine/corpus/read.ts';
import { contentHash } from '../engine/corpus/hash.ts';
import type { CorpusRun } from '../engine/corpus/run.ts';
import { checkCorpusRun } from '../engine/corpus/runData.ts';
import type { CorpusFile } from '../state/store.ts';
import { CacheStorageModelStore, MemoryModelStore, type ModelStore } from './hub/store.ts';

export const CORPUS_CACHE_NAME = 'attention-lab-corpus-v1';
const MAX_ENTRIES = 48;
const MAX_BYTES = 200_000_000;
/** Cache Storage keys are URLs: these never leave the browser. */
const BASE = 'https://attention-lab.invalid/corpus/';
const INDEX = `${BASE}index`;

interface IndexEntry {
  url: string;
  size: number;
  /** Last written or read (ms since the epoch). */
  at: number;
}

export interface CorpusCache {
  getRun(key: string): Promise<CorpusRun | null>;
  putRun(key: string, run: CorpusRun): Promise<void>;
  getFile(id: string): Promise<CorpusFile | null>;
  putFile(file: CorpusFile): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The cache over a byte store: the browser's Cache Storage by default. */
export function corpusCache(store: ModelStore = typeof caches === 'undefined' ? new MemoryModelStore() : new CacheStorageModelStore(caches, CORPUS_CACHE_NAME)): CorpusCache {
  /** Writes are chained so the index is read and written by one at a time. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  async function readIndex(): Promise<IndexEntry[]> {
    try {
      const bytes = await store.get(INDEX);
      const v: unknown = bytes ? JSON.parse(decoder.decode(contiguous(bytes))) : [];
      return Array.isArray(v) ? v.filter((e): e is IndexEntry => typeof e?.url === 'string' && Number.isFinite(e.size) && Number.isFinite(e.at)) : [];
    } catch {
      return [];
    }
  }

  /** Records `url` as used now (with its size when written), dropping the oldest beyond the limits. */
  async function touch(url: string, size?: number): Promise<void> {
    const index = await readIndex();
    const old = index.find((e) => e.url === url);
    if (!old && size === undefined) return;
    let list = [{ url, size: size ?? old!.size, at: Date.now() }, ...index.filter((e) => e.url !== url)];
    let total = 0;
    const kept: IndexEntry[] = [];
    for (const e of list) {
      if (kept.length < MAX_ENTRIES && total + e.size <= MAX_BYTES) {
        kept.push(e);
        total += e.size;
      } else await store.delete(e.url);
    }
    list = kept;
    await store.put(INDEX, encoder.encode(JSON.stringify(list)));
  }

  async function put(url: string, value: unknown): Promise<void> {
    const bytes = encoder.encode(JSON.stringify(value));
    await serial(async () => {
      await store.put(url, bytes);
      await touch(url, bytes.byteLength);
    });
  }

  async function get(url: string): Promise<unknown> {
    let bytes: FileBytes | null;
    try {
      bytes = await store.get(url);
    } catch {
      return null; // a store that cannot be read counts as empty
    }
    if (!bytes) return null;
    void serial(() => touch(url)).catch(() => undefined);
    try {
      return JSON.parse(decoder.decode(contiguous(bytes)));
    } catch {
      return null;
    }
  }

  const runUrl = (key: string) => `${BASE}run/${contentHash(key)}`;
  const fileUrl = (id: string) => `${BASE}file/${encodeURIComponent(id)}`;

  return {
    async getRun(key) {
      const v = (await get(runUrl(key))) as { key?: unknown; run?: unknown } | null;
      if (!v || v.key !== key) return null;
      try {
        return checkCorpusRun(v.run);
      } catch {
        return null;
      }
    },
    putRun: (key, run) => put(runUrl(key), { key, run }),
    async getFile(id) {
      const v = (await get(fileUrl(id))) as { id?: unknown; name?: unknown; text?: unknown } | null;
      if (!v || v.id !== id || typeof v.name !== 'string' || typeof v.text !== 'string' || `file:${contentHash(v.text)}` !== id) return null;
      try {
        return { id: id as CorpusFile['id'], name: v.name, text: v.text, sequences: parseCorpusFile(v.name, v.text).length };
      } catch (e) {
        if (e instanceof CorpusError) return null;
        throw e;
      }
    },
    putFile: (file) => put(fileUrl(file.id), { id: file.id, name: file.name, text: file.text }),
  };
}
