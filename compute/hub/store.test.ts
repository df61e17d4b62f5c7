import { describe, expect, it } from 'vitest';
import { contiguous, Pieces } from '../../engine/checkpoint/bytes.ts';
import { CacheStorageModelStore, MODEL_CACHE_NAME, MemoryModelStore, type ModelStore, browserModelStore } from './store.ts';

/** A Cache Storage with the few methods the store uses, over Node's own Request and Response; `chunks` records the size of every chunk put() read. */
function fakeCacheStorage(): CacheStorage & { names: () => string[]; chunks: number[] } {
  const caches = new Map<string, Map<string, Response>>();
  const chunks: number[] = [];
  const cacheOf = (entries: Map<string, Response>): Cache =>
    ({
      match: async (key: RequestInfo) => entries.get(new Request(key).url)?.clone(),
      async put(key: RequestInfo, res: Response) {
        const parts: Uint8Array[] = [];
        const reader = res.body!.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          chunks.push(r.value.byteLength);
          parts.push(r.value.slice());
        }
        entries.set(new Request(key).url, new Response(new Blob(parts as BlobPart[]), { headers: res.headers }));
      },
      delete: async (key: RequestInfo) => entries.delete(new Request(key).url),
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
    }) as unknown as Cache;
  return {
    open: async (name: string) => {
      if (!caches.has(name)) caches.set(name, new Map());
      return cacheOf(caches.get(name)!);
    },
    delete: async (name: string) => caches.delete(name),
    names: () => [...caches.keys()],
    chunks,
  } as unknown as CacheStorage & { names: () => string[]; chunks: number[] };
}

/** The contract both stores keep. */
async function exercise(store: ModelStore): Promise<void> {
  const a = 'http://h/o/n/resolve/main/config.json';
  const b = 'http://h/o/n/resolve/refs%2Fpr%2F1/model.safetensors';
  expect(await store.get(a)).toBeNull();
  await store.put(a, new TextEncoder().encode('{}'));
  await store.put(b, new Uint8Array([1, 2, 3, 4]).subarray(1));
  expect(await store.get(a)).toEqual(new TextEncoder().encode('{}'));
  expect(await store.get(b)).toEqual(new Uint8Array([2, 3, 4]));
  expect((await store.entries()).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
    { key: a, size: 2 },
    { key: b, size: 3 },
  ]);
  expect(await store.delete(a)).toBe(true);
  expect(await store.delete(a)).toBe(false);
  await store.clear();
  expect(await store.entries()).toEqual([]);
}

describe('model stores', () => {
  it('the in-memory store keeps the contract, and fails like a full disk past its quota', async () => {
    await exercise(new MemoryModelStore());
    const small = new MemoryModelStore(10);
    await small.put('k1', new Uint8Array(6));
    await small.put('k1', new Uint8Array(8)); // replacing an entry frees its bytes
    await expect(small.put('k2', new Uint8Array(3))).rejects.toMatchObject({ name: 'QuotaExceededError' });
  });

  it('the Cache Storage store keeps the same contract under its cache name', async () => {
    const storage = fakeCacheStorage();
    await exercise(new CacheStorageModelStore(storage));
    await new CacheStorageModelStore(storage).put('http://h/x', new Uint8Array(1));
    expect(storage.names()).toEqual([MODEL_CACHE_NAME]);
  });

  it('a file in pieces goes to Cache Storage as a stream of chunks (never one copy of it) and comes back intact', async () => {
    const storage = fakeCacheStorage();
    const store = new CacheStorageModelStore(storage);
    const whole = Uint8Array.from({ length: 9_000_001 }, (_, k) => (k * 31 + 7) & 255);
    const pieces = new Pieces([whole.slice(0, 5_000_000), whole.slice(5_000_000)]);
    await store.put('http://h/o/n/resolve/main/model.safetensors', pieces);
    // 4 MiB chunks, none crossing the seam between the pieces.
    expect(storage.chunks).toEqual([4_194_304, 805_696, 4_000_001]);
    const back = await store.get('http://h/o/n/resolve/main/model.safetensors');
    expect(back!.byteLength).toBe(whole.byteLength);
    expect(Buffer.compare(contiguous(back!), whole)).toBe(0);
    expect(await store.entries()).toEqual([{ key: 'http://h/o/n/resolve/main/model.safetensors', size: 9_000_001 }]);
  });

  it('has no browser store where Cache Storage is missing', () => {
    expect(typeof caches).toBe('undefined');
    expect(browserModelStore()).toBeNull();
  });
});
