// The compute/hub loader inside a module worker, as the app's compute worker will run it (Cache Storage store).
import { contiguous } from '../../../engine/checkpoint/bytes.ts';
import { clearModelCache, deleteCachedModel, hubErrorInfo, listCachedModels, loadHubCheckpoint, parseHubRef, browserModelStore } from '../../../compute/hub/index.ts';

export type CheckRequest =
  | { op: 'load'; ref: string; hub: string; abortAfterBytes?: number }
  | { op: 'list' }
  | { op: 'delete'; ref: string; hub: string }
  | { op: 'clear' };

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function run(req: CheckRequest): Promise<unknown> {
  const store = browserModelStore();
  if (!store) throw new Error('no Cache Storage in this worker');
  if (req.op === 'list') return listCachedModels(store);
  if (req.op === 'clear') return clearModelCache(store);
  if (req.op === 'delete') return deleteCachedModel(store, req.hub, parseHubRef(req.ref));
  const controller = new AbortController();
  let events = 0;
  let lastPercent: number | null = null;
  let abortedAt = 0;
  const started = performance.now();
  try {
    const ckpt = await loadHubCheckpoint(req.ref, {
      hub: req.hub,
      store,
      signal: controller.signal,
      retryDelayMs: 10,
      // A cancel test: only the abort may end the load, and every byte that arrives is reported.
      ...(req.abortAfterBytes !== undefined ? { idleTimeoutMs: 3_600_000, progressEveryMs: 0 } : {}),
      onProgress: (p) => {
        events++;
        lastPercent = p.overall.percent;
        if (req.abortAfterBytes !== undefined && p.file.received >= req.abortAfterBytes && !abortedAt) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const hashes: Record<string, string> = {};
    for (const f of ckpt.files) hashes[f.name] = await sha256(contiguous((await ckpt.read(f.name))!));
    return { ok: true, files: ckpt.files, absent: ckpt.absent, fromCache: ckpt.fromCache, commit: ckpt.commit, cacheError: ckpt.cacheError, hashes, events, lastPercent, ms: performance.now() - started };
  } catch (err) {
    return { ok: false, error: hubErrorInfo(err), abortLatencyMs: abortedAt ? performance.now() - abortedAt : null };
  }
}

self.onmessage = async (e: MessageEvent<CheckRequest>) => {
  try {
    self.postMessage({ result: await run(e.data) });
  } catch (err) {
    self.postMessage({ error: hubErrorInfo(err) });
  }
};
