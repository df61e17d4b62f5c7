// The Hugging Face checkpoint layout: which files a checkpoint is made of, and the shard index that lists the
// weight files of a sharded checkpoint. Shared by the hub loader and the local-folder loader.
import { HubError, quoted } from '../../engine/checkpoint/hubErrors.ts';
import { MAX_FILE_BYTES } from './download.ts';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';
const TOKENIZER_FILE = 'tokenizer.json';
const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
/** Cap for a checkpoint's JSON files (the shard index, tokenizer.json: tens of MB for large vocabularies). */
export const JSON_MAX_BYTES = 64 * 1024 * 1024;
/** Cap for config.json: a few kB in every real checkpoint. */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/** The per-file cap: JSON files are read whole into memory (config.json 1 MB, others 64 MB), weights up to MAX_FILE_BYTES. */
export function fileCap(name: string): number {
  return name === CONFIG_FILE ? CONFIG_MAX_BYTES : name.endsWith('.json') ? JSON_MAX_BYTES : MAX_FILE_BYTES;
}

/** Files a checkpoint may lack: their absence is reported, not an error. */
export const OPTIONAL_FILES = [TOKENIZER_FILE, TOKENIZER_CONFIG_FILE] as const;

// Shard names come from a downloaded file: they become URL path segments and cache keys, so only plain names pass.
const PLAIN_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;
const MAX_SHARDS = 10_000;

/** Whether `name` is a plain file name (no path, no leading dot, no '..'): safe as one URL path segment. */
export function isPlainFileName(name: string): boolean {
  return PLAIN_FILE_NAME.test(name) && !name.includes('..');
}

/**
 * The shard file names of a `model.safetensors.index.json`, in order of first appearance in its `weight_map`.
 * Throws HubError (code `index`) when the index is not JSON, has no weight_map, or names anything but plain
 * `.safetensors` file names.
 */
export function parseShardIndex(bytes: Uint8Array): string[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new HubError('index', 'index-json', { file: INDEX_FILE, why: (err as Error).message }, INDEX_FILE);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new HubError('index', 'index-no-map', { file: INDEX_FILE }, INDEX_FILE);
  }
  const shards = new Set<string>();
  for (const [tensor, file] of Object.entries(map)) {
    if (typeof file !== 'string' || !isPlainFileName(file) || !file.endsWith('.safetensors')) {
      throw new HubError('index', 'index-bad-file', { file: INDEX_FILE, tensor: quoted(tensor), shard: quoted(String(file)) }, INDEX_FILE);
    }
    shards.add(file);
  }
  if (shards.size === 0) throw new HubError('index', 'index-empty', { file: INDEX_FILE }, INDEX_FILE);
  if (shards.size > MAX_SHARDS) throw new HubError('index', 'index-too-many', { file: INDEX_FILE, max: MAX_SHARDS }, INDEX_FILE);
  return [...shards];
}
