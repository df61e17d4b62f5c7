// The encoders (bert, roberta, distilbert) through loadCheckpoint, on synthetic checkpoints in each layout
// and dtype, against the encoders' forward pass written from transformers' modeling code in the test
// helper (test-encoders.ts: float64 loops over the stored tensors, sharing nothing with the engine):
// attention within 1e-4, logits within 1e-3. Also: a BERT sentence pair with token types, RoBERTa's
// position offset, a padded pair, the lens through the MLM head, ablation against the float64 reference,
// headless checkpoints, and the refusals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend.ts';
import { ModelError } from '../model/modelError.ts';
import { referenceForward } from '../transformer/reference.ts';
import { positionIds } from '../transformer/forward.ts';
import type { ForwardResult } from '../transformer/types.ts';
import { maxDiff, rounded, writeCheckpoint, type WriteOptions, withModel, loadError } from './test-checkpoints.ts';
import { ENC, ROBERTA_PAD, encoderConfig, encoderForward, syntheticEncoderTensors, erf64, type EncoderKind, type EncoderRun } from './test-encoders.ts';
import type { TensorToWrite } from './writeSafetensors.ts';

let tmp: string;
let count = 0;
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'encoder-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (config: unknown, tensors: TensorToWrite[], options?: WriteOptions) => writeCheckpoint(join(tmp, `c${count++}`), config, tensors, options);

/** Attention within 1e-4 and logits within 1e-3 of the test's forward pass. */
function expectAgrees(got: ForwardResult, want: EncoderRun): void {
  expect(got.layers).toHaveLength(want.attention.length);
  got.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, want.attention[l][h].flat()), `attention ${l}.${h}`).toBeLessThan(1e-4)));
  if (want.logits === null) expect(got.logits).toBeNull();
  else expect(maxDiff(got.logits!, want.logits), 'logits').toBeLessThan(1e-3);
}

// Probe ids: [CLS]-like 2 … with a mask-like 4 in the middle; within the 48-token vocabulary.
const IDS = [2, 17, 9, 30, 4, 41, 12, 3];
const KINDS: EncoderKind[] = ['bert', 'roberta', 'distilbert'];

describe('the test forward pass itself', () => {
  it('erf64 agrees with known values to 1e-13 (the GELU it feeds is the exact one)', () => {
    const known: [number, number][] = [[0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [-1.5, -0.9661051464753108], [3.5, 0.9999992569016276], [5, 0.9999999999984626]];
    for (const [x, v] of known) expect(Math.abs(erf64(x) - v), `erf(${x})`).toBeLessThan(1e-13);
  });
});

describe.each(KINDS)('%s: a synthetic masked-LM checkpoint (2 layers × 4 heads, d 32)', (kind) => {
  const config = encoderConfig(kind);
  const tensors = syntheticEncoderTensors(kind);
  const want = encoderForward(kind, config, tensors, IDS, { at: 4 });
  let dir: string;
  beforeAll(() => {
    dir = write(config, tensors);
  });

  it('model info: bidirectional, post-LN, a masked-LM head, the token types it has', async () => {
    await withModel(dir, async (m) => {
      expect(m.info).toMatchObject({ type: kind, layers: 2, heads: 4, kvHeads: 4, dModel: 32, dHead: 8, dMlp: 64, vocab: 48, context: ENC.positions, norm: 'layernorm', positional: 'learned', mlp: 'gelu', dtypes: ['F32'], causal: false, predicts: 'masked-token', blockNorm: 'post' });
      expect(m.info.typeVocab).toBe(kind === 'bert' ? 2 : kind === 'roberta' ? 1 : 0);
      expect(m.net.unembed!.table).toBe(m.net.embedding); // tied
    });
  });

  it('agrees with the modeling code: full (unmasked) attention within 1e-4, the MLM logits at the masked position within 1e-3', async () => {
    await withModel(dir, async (m) => {
      const r = await m.forward(IDS, { at: 4 });
      expect(r.logitsPosition).toBe(4);
      expectAgrees(r, want);
      const n = IDS.length;
      // Bidirectional: the first query sees the last key; the judge is meaningful (neither uniform nor one-hot).
      for (const A of r.layers[0].attention) expect(A.data[n - 1]).toBeGreaterThan(1e-4);
      const row = want.attention[1][2][0];
      expect(Math.max(...row)).toBeLessThan(0.95);
      expect(Math.max(...row)).toBeGreaterThan(2 / n);
      expect(r.layers[0].input!.causal).toBe(false);
      expect(r.layers[0].result!.scale).toBeCloseTo(1 / Math.sqrt(8), 12);
    });
  });

  it('every position\'s logits (allLogits), and the last position by default', async () => {
    await withModel(dir, async (m) => {
      const all = await m.forward(IDS, { allLogits: true, keep: 'attention' });
      const V = ENC.vocab;
      want.allLogits!.forEach((row, i) => expect(maxDiff(all.logits!.subarray(i * V, (i + 1) * V), row), `position ${i}`).toBeLessThan(1e-3));
      const last = await m.forward(IDS, { keep: 'attention' });
      expect(last.logitsPosition).toBe(IDS.length - 1);
      expect(maxDiff(last.logits!, want.allLogits!.at(-1)!)).toBeLessThan(1e-3);
    });
  });

  it('agrees with the float64 reference forward pass, and the lens reads every layer through the MLM head', async () => {
    await withModel(dir, async (m) => {
      const got = await m.forward(IDS, { at: 4, lens: true });
      const ref = referenceForward(m.net, IDS, { at: 4, lens: true });
      got.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, ref.attention[l][h].data)).toBeLessThan(1e-4)));
      expect(maxDiff(got.logits!, ref.logits!)).toBeLessThan(1e-3);
      expect(got.lensPosition).toBe(4);
      got.lens!.forEach((row, l) => {
        expect(maxDiff(row, want.lens![l]), `lens ${l}`).toBeLessThan(1e-3);
        expect(maxDiff(row, ref.lens![l])).toBeLessThan(1e-3);
      });
      expect(maxDiff(got.lens!.at(-1)!, got.logits!)).toBe(0);
      expect(maxDiff(got.lens![0], got.lens![1])).toBeGreaterThan(1e-2);
    });
  });

  it('ablation of a head agrees with the float64 reference; model.attention(layer, residual) repeats the forward pass', async () => {
    await withModel(dir, async (m) => {
      const ablate = { heads: [{ layer: 0, head: 1 }], mode: 'zero' as const };
      const got = await m.forward(IDS, { at: 4, ablate, residuals: true });
      const ref = referenceForward(m.net, IDS, { at: 4, ablate });
      expect(maxDiff(got.logits!, ref.logits!)).toBeLessThan(1e-3);
      got.layers[1].attention.forEach((A, h) => expect(maxDiff(A.data, ref.attention[1][h].data)).toBeLessThan(1e-4));
      expect(maxDiff(got.logits!, want.logits!)).toBeGreaterThan(1e-3); // the ablation changed the prediction
      const again = await m.attention(1, got.residuals![1], ablate);
      again.result.heads.forEach((hr, h) => expect(maxDiff(hr.A.data, got.layers[1].attention[h].data)).toBe(0));
    });
  });
});

describe('BERT: a sentence pair with token types, padded', () => {
  const config = encoderConfig('bert');
  const tensors = syntheticEncoderTensors('bert');
  // [CLS] a a a [SEP] b b [SEP] [PAD] [PAD]
  const ids = [2, 11, 12, 13, 3, 21, 22, 3, 0, 0];
  const types = [0, 0, 0, 0, 0, 1, 1, 1, 0, 0];
  const mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
  let dir: string;
  beforeAll(() => {
    dir = write(config, tensors);
  });

  it('token types go into the embeddings as the modeling code adds them (and they matter)', async () => {
    await withModel(dir, async (m) => {
      const pair = ids.slice(0, 8);
      const r = await m.forward(pair, { types: types.slice(0, 8), at: 6 });
      expectAgrees(r, encoderForward('bert', config, tensors, pair, { types: types.slice(0, 8), at: 6 }));
      const zeros = await m.forward(pair, { at: 6 });
      expect(maxDiff(r.logits!, zeros.logits!)).toBeGreaterThan(1e-2);
      const ref = referenceForward(m.net, pair, { types: types.slice(0, 8), at: 6 });
      expect(maxDiff(r.logits!, ref.logits!)).toBeLessThan(1e-3);
    });
  });

  it('the attention mask: padded keys get exactly 0, the rest as the modeling code (extended mask of finfo.min)', async () => {
    await withModel(dir, async (m) => {
      const r = await m.forward(ids, { types, attentionMask: mask, at: 6 });
      expectAgrees(r, encoderForward('bert', config, tensors, ids, { types, mask, at: 6 }));
      const n = ids.length;
      for (const layer of r.layers) {
        for (const A of layer.attention) {
          for (let i = 0; i < n; i++) {
            expect(A.data[i * n + 8]).toBe(0);
            expect(A.data[i * n + 9]).toBe(0);
          }
        }
      }
      expect(r.layers[0].input!.keyWeights).toEqual(Float32Array.from(mask));
      // Unpadded tokens see what they would see without the padding.
      const short = await m.forward(ids.slice(0, 8), { types: types.slice(0, 8), at: 6 });
      expect(maxDiff(r.logits!, short.logits!)).toBeLessThan(1e-4);
      const ref = referenceForward(m.net, ids, { types, attentionMask: mask, at: 6 });
      expect(maxDiff(r.logits!, ref.logits!)).toBeLessThan(1e-3);
      const again = await m.attention(0, (await m.forward(ids, { types, attentionMask: mask, residuals: true })).residuals![0], undefined, mask);
      expect(again.input.keyWeights).toEqual(Float32Array.from(mask));
    });
  });

  it('bad types and masks are named', async () => {
    await withModel(dir, async (m) => {
      await expect(m.forward([2, 5, 3], { types: [0, 2, 0] })).rejects.toThrow(`types[1]: 2 is not a token type of this model: expected 0…1 (${dir}/config.json: type_vocab_size = 2)`);
      await expect(m.forward([2, 5, 3], { types: [0, 1] })).rejects.toThrow('types: expected one entry per token (3), got 2');
      await expect(m.forward([2, 5, 3], { attentionMask: [1, 0.5, 1] })).rejects.toThrow('attentionMask[1]: 0.5 is not an attention mask entry: expected 1 (a token) or 0 (padding)');
      await expect(m.forward([2, 5, 3], { attentionMask: [0, 0, 0] })).rejects.toThrow('attentionMask: every token is padding: expected at least one 1');
      await expect(m.forward([2, 5, 3], { at: 3 })).rejects.toThrow('at: expected a position 0…2, got 3');
      await expect(m.forward([2, 5, 3], { at: 3 })).rejects.toBeInstanceOf(ModelError);
    });
  });
});

describe("RoBERTa's positions start at padding_idx + 1", () => {
  const config = encoderConfig('roberta');
  const tensors = syntheticEncoderTensors('roberta');

  it('position ids as create_position_ids_from_input_ids makes them (pads keep padding_idx)', () => {
    expect(Array.from(positionIds({ paddingIdx: 1 }, [0, 5, 6, 2]))).toEqual([2, 3, 4, 5]);
    expect(Array.from(positionIds({ paddingIdx: 1 }, [0, 5, 1, 6, 2, 1]))).toEqual([2, 3, 1, 4, 5, 1]);
    expect(Array.from(positionIds({ paddingIdx: null }, [0, 5, 1]))).toEqual([0, 1, 2]);
  });

  it('context is max_position_embeddings − pad_token_id − 1; the offset follows pad_token_id, and it matters', async () => {
    const ids = [0, 17, 9, 30, 47, 41, 2];
    const dir = write(config, tensors);
    const got = await withModel(dir, async (m) => {
      expect(m.info.context).toBe(ENC.positions);
      expect(m.net.paddingIdx).toBe(ROBERTA_PAD);
      const r = await m.forward(ids, { at: 4 });
      expectAgrees(r, encoderForward('roberta', config, tensors, ids, { at: 4 }));
      // A pad id in the middle shifts the later positions back by one, as in transformers.
      const padded = [0, 17, ROBERTA_PAD, 9, 30, 2];
      expectAgrees(await m.forward(padded), encoderForward('roberta', config, tensors, padded));
      return r;
    });
    // With pad_token_id 0 the positions start at 1: another model, and the engine follows it.
    const shifted = { ...config, pad_token_id: 0 };
    const other = await withModel(write(shifted, tensors), async (m) => {
      const r = await m.forward(ids, { at: 4 });
      expectAgrees(r, encoderForward('roberta', shifted, tensors, ids, { at: 4 }));
      return r;
    });
    expect(maxDiff(got.logits!, other.logits!)).toBeGreaterThan(1e-2);
  });

  it('its lm_head applies gelu (erf) even when hidden_act is another activation', async () => {
    const cfg = { ...config, hidden_act: 'gelu_new' };
    await withModel(write(cfg, tensors), async (m) => {
      expect(m.net.headTransform!.activation).toBe('gelu');
      expect(m.info.mlp).toBe('gelu-tanh');
      expectAgrees(await m.forward(IDS), encoderForward('roberta', cfg, tensors, IDS));
    });
  });
});

describe('layouts and dtypes', () => {
  it.each(KINDS)('%s without its base prefix and without a head (BertModel, MiniLM): attention as the modeling code, logits null', async (kind) => {
    const config = encoderConfig(kind);
    const tensors = syntheticEncoderTensors(kind, { bare: true });
    expect(tensors.some((t) => t.name.startsWith(kind))).toBe(false);
    await withModel(write(config, tensors), async (m) => {
      expect(m.info.predicts).toBeNull();
      expect(m.net.unembed).toBeNull();
      const r = await m.forward(IDS);
      expectAgrees(r, encoderForward(kind, config, tensors, IDS));
      expect(referenceForward(m.net, IDS).logits).toBeNull();
      await expect(m.forward(IDS, { lens: true })).rejects.toThrow('has no language-model head: there is nothing to read the layers through');
    });
  });

  it('BERT with LayerNorm gamma/beta (bert-base-uncased\'s conversion) and the NSP head and pooler (ignored)', async () => {
    const config = encoderConfig('bert');
    const tensors = syntheticEncoderTensors('bert', { gammaBeta: true });
    expect(tensors.some((t) => t.name === 'bert.embeddings.LayerNorm.gamma')).toBe(true);
    await withModel(write(config, tensors), async (m) => expectAgrees(await m.forward(IDS, { at: 4 }), encoderForward('bert', config, tensors, IDS, { at: 4 })));
  });

  it.each(KINDS)('%s: a written-out decoder is ignored when tied and read when tie_word_embeddings is false', async (kind) => {
    const config = encoderConfig(kind);
    const tensors = syntheticEncoderTensors(kind, { writeDecoder: true, decoderScale: 2 });
    const tied = await withModel(write(config, tensors), (m) => m.forward(IDS, { at: 4 }));
    expectAgrees(tied, encoderForward(kind, config, tensors, IDS, { at: 4 }));
    const untiedConfig = { ...config, tie_word_embeddings: false };
    await withModel(write(untiedConfig, tensors), async (m) => {
      expect(m.net.unembed!.table).not.toBe(m.net.embedding);
      const r = await m.forward(IDS, { at: 4 });
      expectAgrees(r, encoderForward(kind, untiedConfig, tensors, IDS, { at: 4 }));
      expect(maxDiff(r.logits!, tied.logits!)).toBeGreaterThan(1e-2);
    });
  });

  for (const kind of KINDS) {
    for (const dtype of ['F16', 'BF16'] as const) {
      it(`${kind} in ${dtype}, sharded in 3: equals the float32 model on the rounded weights`, async () => {
        const config = encoderConfig(kind);
        const tensors = syntheticEncoderTensors(kind);
        const low = write(config, tensors.map((t) => ({ ...t, dtype })), { shards: 3, misalign: dtype === 'F16' });
        const a = await withModel(low, async (m) => {
          expect(m.info.dtypes).toEqual([dtype]);
          return m.forward(IDS, { at: 4 });
        });
        const b = await withModel(write(config, rounded(tensors, dtype)), (m) => m.forward(IDS, { at: 4 }));
        expect(maxDiff(a.logits!, b.logits!)).toBe(0);
        a.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, b.layers[l].attention[h].data)).toBe(0)));
        expectAgrees(b, encoderForward(kind, config, rounded(tensors, dtype), IDS, { at: 4 }));
      });
    }
  }
});

describe('refusals: one message naming the file and the tensor or field', () => {
  it('a missing tensor is named as stored (with the prefix the checkpoint uses)', async () => {
    const tensors = syntheticEncoderTensors('bert').filter((t) => t.name !== 'bert.encoder.layer.1.attention.self.key.bias');
    const dir = write(encoderConfig('bert'), tensors);
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor bert.encoder.layer.1.attention.self.key.bias: missing (hidden_size from config.json)`);
    const bare = syntheticEncoderTensors('distilbert', { bare: true }).filter((t) => t.name !== 'transformer.layer.0.ffn.lin1.weight');
    const d2 = write(encoderConfig('distilbert'), bare);
    expect(await loadError(d2)).toBe(`${d2}/model.safetensors: tensor transformer.layer.0.ffn.lin1.weight: missing (hidden_dim × dim from config.json)`);
    const noBias = syntheticEncoderTensors('roberta').filter((t) => t.name !== 'lm_head.bias');
    const d3 = write(encoderConfig('roberta'), noBias);
    expect(await loadError(d3)).toBe(`${d3}/model.safetensors: tensor lm_head.bias: missing (vocab_size from config.json)`);
    const d4 = write(encoderConfig('bert'), []);
    expect(await loadError(d4)).toBe(`${d4}/model.safetensors: tensor bert.embeddings.word_embeddings.weight: missing (vocab_size × hidden_size from config.json)`);
  });

  it('a wrong shape: token types against type_vocab_size, the intermediate layer stored (in, out)', async () => {
    const tensors = syntheticEncoderTensors('bert');
    const dir = write({ ...encoderConfig('bert'), type_vocab_size: 3 }, tensors);
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor bert.embeddings.token_type_embeddings.weight: expected shape [3, 32] (type_vocab_size × hidden_size from config.json), got [2, 32]`);
    const t2 = tensors.map((t) => (t.name === 'bert.encoder.layer.0.intermediate.dense.weight' ? { ...t, shape: [32, 64] } : t));
    const d2 = write(encoderConfig('bert'), t2);
    expect(await loadError(d2)).toBe(`${d2}/model.safetensors: tensor bert.encoder.layer.0.intermediate.dense.weight: expected shape [64, 32] (intermediate_size × hidden_size from config.json), got [32, 64]`);
  });

  it('config fields that change the computation', async () => {
    const bert = encoderConfig('bert');
    const cases: [unknown, string][] = [
      [{ ...bert, position_embedding_type: 'relative_key' }, 'position_embedding_type: expected "absolute" (what this engine implements), got "relative_key"'],
      [{ ...bert, is_decoder: true }, 'is_decoder: a causal (decoder) configuration of an encoder is not supported, got true'],
      [{ ...bert, hidden_act: 'silu' }, 'hidden_act: expected "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu" (what this engine implements), got "silu"'],
      [{ ...bert, num_attention_heads: 5 }, 'num_attention_heads: hidden_size 32 is not divisible by num_attention_heads 5'],
      [{ ...bert, hidden_size: undefined }, 'hidden_size: missing (expected a positive whole number)'],
      [{ ...bert, type_vocab_size: 0 }, 'type_vocab_size: expected a positive whole number, got 0'],
      [{ ...encoderConfig('roberta'), max_position_embeddings: 2 }, 'max_position_embeddings: 2 leaves no position after pad_token_id 1 (RoBERTa\'s positions start at pad_token_id + 1)'],
      [{ ...encoderConfig('roberta'), pad_token_id: -1 }, 'pad_token_id: expected a whole number ≥ 0, got -1'],
      [{ ...encoderConfig('distilbert'), n_heads: 3 }, 'n_heads: dim 32 is not divisible by n_heads 3'],
      [{ ...encoderConfig('distilbert'), activation: 'gelu_new' }, 'activation: expected "gelu", "relu" (what this engine implements), got "gelu_new"'],
      [{ ...encoderConfig('distilbert'), hidden_dim: undefined }, 'hidden_dim: missing (expected a positive whole number)'],
    ];
    for (const [config, message] of cases) {
      const dir = write(config, syntheticEncoderTensors('bert'));
      expect(await loadError(dir)).toBe(`${dir}/config.json: ${message}`);
    }
  });

  it('ids beyond the context and types on a model without token types', async () => {
    await withModel(write(encoderConfig('distilbert'), syntheticEncoderTensors('distilbert')), async (m) => {
      await expect(m.forward(Array.from({ length: 25 }, () => 5))).rejects.toThrow("ids: 25 tokens exceed the model's context of 24: shorten the text");
      await expect(m.forward([2, 5, 3], { types: [0, 1, 1] })).rejects.toThrow('types[1]: 1 is not a token type of this model: it has no token type embeddings (only 0)');
      expect((await m.forward([2, 5, 3], { types: [0, 0, 0] })).logits).not.toBeNull();
    });
  });
});
