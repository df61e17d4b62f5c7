// Opens a hub checkpoint: preflight, then every file from the store or the network (with overall progress),
// store the complete model, and hand the engine a CheckpointFiles over the bytes in memory.
import type { FileBytes } from '../../engine/checkpoint/bytes.ts';
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import { type CachedFile, readCachedFile, saveModel } from './cache.ts';
import { type DownloadOptions, type FileProgress, downloadFile } from './download.ts';
import { ConfirmNeeded, HubAbortError, HubError } from '../../engine/checkpoint/hubErrors.ts';
import { CONFIG_FILE, INDEX_FILE, OPTIONAL_FILES, WEIGHTS_FILE, fileCap, isPlainFileName } from './layout.ts';
import { type HubOptions, type HubPreflight, type PlannedFile, hubContext, preflightHub } from './preflight.ts';
import { type HubRef, formatHubRef, hubRefLabel, parseHubRef, resolveUrl } from '../../engine/checkpoint/hubRef.ts';
import type { ModelStore } from './store.ts';

/** Progress of a checkpoint load: the current file and all files together. */
export interface CheckpointProgress {
  file: FileProgress;
  overall: { received: number; total: number | null; percent: number | null };
  /** Where the current file's bytes come from. */
  source: 'network' | 'cache';
}

export interface HubLoadOptions extends HubOptions, Pick<DownloadOptions, 'maxBytes' | 'retries' | 'retryDelayMs' | 'idleTimeoutMs'> {
  onProgress?: (progress: CheckpointProgress) => void;
  /**
   * At most one progress event per this many ms within a file (default 100; 0 reports every chunk). The first and
   * last event of each file always come, so a bar never stops short of 100 %.
   */
  progressEveryMs?: number;
  /** The preflight the UI already ran (to show the size warning) for the same reference and hub; run again when absent. */
  preflight?: HubPreflight;
  /**
   * Stop and ask (ConfirmNeeded) before fetching more than this many bytes: before the first weight when the
   * sizes say so, else as soon as the bytes received pass it (sizes unknown, or a server sending more than
   * it said). Null or absent: the user agreed, never ask.
   */
  askAbove?: number | null;
}

/** A hub checkpoint in memory, with what the UI reports about it. */
export interface HubCheckpoint extends CheckpointFiles {
  hub: string;
  ref: HubRef;
  files: CachedFile[];
  /** Optional files the checkpoint does not have (tokenizer.json, tokenizer_config.json). */
  absent: string[];
  /** True when every byte came from the store (no network request). */
  fromCache: boolean;
  /** The commit the files came from, when the Hub said (X-Repo-Commit). */
  commit: string | null;
  /** Why the model could not be stored for offline use (e.g. the storage quota), or null. */
  cacheError: string | null;
}

/** The overall progress reporter: sums finished files with the current one and throttles within a file. */
function progressReporter(total: number | null, everyMs: number, onProgress: ((p: CheckpointProgress) => void) | undefined) {
  let done = 0;
  let lastAt = -Infinity;
  let last: CheckpointProgress | null = null;
  const overall = (received: number, all: number | null) => ({ received, total: all, percent: all === null ? null : all === 0 ? 100 : Math.min(100, (100 * received) / all) });
  return {
    file(file: FileProgress, source: CheckpointProgress['source']): void {
      const event = { file, overall: overall(done + file.received, total), source };
      last = event;
      const now = performance.now();
      const edge = file.received === 0 || file.percent === 100;
      if (!onProgress || (!edge && now - lastAt < everyMs)) return;
      lastAt = now;
      onProgress(event);
    },
    finished(size: number): void {
      done += size;
    },
    /** With sizes unknown beforehand, the total is only known at the end: say so, so the bar ends at 100 %. */
    end(): void {
      if (onProgress && last && total === null) onProgress({ ...last, overall: overall(done, done) });
    },
  };
}

/** A file from the store when the plan says the model is cached and the entry is intact, else null. */
async function fromStore(store: ModelStore | null | undefined, plan: HubPreflight, file: PlannedFile): Promise<FileBytes | null> {
  return plan.cached && store && file.size !== null ? readCachedFile(store, plan.hub, plan.ref, { name: file.name, size: file.size }) : null;
}

/**
 * Reads every file of a hub checkpoint (from the store when cached, else from the network) and returns it as
 * CheckpointFiles. Progress is reported per file and overall; `signal` cancels promptly with HubAbortError;
 * dropped connections resume with Range requests. The model is stored only once complete; a failing store
 * (quota) is reported in `cacheError` and does not fail the load.
 */
export async function loadHubCheckpoint(reference: HubRef | string, options: HubLoadOptions = {}): Promise<HubCheckpoint> {
  const ref = typeof reference === 'string' ? parseHubRef(reference) : reference;
  const { hub, fetchFn } = hubContext(options);
  const plan = options.preflight ?? (await preflightHub(ref, options));
  if (plan.hub !== hub || formatHubRef(plan.ref) !== formatHubRef(ref)) {
    throw new Error(`loadHubCheckpoint: the preflight is for ${plan.label} at ${plan.hub}, not ${hubRefLabel(ref)} at ${hub}`);
  }
  const { signal, store } = options;
  const askAbove = options.askAbove ?? null;
  if (!plan.cached) {
    const tooLarge = plan.files.find((f) => f.size !== null && f.size > Math.min(fileCap(f.name), options.maxBytes ?? Infinity));
    if (tooLarge) throw new HubError('size', 'too-large', { file: tooLarge.name, bytes: tooLarge.size ?? 0, max: Math.min(fileCap(tooLarge.name), options.maxBytes ?? Infinity) }, tooLarge.name);
    if (askAbove !== null && plan.knownBytes > askAbove) throw new ConfirmNeeded(plan.knownBytes, plan.unknownSizes.length > 0);
  }
  const progress = progressReporter(plan.unknownSizes.length === 0 ? plan.knownBytes : null, options.progressEveryMs ?? 100, options.onProgress);

  const bytes = new Map<string, FileBytes>();
  /** Bytes of the files already complete (from the network, the preflight or the store). */
  let held = 0;
  let networkUsed = false;
  for (const file of plan.files) {
    if (signal?.aborted) throw new HubAbortError(file.name);
    let data = plan.fetched.get(file.name) ?? (await fromStore(store, plan, file));
    if (data) {
      progress.file({ file: file.name, received: data.byteLength, total: data.byteLength, percent: 100 }, plan.cached ? 'cache' : 'network');
    } else {
      networkUsed = true;
      const url = resolveUrl(hub, ref, file.name);
      const onProgress = (p: FileProgress) => progress.file(p, 'network');
      const { retries, retryDelayMs, idleTimeoutMs } = options;
      const maxBytes = Math.min(fileCap(file.name), options.maxBytes ?? Infinity);
      // Weights stop at the size announced in the preflight; JSON files may arrive decompressed (larger than
      // the compressed size a HEAD reports), so only their cap bounds them.
      const announced = file.name.endsWith('.json') ? null : file.size;
      const admit = (received: number) => {
        if (askAbove !== null && held + received > askAbove) throw new ConfirmNeeded(held + received, true);
      };
      data = (await downloadFile(url, file.name, { fetch: fetchFn, signal, maxBytes, announced, admit, retries, retryDelayMs, idleTimeoutMs, onProgress }))!;
    }
    bytes.set(file.name, data);
    held += data.byteLength;
    progress.finished(data.byteLength);
  }
  progress.end();

  const fromCache = plan.cached && !networkUsed;
  let cacheError: string | null = null;
  if (store && !fromCache) {
    try {
      await saveModel(store, hub, ref, bytes, plan.absent, plan.commit);
    } catch (err) {
      cacheError = `${plan.label} was loaded but not stored for offline use: ${(err as Error).message}`;
    }
  }
  return {
    label: plan.label,
    hub,
    ref,
    files: [...bytes].map(([name, data]) => ({ name, size: data.byteLength })),
    absent: plan.absent,
    fromCache,
    commit: plan.commit,
    cacheError,
    read: readerOver(bytes, hub, ref, fetchFn),
  };
}

/**
 * `read` over the loaded files. A layout file that was not loaded is absent (the preflight looked for it); another
 * name is fetched on demand (not stored), since the engine may look for files the preflight did not plan.
 */
function readerOver(bytes: ReadonlyMap<string, FileBytes>, hub: string, ref: HubRef, fetchFn: typeof fetch): (name: string) => Promise<FileBytes | null> {
  const knownAbsent = new Set<string>([CONFIG_FILE, WEIGHTS_FILE, INDEX_FILE, ...OPTIONAL_FILES]);
  return async (name) => {
    const data = bytes.get(name);
    if (data) return data;
    if (knownAbsent.has(name) || !isPlainFileName(name)) return null;
    return downloadFile(resolveUrl(hub, ref, name), name, { fetch: fetchFn, missingOk: true });
  };
}
