// Models in the store. A model is stored whole or not at all: its files (complete and size-checked, keyed by
// their resolve URLs), then a manifest naming them. A model without a manifest is not cached; a second visit to
// a model with one needs no network at all.
import { contiguous, type FileBytes } from '../../engine/checkpoint/bytes.ts';
import { isPlainFileName } from './layout.ts';
import { type HubRef, hubRefLabel, resolveBase, resolveUrl } from '../../engine/checkpoint/hubRef.ts';
import type { ModelStore } from './store.ts';

/** A stored file and its size in bytes. */
export interface CachedFile {
  name: string;
  size: number;
}

/** What the manifest records: the files of the model, and the optional files it does not have. */
export interface ModelManifest {
  version: 1;
  hub: string;
  ref: HubRef;
  files: CachedFile[];
  absent: string[];
  /** The commit the Hub said the files came from (X-Repo-Commit), or null when it did not say. */
  commit: string | null;
  savedAt: string;
}

/** A cached model, for the UI's list. */
export interface CachedModel {
  hub: string;
  ref: HubRef;
  /** "owner/name@revision" */
  label: string;
  files: CachedFile[];
  totalBytes: number;
  /** The commit the files came from, when the Hub said (a cached `main` stays at this commit). */
  commit: string | null;
  savedAt: string;
}

// A query on the revision's directory URL: no file of the repo can have this key.
const MANIFEST_SUFFIX = '?attention-lab-manifest';

function manifestKey(hub: string, ref: HubRef): string {
  return resolveBase(hub, ref) + MANIFEST_SUFFIX;
}

/** The manifest, or null when the stored bytes are not one we wrote (the store is shared with whatever came before). */
function parseManifest(bytes: FileBytes): ModelManifest | null {
  try {
    const m = JSON.parse(new TextDecoder().decode(contiguous(bytes))) as ModelManifest;
    const okFiles = Array.isArray(m.files) && m.files.every((f) => isPlainFileName(f.name) && Number.isSafeInteger(f.size) && f.size >= 0);
    const okRef = typeof m.ref?.owner === 'string' && typeof m.ref.name === 'string' && typeof m.ref.revision === 'string';
    const commit = typeof m.commit === 'string' ? m.commit : null;
    return m.version === 1 && typeof m.hub === 'string' && okRef && okFiles && Array.isArray(m.absent) ? { ...m, commit } : null;
  } catch {
    return null;
  }
}

/** `store.get`, with a store that cannot be read (Cache Storage in some private modes) counting as empty: loading then uses the network. */
async function tryGet(store: ModelStore, key: string): Promise<FileBytes | null> {
  try {
    return await store.get(key);
  } catch {
    return null;
  }
}

/** The manifest of a completely cached model, or null. Reads no file and makes no network request. */
export async function readManifest(store: ModelStore, hub: string, ref: HubRef): Promise<ModelManifest | null> {
  const raw = await tryGet(store, manifestKey(hub, ref));
  return raw && parseManifest(raw);
}

/** A cached file's bytes, or null when it is gone, unreadable, or not the size the manifest recorded (a damaged entry). */
export async function readCachedFile(store: ModelStore, hub: string, ref: HubRef, file: CachedFile): Promise<FileBytes | null> {
  const bytes = await tryGet(store, resolveUrl(hub, ref, file.name));
  return bytes && bytes.byteLength === file.size ? bytes : null;
}

/**
 * Stores a complete model: its files, then the manifest. When a put fails (a storage quota, typically), removes
 * what it had stored and rethrows, so a half-stored model never looks cached.
 */
export async function saveModel(
  store: ModelStore,
  hub: string,
  ref: HubRef,
  files: ReadonlyMap<string, FileBytes>,
  absent: readonly string[],
  commit: string | null = null,
): Promise<void> {
  const manifest: ModelManifest = {
    version: 1,
    hub,
    ref: { owner: ref.owner, name: ref.name, revision: ref.revision },
    files: [...files].map(([name, bytes]) => ({ name, size: bytes.byteLength })),
    absent: [...absent],
    commit,
    savedAt: new Date().toISOString(),
  };
  try {
    for (const [name, bytes] of files) await store.put(resolveUrl(hub, ref, name), bytes);
    await store.put(manifestKey(hub, ref), new TextEncoder().encode(JSON.stringify(manifest)));
  } catch (err) {
    await deleteCachedModel(store, hub, ref).catch(() => undefined);
    throw err;
  }
}

/** The completely cached models, largest first. */
export async function listCachedModels(store: ModelStore): Promise<CachedModel[]> {
  const models: CachedModel[] = [];
  for (const { key } of await store.entries()) {
    if (!key.endsWith(MANIFEST_SUFFIX)) continue;
    const raw = await store.get(key);
    const m = raw && parseManifest(raw);
    if (!m) continue;
    const totalBytes = m.files.reduce((s, f) => s + f.size, 0);
    models.push({ hub: m.hub, ref: m.ref, label: hubRefLabel(m.ref), files: m.files, totalBytes, commit: m.commit, savedAt: m.savedAt });
  }
  return models.sort((a, b) => b.totalBytes - a.totalBytes || a.label.localeCompare(b.label));
}

/** Deletes a model's manifest and every stored file of its revision (complete or left over). True if anything was deleted. */
export async function deleteCachedModel(store: ModelStore, hub: string, ref: HubRef): Promise<boolean> {
  const prefix = resolveBase(hub, ref);
  let deleted = false;
  for (const { key } of await store.entries()) {
    if (key.startsWith(prefix)) deleted = (await store.delete(key)) || deleted;
  }
  return deleted;
}

/** Deletes every cached model. */
export async function clearModelCache(store: ModelStore): Promise<void> {
  await store.clear();
}
