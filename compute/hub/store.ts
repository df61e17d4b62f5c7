// Where downloaded files are kept between visits: Cache Storage in the browser (and its workers), a Map in tests.
// Keys are the files' resolve URLs. The store knows nothing about models; cache.ts groups its entries into models.
import { chunksOf, PieceBuffer, type FileBytes } from '../../engine/checkpoint/bytes.ts';

/** Cache Storage name; bump the version when the stored layout changes. */
export const MODEL_CACHE_NAME = 'attention-lab-models-v1';

/** A key and the size of the bytes stored under it. */
export interface StoreEntry {
  key: string;
  size: number;
}

/** A byte store keyed by URL. `put` may reject (a storage quota); the other methods only fail if the store is broken. */
export interface ModelStore {
  get(key: string): Promise<FileBytes | null>;
  put(key: string, bytes: FileBytes): Promise<void>;
  delete(key: string): Promise<boolean>;
  entries(): Promise<StoreEntry[]>;
  clear(): Promise<void>;
}

/** An in-memory store (tests, and browsers without Cache Storage). `quotaBytes` makes `put` fail like a full disk. */
export class MemoryModelStore implements ModelStore {
  private readonly map = new Map<string, FileBytes>();
  constructor(private readonly quotaBytes = Infinity) {}

  async get(key: string): Promise<FileBytes | null> {
    return this.map.get(key) ?? null;
  }

  async put(key: string, bytes: FileBytes): Promise<void> {
    const used = [...this.map].reduce((sum, [k, v]) => sum + (k === key ? 0 : v.byteLength), 0);
    if (used + bytes.byteLength > this.quotaBytes) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const copy = new PieceBuffer(bytes.byteLength);
    for (const chunk of chunksOf(bytes, STREAM_CHUNK)) copy.write(chunk);
    this.map.set(key, copy.bytes());
  }

  async delete(key: string): Promise<boolean> {
    return this.map.delete(key);
  }

  async entries(): Promise<StoreEntry[]> {
    return [...this.map].map(([key, bytes]) => ({ key, size: bytes.byteLength }));
  }

  async clear(): Promise<void> {
    this.map.clear();
  }
}

const SIZE_HEADER = 'X-Attention-Lab-Size';

/**
 * Bytes per chunk when a file goes to or comes from Cache Storage as a stream. A Response over the bytes
 * themselves would copy them whole (and no single buffer can hold a file over 2 GiB in a browser), and
 * `arrayBuffer()` on the way back would build another whole copy: streams keep one copy, in pieces.
 */
const STREAM_CHUNK = 4 * 1024 * 1024;

/** A stream of the bytes in chunks (views), pulled one at a time as the reader asks. */
function streamOf(bytes: FileBytes): ReadableStream<Uint8Array> {
  const chunks = chunksOf(bytes, STREAM_CHUNK);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

/** A body read into pieces: preallocated when its size is known (our size header), so nothing is copied twice. */
async function readBody(res: Response): Promise<FileBytes> {
  const size = Number(res.headers.get(SIZE_HEADER));
  const out = new PieceBuffer(Number.isSafeInteger(size) && size > 0 ? size : null);
  if (!res.body) return out.bytes();
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out.bytes();
    out.write(value);
  }
}

/** Cache Storage (`caches`), which browsers also offer inside workers. */
export class CacheStorageModelStore implements ModelStore {
  constructor(
    private readonly storage: CacheStorage,
    private readonly cacheName = MODEL_CACHE_NAME,
  ) {}

  private open(): Promise<Cache> {
    return this.storage.open(this.cacheName);
  }

  async get(key: string): Promise<FileBytes | null> {
    const res = await (await this.open()).match(key);
    return res ? readBody(res) : null;
  }

  async put(key: string, bytes: FileBytes): Promise<void> {
    // Our own size header: Content-Length of a synthetic Response is not reliably kept by every browser.
    const headers = { 'Content-Type': 'application/octet-stream', [SIZE_HEADER]: String(bytes.byteLength) };
    await (await this.open()).put(key, new Response(streamOf(bytes), { headers }));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.open()).delete(key);
  }

  async entries(): Promise<StoreEntry[]> {
    const cache = await this.open();
    const out: StoreEntry[] = [];
    for (const request of await cache.keys()) {
      const res = await cache.match(request);
      // Reading the header, not the body: listing a 500 MB model must not load it.
      if (res) out.push({ key: request.url, size: Number(res.headers.get(SIZE_HEADER) ?? 0) });
    }
    return out;
  }

  async clear(): Promise<void> {
    await this.storage.delete(this.cacheName);
  }
}

/** The browser's Cache Storage store, or null where `caches` is missing (Node, insecure origins, some private modes). */
export function browserModelStore(): ModelStore | null {
  return typeof caches === 'undefined' ? null : new CacheStorageModelStore(caches);
}
