// loadModel's checks and tokenizeForModel, on a tiny synthetic model (no trained weights needed).
import { describe, expect, it } from 'vitest';
import { asciiVocabulary, packModel, parameterCount, tensorSpecs, sizeOf, type ModelArchitecture, type ModelManifest } from './format.ts';
import { loadModel } from './load.ts';
import { ModelError } from './modelError.ts';
import { tokenizeForModel } from './tokenize.ts';
import { modelForward } from './forward.ts';
import { gaussians } from '../seeded.ts';
import { trainArchitecture } from './tasks.ts';

const vocab = asciiVocabulary();
const arch: ModelArchitecture = trainArchitecture({ nLayers: 2, nHeads: 2, dModel: 8, context: 16 }); // d_head 4, MLP 32, GELU

function tinyModel() {
  const tensors = new Map<string, Float32Array>();
  for (const s of tensorSpecs(arch)) tensors.set(s.name, gaussians(`test\u0000${s.name}`, sizeOf(s.shape), 0.3));
  return packModel(arch, vocab, tensors, { name: 'tiny', file: 'tiny.bin' });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON fields
type Json = any;

/** A deep copy of the manifest, changed by `edit`. */
function edited(m: ModelManifest, edit: (j: Json) => void): unknown {
  const j = JSON.parse(JSON.stringify(m)) as Json;
  edit(j);
  return j;
}

function loadError(manifest: unknown, bytes: ArrayBuffer | Uint8Array): ModelError {
  try {
    loadModel(manifest, bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('expected loadModel to throw');
}

describe('loadModel', () => {
  it('loads a packed model, from JSON text too, and splits W^Q/W^K/W^V per head', () => {
    const { manifest, bytes } = tinyModel();
    const m = loadModel(JSON.stringify(manifest), bytes);
    expect(m.parameterCount).toBe(parameterCount(arch));
    expect(m.layers).toHaveLength(2);
    expect(m.layers[0].heads).toHaveLength(2);
    const Wq = m.tensors.get('layers.1.attn.Wq')!; // 8×(2·4)
    const head1 = m.layers[1].heads[1].Wq; // 8×4: columns 4…7
    expect([head1.rows, head1.cols]).toEqual([8, 4]);
    for (let i = 0; i < 8; i++) for (let t = 0; t < 4; t++) expect(head1.data[i * 4 + t]).toBe(Wq[i * 8 + 4 + t]);
    expect([m.layers[0].Wo.rows, m.layers[0].Wo.cols]).toEqual([8, 8]);
  });

  it('rejects truncated or oversized weights, naming the byte counts', () => {
    const { manifest, bytes } = tinyModel();
    const short = loadError(manifest, bytes.slice(0, bytes.length - 4));
    expect(short.field).toBe('weights');
    expect(short.message).toMatch(new RegExp(`expected ${bytes.length} bytes .*got ${bytes.length - 4}.*truncated`));
    expect(loadError(manifest, new Uint8Array(bytes.length + 8)).message).toMatch(/too long/);
  });

  it('rejects a manifest that is not a model manifest', () => {
    const { manifest, bytes } = tinyModel();
    expect(loadError('{"X": [[1]]', bytes).message).toMatch(/^manifest: not valid JSON/);
    expect(loadError([1, 2], bytes).message).toMatch(/^manifest: expected a JSON object, got an array of 2/);
    expect(loadError(edited(manifest, (j) => delete j.format), bytes).message).toMatch(/^manifest\.format: expected "attention-lab\/char-transformer", got nothing/);
    expect(loadError(edited(manifest, (j) => (j.version = 2)), bytes).message).toMatch(/^manifest\.version: expected 1, got 2/);
  });

  it('names bad architecture and vocabulary fields', () => {
    const { manifest, bytes } = tinyModel();
    expect(loadError(edited(manifest, (j) => (j.architecture.nHeads = 0)), bytes).message).toMatch(/^manifest\.architecture\.nHeads: expected a positive whole number/);
    expect(loadError(edited(manifest, (j) => (j.architecture.activation = 'swish')), bytes).message).toMatch(/^manifest\.architecture\.activation: expected "relu" or "gelu-tanh", got the string "swish"/);
    expect(loadError(edited(manifest, (j) => (j.architecture.attentionBias = true)), bytes).message).toMatch(/attentionBias: expected false/);
    expect(loadError(edited(manifest, (j) => j.vocabulary.tokens.pop()), bytes).message).toMatch(/^manifest\.vocabulary\.tokens: expected 97 tokens \(architecture\.vocabSize\), got 96/);
    expect(loadError(edited(manifest, (j) => (j.vocabulary.tokens[5] = 'ab')), bytes).message).toMatch(/^manifest\.vocabulary\.tokens\[5\]: expected a single character/);
    expect(loadError(edited(manifest, (j) => (j.vocabulary.tokens[5] = j.vocabulary.tokens[6])), bytes).message).toMatch(/tokens\[6\]: duplicate character/);
  });

  it('names missing, unexpected, misshapen or out-of-range tensors', () => {
    const { manifest, bytes } = tinyModel();
    const drop = edited(manifest, (j) => (j.weights.tensors = j.weights.tensors.filter((t: { name: string }) => t.name !== 'layers.1.attn.Wk')));
    expect(loadError(drop, bytes).message).toBe('tensor layers.1.attn.Wk: missing from manifest.weights.tensors');
    const extra = edited(manifest, (j) => j.weights.tensors.push({ name: 'layers.2.attn.Wq', shape: [8, 8], dtype: 'float32', offset: 0 }));
    expect(loadError(extra, bytes).message).toMatch(/^tensor layers\.2\.attn\.Wq: not part of this architecture/);
    const shape = edited(manifest, (j) => (j.weights.tensors.find((t: { name: string }) => t.name === 'pos_emb').shape = [8, 16]));
    expect(loadError(shape, bytes).message).toBe('tensor pos_emb: expected shape [16, 8] for this architecture, got [8, 16]');
    const beyond = edited(manifest, (j) => (j.weights.tensors.at(-1).offset = bytes.length));
    expect(loadError(beyond, bytes).message).toMatch(/^tensor unembed\.b: bytes \d+…\d+ lie beyond the end of the weights/);
    const dtype = edited(manifest, (j) => (j.weights.tensors[0].dtype = 'float16'));
    expect(loadError(dtype, bytes).message).toMatch(/^tensor tok_emb: expected dtype "float32"/);
  });

  it('rejects non-finite weights', () => {
    const { manifest, bytes } = tinyModel();
    const bad = bytes.slice();
    const e = manifest.weights.tensors.find((t) => t.name === 'layers.0.mlp.b1')!;
    new DataView(bad.buffer).setFloat32(e.offset + 4 * 3, NaN, true);
    expect(loadError(manifest, bad).message).toBe('tensor layers.0.mlp.b1: element 3 is not a finite number (NaN)');
  });
});

describe('tokenizeForModel', () => {
  const model = loadModel(tinyModel().manifest, tinyModel().bytes);

  it('keeps every character, marking unknown ones instead of dropping them', () => {
    const text = 'Héllo 😀\tx\n';
    const t = tokenizeForModel(model, text);
    expect(t.tokens.join('')).toBe(text);
    expect(t.tokens).toEqual(['H', 'é', 'l', 'l', 'o', ' ', '😀', '\t', 'x', '\n']);
    expect(t.unknown).toEqual([false, true, false, false, false, false, true, true, false, false]);
    expect(t.unknownCount).toBe(3);
    expect(Array.from(t.ids).filter((_, i) => t.unknown[i])).toEqual([0, 0, 0]);
    expect(t.ids[0]).toBe(vocab.tokens.indexOf('H'));
    expect(t.labels).toEqual(['H', 'é', 'l', 'l', 'o', '␣', '😀', '⇥', 'x', '↵']);
  });

  it('an empty text gives no tokens', () => {
    expect(tokenizeForModel(model, '').ids).toHaveLength(0);
  });
});

describe('modelForward input checks', () => {
  const model = loadModel(tinyModel().manifest, tinyModel().bytes);
  it('rejects empty, too long or out-of-vocabulary input with a clear message', async () => {
    await expect(modelForward(model, [])).rejects.toThrow(/ids: expected at least one token/);
    await expect(modelForward(model, new Array(17).fill(3))).rejects.toThrow(/17 tokens exceed the model's context of 16/);
    await expect(modelForward(model, [1, 97])).rejects.toThrow(/ids\[1\]: expected a token id 0…96, got 97/);
  });

  it('hands the engine one AttentionInput per layer: LayerNorm’ed X, the heads, W^O, causal, default scale', async () => {
    const ids = tokenizeForModel(model, 'abc abd').ids;
    const fw = await modelForward(model, ids);
    expect(fw.layers).toHaveLength(2);
    for (const { input, result } of fw.layers) {
      expect([input.X.rows, input.X.cols]).toEqual([7, 8]);
      expect(input.causal).toBe(true);
      expect(input.scale).toBeNull();
      expect(input.keyWeights).toBeNull();
      expect(input.heads).toHaveLength(2);
      expect([input.Wo!.rows, input.Wo!.cols]).toEqual([8, 8]);
      expect(result.scale).toBeCloseTo(1 / 2, 12); // 1/√d_head
      // each row of X is LayerNorm'ed before gain/bias: not checked here; A rows are causal distributions
      for (const h of result.heads) {
        for (let i = 0; i < 7; i++) {
          let s = 0;
          for (let j = 0; j < 7; j++) {
            if (j > i) expect(h.A.data[i * 7 + j]).toBe(0);
            s += h.A.data[i * 7 + j];
          }
          expect(s).toBeCloseTo(1, 5);
        }
      }
    }
    expect(fw.logits).toHaveLength(7 * 97);
    expect((await modelForward(model, ids, { logits: false })).logits).toBeUndefined();
  });
});
