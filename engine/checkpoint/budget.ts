// What one checkpoint may ask of this app, checked before anything is allocated: every count and size in
// config.json (while it is parsed, before GPT-Neo's layer kinds are expanded), then the parameters of every
// tensor the family will read (before the weights are downloaded, when the Hub is asked), then each of those
// tensors against the file's own table (before a single number is converted). A config.json is untrusted:
// without these bounds its sizes alone would decide how much memory a link makes the page allocate.

/** The counts and sizes config.json may give, by kind. */
export const CONFIG_LIMITS = {
  /** Layers (n_layer, num_hidden_layers, num_layers): the largest open models have ~130. */
  layers: 256,
  /** Attention heads per layer (and key/value heads). */
  heads: 256,
  /** Widths: the residual stream, an MLP, a head (n_embd, hidden_size, intermediate_size, head_dim). */
  width: 262_144,
  /** Vocabulary rows. */
  vocab: 1_048_576,
  /** Positions (n_positions, max_position_embeddings); nothing is allocated by it but a learned position table. */
  context: 16_777_216,
} as const;

export type LimitKind = keyof typeof CONFIG_LIMITS;

const NOUNS: Record<LimitKind, string> = { layers: 'layers', heads: 'heads', width: 'as a width', vocab: 'vocabulary entries', context: 'positions' };

/** "at most 256 layers" */
export function limitText(kind: LimitKind): string {
  return `at most ${CONFIG_LIMITS[kind].toLocaleString('en-US')} ${NOUNS[kind]}`;
}

/**
 * Parameters of all tensors a family reads when every weight is resident as float32: 10⁹ is 4 GB, what a
 * browser's WebAssembly memory can hold at most.
 */
export const MAX_PARAMETERS = 1_000_000_000;

/**
 * Above this many parameters (2 GB as float32, half the WebAssembly memory) a family that can stream keeps
 * its weights in the file's precision outside the wasm heap and converts one layer at a time (Net.stream).
 * Below it every weight is converted once at load, which is faster per forward pass.
 */
export const STREAM_ABOVE_PARAMETERS = 500_000_000;

/**
 * Parameters of a streamed checkpoint: its file's bytes stay in memory (JS ArrayBuffers) for the session,
 * 6 GB at 16 bits, what a browser tab can hold beside the page.
 */
export const MAX_STREAMED_PARAMETERS = 3_000_000_000;

/** Parameters of one streamed layer, all of which are float32 tensors while it runs: 1 GB. */
export const MAX_LAYER_PARAMETERS = 250_000_000;

/** Numbers in one tensor: 2²⁹ is a 2 GiB float32 array, the most one conversion buffer may take. */
export const MAX_TENSOR_ELEMENTS = 2 ** 29;

/** The fewest bytes a parameter takes in a file this app reads (F16 and BF16; F32 takes 4). */
export const MIN_BYTES_PER_PARAMETER = 2;

/**
 * Numbers of a stored table converted at once when all of it takes part in a product (64 MB as float32, held
 * twice while a block runs: its conversion buffer and its copy in the backend). The unembedding at the end of
 * a 1B-class model's forward pass is where the browser's memory peaks (bench/bigBrowser.ts).
 */
export const STORED_CHUNK_ELEMENTS = 2 ** 24;
