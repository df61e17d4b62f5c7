// One interface for every transformer the app runs: the shipped character model and checkpoints in the
// Hugging Face layout, decoders (causal, pre-LN) and encoders (bidirectional, post-LN, masked-LM head). The attention of every layer goes through the engine's
// computeAttention; the rest (embeddings, norms, MLP, unembedding) runs as tfjs ops on resident weights.
import type * as tf from '@tensorflow/tfjs';
import type { AttentionInput, AttentionResult, HeadAblation, HeadWeights, Matrix, RotaryConfig } from '../types.ts';

/** What the app needs to know about a model (plain data: it crosses the worker boundary). */
export interface ModelInfo {
  /** 'gpt2', 'llama', 'qwen2', 'gpt_neox', 'gpt_neo', 'bert', 'roberta', 'distilbert', or 'char-transformer' for the shipped character model. */
  type: string;
  /** Where it came from (a folder, "owner/name@revision", the manifest's name). */
  name: string;
  layers: number;
  /** Query heads per layer. */
  heads: number;
  /** Key/value heads per layer (fewer than heads with grouped-query attention). */
  kvHeads: number;
  /** kvHeadOfHead[k]: the key/value head query head k uses (heads with the same entry share W^K and W^V). */
  kvHeadOfHead: number[];
  dModel: number;
  dHead: number;
  dMlp: number;
  vocab: number;
  /** Longest input. */
  context: number;
  norm: 'layernorm' | 'rmsnorm';
  positional: 'learned' | 'rotary';
  mlp: 'gelu-tanh' | 'gelu' | 'relu' | 'swiglu';
  parameters: number;
  /** Storage dtypes of the weights file(s), e.g. ["F16"]; ["F32"] for the character model. */
  dtypes: string[];
  /** Decoders: a query sees only itself and the keys before it. Encoders (BERT): false, every token sees every token. */
  causal: boolean;
  /** What the logits predict: the next token (decoders), the token at a position (an encoder's masked-LM head), or null (an encoder without a head: no logits). */
  predicts: 'next-token' | 'masked-token' | null;
  /** Token types (BERT's segment embeddings: 2); 0 when the model has none. */
  typeVocab: number;
  /** Where the blocks normalise: 'pre' (x + f(norm(x)), decoders) or 'post' (norm(x + f(x)), BERT). */
  blockNorm: 'pre' | 'post';
}

export interface Norm {
  kind: 'layernorm' | 'rmsnorm';
  gain: tf.Tensor1D;
  bias: tf.Tensor1D | null;
  eps: number;
}

/**
 * MLP weights in PyTorch's (out, in) orientation: the forward pass computes hᵀ = W·xᵀ, with the weight as
 * the left operand, because tfjs-wasm keeps an XNNPACK-packed copy of every right operand it has multiplied
 * by: x·W would hold the MLP weights twice in the wasm heap (measured: same speed, +9.4 MB per GPT-2 weight).
 */
export interface Mlp {
  kind: ModelInfo['mlp'];
  /** m×d (for SwiGLU: the "up" product). */
  up: tf.Tensor2D;
  upBias: tf.Tensor1D | null;
  /** m×d SwiGLU gate, else null. */
  gate: tf.Tensor2D | null;
  gateBias: tf.Tensor1D | null;
  /** d×m. */
  down: tf.Tensor2D;
  downBias: tf.Tensor1D | null;
}

export interface Block {
  norm1: Norm;
  /** Per query head; heads of one key/value group share the same Wk/Wv (and bk/bv) objects. */
  heads: HeadWeights[];
  /** (h·d_head)×d. */
  Wo: Matrix;
  bo: Float32Array | null;
  norm2: Norm;
  mlp: Mlp;
  /** GPT-Neo's local layers: causal attention to the last `window` tokens only (AttentionInput.window); absent or null: global. */
  window?: number | null;
}

/** A masked-LM head's transform before the unembedding (BERT's cls.predictions.transform): dense, activation, LayerNorm. */
export interface HeadTransform {
  /** d×d in PyTorch's (out, in) orientation (see Mlp). */
  dense: tf.Tensor2D;
  bias: tf.Tensor1D;
  activation: 'gelu' | 'gelu-tanh' | 'relu';
  norm: Norm;
}

/**
 * A rows×cols table kept in the file's precision outside the backend (a big model's embedding): rows are
 * converted to float32 only when read.
 */
export interface StoredTable {
  kind: 'stored';
  rows: number;
  cols: number;
  /** Rows converted at once when the whole table takes part in a product (the unembedding). */
  chunkRows: number;
  /**
   * Rows start…start+count−1 as float32, row-major: in a new array, or at the start of `into` (at least
   * count·cols long) when given — a caller that converts block after block reuses one buffer.
   */
  read(start: number, count: number, into?: Float32Array): Float32Array;
}

/**
 * A big model's blocks, kept in the file's precision outside the backend and built (float32 tensors and
 * matrices, exactly as a resident block) only while their layer runs: the wasm heap holds one layer at a time.
 */
export interface BlockSource {
  /** Layer l's block; `release` frees its tensors (the caller also frees the attention weights it uploaded). */
  open(l: number): { block: Block; release(): void };
}

/** A model's weights, ready to run: tfjs tensors for the resident parts, plain matrices for attention. */
export interface Net {
  info: ModelInfo;
  /** Token embedding, V×d (with tied embeddings the same object as the unembedding); stored for big models. */
  embedding: tf.Tensor2D | StoredTable;
  /** Learned positions (context×d), or null with rotary. */
  positions: tf.Tensor2D | null;
  /**
   * RoBERTa's position ids: a token's position is paddingIdx + (how many non-pad tokens up to and including it),
   * a pad's is paddingIdx (Hugging Face's create_position_ids_from_input_ids). Absent or null: 0…n−1.
   */
  paddingIdx?: number | null;
  /** Token type (segment) embeddings, typeVocab×d, added to the token embeddings (BERT); absent or null: none. */
  tokenTypes?: tf.Tensor2D | null;
  /** LayerNorm of the summed embeddings (encoders); absent or null: none. */
  embedNorm?: Norm | null;
  rotary: RotaryConfig | null;
  /** Multiplies QKᵀ; null means 1/√d_head. */
  scale: number | null;
  /** GPT-NeoX's parallel residual: x + attn(norm₁x) + mlp(norm₂x) instead of two sequential steps. */
  parallelResidual?: boolean;
  /**
   * Pre-LN blocks (info.blockNorm 'pre'): x += attn(norm1(x)); x += mlp(norm2(x)). Post-LN ('post', BERT):
   * the attention reads x itself; x = norm1(x + attn(x)); x = norm2(x + mlp(x)).
   */
  blocks: Block[];
  /** Big models: the blocks are built from the file's bytes as each layer runs (`blocks` is then empty). */
  stream?: BlockSource | null;
  /** The final norm before the unembedding (decoders); null for post-LN encoders, whose residual leaves every block normalised. */
  normF: Norm | null;
  /** A masked-LM head's transform before the unembedding (encoders); absent or null: none. */
  headTransform?: HeadTransform | null;
  /**
   * The unembedding: d×V, or V×d with `vocabRows` (as checkpoints store it). V×d is used as is, as
   * logitsᵀ = W·xᵀ: a plain product, where x·Wᵀ would take wasm's slow transposed-product path and a
   * resident transposed copy would cost another V×d at load.
   */
  unembed: { table: tf.Tensor2D | StoredTable; vocabRows: boolean } | null;
  unembedBias: tf.Tensor1D | null;
  /** The attention weights as resident tensors, filled by the first forward pass (computeAttention's `weights`). */
  attentionWeights: Map<Matrix, tf.Tensor>;
  /** Names the source of the ids' vocabulary in messages ("DIR/config.json: vocab_size"). */
  vocabSource: string;
  /** Names the source of the token types in messages ("DIR/config.json: type_vocab_size"), for models with tokenTypes. */
  typeSource?: string;
}

/** A head as layer.head, zero-based. */
export interface HeadRef {
  layer: number;
  head: number;
}

export interface ForwardOptions {
  /** Heads whose z is replaced before W^O in their layer. */
  ablate?: { heads: HeadRef[]; mode: HeadAblation };
  /** Logit lens: the residual after every layer at `position` (default `at`) through the final norm (or MLM head) and unembedding. */
  lens?: boolean | { position: number };
  /** The position whose logits are returned (default the last; an encoder's masked position). */
  at?: number;
  /** Logits of every position (n×V) instead of the one at `at`. */
  allLogits?: boolean;
  /** Token type ids (BERT's segments: 0 for sentence A, 1 for B), length n; default all 0. */
  types?: ArrayLike<number>;
  /** Hugging Face's attention_mask: 1 for a token, 0 for padding, which no query attends to (length n); default all 1. */
  attentionMask?: ArrayLike<number>;
  /**
   * What each layer's trace keeps: 'all' (default) the engine input and result; 'attention' only A per head
   * (long inputs on big models: 12 layers of everything at n = 1,024 is gigabytes), or `{ layer }`:
   * everything for that layer only (what a page shows in detail), A for the others.
   */
  keep?: 'all' | 'attention' | { layer: number };
  /**
   * What each layer's trace keeps of A: given the layer's n×n maps (one per query head), returns what to
   * keep — e.g. max-pooled thumbnails, or nothing once the caller has read them. Long inputs need it: the
   * 144 maps of GPT-2 small at n = 1,024 are 604 MB. Default: A itself. (The `keep`'d layer's `result`
   * still holds its full maps.)
   */
  maps?: (layer: number, A: Matrix[]) => Matrix[];
  /** Return the residual stream entering every layer (n×d each), e.g. to rerun only later layers. */
  residuals?: boolean;
  /**
   * Start at `layer` with this residual (n×d, from `residuals` of an earlier run on the same ids) instead of
   * the embedding: the layers before it are not run (their traces are empty). Not with the lens.
   */
  from?: { layer: number; residual: Float32Array };
  /**
   * Read the ids at positions offset…offset+n−1 instead of 0…n−1 (a whole number ≥ 0; offset + n within the
   * context): learned positions take those rows, rotary embeddings those angles. On a RoPE model nothing
   * but the positions' absolute values changes, so the maps stay the same — the position-shift experiment.
   */
  positionOffset?: number;
}

/** One layer of a forward pass. */
export interface LayerTrace {
  /** A (n×n) per query head. */
  attention: Matrix[];
  /** With keep 'all': exactly what computeAttention was given and returned. */
  input?: AttentionInput;
  result?: AttentionResult;
}

export interface ForwardResult {
  n: number;
  vocab: number;
  layers: LayerTrace[];
  /** Logits at `logitsPosition` (V numbers), or n×V row-major with allLogits; null for a model without a head. */
  logits: Float32Array | null;
  /** The position `logits` are of (options.at, default the last). */
  logitsPosition: number;
  /** With lens: per layer, V logits at the lens position; lens[L−1] equals that position's logits. */
  lens?: Float32Array[];
  lensPosition?: number;
  /** With `residuals`: the residual stream entering each layer that ran (n×d, row-major). */
  residuals?: Float32Array[];
}

export interface TransformerModel {
  info: ModelInfo;
  forward(ids: ArrayLike<number>, options?: ForwardOptions): Promise<ForwardResult>;
  /**
   * One layer's attention from the residual entering it (see forward's `residuals`; the same attention mask and
   * positionOffset), without running the rest.
   */
  attention(layer: number, residual: Float32Array, ablate?: ForwardOptions['ablate'], attentionMask?: ForwardOptions['attentionMask'], positionOffset?: number): Promise<{ input: AttentionInput; result: AttentionResult }>;
  /** Frees the resident tensors; the model cannot run afterwards. */
  dispose(): void;
  /** The weights (for the float64 reference forward and tests). */
  readonly net: Net;
}
