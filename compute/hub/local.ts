// A checkpoint from the user's own files: a folder picked with <input webkitdirectory> or items dropped on the
// page. Files are matched by base name, so a Hub snapshot folder, a flat folder or a loose selection all work.
import { contiguous, PIECE_BYTES, Pieces, type FileBytes } from '../../engine/checkpoint/bytes.ts';
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import type { CachedFile } from './cache.ts';
import { HubError, quoted } from '../../engine/checkpoint/hubErrors.ts';
import { CONFIG_FILE, INDEX_FILE, OPTIONAL_FILES, WEIGHTS_FILE, fileCap, parseShardIndex } from './layout.ts';

/** A file with its path relative to what the user picked ("stories260K/config.json"). */
export interface LocalFile {
  path: string;
  file: Blob;
}

/** The parts of a FileSystemEntry we use (the DOM's types satisfy it; tests fake it). */
export interface EntryLike {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}
export interface FileEntryLike extends EntryLike {
  file(success: (file: File) => void, failure?: (err: unknown) => void): void;
}
export interface DirectoryEntryLike extends EntryLike {
  createReader(): { readEntries(success: (entries: EntryLike[]) => void, failure?: (err: unknown) => void): void };
}

/** A local checkpoint and what the UI reports about it. */
export interface LocalCheckpoint extends CheckpointFiles {
  files: CachedFile[];
  /** Optional files the folder does not have (tokenizer.json, tokenizer_config.json). */
  absent: string[];
}

const LISTED = 12;

/** The files of an `<input type="file" webkitdirectory>` selection (or a plain multiple selection). */
export function filesFromFileList(list: ArrayLike<File>): LocalFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/**
 * The entries of a drop, taken synchronously: the browser empties the DataTransfer once the drop handler
 * returns, so call this inside the handler and read the entries afterwards with filesFromEntries.
 */
export function entriesFromDataTransfer(items: ArrayLike<DataTransferItem>): EntryLike[] {
  const out: EntryLike[] = [];
  for (const item of Array.from(items)) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    if (entry) out.push(entry);
  }
  return out;
}

function fileOf(entry: FileEntryLike): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** All entries of a directory: readEntries answers in batches (100 in Chromium) until it answers none. */
async function childrenOf(dir: DirectoryEntryLike): Promise<EntryLike[]> {
  const reader = dir.createReader();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** The files under dropped entries, recursing into directories; paths start at the dropped item's name. */
export async function filesFromEntries(entries: readonly EntryLike[]): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const visit = async (entry: EntryLike, prefix: string): Promise<void> => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) out.push({ path, file: await fileOf(entry as FileEntryLike) });
    else if (entry.isDirectory) for (const child of await childrenOf(entry as DirectoryEntryLike)) await visit(child, path);
  };
  for (const entry of entries) await visit(entry, '');
  return out;
}

/** Hidden folders (.git, .cache) hold copies and metadata, not the checkpoint. */
function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

/** Base name → file, preferring the shallowest path (then the first in sort order) when a name occurs twice. */
function byBaseName(files: readonly LocalFile[]): Map<string, LocalFile> {
  const depth = (p: string) => p.split('/').length;
  const sorted = files.filter((f) => !isHidden(f.path)).sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const map = new Map<string, LocalFile>();
  for (const f of sorted) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (!map.has(base)) map.set(base, f);
  }
  return map;
}

/** "a, b, c and 4 more", or "nothing". */
function listing(paths: readonly string[]): string {
  if (paths.length === 0) return 'nothing';
  const shown = paths.slice(0, LISTED).map((p) => quoted(p)).join(', ');
  return paths.length > LISTED ? `${shown} and ${paths.length - LISTED} more` : shown;
}

/** A file's bytes; one larger than a piece is read a piece at a time (one arrayBuffer() of it would fail past 2 GiB). */
export async function readBlob(path: string, blob: Blob, pieceBytes = PIECE_BYTES): Promise<FileBytes> {
  const cap = fileCap(path.split('/').pop()!);
  if (blob.size > cap) throw new HubError('size', 'too-large', { file: path, bytes: blob.size, max: cap }, path);
  if (blob.size <= pieceBytes) return new Uint8Array(await blob.arrayBuffer());
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < blob.size; at += pieceBytes) pieces.push(new Uint8Array(await blob.slice(at, Math.min(blob.size, at + pieceBytes)).arrayBuffer()));
  return new Pieces(pieces);
}

/** The label of a selection: its top folder, or "dropped files". */
function labelOf(files: readonly LocalFile[]): string {
  const tops = new Set(files.map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : '')));
  const [top] = tops;
  return tops.size === 1 && top ? top : 'local files';
}

/**
 * A checkpoint over local files. Requires config.json and the weights (model.safetensors, or
 * model.safetensors.index.json with every shard it names); otherwise throws HubError (code `missing`) saying
 * what is missing and listing what was found. tokenizer.json / tokenizer_config.json are optional (`absent`).
 */
export async function localCheckpoint(files: readonly LocalFile[], label = labelOf(files)): Promise<LocalCheckpoint> {
  const found = byBaseName(files);
  const foundList = () => listing(files.map((f) => f.path).sort());
  const missing = (reason: 'local-no-config' | 'local-no-shard' | 'local-no-weights', file: string, params: Record<string, string> = {}) =>
    new HubError('missing', reason, { folder: quoted(label), found: foundList(), config: CONFIG_FILE, index: INDEX_FILE, weights: WEIGHTS_FILE, ...params }, file);
  if (!found.has(CONFIG_FILE)) throw missing('local-no-config', CONFIG_FILE);

  let weights: string[];
  if (found.has(WEIGHTS_FILE)) {
    weights = [WEIGHTS_FILE];
  } else if (found.has(INDEX_FILE)) {
    const index = found.get(INDEX_FILE)!;
    const shards = parseShardIndex(contiguous(await readBlob(index.path, index.file)));
    const lacking = shards.filter((s) => !found.has(s));
    if (lacking.length) throw missing('local-no-shard', lacking[0], { shards: listing(lacking) });
    weights = [INDEX_FILE, ...shards];
  } else {
    throw missing('local-no-weights', WEIGHTS_FILE);
  }

  const present = [CONFIG_FILE, ...weights, ...OPTIONAL_FILES.filter((n) => found.has(n))];
  return {
    label,
    files: present.map((name) => ({ name, size: found.get(name)!.file.size })),
    absent: OPTIONAL_FILES.filter((n) => !found.has(n)),
    async read(name) {
      const f = found.get(name);
      return f ? readBlob(f.path, f.file) : null;
    },
  };
}

/** localCheckpoint over an `<input webkitdirectory>` FileList. */
export function localCheckpointFromFileList(list: ArrayLike<File>): Promise<LocalCheckpoint> {
  return localCheckpoint(filesFromFileList(list));
}

/** localCheckpoint over dropped entries (from entriesFromDataTransfer). */
export async function localCheckpointFromEntries(entries: readonly EntryLike[]): Promise<LocalCheckpoint> {
  return localCheckpoint(await filesFromEntries(entries));
}
