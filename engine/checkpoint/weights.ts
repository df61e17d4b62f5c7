// A checkpoint's tensors, whether in one model.safetensors or sharded (model.safetensors.index.json →
// weight_map → shard files). Family code asks for tensors by name and shape; this module finds them, checks
// the shape, converts to float32 and names the file and tensor in every error.
import { contiguous, type FileBytes } from './bytes.ts';
import { CheckpointError, describeValue } from './errors.ts';
import { fileName, type CheckpointFiles } from './files.ts';
import { checkFinite, FLOAT_DTYPES, parseSafetensors, readFloat32, type SafetensorsFile, type TensorInfo } from './safetensors.ts';

export interface WeightStore {
  /** Tensor names as stored, without the prefix openWeights was told to strip (GPT-2's optional "transformer."). */
  names(): string[];
  has(name: string): boolean;
  /** Throws the named error `take` would for a missing tensor, another shape or a dtype it cannot read; reads nothing. */
  check(name: string, shape: number[], why: string): void;
  /** The tensor as float32 (see readFloat32: F32 may be a view into the file, others may use `scratch`), after checking its shape. */
  take(name: string, shape: number[], why: string, scratch?: Float32Array): Float32Array;
  /** Elements start…start+count−1 of the tensor as float32 (a few rows of a table kept in the file's precision). */
  takeRange(name: string, shape: number[], why: string, start: number, count: number, scratch?: Float32Array): Float32Array;
  /** Throws the error `take` would for a non-finite element, without converting (tensors kept in the file's precision). */
  checkFinite(name: string, shape: number[], why: string): void;
  /** Bytes the tensor takes in its file. */
  storedBytes(name: string): number;
  /** Numbers in all tensors (for progress: buffers the families ignore included). */
  totalElements(): number;
  /** The dtypes met, e.g. ["F16"]. */
  dtypes(): string[];
  /** The dtypes of the tensors taken so far: the weights' own, without buffers a family ignores (e.g. BOOL masks). */
  dtypesTaken(): string[];
  /** The file that holds a tensor, as named in messages (for errors about a tensor found elsewhere). */
  fileOf(name: string): string;
  /** The main weights file as named in messages (model.safetensors or the index). */
  mainFile: string;
}

const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';


async function readIndex(files: CheckpointFiles, bytes: FileBytes): Promise<Map<string, string>> {
  const file = fileName(files, INDEX);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(contiguous(bytes)));
  } catch (e) {
    throw new CheckpointError(file, null, `not valid JSON (${(e as Error).message})`);
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new CheckpointError(file, 'weight_map', `expected an object {tensor name: shard file}, got ${describeValue(map)}`);
  }
  const out = new Map<string, string>();
  for (const [name, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\')) {
      throw new CheckpointError(file, `weight_map.${name}`, `expected a shard file name, got ${describeValue(shard)}`);
    }
    out.set(name, shard);
  }
  return out;
}

/**
 * Opens model.safetensors, or the shards listed by model.safetensors.index.json. `strip`: a name prefix that
 * some checkpoints of the family carry and others not (GPT-2's and GPT-Neo's "transformer."), removed so the
 * family code asks for one name; other families keep their names as stored (DistilBERT's own
 * "transformer.layer…" must stay).
 */
export async function openWeights(files: CheckpointFiles, strip: string | null = null): Promise<WeightStore> {
  const stripPrefix = (name: string) => (strip && name.startsWith(strip) ? name.slice(strip.length) : name);
  const located = new Map<string, { st: SafetensorsFile; info: TensorInfo }>();
  let mainFile = fileName(files, SINGLE);
  const single = await files.read(SINGLE);
  if (single) {
    const st = parseSafetensors(single, mainFile);
    for (const [name, info] of st.tensors) located.set(stripPrefix(name), { st, info });
  } else {
    const indexBytes = await files.read(INDEX);
    if (!indexBytes) throw new CheckpointError(mainFile, null, `missing (and no ${INDEX} for a sharded checkpoint either)`);
    mainFile = fileName(files, INDEX);
    const map = await readIndex(files, indexBytes);
    const shards = new Map<string, SafetensorsFile>();
    for (const shard of new Set(map.values())) {
      const bytes = await files.read(shard);
      if (!bytes) throw new CheckpointError(fileName(files, shard), null, `missing (listed in ${INDEX})`);
      shards.set(shard, parseSafetensors(bytes, fileName(files, shard)));
    }
    for (const [name, shard] of map) {
      const st = shards.get(shard)!;
      const info = st.tensors.get(name);
      if (!info) throw new CheckpointError(st.file, `tensor ${name}`, `missing (${INDEX} says it is in this shard)`);
      located.set(stripPrefix(name), { st, info });
    }
  }
  const taken = new Set<string>();
  return {
    mainFile,
    names: () => [...located.keys()],
    has: (name) => located.has(name),
    totalElements: () => [...located.values()].reduce((s, l) => s + l.info.shape.reduce((a, b) => a * b, 1), 0),
    dtypes: () => [...new Set([...located.values()].map((l) => l.info.dtype))].sort(),
    dtypesTaken: () => [...taken].sort(),
    fileOf: (name) => located.get(name)?.st.file ?? mainFile,
    check(name, shape, why) {
      lookUp(name, shape, why);
    },
    take(name, shape, why, scratch) {
      const l = lookUp(name, shape, why);
      taken.add(l.info.dtype);
      return readFloat32(l.st, l.info, scratch);
    },
    takeRange(name, shape, why, start, count, scratch) {
      const l = lookUp(name, shape, why);
      taken.add(l.info.dtype);
      return readFloat32(l.st, l.info, scratch, { start, count });
    },
    checkFinite(name, shape, why) {
      const l = lookUp(name, shape, why);
      checkFinite(l.st, l.info);
    },
    storedBytes: (name) => {
      const l = located.get(name);
      return l ? l.info.end - l.info.begin : 0;
    },
  };

  function lookUp(name: string, shape: number[], why: string): { st: SafetensorsFile; info: TensorInfo } {
    const l = located.get(name);
    if (!l) throw new CheckpointError(mainFile, `tensor ${name}`, `missing (${why})`);
    const got = l.info.shape;
    if (got.length !== shape.length || got.some((x, k) => x !== shape[k])) {
      throw new CheckpointError(l.st.file, `tensor ${name}`, `expected shape [${shape.join(', ')}] (${why}), got [${got.join(', ')}]`);
    }
    if (!FLOAT_DTYPES.includes(l.info.dtype as 'F32')) {
      throw new CheckpointError(l.st.file, `tensor ${name}`, `dtype ${l.info.dtype} is not supported (supported: ${FLOAT_DTYPES.join(', ')})`);
    }
    return l;
  }
}
