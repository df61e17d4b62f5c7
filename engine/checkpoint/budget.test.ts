// A config.json is untrusted: its sizes must be checked against the app's limits and the file's own tensors
// before anything is allocated. Boundedness is asserted by behaviour, never by time: a refused checkpoint
// creates no tensor, leaves the WebAssembly heap (which never shrinks) as it was, and fails with a
// CheckpointError naming the file and the field or tensor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '../backend.ts';
import { loadCheckpoint } from './load.ts';
import { memoryFiles } from './files.ts';
import { CheckpointError } from './errors.ts';
import { SUPPORTED_TYPES } from './config.ts';
import { encodeSafetensors, type TensorToWrite } from './writeSafetensors.ts';
import { readConfig, readTensors } from './test-checkpoints.ts';
import { NEO_CONFIG, neoTensors } from './test-gptNeo.ts';
import { encoderConfig, syntheticEncoderTensors } from './test-encoders.ts';
import { Resident } from './resident.ts';
import { openWeights } from './weights.ts';

const NEOX_DIR = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'checkpoints', 'neox-tiny');

/** Tensors created through the engine (tf.zeros, tf.tensor and every kernel output go through makeTensor). */
let tensorsMade = 0;
let restore: () => void = () => {};
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  const engine = tf.engine() as unknown as { makeTensor: (...args: unknown[]) => unknown };
  const original = engine.makeTensor;
  engine.makeTensor = function (this: unknown, ...args: unknown[]) {
    tensorsMade++;
    return original.apply(this, args);
  };
  restore = () => void (engine.makeTensor = original);
});
afterAll(() => restore());

/** Bytes of the wasm backend's memory: it only ever grows, so a checkpoint that allocated leaves a trace. */
function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
  return backend.wasm.HEAPU8.buffer.byteLength;
}

const files = (config: unknown, tensors: TensorToWrite[] | Uint8Array) =>
  memoryFiles('ckpt', { 'config.json': JSON.stringify(config), 'model.safetensors': tensors instanceof Uint8Array ? tensors : encodeSafetensors(tensors) });

/** Loads and expects a refusal: its message, and how many tensors were created on the way. */
async function refusal(config: unknown, tensors: TensorToWrite[] | Uint8Array): Promise<{ message: string; made: number }> {
  const before = tensorsMade;
  try {
    (await loadCheckpoint(files(config, tensors))).dispose();
  } catch (e) {
    expect(e, (e as Error).message).toBeInstanceOf(CheckpointError);
    return { message: (e as Error).message, made: tensorsMade - before };
  }
  throw new Error('expected the checkpoint to be refused');
}

const TINY = [{ name: 'wte.weight', dtype: 'F32', shape: [4, 2], data: new Float32Array(8) }] satisfies TensorToWrite[];
const GPT2 = { model_type: 'gpt2', n_embd: 2, n_head: 1, n_layer: 1, n_positions: 4, vocab_size: 4 };

describe('config.json sizes are checked before anything is allocated', () => {
  it('gpt2 vocab_size 1e8 against a 4×2 tensor: refused by name, no tensor created, the wasm heap unchanged', async () => {
    const heap = wasmHeapBytes();
    const r = await refusal({ ...GPT2, vocab_size: 1e8 }, TINY);
    expect(r.message).toBe('ckpt/config.json: vocab_size: 100000000 is more than this app loads (at most 1,048,576 vocabulary entries)');
    expect(r.made).toBe(0);
    expect(wasmHeapBytes()).toBe(heap);
  });

  it('n_layer 1e9, vocab_size 1e12, n_embd 1e6: named errors, not a RangeError', async () => {
    expect((await refusal({ ...GPT2, n_layer: 1e9 }, TINY)).message).toBe('ckpt/config.json: n_layer: 1000000000 is more than this app loads (at most 256 layers)');
    expect((await refusal({ ...GPT2, vocab_size: 1e12 }, TINY)).message).toBe('ckpt/config.json: vocab_size: 1000000000000 is more than this app loads (at most 1,048,576 vocabulary entries)');
    expect((await refusal({ ...GPT2, n_embd: 1e6 }, TINY)).message).toBe('ckpt/config.json: n_embd: 1000000 is more than this app loads (at most 262,144 as a width)');
    // A default derived from a checked size is checked too (n_inner = 4·n_embd).
    expect((await refusal({ ...GPT2, n_embd: 131_072, n_head: 1 }, TINY)).message).toBe('ckpt/config.json: n_inner: 524288 is more than this app loads (at most 262,144 as a width)');
  });

  it('sizes within the limits that the file does not hold: the tensor is named, nothing is created', async () => {
    const heap = wasmHeapBytes();
    const r = await refusal({ ...GPT2, vocab_size: 1_000_000 }, TINY);
    expect(r.message).toBe('ckpt/model.safetensors: tensor wte.weight: expected shape [1000000, 2] (vocab_size × n_embd from config.json), got [4, 2]');
    expect(r.made).toBe(0);
    expect(wasmHeapBytes()).toBe(heap);
  });

  it('a config whose last tensor is missing creates no tensor either (the whole list is checked first)', async () => {
    const tensors = readTensors('gpt2-tiny').filter((t) => t.name !== 'ln_f.bias');
    const r = await refusal(readConfig('gpt2-tiny'), tensors);
    expect(r.message).toBe('ckpt/model.safetensors: tensor ln_f.bias: missing (n_embd from config.json)');
    expect(r.made).toBe(0);
  });

  it('a dtype the loader cannot read is refused before the first tensor is converted', async () => {
    const tensors = readTensors('gpt2-tiny').map((t) => (t.name === 'ln_f.weight' ? { ...t, dtype: 'BOOL' as const } : t));
    const r = await refusal(readConfig('gpt2-tiny'), tensors);
    expect(r.message).toBe('ckpt/model.safetensors: tensor ln_f.weight: dtype BOOL is not supported (supported: F32, F16, BF16)');
    expect(r.made).toBe(0);
  });

  it('the parameter budget: counts each within its limit but 4 GB as float32 in all', async () => {
    const big = { ...GPT2, n_layer: 256, n_embd: 4096, n_head: 32, vocab_size: 50_257, n_positions: 1024 };
    // wte 50,257·4,096 + wpe 1,024·4,096 + 256 layers × (4d + 3d² + 3d + d² + d + 2·d·4d + 4d + d) + ln_f 2d
    expect((await refusal(big, TINY)).message).toBe('ckpt/config.json: describes 51,763,294,208 parameters, more than this app loads (1,000,000,000: 4 GB as float32)');
    const wide = { ...GPT2, n_embd: 262_144, n_head: 1, n_inner: 4, vocab_size: 1_048_576 };
    expect((await refusal(wide, TINY)).message).toBe('ckpt/config.json: tensor wte.weight would be [1048576, 262144] (vocab_size × n_embd from config.json): 274,877,906,944 numbers, more than this app converts at once (536,870,912)');
  });

  it("GPT-Neo: num_layers 3e7 is refused before attention_types is expanded; a long list of kinds is refused by name", async () => {
    const neo = (patch: object) => ({ ...NEO_CONFIG, attention_layers: undefined, ...patch });
    const deep = await refusal(neo({ num_layers: 3e7, attention_types: [[['global'], 3e7]] }), neoTensors());
    expect(deep.message).toBe('ckpt/config.json: num_layers: 30000000 is more than this app loads (at most 256 layers)');
    const kinds = Array.from({ length: 200_000 }, () => 'global');
    const long = await refusal(neo({ attention_types: [[kinds, 1]] }), neoTensors());
    expect(long.message).toBe('ckpt/config.json: attention_types[0][0]: 200000 layer kinds, more than num_layers 2');
    const repeats = await refusal(neo({ attention_types: [[['global', 'local'], Number.MAX_SAFE_INTEGER]] }), neoTensors());
    expect(repeats.message).toBe('ckpt/config.json: attention_types: expands to more than 2 layers, but num_layers is 2');
    expect(deep.made + long.made + repeats.made).toBe(0);
  });
});

describe('the plan is the only way to an allocation', () => {
  it('the Resident refuses a tensor the family did not declare, before creating it', async () => {
    const store = await openWeights(files(GPT2, TINY));
    const r = new Resident(store, { tensors: [{ name: 'wte.weight', shape: [4, 2], why: 'w' }], parameters: 8, streamed: false });
    const before = tensorsMade;
    expect(() => r.matrix('wte.weight', 8, 1, 'w')).toThrow('wte.weight [8, 1] is not in the family\'s tensor list (plan.ts): add it there');
    expect(() => r.vector('wpe.weight', 4, 'w')).toThrow('wpe.weight [4] is not in the family\'s tensor list');
    expect(tensorsMade).toBe(before);
    expect(r.matrix('wte.weight', 4, 2, 'w').shape).toEqual([4, 2]);
    r.dispose();
  });
});

/** stories260K as Qwen2: the same weights with the q/k/v biases Qwen2 always has. */
function qwen2Base(): { config: Record<string, unknown>; weights: Uint8Array } {
  const config: Record<string, unknown> = { ...readConfig('stories260K-hf'), model_type: 'qwen2' };
  const [layers, heads, kvHeads, width] = ['num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'hidden_size'].map((k) => config[k] as number);
  const dHead = width / heads;
  const biases = Array.from({ length: layers }, (_, l) =>
    (['q', 'k', 'v'] as const).map((p) => {
      const rows = (p === 'q' ? heads : kvHeads) * dHead;
      return { name: `model.layers.${l}.self_attn.${p}_proj.bias`, dtype: 'F32' as const, shape: [rows], data: new Float32Array(rows) };
    }),
  ).flat();
  return { config, weights: encodeSafetensors([...readTensors('stories260K-hf'), ...biases]) };
}

/** The checkpoints the fuzz test varies: each family's config and tensors. */
const BASES: { name: string; config: Record<string, unknown>; weights: Uint8Array }[] = [
  { name: 'gpt2', config: readConfig('gpt2-tiny'), weights: encodeSafetensors(readTensors('gpt2-tiny')) },
  { name: 'llama', config: readConfig('stories260K-hf'), weights: encodeSafetensors(readTensors('stories260K-hf')) },
  { name: 'qwen2', ...qwen2Base() },
  { name: 'gpt_neox', config: JSON.parse(readFileSync(join(NEOX_DIR, 'config.json'), 'utf8')) as Record<string, unknown>, weights: new Uint8Array(readFileSync(join(NEOX_DIR, 'model.safetensors'))) },
  { name: 'gpt_neo', config: NEO_CONFIG, weights: encodeSafetensors(neoTensors()) },
  ...(['bert', 'roberta', 'distilbert'] as const).map((kind) => ({ name: kind, config: encoderConfig(kind), weights: encodeSafetensors(syntheticEncoderTensors(kind)) })),
  { name: 'bert (bare)', config: encoderConfig('bert'), weights: encodeSafetensors(syntheticEncoderTensors('bert', { bare: true, gammaBeta: true })) },
];

/** Every count, size and switch the families read, so that any of them can be replaced. */
const FIELDS = [
  'model_type', 'n_embd', 'n_head', 'n_layer', 'n_positions', 'n_ctx', 'n_inner', 'vocab_size', 'hidden_size', 'num_attention_heads',
  'num_key_value_heads', 'head_dim', 'num_hidden_layers', 'intermediate_size', 'max_position_embeddings', 'num_heads', 'num_layers',
  'window_size', 'attention_types', 'attention_layers', 'rotary_pct', 'tie_word_embeddings', 'attention_bias', 'mlp_bias', 'use_parallel_residual',
  'type_vocab_size', 'pad_token_id', 'layer_norm_eps', 'hidden_act', 'position_embedding_type', 'is_decoder', 'dim', 'n_heads', 'n_layers', 'hidden_dim', 'activation',
];

/** Sizes from plausible to absurd, and values of the wrong type. */
const hostileValue = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.constantFrom(1e6, 1e8, 1e9, 3e7, 1e12, 1e15, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1.5, -1e9, 262_144, 1_048_576),
  fc.constantFrom(null, true, false, '12', 'gpt2', 'llama', 'gpt_neo', 'gpt_neox', 'qwen2', 'bert', 'roberta', 'distilbert', 'gelu', 'absolute', [], {}, [1, 2]),
  fc.constantFrom([[['global', 'local'], 1e9]], [[['global'], 3e7]], [[['local'], 2]], [[[], 1]], [['global', 2]]),
);

describe('a fuzz test over configs: bounded, with named errors', () => {
  it('any sizes, counts or types: a model, or a CheckpointError with no tensor created; the wasm heap does not grow', async () => {
    // Every family the loader runs is varied (a family added to SUPPORTED_TYPES needs a base here).
    expect([...new Set(BASES.map((b) => b.config.model_type))].sort()).toEqual([...SUPPORTED_TYPES].sort());
    // Warm up: the first successful load of each base may grow the heap once (its own weights).
    for (const b of BASES) (await loadCheckpoint(memoryFiles('ckpt', { 'config.json': JSON.stringify(b.config), 'model.safetensors': b.weights }))).dispose();
    const heap = wasmHeapBytes();
    const buffers = process.memoryUsage().arrayBuffers;
    const outcomes = { loaded: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: BASES.length - 1 }), fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { minKeys: 1, maxKeys: 4 }), async (base, patch) => {
        const { config, weights } = BASES[base];
        const before = tensorsMade;
        try {
          const m = await loadCheckpoint(memoryFiles('ckpt', { 'config.json': JSON.stringify({ ...config, ...patch }), 'model.safetensors': weights }));
          m.dispose();
          outcomes.loaded++;
        } catch (e) {
          if (!(e instanceof CheckpointError)) throw e;
          expect(e.message).toMatch(/^ckpt\/(config\.json|model\.safetensors): /);
          expect(tensorsMade - before, e.message).toBe(0);
          outcomes.refused++;
        }
      }),
      { numRuns: 300, seed: 20 },
    );
    expect(outcomes.refused).toBeGreaterThan(100);
    expect(outcomes.loaded).toBeGreaterThan(0);
    expect(wasmHeapBytes()).toBe(heap);
    // No conversion buffer sized by a config survives (or was ever allocated: a 1e8-row table is 800 MB).
    expect(process.memoryUsage().arrayBuffers - buffers).toBeLessThan(64 * 1024 * 1024);
  });
});
