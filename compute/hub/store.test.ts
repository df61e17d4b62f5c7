import { describe, expect, it } from 'vitest';
import { CacheStorageModelStore, MODEL_CACHE_NAME, MemoryModelStore, type ModelStore, browserModelStore } from './store.ts';

/** A Cache Storage with the few methods the store uses, over Node's own Request and Response. */
function fakeCacheStorage(): CacheStorage & { names: () => string[] } {
  const caches = new Map<string, Map<string, Response>>();
  const cacheOf = (entries: Map<string, Response>): Cache =>
    ({
      match: async (key: RequestInfo) => entries.get(new Request(key).url)?.clone(),
      put: async (key: RequestInfo, res: Response) => void entries.set(new Request(key).url, new Response(await res.arrayBuffer(), { headers: res.headers })),
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
  } as unknown as CacheStorage & { names: () => string[] };
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

  it('has no browser store where Cache Storage is missing', () => {
    expect(typeof caches).toBe('undefined');
    expect(browserModelStore()).toBeNull();
  });
});
