// The on-disk format of a trained model: a JSON manifest (architecture, vocabulary, tensor table,
// provenance) plus one binary file of little-endian float32 tensors. Shared by the training script
// (which writes it) and loadModel (which checks it), so both agree on the tensor names and shapes.

export const MODEL_FORMAT = 'attention-lab/char-transformer';
export const MODEL_FORMAT_VERSION = 1;

/** A small decoder-only transformer (GPT-style, pre-LayerNorm) over characters. */
export interface ModelArchitecture {
  type: 'decoder-only-transformer';
  nLayers: number;
  nHeads: number;
  /** Width of the residual stream. */
  dModel: number;
  /** Query/key/value size of each head (nHeads·dHead need not equal dModel; W^O is (nHeads·dHead)×dModel). */
  dHead: number;
  /** Hidden width of the MLP. */
  dMlp: number;
  /** Longest input (learned positional embeddings exist for positions 0…context−1). */
  context: number;
  vocabSize: number;
  /** LayerNorm before attention and before the MLP of every block, and once more before the unembedding. */
  norm: 'pre-layernorm';
  layerNormEps: number;
  /** MLP activation: max(0, x), or GELU with the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  activation: 'relu' | 'gelu-tanh';
  positional: 'learned';
  /** Attention projections W^Q, W^K, W^V, W^O have no biases (so the engine sees exactly X·W). */
  attentionBias: false;
  /** The unembedding is its own matrix (not the transposed token embedding), with a bias. */
  tiedEmbeddings: false;
}

export interface ModelVocabulary {
  kind: 'characters';
  /** tokens[id] is the character of id; tokens[unknownId] is a label for the unknown token. */
  tokens: string[];
  unknownId: number;
}

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in the weights file (a multiple of 4). */
  offset: number;
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  name: string;
  description?: string;
  architecture: ModelArchitecture;
  vocabulary: ModelVocabulary;
  weights: {
    /** File name of the weights next to the manifest. */
    file: string;
    dtype: 'float32';
    byteOrder: 'little-endian';
    byteLength: number;
    tensors: TensorEntry[];
  };
  /** Provenance: free-form but documented fields (seed, steps, losses, data source, licence, date). */
  training?: Record<string, unknown>;
  data?: Record<string, unknown>;
  date?: string;
}

export interface TensorSpec {
  name: string;
  shape: number[];
}

/** Every tensor of an architecture, in the canonical order the weights file stores them. */
export function tensorSpecs(a: ModelArchitecture): TensorSpec[] {
  const d = a.dModel;
  const hd = a.nHeads * a.dHead;
  const specs: TensorSpec[] = [
    { name: 'tok_emb', shape: [a.vocabSize, d] },
    { name: 'pos_emb', shape: [a.context, d] },
  ];
  for (let l = 0; l < a.nLayers; l++) {
    const p = `layers.${l}`;
    specs.push(
      { name: `${p}.ln1.gain`, shape: [d] },
      { name: `${p}.ln1.bias`, shape: [d] },
      // Head k uses columns k·dHead … (k+1)·dHead − 1 of W^Q, W^K, W^V, and rows k·dHead … of W^O.
      { name: `${p}.attn.Wq`, shape: [d, hd] },
      { name: `${p}.attn.Wk`, shape: [d, hd] },
      { name: `${p}.attn.Wv`, shape: [d, hd] },
      { name: `${p}.attn.Wo`, shape: [hd, d] },
      { name: `${p}.ln2.gain`, shape: [d] },
      { name: `${p}.ln2.bias`, shape: [d] },
      { name: `${p}.mlp.W1`, shape: [d, a.dMlp] },
      { name: `${p}.mlp.b1`, shape: [a.dMlp] },
      { name: `${p}.mlp.W2`, shape: [a.dMlp, d] },
      { name: `${p}.mlp.b2`, shape: [d] },
    );
  }
  specs.push(
    { name: 'ln_f.gain', shape: [d] },
    { name: 'ln_f.bias', shape: [d] },
    { name: 'unembed.W', shape: [d, a.vocabSize] },
    { name: 'unembed.b', shape: [a.vocabSize] },
  );
  return specs;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((p, x) => p * x, 1);
}

/** Total number of parameters of an architecture. */
export function parameterCount(a: ModelArchitecture): number {
  return tensorSpecs(a).reduce((s, t) => s + sizeOf(t.shape), 0);
}

/** The character vocabulary used by the shipped models: unknown, newline, then printable ASCII 32…126. */
export function asciiVocabulary(): ModelVocabulary {
  const tokens = ['<unk>', '\n'];
  for (let c = 32; c <= 126; c++) tokens.push(String.fromCharCode(c));
  return { kind: 'characters', tokens, unknownId: 0 };
}

export interface PackInfo {
  name: string;
  description?: string;
  /** File name of the weights, as the manifest will reference it. */
  file: string;
  training?: Record<string, unknown>;
  data?: Record<string, unknown>;
  date?: string;
}

/**
 * Lays out a model's tensors (every tensor of tensorSpecs(arch), in that order) as one little-endian
 * float32 buffer and builds the manifest that describes it. The inverse of loadModel.
 */
export function packModel(
  arch: ModelArchitecture,
  vocabulary: ModelVocabulary,
  tensors: Map<string, Float32Array>,
  info: PackInfo,
): { manifest: ModelManifest; bytes: Uint8Array } {
  const specs = tensorSpecs(arch);
  const total = specs.reduce((s, t) => s + sizeOf(t.shape), 0);
  const flat = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let off = 0;
  for (const s of specs) {
    const data = tensors.get(s.name);
    if (!data) throw new Error(`packModel: tensor ${s.name} is missing`);
    if (data.length !== sizeOf(s.shape)) throw new Error(`packModel: tensor ${s.name} has ${data.length} numbers, expected ${sizeOf(s.shape)} for [${s.shape.join(', ')}]`);
    flat.set(data, off);
    entries.push({ name: s.name, shape: s.shape, dtype: 'float32', offset: off * 4 });
    off += data.length;
  }
  let bytes = new Uint8Array(flat.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    // big-endian host: write little-endian explicitly
    bytes = new Uint8Array(flat.length * 4);
    const dv = new DataView(bytes.buffer);
    flat.forEach((v, k) => dv.setFloat32(4 * k, v, true));
  }
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name: info.name,
    ...(info.description !== undefined ? { description: info.description } : {}),
    architecture: arch,
    vocabulary,
    weights: { file: info.file, dtype: 'float32', byteOrder: 'little-endian', byteLength: bytes.byteLength, tensors: entries },
    ...(info.training !== undefined ? { training: info.training } : {}),
    ...(info.data !== undefined ? { data: info.data } : {}),
    ...(info.date !== undefined ? { date: info.date } : {}),
  };
  return { manifest, bytes };
}
