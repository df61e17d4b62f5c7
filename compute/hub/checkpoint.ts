// Opens a hub checkpoint: preflight, download every file (with overall progress), store the complete model,
// and hand the engine a CheckpointFiles over the bytes in memory.
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import { type CachedFile, saveModel } from './cache.ts';
import { type DownloadOptions, type FileProgress, downloadFile } from './download.ts';
import { HubAbortError } from './errors.ts';
import { CONFIG_FILE, INDEX_FILE, OPTIONAL_FILES, WEIGHTS_FILE, isPlainFileName } from './layout.ts';
import { type HubOptions, type HubPreflight, hubContext, preflightHub } from './preflight.ts';
import { type HubRef, hubRefLabel, resolveUrl } from './reference.ts';

/** Progress of a checkpoint load: the current file and all files together. */
export interface CheckpointProgress {
  file: FileProgress;
  overall: { received: number; total: number | null; percent: number | null };
  /** Where the current file's bytes come from. */
  source: 'network' | 'cache';
}

export interface HubLoadOptions extends HubOptions, Pick<DownloadOptions, 'maxBytes' | 'retries' | 'retryDelayMs'> {
  onProgress?: (progress: CheckpointProgress) => void;
  /** The preflight the UI already ran (to show the size warning); run again when absent. */
  preflight?: HubPreflight;
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
  /** Why the model could not be stored for offline use (e.g. the storage quota), or null. */
  cacheError: string | null;
}

/**
 * Downloads (or reads from the store) every file of a hub checkpoint and returns it as CheckpointFiles.
 * Progress is reported per file and overall; `signal` cancels promptly with HubAbortError; dropped connections
 * resume with Range requests. The model is stored only once complete; a failing store (quota) is reported in
 * `cacheError` and does not fail the load.
 */
export async function loadHubCheckpoint(reference: HubRef | string, options: HubLoadOptions = {}): Promise<HubCheckpoint> {
  const plan = options.preflight ?? (await preflightHub(reference, options));
  const { fetchFn } = hubContext(options);
  const { hub, ref } = plan;
  const { signal, onProgress, store } = options;
  const total = plan.unknownSizes.length === 0 ? plan.knownBytes : null;
  const source = plan.cached ? 'cache' : 'network';
  let done = 0;
  let last: FileProgress | null = null;
  const emit = (file: FileProgress) => {
    last = file;
    const received = done + file.received;
    const percent = total === null ? null : total === 0 ? 100 : Math.min(100, (100 * received) / total);
    onProgress?.({ file, overall: { received, total, percent }, source });
  };

  const bytes = new Map<string, Uint8Array>();
  for (const { name } of plan.files) {
    if (signal?.aborted) throw new HubAbortError(name);
    let data = plan.fetched.get(name) ?? null;
    if (data) {
      emit({ file: name, received: data.byteLength, total: data.byteLength, percent: 100 });
    } else {
      data = (await downloadFile(resolveUrl(hub, ref, name), name, {
        fetch: fetchFn,
        signal,
        maxBytes: options.maxBytes,
        retries: options.retries,
        retryDelayMs: options.retryDelayMs,
        onProgress: emit,
      }))!;
    }
    bytes.set(name, data);
    done += data.byteLength;
  }
  // With sizes unknown beforehand, the overall total is only known now: say so, so the bar ends at 100 %.
  if (total === null && last) onProgress?.({ file: last, overall: { received: done, total: done, percent: 100 }, source });

  let cacheError: string | null = null;
  if (store && !plan.cached) {
    try {
      await saveModel(store, hub, ref, bytes, plan.absent);
    } catch (err) {
      cacheError = `${plan.label} was loaded but not stored for offline use: ${(err as Error).message}`;
    }
  }
  return {
    label: hubRefLabel(ref),
    hub,
    ref,
    files: [...bytes].map(([name, data]) => ({ name, size: data.byteLength })),
    absent: plan.absent,
    fromCache: plan.cached,
    cacheError,
    read: readerOver(bytes, hub, ref, fetchFn),
  };
}

/**
 * `read` over the loaded files. A layout file that was not loaded is absent (the preflight looked for it); another
 * name is fetched on demand (not stored), since the engine may look for files the preflight did not plan.
 */
function readerOver(bytes: ReadonlyMap<string, Uint8Array>, hub: string, ref: HubRef, fetchFn: typeof fetch): (name: string) => Promise<Uint8Array | null> {
  const knownAbsent = new Set<string>([CONFIG_FILE, WEIGHTS_FILE, INDEX_FILE, ...OPTIONAL_FILES]);
  return async (name) => {
    const data = bytes.get(name);
    if (data) return data;
    if (knownAbsent.has(name) || !isPlainFileName(name)) return null;
    return downloadFile(resolveUrl(hub, ref, name), name, { fetch: fetchFn, missingOk: true });
  };
}
