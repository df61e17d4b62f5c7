// config.json → a typed architecture per model family. Every field the forward pass depends on is read and
// checked; a missing or mistyped one is named ("config.json: n_head: expected a positive whole number, got "x""),
// and settings that would change the computation in ways this engine does not implement are refused by name
// rather than silently ignored.
import { CONFIG_LIMITS, limitText, type LimitKind } from './budget.ts';
import { CheckpointError, describeValue } from './errors.ts';

export const SUPPORTED_TYPES = ['gpt2', 'llama', 'qwen2', 'gpt_neox', 'gpt_neo'] as const;
export type CheckpointType = (typeof SUPPORTED_TYPES)[number];

export interface Gpt2Config {
  modelType: 'gpt2';
  layers: number;
  heads: number;
  dModel: number;
  dMlp: number;
  vocab: number;
  context: number;
  eps: number;
  activation: 'gelu-tanh' | 'gelu' | 'relu';
  /** scale_attn_weights: false means unscaled scores. */
  scaled: boolean;
}

export interface LlamaConfig {
  modelType: 'llama' | 'qwen2';
  layers: number;
  heads: number;
  kvHeads: number;
  dModel: number;
  dHead: number;
  dMlp: number;
  vocab: number;
  context: number;
  eps: number;
  ropeTheta: number;
  tied: boolean;
  /** Biases on q, k, v (Qwen2 always; Llama with attention_bias, which also biases o). */
  qkvBias: boolean;
  oBias: boolean;
  mlpBias: boolean;
}

export interface NeoxConfig {
  modelType: 'gpt_neox';
  layers: number;
  heads: number;
  dModel: number;
  dMlp: number;
  vocab: number;
  context: number;
  eps: number;
  /** Rotated dimensions of each head: floor(head size · rotary_pct). */
  rotaryDims: number;
  ropeTheta: number;
  parallelResidual: boolean;
  activation: 'gelu' | 'gelu-tanh' | 'relu';
  tied: boolean;
  attentionBias: boolean;
}

export interface NeoConfig {
  modelType: 'gpt_neo';
  layers: number;
  heads: number;
  dModel: number;
  dMlp: number;
  vocab: number;
  context: number;
  eps: number;
  activation: 'gelu-tanh' | 'gelu' | 'relu';
  /** Per layer: null for a global layer, window_size for a local one. */
  windows: (number | null)[];
  tied: boolean;
}

export type ArchConfig = Gpt2Config | LlamaConfig | NeoxConfig | NeoConfig;

class Fields {
  constructor(
    private readonly file: string,
    private readonly obj: Record<string, unknown>,
  ) {}

  fail(key: string, problem: string): CheckpointError {
    return new CheckpointError(this.file, key, problem);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  /** A positive whole number; the first key present of `keys` (aliases), or `fallback` when none is. */
  posInt(keys: string | string[], fallback?: number): number {
    const list = typeof keys === 'string' ? [keys] : keys;
    const key = list.find((k) => this.has(k));
    if (key === undefined) {
      if (fallback !== undefined) return fallback;
      throw this.fail(list[0], 'missing (expected a positive whole number)');
    }
    const v = this.obj[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw this.fail(key, `expected a positive whole number, got ${describeValue(v)}`);
    return v;
  }

  /**
   * A count or size within the app's limits (budget.ts): posInt, then refused by name when above the limit
   * for its kind, a fallback (e.g. 4·n_embd) included, before anything is sized by it.
   */
  size(keys: string | string[], kind: LimitKind, fallback?: number): number {
    const v = this.posInt(keys, fallback);
    if (v > CONFIG_LIMITS[kind]) {
      const list = typeof keys === 'string' ? [keys] : keys;
      throw this.fail(list.find((k) => this.has(k)) ?? list[0], `${v} is more than this app loads (${limitText(kind)})`);
    }
    return v;
  }

  positive(key: string, fallback?: number): number {
    const v = this.obj[key];
    if (!this.has(key)) {
      if (fallback !== undefined) return fallback;
      throw this.fail(key, 'missing (expected a positive number)');
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw this.fail(key, `expected a positive number, got ${describeValue(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.obj[key];
    if (!this.has(key)) return fallback;
    if (typeof v !== 'boolean') throw this.fail(key, `expected true or false, got ${describeValue(v)}`);
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const v = this.obj[key];
    if (!this.has(key) && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || !allowed.includes(v as T)) {
      throw this.fail(key, `expected ${allowed.map((a) => JSON.stringify(a)).join(', ')} (what this engine implements), got ${describeValue(v)}`);
    }
    return v as T;
  }

  /** The raw value of a field (for structured ones such as GPT-Neo's attention_types). */
  raw(key: string): unknown {
    return this.obj[key];
  }

  /** A setting that must be off (absent, null or false) because the engine does not implement it. */
  absent(key: string, what: string): void {
    const v = this.obj[key];
    if (v !== undefined && v !== null && v !== false) throw this.fail(key, `${what} is not supported, got ${describeValue(v)}`);
  }
}

function gpt2(f: Fields): Gpt2Config {
  const dModel = f.size('n_embd', 'width');
  const heads = f.size('n_head', 'heads');
  if (dModel % heads !== 0) throw f.fail('n_head', `n_embd ${dModel} is not divisible by n_head ${heads}`);
  f.absent('scale_attn_by_inverse_layer_idx', 'scaling attention by the inverse layer index');
  if (!f.bool('tie_word_embeddings', true)) throw f.fail('tie_word_embeddings', 'untied GPT-2 embeddings are not supported');
  const act = f.oneOf('activation_function', ['gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'gelu', 'relu'] as const, 'gelu_new');
  return {
    modelType: 'gpt2',
    layers: f.size('n_layer', 'layers'),
    heads,
    dModel,
    dMlp: f.size('n_inner', 'width', 4 * dModel),
    vocab: f.size('vocab_size', 'vocab'),
    context: f.size(['n_positions', 'n_ctx'], 'context'),
    eps: f.positive('layer_norm_epsilon', 1e-5),
    activation: act === 'gelu' ? 'gelu' : act === 'relu' ? 'relu' : 'gelu-tanh',
    scaled: f.bool('scale_attn_weights', true),
  };
}

function llama(f: Fields, modelType: 'llama' | 'qwen2'): LlamaConfig {
  const dModel = f.size('hidden_size', 'width');
  const heads = f.size('num_attention_heads', 'heads');
  const kvHeads = f.size('num_key_value_heads', 'heads', heads);
  if (heads % kvHeads !== 0) throw f.fail('num_key_value_heads', `num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  if (!f.has('head_dim') && dModel % heads !== 0) throw f.fail('num_attention_heads', `hidden_size ${dModel} is not divisible by num_attention_heads ${heads}`);
  const dHead = f.size('head_dim', 'width', dModel / heads);
  if (dHead % 2 !== 0) throw f.fail('head_dim', `rotary embedding needs an even head size, got ${dHead}`);
  f.oneOf('hidden_act', ['silu'] as const, 'silu');
  f.absent('rope_scaling', 'rope_scaling');
  if (f.has('partial_rotary_factor') && f.positive('partial_rotary_factor') !== 1) throw f.fail('partial_rotary_factor', 'partial rotary embedding is not supported for this family');
  f.absent('use_sliding_window', 'sliding-window attention');
  const attentionBias = f.bool('attention_bias', false);
  return {
    modelType,
    layers: f.size('num_hidden_layers', 'layers'),
    heads,
    kvHeads,
    dModel,
    dHead,
    dMlp: f.size('intermediate_size', 'width'),
    vocab: f.size('vocab_size', 'vocab'),
    context: f.size('max_position_embeddings', 'context'),
    eps: f.positive('rms_norm_eps', 1e-6),
    ropeTheta: f.positive('rope_theta', 10000),
    tied: f.bool('tie_word_embeddings', false),
    qkvBias: modelType === 'qwen2' || attentionBias,
    oBias: modelType === 'llama' && attentionBias,
    mlpBias: f.bool('mlp_bias', false),
  };
}

function neox(f: Fields): NeoxConfig {
  const dModel = f.size('hidden_size', 'width');
  const heads = f.size('num_attention_heads', 'heads');
  if (dModel % heads !== 0) throw f.fail('num_attention_heads', `hidden_size ${dModel} is not divisible by num_attention_heads ${heads}`);
  const dHead = dModel / heads;
  const pct = f.positive('rotary_pct', 1);
  if (pct > 1) throw f.fail('rotary_pct', `expected a fraction of the head size (0…1], got ${pct}`);
  const rotaryDims = Math.floor(dHead * pct);
  if (rotaryDims < 2 || rotaryDims % 2 !== 0) throw f.fail('rotary_pct', `head size ${dHead} × rotary_pct ${pct} = ${rotaryDims} rotated dimensions: expected an even number ≥ 2`);
  f.absent('rope_scaling', 'rope_scaling');
  const act = f.oneOf('hidden_act', ['gelu', 'gelu_new', 'gelu_fast', 'gelu_pytorch_tanh', 'relu'] as const, 'gelu');
  return {
    modelType: 'gpt_neox',
    layers: f.size('num_hidden_layers', 'layers'),
    heads,
    dModel,
    dMlp: f.size('intermediate_size', 'width', 4 * dModel),
    vocab: f.size('vocab_size', 'vocab'),
    context: f.size('max_position_embeddings', 'context'),
    eps: f.positive('layer_norm_eps', 1e-5),
    rotaryDims,
    ropeTheta: f.has('rope_theta') ? f.positive('rope_theta') : f.positive('rotary_emb_base', 10000),
    parallelResidual: f.bool('use_parallel_residual', true),
    activation: act === 'gelu' ? 'gelu' : act === 'relu' ? 'relu' : 'gelu-tanh',
    tied: f.bool('tie_word_embeddings', false),
    attentionBias: f.bool('attention_bias', true),
  };
}

const NEO_ATTENTION = ['global', 'local'] as const;

/**
 * GPT-Neo's layer kinds: attention_types ([[["global", "local"], 4]]: the pattern repeated 4 times) expanded
 * as transformers does, one per layer. A stored attention_layers (transformers writes both, and the stored
 * one is what it then uses) must agree with the expansion: a disagreement means the config was edited by
 * hand and either reading could be wrong.
 */
function neoAttentionLayers(f: Fields, layers: number): ('global' | 'local')[] {
  const types = f.raw('attention_types');
  const shape = 'expected a list of [[kinds…], repeats] with kinds "global" or "local", e.g. [[["global", "local"], 4]]';
  if (!Array.isArray(types) || types.length === 0) throw f.fail('attention_types', `${f.has('attention_types') ? shape : `missing (${shape})`}, got ${describeValue(types)}`);
  // The expansion stops as soon as it passes num_layers (already within the layer limit), so neither a
  // huge repeat count nor a long list of kinds costs more than that.
  const expanded: ('global' | 'local')[] = [];
  for (let k = 0; k < types.length && expanded.length <= layers; k++) {
    const item: unknown = types[k];
    const at = `attention_types[${k}]`;
    if (!Array.isArray(item) || item.length !== 2 || !Array.isArray(item[0]) || item[0].length === 0) throw f.fail(at, `${shape}, got ${describeValue(item)}`);
    const [kinds, repeats] = item as [unknown[], unknown];
    if (typeof repeats !== 'number' || !Number.isSafeInteger(repeats) || repeats < 1) throw f.fail(`${at}[1]`, `expected a positive whole number of repeats, got ${describeValue(repeats)}`);
    if (kinds.length > layers) throw f.fail(`${at}[0]`, `${kinds.length} layer kinds, more than num_layers ${layers}`);
    kinds.forEach((kind, j) => {
      if (!NEO_ATTENTION.includes(kind as 'global')) throw f.fail(`${at}[0][${j}]`, `expected "global" or "local" (what this engine implements), got ${describeValue(kind)}`);
    });
    for (let r = 0; r < repeats && expanded.length <= layers; r++) for (const kind of kinds) expanded.push(kind as 'global' | 'local');
  }
  if (expanded.length !== layers) throw f.fail('attention_types', `expands to ${expanded.length > layers ? `more than ${layers}` : expanded.length} layers, but num_layers is ${layers}`);
  const stored = f.raw('attention_layers');
  if (f.has('attention_layers')) {
    if (!Array.isArray(stored) || stored.length !== layers) throw f.fail('attention_layers', `expected ${layers} entries (num_layers), got ${describeValue(stored)}`);
    const l = stored.findIndex((x, k) => x !== expanded[k]);
    if (l >= 0) throw f.fail(`attention_layers[${l}]`, `expected ${JSON.stringify(expanded[l])} (as attention_types expands), got ${describeValue(stored[l])}`);
  }
  return expanded;
}

function neo(f: Fields): NeoConfig {
  const dModel = f.size('hidden_size', 'width');
  const heads = f.size('num_heads', 'heads');
  if (dModel % heads !== 0) throw f.fail('num_heads', `hidden_size ${dModel} is not divisible by num_heads ${heads}`);
  // Bounded before attention_types is expanded to one kind per layer.
  const layers = f.size('num_layers', 'layers');
  const kinds = neoAttentionLayers(f, layers);
  // window_size only matters when a layer is local; transformers defaults it to 256.
  const window = kinds.includes('local') ? f.size('window_size', 'context', 256) : null;
  const act = f.oneOf('activation_function', ['gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'gelu', 'relu'] as const, 'gelu_new');
  return {
    modelType: 'gpt_neo',
    layers,
    heads,
    dModel,
    dMlp: f.size('intermediate_size', 'width', 4 * dModel),
    vocab: f.size('vocab_size', 'vocab'),
    context: f.size('max_position_embeddings', 'context'),
    eps: f.positive('layer_norm_epsilon', 1e-5),
    activation: act === 'gelu' ? 'gelu' : act === 'relu' ? 'relu' : 'gelu-tanh',
    windows: kinds.map((k) => (k === 'local' ? window : null)),
    tied: f.bool('tie_word_embeddings', true),
  };
}

/** Parses config.json (its bytes); `file` names it in errors. */
export function parseConfig(bytes: Uint8Array, file: string): ArchConfig {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new CheckpointError(file, null, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CheckpointError(file, null, `expected a JSON object, got ${describeValue(json)}`);
  const f = new Fields(file, json as Record<string, unknown>);
  const type = (json as Record<string, unknown>).model_type;
  if (typeof type !== 'string') throw f.fail('model_type', `expected a string naming the model family (${SUPPORTED_TYPES.join(', ')}), got ${describeValue(type)}`);
  switch (type) {
    case 'gpt2':
      return gpt2(f);
    case 'llama':
    case 'qwen2':
      return llama(f, type);
    case 'gpt_neox':
      return neox(f);
    case 'gpt_neo':
      return neo(f);
    default:
      throw f.fail('model_type', `${JSON.stringify(type)} is not supported (supported: ${SUPPORTED_TYPES.join(', ')})`);
  }
}
