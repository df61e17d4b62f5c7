// Before downloading: which files a hub checkpoint has and how large they are, so the UI can warn before a big
// download. Small JSON files (config.json, the shard index) are fetched outright; the weights and tokenizer are
// probed with HEAD. A model already in the store is answered from it without any request. config.json is
// planned by the engine right away (family supported, sizes within the limits, parameters within the
// budget): a model the engine cannot run is refused before any weight is fetched or stored.
import { contiguous } from '../../engine/checkpoint/bytes.ts';
import { readCachedFile, readManifest } from './cache.ts';
import { LARGE_DOWNLOAD_BYTES } from './askAbove.ts';
import { planConfig } from '../../engine/checkpoint/load.ts';
import { CheckpointError } from '../../engine/checkpoint/errors.ts';
import { MIN_BYTES_PER_PARAMETER } from '../../engine/checkpoint/budget.ts';
import { defaultFetch, downloadFile, parseLength } from './download.ts';
import { HubAbortError, HubError, HubHttpError, isAbortError } from '../../engine/checkpoint/hubErrors.ts';
import { CONFIG_FILE, INDEX_FILE, OPTIONAL_FILES, WEIGHTS_FILE, fileCap, parseShardIndex } from './layout.ts';
import { DEFAULT_HUB, type HubRef, hubRefLabel, normalizeHubUrl, parseHubRef, resolveUrl } from '../../engine/checkpoint/hubRef.ts';
import type { ModelStore } from './store.ts';

export { LARGE_DOWNLOAD_BYTES };

const PICKLE_FILE = 'pytorch_model.bin';
const COMMIT = /^[0-9a-f]{40}$/;

/** Where and how to reach the hub. */
export interface HubOptions {
  /** Hub base URL (default https://huggingface.co); validated and normalised. */
  hub?: string;
  /** Where complete models are kept between visits; none by default. */
  store?: ModelStore | null;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** A file to download and its size (null when the server did not say). */
export interface PlannedFile {
  name: string;
  size: number | null;
}

/** What a download will fetch. Pass it on to loadHubCheckpoint so nothing is asked twice. */
export interface HubPreflight {
  hub: string;
  ref: HubRef;
  /** "owner/name@revision" */
  label: string;
  files: PlannedFile[];
  /** Optional files the checkpoint does not have (tokenizer.json, tokenizer_config.json). */
  absent: string[];
  /** Sum of the known sizes. */
  knownBytes: number;
  /** Files whose size is unknown; when empty, knownBytes is the exact total. */
  unknownSizes: string[];
  /** Whether the download is larger than LARGE_DOWNLOAD_BYTES (as far as known). */
  large: boolean;
  /** Files above their per-file cap (fileCap: 1 MB config.json, 64 MB other JSON, 4 GiB weights): loading will fail on them, so the UI can say so now. */
  tooLarge: string[];
  /** True when the whole model is in the store: loading it needs no network. */
  cached: boolean;
  /** config.json, parsed (the UI can show model_type and sizes before downloading). */
  config: unknown;
  /** Parameters of the tensors the engine will read, from config.json (within the budget). */
  parameters: number;
  /** Bytes already fetched (config.json, and the shard index when the model is sharded and not cached). */
  fetched: Map<string, Uint8Array>;
  /** The commit the revision pointed to (the Hub's X-Repo-Commit on config.json; the stored one when cached), or null. */
  commit: string | null;
}

/** The options' hub URL (normalised) and fetch. */
export function hubContext(options: HubOptions): { hub: string; fetchFn: typeof fetch } {
  return { hub: normalizeHubUrl(options.hub ?? DEFAULT_HUB), fetchFn: options.fetch ?? defaultFetch };
}

/** A file's size from a HEAD answer: the Hub's X-Linked-Size (LFS files behind a redirect), else Content-Length. */
function sizeFromHeaders(headers: Headers): number | null {
  return parseLength(headers.get('x-linked-size')) ?? parseLength(headers.get('content-length'));
}

/** HEAD a file: its size, or `absent` on 404. Other statuses throw HubHttpError. */
async function probe(url: string, file: string, fetchFn: typeof fetch, signal: AbortSignal | undefined): Promise<PlannedFile | 'absent'> {
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'HEAD', signal });
  } catch (err) {
    if (signal?.aborted || isAbortError(err)) throw new HubAbortError(file);
    throw new HubError('network', 'unreachable', { file, url, why: (err as Error).message }, file, { cause: err });
  }
  if (res.status === 404) return 'absent';
  if (!res.ok) throw new HubHttpError(file, res.status, res.statusText, url);
  return { name: file, size: sizeFromHeaders(res.headers) };
}

/** config.json planned by the engine: CheckpointError for a family it does not run or sizes beyond its limits. */
function plannedParameters(ref: HubRef, bytes: Uint8Array): number {
  return planConfig(bytes, `${hubRefLabel(ref)}/${CONFIG_FILE}`).plan.parameters;
}

function summary(hub: string, ref: HubRef, files: PlannedFile[], absent: string[], fetched: Map<string, Uint8Array>, cached: boolean, commit: string | null, parameters: number): HubPreflight {
  const knownBytes = files.reduce((s, f) => s + (f.size ?? 0), 0);
  const config: unknown = JSON.parse(new TextDecoder().decode(fetched.get(CONFIG_FILE)!)); // planned already: valid JSON
  const unknownSizes = files.filter((f) => f.size === null).map((f) => f.name);
  const tooLarge = files.filter((f) => f.size !== null && f.size > fileCap(f.name)).map((f) => f.name);
  // Weights smaller than the parameters config.json describes cannot hold them: refuse before downloading.
  const weights = files.filter((f) => f.name.endsWith('.safetensors'));
  if (!cached && weights.every((f) => f.size !== null)) {
    const bytes = weights.reduce((s, f) => s + f.size!, 0);
    if (bytes < parameters * MIN_BYTES_PER_PARAMETER) {
      throw new CheckpointError(`${hubRefLabel(ref)}/${CONFIG_FILE}`, null, `describes ${parameters.toLocaleString('en-US')} parameters (at least ${(parameters * MIN_BYTES_PER_PARAMETER).toLocaleString('en-US')} bytes as 16-bit floats), but the weights the server announces are ${bytes.toLocaleString('en-US')} bytes`);
    }
  }
  return { hub, ref, label: hubRefLabel(ref), files, absent, knownBytes, unknownSizes, large: knownBytes > LARGE_DOWNLOAD_BYTES, tooLarge, cached, config, parameters, fetched, commit };
}

/**
 * Learns what loading `ref` will download: config.json (fetched), the weights (model.safetensors, or the shards
 * of model.safetensors.index.json), tokenizer.json and tokenizer_config.json (optional), each with its size.
 * Answers from the store without any request when the model is cached. Throws HubReferenceError on a bad
 * reference or hub URL, HubHttpError when config.json or the weights are missing, CheckpointError when
 * config.json describes a model the engine cannot run (before any weight is asked for), HubAbortError when
 * cancelled.
 */
export async function preflightHub(reference: HubRef | string, options: HubOptions = {}): Promise<HubPreflight> {
  const ref = typeof reference === 'string' ? parseHubRef(reference) : reference;
  const { hub, fetchFn } = hubContext(options);
  const { signal, store } = options;

  // A cached model: the manifest and config.json only, so showing the size does not read the weights.
  const manifest = store ? await readManifest(store, hub, ref) : null;
  const configEntry = manifest?.files.find((f) => f.name === CONFIG_FILE);
  const cachedConfig = store && configEntry ? await readCachedFile(store, hub, ref, configEntry) : null;
  if (manifest && cachedConfig) {
    const files = manifest.files.map((f) => ({ name: f.name, size: f.size }));
    const config = contiguous(cachedConfig);
    return summary(hub, ref, files, manifest.absent, new Map([[CONFIG_FILE, config]]), true, manifest.commit, plannedParameters(ref, config));
  }

  const url = (file: string) => resolveUrl(hub, ref, file);
  // JSON files only (config.json, the index): capped far below a piece, so one array.
  const get = async (file: string, missingOk: boolean, fetch = fetchFn) => {
    const bytes = await downloadFile(url(file), file, { fetch, signal, missingOk, maxBytes: fileCap(file) });
    return bytes && contiguous(bytes);
  };
  const fetched = new Map<string, Uint8Array>();
  let commit: string | null = null;
  const noteCommit: typeof fetch = async (input, init) => {
    const res = await fetchFn(input, init);
    commit ??= COMMIT.test(res.headers.get('x-repo-commit') ?? '') ? res.headers.get('x-repo-commit') : null;
    return res;
  };
  const config = (await get(CONFIG_FILE, false, noteCommit))!;
  const parameters = plannedParameters(ref, config);
  fetched.set(CONFIG_FILE, config);
  const files: PlannedFile[] = [{ name: CONFIG_FILE, size: config.byteLength }];

  const single = await probe(url(WEIGHTS_FILE), WEIGHTS_FILE, fetchFn, signal);
  if (single !== 'absent') {
    files.push(single);
  } else {
    const index = await get(INDEX_FILE, true);
    if (!index) {
      // Older repos ship only PyTorch pickles, which the app does not read: say so, since the fix is another revision.
      const pickle = await probe(url(PICKLE_FILE), PICKLE_FILE, fetchFn, signal).catch(() => 'absent' as const);
      const params = { model: hubRefLabel(ref), weights: WEIGHTS_FILE, index: INDEX_FILE, url: url(''), pickle: PICKLE_FILE };
      throw new HubError('missing', pickle === 'absent' ? 'no-weights' : 'no-weights-pickle', params, WEIGHTS_FILE);
    }
    fetched.set(INDEX_FILE, index);
    files.push({ name: INDEX_FILE, size: index.byteLength });
    // The HEADs of many shards in parallel: one round trip instead of one per shard.
    const shards = parseShardIndex(index);
    const found = await Promise.all(shards.map((shard) => probe(url(shard), shard, fetchFn, signal)));
    found.forEach((f, i) => {
      if (f === 'absent') throw new HubHttpError(shards[i], 404, 'Not Found', url(shards[i]));
      files.push(f);
    });
  }

  const optional = await Promise.all(OPTIONAL_FILES.map((name) => probe(url(name), name, fetchFn, signal)));
  const absent = OPTIONAL_FILES.filter((_, i) => optional[i] === 'absent');
  for (const f of optional) if (f !== 'absent') files.push(f);
  return summary(hub, ref, files, absent, fetched, false, commit, parameters);
}
