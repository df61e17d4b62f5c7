// Loading a trained model: the manifest is checked field by field and the weights file against the
// manifest's tensor table, and every problem is reported as a ModelError naming what is wrong
// ("weights: expected 441,216 bytes …", "manifest.architecture.nHeads: expected a positive whole number …").
import type { HeadWeights, Matrix } from '../types.ts';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  sizeOf,
  tensorSpecs,
  type ModelArchitecture,
  type ModelManifest,
  type ModelVocabulary,
  type TensorEntry,
} from './format.ts';
import { ModelError } from './modelError.ts';

export interface LayerNormWeights {
  gain: Float32Array;
  bias: Float32Array;
}

export interface ModelLayer {
  ln1: LayerNormWeights;
  /** Per head: W^Q, W^K, W^V (dModel×dHead each), ready for the engine's AttentionInput. */
  heads: HeadWeights[];
  /** (nHeads·dHead)×dModel. */
  Wo: Matrix;
  ln2: LayerNormWeights;
  W1: Matrix; // dModel×dMlp
  b1: Float32Array;
  W2: Matrix; // dMlp×dModel
  b2: Float32Array;
}

export interface LoadedModel {
  manifest: ModelManifest;
  arch: ModelArchitecture;
  vocab: ModelVocabulary;
  /** Character → id (the unknown token is not in it). */
  charToId: Map<string, number>;
  tokEmb: Matrix; // vocabSize×dModel
  posEmb: Matrix; // context×dModel
  layers: ModelLayer[];
  lnF: LayerNormWeights;
  unembedW: Matrix; // dModel×vocabSize
  unembedB: Float32Array;
  /** Every tensor by its manifest name (the arrays above share these buffers). */
  tensors: Map<string, Float32Array>;
  parameterCount: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 32 ? `${v.slice(0, 32)}…` : v)}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

function posInt(obj: Record<string, unknown>, key: string, path: string, max = 1 << 20): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new ModelError(`${path}.${key}`, `expected a positive whole number${max < 1 << 20 ? ` ≤ ${max}` : ''}, got ${describe(v)}`);
  }
  return v;
}

function literal<T extends string>(obj: Record<string, unknown>, key: string, path: string, allowed: readonly T[]): T {
  const v = obj[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ModelError(`${path}.${key}`, `expected ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${describe(v)}`);
  }
  return v as T;
}

function checkArchitecture(v: unknown): ModelArchitecture {
  const path = 'manifest.architecture';
  if (!isObject(v)) throw new ModelError(path, `expected an object, got ${describe(v)}`);
  const eps = v.layerNormEps;
  if (typeof eps !== 'number' || !(eps > 0) || eps > 1) {
    throw new ModelError(`${path}.layerNormEps`, `expected a small positive number, got ${describe(eps)}`);
  }
  const bool = (key: string, want: boolean) => {
    if (v[key] !== want) {
      throw new ModelError(`${path}.${key}`, `expected ${want} (the only variant this loader implements), got ${describe(v[key])}`);
    }
  };
  bool('attentionBias', false);
  bool('tiedEmbeddings', false);
  return {
    type: literal(v, 'type', path, ['decoder-only-transformer'] as const),
    nLayers: posInt(v, 'nLayers', path, 64),
    nHeads: posInt(v, 'nHeads', path, 64),
    dModel: posInt(v, 'dModel', path, 4096),
    dHead: posInt(v, 'dHead', path, 4096),
    dMlp: posInt(v, 'dMlp', path, 16384),
    context: posInt(v, 'context', path, 4096),
    vocabSize: posInt(v, 'vocabSize', path, 65536),
    norm: literal(v, 'norm', path, ['pre-layernorm'] as const),
    layerNormEps: eps,
    activation: literal(v, 'activation', path, ['relu', 'gelu-tanh'] as const),
    positional: literal(v, 'positional', path, ['learned'] as const),
    attentionBias: false,
    tiedEmbeddings: false,
  };
}

function checkVocabulary(v: unknown, arch: ModelArchitecture): ModelVocabulary {
  const path = 'manifest.vocabulary';
  if (!isObject(v)) throw new ModelError(path, `expected an object, got ${describe(v)}`);
  if (v.kind !== 'characters') throw new ModelError(`${path}.kind`, `expected "characters", got ${describe(v.kind)}`);
  const tokens = v.tokens;
  if (!Array.isArray(tokens)) throw new ModelError(`${path}.tokens`, `expected an array of strings, got ${describe(tokens)}`);
  if (tokens.length !== arch.vocabSize) {
    throw new ModelError(`${path}.tokens`, `expected ${arch.vocabSize} tokens (architecture.vocabSize), got ${tokens.length}`);
  }
  const unknownId = v.unknownId;
  if (typeof unknownId !== 'number' || !Number.isInteger(unknownId) || unknownId < 0 || unknownId >= tokens.length) {
    throw new ModelError(`${path}.unknownId`, `expected an index into tokens (0…${tokens.length - 1}), got ${describe(unknownId)}`);
  }
  const seen = new Set<string>();
  tokens.forEach((t: unknown, i) => {
    if (typeof t !== 'string') throw new ModelError(`${path}.tokens[${i}]`, `expected a string, got ${describe(t)}`);
    if (i === unknownId) return;
    if (Array.from(t).length !== 1) throw new ModelError(`${path}.tokens[${i}]`, `expected a single character, got ${describe(t)}`);
    if (seen.has(t)) throw new ModelError(`${path}.tokens[${i}]`, `duplicate character ${JSON.stringify(t)}`);
    seen.add(t);
  });
  return { kind: 'characters', tokens: tokens as string[], unknownId };
}

function checkTensorTable(v: unknown, arch: ModelArchitecture, byteLength: number): Map<string, TensorEntry> {
  const path = 'manifest.weights.tensors';
  if (!Array.isArray(v)) throw new ModelError(path, `expected an array of {name, shape, dtype, offset}, got ${describe(v)}`);
  const byName = new Map<string, TensorEntry>();
  v.forEach((e: unknown, i) => {
    if (!isObject(e) || typeof e.name !== 'string') throw new ModelError(`${path}[${i}]`, 'expected {name, shape, dtype, offset}');
    if (byName.has(e.name)) throw new ModelError(`${path}[${i}]`, `duplicate tensor ${JSON.stringify(e.name)}`);
    const shape = e.shape;
    if (!Array.isArray(shape) || shape.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1)) {
      throw new ModelError(`tensor ${e.name}`, `expected shape as an array of positive whole numbers, got ${describe(shape)}`);
    }
    if (e.dtype !== 'float32') throw new ModelError(`tensor ${e.name}`, `expected dtype "float32", got ${describe(e.dtype)}`);
    const offset = e.offset;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) {
      throw new ModelError(`tensor ${e.name}`, `expected a byte offset that is a multiple of 4, got ${describe(offset)}`);
    }
    byName.set(e.name, { name: e.name, shape: shape as number[], dtype: 'float32', offset });
  });
  const specs = tensorSpecs(arch);
  const expected = new Set(specs.map((s) => s.name));
  for (const name of byName.keys()) {
    if (!expected.has(name)) throw new ModelError(`tensor ${name}`, 'not part of this architecture (unexpected tensor in the manifest)');
  }
  for (const s of specs) {
    const e = byName.get(s.name);
    if (!e) throw new ModelError(`tensor ${s.name}`, 'missing from manifest.weights.tensors');
    if (e.shape.length !== s.shape.length || e.shape.some((x, k) => x !== s.shape[k])) {
      throw new ModelError(`tensor ${s.name}`, `expected shape [${s.shape.join(', ')}] for this architecture, got [${e.shape.join(', ')}]`);
    }
    const end = e.offset + 4 * sizeOf(s.shape);
    if (end > byteLength) {
      throw new ModelError(`tensor ${s.name}`, `bytes ${e.offset}…${end} lie beyond the end of the weights (${byteLength} bytes)`);
    }
  }
  return byName;
}

/** Parses (if given a string) and checks a manifest; throws ModelError naming the first problem. */
export function parseManifest(json: unknown): ModelManifest {
  let m: unknown = json;
  if (typeof json === 'string') {
    try {
      m = JSON.parse(json);
    } catch (e) {
      throw new ModelError('manifest', `not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(m)) throw new ModelError('manifest', `expected a JSON object, got ${describe(m)}`);
  if (m.format !== MODEL_FORMAT) {
    throw new ModelError('manifest.format', `expected ${JSON.stringify(MODEL_FORMAT)}, got ${describe(m.format)} (is this a model manifest?)`);
  }
  if (m.version !== MODEL_FORMAT_VERSION) {
    throw new ModelError('manifest.version', `expected ${MODEL_FORMAT_VERSION}, got ${describe(m.version)}`);
  }
  const arch = checkArchitecture(m.architecture);
  const vocab = checkVocabulary(m.vocabulary, arch);
  const w = m.weights;
  if (!isObject(w)) throw new ModelError('manifest.weights', `expected an object, got ${describe(w)}`);
  if (w.dtype !== 'float32') throw new ModelError('manifest.weights.dtype', `expected "float32", got ${describe(w.dtype)}`);
  if (w.byteOrder !== 'little-endian') {
    throw new ModelError('manifest.weights.byteOrder', `expected "little-endian", got ${describe(w.byteOrder)}`);
  }
  const byteLength = w.byteLength;
  if (typeof byteLength !== 'number' || !Number.isInteger(byteLength) || byteLength < 0) {
    throw new ModelError('manifest.weights.byteLength', `expected a byte count, got ${describe(byteLength)}`);
  }
  checkTensorTable(w.tensors, arch, byteLength);
  return {
    ...(m as unknown as ModelManifest),
    name: typeof m.name === 'string' ? m.name : 'model',
    architecture: arch,
    vocabulary: vocab,
  };
}

function bytesOf(weights: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (weights instanceof ArrayBuffer) return new Uint8Array(weights);
  if (ArrayBuffer.isView(weights)) return new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  throw new ModelError('weights', `expected an ArrayBuffer or typed array, got ${describe(weights)}`);
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Checks the manifest and the weights file together and builds a model ready for modelForward.
 * `manifestJson` is the parsed JSON (or its text); `weights` the contents of the .bin file.
 * Every tensor is copied out of `weights` (so the buffer may be reused) and checked to be finite.
 */
export function loadModel(manifestJson: unknown, weights: ArrayBuffer | ArrayBufferView): LoadedModel {
  const manifest = parseManifest(manifestJson);
  const arch = manifest.architecture;
  const bytes = bytesOf(weights);
  const want = manifest.weights.byteLength;
  if (bytes.byteLength !== want) {
    const why = bytes.byteLength < want ? 'truncated or wrong file?' : 'too long: wrong file, or a manifest of another model?';
    throw new ModelError('weights', `expected ${want} bytes (manifest.weights.byteLength), got ${bytes.byteLength} — ${why}`);
  }
  const table = new Map(manifest.weights.tensors.map((t) => [t.name, t]));
  const tensors = new Map<string, Float32Array>();
  let count = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const spec of tensorSpecs(arch)) {
    const e = table.get(spec.name)!;
    const len = sizeOf(spec.shape);
    let data: Float32Array;
    if (littleEndian) {
      data = new Float32Array(bytes.slice(e.offset, e.offset + 4 * len).buffer);
    } else {
      data = new Float32Array(len);
      for (let k = 0; k < len; k++) data[k] = view.getFloat32(e.offset + 4 * k, true);
    }
    for (let k = 0; k < len; k++) {
      if (!Number.isFinite(data[k])) throw new ModelError(`tensor ${spec.name}`, `element ${k} is not a finite number (${data[k]})`);
    }
    tensors.set(spec.name, data);
    count += len;
  }

  const mat = (name: string, rows: number, cols: number): Matrix => ({ rows, cols, data: tensors.get(name)! });
  const vec = (name: string) => tensors.get(name)!;
  const d = arch.dModel;
  const dh = arch.dHead;
  const hd = arch.nHeads * dh;
  /** Columns k·dh … (k+1)·dh − 1 of a d×hd matrix, as a d×dh matrix of its own. */
  const headCols = (w: Float32Array, k: number): Matrix => {
    const out = new Float32Array(d * dh);
    for (let i = 0; i < d; i++) out.set(w.subarray(i * hd + k * dh, i * hd + (k + 1) * dh), i * dh);
    return { rows: d, cols: dh, data: out };
  };
  const layers: ModelLayer[] = [];
  for (let l = 0; l < arch.nLayers; l++) {
    const p = `layers.${l}`;
    const Wq = vec(`${p}.attn.Wq`);
    const Wk = vec(`${p}.attn.Wk`);
    const Wv = vec(`${p}.attn.Wv`);
    layers.push({
      ln1: { gain: vec(`${p}.ln1.gain`), bias: vec(`${p}.ln1.bias`) },
      heads: Array.from({ length: arch.nHeads }, (_, k) => ({ Wq: headCols(Wq, k), Wk: headCols(Wk, k), Wv: headCols(Wv, k) })),
      Wo: mat(`${p}.attn.Wo`, hd, d),
      ln2: { gain: vec(`${p}.ln2.gain`), bias: vec(`${p}.ln2.bias`) },
      W1: mat(`${p}.mlp.W1`, d, arch.dMlp),
      b1: vec(`${p}.mlp.b1`),
      W2: mat(`${p}.mlp.W2`, arch.dMlp, d),
      b2: vec(`${p}.mlp.b2`),
    });
  }
  const vocab = manifest.vocabulary;
  const charToId = new Map<string, number>();
  vocab.tokens.forEach((t, i) => {
    if (i !== vocab.unknownId) charToId.set(t, i);
  });
  return {
    manifest,
    arch,
    vocab,
    charToId,
    tokEmb: mat('tok_emb', arch.vocabSize, d),
    posEmb: mat('pos_emb', arch.context, d),
    layers,
    lnF: { gain: vec('ln_f.gain'), bias: vec('ln_f.bias') },
    unembedW: mat('unembed.W', d, arch.vocabSize),
    unembedB: vec('unembed.b'),
    tensors,
    parameterCount: count,
  };
}
