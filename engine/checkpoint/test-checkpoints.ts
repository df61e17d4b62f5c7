// Helpers shared by the checkpoint tests (not used by the app): where the conformance checkpoints are,
// and writing variants of them (other dtypes, sharded, renamed, broken) to a temporary folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, readFloat32 } from './safetensors.ts';
import { encodeSafetensors, type TensorToWrite } from './writeSafetensors.ts';
import { loadCheckpoint } from './load.ts';
import { dirFiles } from './dirFiles.ts';
import { CheckpointError } from './errors.ts';
import type { TransformerModel } from '../transformer/types.ts';

/** Loads the checkpoint folder `dir`, runs `fn` on the model and disposes it. */
export async function withModel<T>(dir: string, fn: (m: TransformerModel) => Promise<T>): Promise<T> {
  const m = await loadCheckpoint(dirFiles(dir));
  try {
    return await fn(m);
  } finally {
    m.dispose();
  }
}

/** The message of the CheckpointError loading `dir` throws (anything else, or loading, fails the test). */
export async function loadError(dir: string): Promise<string> {
  try {
    (await loadCheckpoint(dirFiles(dir))).dispose();
  } catch (e) {
    if (e instanceof CheckpointError) return e.message;
    throw e;
  }
  throw new Error('expected the checkpoint to be refused');
}

/** The conformance checkpoints the repository carries (tests/fixtures/models; origin and licences in its README). */
export const CONFORMANCE_MODELS = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'models');

export interface Expected {
  ids: number[];
  attention: number[][][][];
  logits: number[];
}

export function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(CONFORMANCE_MODELS, name, 'expected.json'), 'utf8')) as Expected;
}

/** Every tensor of a conformance checkpoint as float32 (copies), in file order. */
export function readTensors(name: string): TensorToWrite[] {
  const st = parseSafetensors(new Uint8Array(readFileSync(join(CONFORMANCE_MODELS, name, 'model.safetensors'))), name);
  return [...st.tensors.values()]
    .sort((a, b) => a.begin - b.begin)
    .map((t) => ({ name: t.name, dtype: 'F32', shape: t.shape, data: readFloat32(st, t).slice() }));
}

export function readConfig(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CONFORMANCE_MODELS, name, 'config.json'), 'utf8')) as Record<string, unknown>;
}

export interface WriteOptions {
  /** Split the tensors across this many shard files with model.safetensors.index.json. */
  shards?: number;
  misalign?: boolean;
  /** Extra files, e.g. a tokenizer.json. */
  extra?: Record<string, string>;
}

/** Writes config.json and the tensors as a checkpoint folder `dir` (created). */
export function writeCheckpoint(dir: string, config: unknown, tensors: TensorToWrite[], options: WriteOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  const shards = options.shards ?? 1;
  if (shards === 1) {
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(tensors, { misalign: options.misalign }));
  } else {
    const weightMap: Record<string, string> = {};
    for (let s = 0; s < shards; s++) {
      const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      const part = tensors.filter((_, k) => k % shards === s);
      for (const t of part) weightMap[t.name] = file;
      writeFileSync(join(dir, file), encodeSafetensors(part, { misalign: options.misalign }));
    }
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  }
  for (const [name, text] of Object.entries(options.extra ?? {})) writeFileSync(join(dir, name), text);
  return dir;
}

/** The float32 value a float32 becomes after a trip through F16 or BF16 (via the writer and the loader). */
export function rounded(tensors: TensorToWrite[], dtype: 'F16' | 'BF16'): TensorToWrite[] {
  const st = parseSafetensors(encodeSafetensors(tensors.map((t) => ({ ...t, dtype }))), 'rounded');
  return tensors.map((t) => ({ ...t, dtype: 'F32', data: readFloat32(st, st.tensors.get(t.name)!).slice() }));
}

/** Largest absolute difference of two equally long arrays. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}
