// The TransformerModel forward pass: ablation against a float64 computation on a hand-built model whose
// output depends on one head only, the logit lens, keep options, the wrapped character model, and that
// no tensor outlives a forward pass.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, tf } from '../backend.ts';
import { loadCheckpoint } from '../checkpoint/load.ts';
import { dirFiles } from '../checkpoint/dirFiles.ts';
import { memoryFiles } from '../checkpoint/files.ts';
import { encodeSafetensors, type TensorToWrite } from '../checkpoint/writeSafetensors.ts';
import { CONFORMANCE_MODELS, expected, maxDiff } from '../checkpoint/test-checkpoints.ts';
import { gaussians } from '../seeded.ts';
import { loadModel } from '../model/load.ts';
import { modelForward } from '../model/forward.ts';
import { charModelAsTransformer } from '../model/asTransformer.ts';
import { referenceForward } from './reference.ts';
import type { TransformerModel } from './types.ts';

const ROOT = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

// A 1-layer GPT-2: d 4, 2 heads of 2, vocab 6. The MLP is zero and W^O's rows for head 1 are zero, so the
// output depends on head 0 only (and on the residual).
const D = 4;
const V = 6;
const CTX = 8;
function tinyTensors(): TensorToWrite[] {
  const t = (name: string, shape: number[], data: Float32Array): TensorToWrite => ({ name, dtype: 'F32', shape, data });
  const g = (key: string, n: number) => gaussians(`tiny/${key}`, n, 1);
  const cProj = g('c_proj', D * D);
  cProj.fill(0, 2 * D); // rows 2, 3 (head 1's z) → nothing
  return [
    t('wte.weight', [V, D], g('wte', V * D)),
    t('wpe.weight', [CTX, D], g('wpe', CTX * D)),
    t('h.0.ln_1.weight', [D], Float32Array.from([1, 1.5, 0.5, 1])),
    t('h.0.ln_1.bias', [D], g('ln1b', D)),
    t('h.0.attn.c_attn.weight', [D, 3 * D], g('c_attn', 3 * D * D)),
    t('h.0.attn.c_attn.bias', [3 * D], g('c_attn_b', 3 * D)),
    t('h.0.attn.c_proj.weight', [D, D], cProj),
    t('h.0.attn.c_proj.bias', [D], g('c_proj_b', D)),
    t('h.0.ln_2.weight', [D], new Float32Array(D).fill(1)),
    t('h.0.ln_2.bias', [D], new Float32Array(D)),
    t('h.0.mlp.c_fc.weight', [D, 4 * D], new Float32Array(4 * D * D)),
    t('h.0.mlp.c_fc.bias', [4 * D], new Float32Array(4 * D)),
    t('h.0.mlp.c_proj.weight', [4 * D, D], new Float32Array(4 * D * D)),
    t('h.0.mlp.c_proj.bias', [D], new Float32Array(D)),
    t('ln_f.weight', [D], Float32Array.from([1, 2, 1, 0.5])),
    t('ln_f.bias', [D], g('lnfb', D)),
  ];
}

async function tinyModel(): Promise<{ model: TransformerModel; tensors: TensorToWrite[] }> {
  const tensors = tinyTensors();
  const config = { model_type: 'gpt2', n_embd: D, n_head: 2, n_layer: 1, n_positions: CTX, vocab_size: V, layer_norm_epsilon: 1e-5 };
  const model = await loadCheckpoint(memoryFiles('tiny', { 'config.json': JSON.stringify(config), 'model.safetensors': encodeSafetensors(tensors) }));
  return { model, tensors };
}

describe('ablation', () => {
  const ids = [1, 4, 2, 5, 0];

  it('ablating nothing changes nothing; ablating the head that W^O ignores changes nothing', async () => {
    const { model } = await tinyModel();
    const base = await model.forward(ids);
    expect((await model.forward(ids, { ablate: { heads: [], mode: 'zero' } })).logits).toEqual(base.logits);
    for (const mode of ['zero', 'mean'] as const) {
      const r = await model.forward(ids, { ablate: { heads: [{ layer: 0, head: 1 }], mode } });
      expect(maxDiff(r.logits!, base.logits!)).toBe(0);
    }
    model.dispose();
  });

  it('zero-ablating the only head that matters gives the logits of a float64 computation without attention', async () => {
    const { model, tensors } = await tinyModel();
    const w = (name: string) => Float64Array.from(tensors.find((t) => t.name === name)!.data);
    const [wte, wpe, bo, g, b] = ['wte.weight', 'wpe.weight', 'h.0.attn.c_proj.bias', 'ln_f.weight', 'ln_f.bias'].map(w);
    // The last position's residual is wte[id] + wpe[pos] + c_proj.bias (z of head 0 is 0, head 1 is ignored, the MLP is 0).
    const last = ids.length - 1;
    const x = Array.from({ length: D }, (_, j) => wte[ids[last] * D + j] + wpe[last * D + j] + bo[j]);
    const mean = x.reduce((s, v) => s + v, 0) / D;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / D;
    const y = x.map((v, j) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[j] + b[j]);
    const want = Array.from({ length: V }, (_, t) => y.reduce((s, v, j) => s + v * wte[t * D + j], 0));

    const r = await model.forward(ids, { ablate: { heads: [{ layer: 0, head: 0 }], mode: 'zero' } });
    expect(maxDiff(r.logits!, want)).toBeLessThan(1e-5);
    const base = await model.forward(ids);
    expect(maxDiff(base.logits!, want)).toBeGreaterThan(1e-2); // the head did matter
    // Its own attention pattern is untouched by the ablation.
    expect(r.layers[0].attention[0].data).toEqual(base.layers[0].attention[0].data);
    // Mean ablation: as the float64 reference forward pass says.
    const ablate = { heads: [{ layer: 0, head: 0 }], mode: 'mean' as const };
    expect(maxDiff((await model.forward(ids, { ablate })).logits!, referenceForward(model.net, ids, { ablate }).logits!)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('on stories260K: ablation as the float64 reference forward pass says', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    const ids = expected('stories260K-hf').ids.slice(0, 20);
    for (const mode of ['zero', 'mean'] as const) {
      const ablate = { heads: [{ layer: 1, head: 3 }, { layer: 4, head: 0 }, { layer: 4, head: 1 }], mode };
      const got = await model.forward(ids, { ablate });
      expect(maxDiff(got.logits!, referenceForward(model.net, ids, { ablate }).logits!)).toBeLessThan(1e-3);
    }
    model.dispose();
  });
});

describe('logit lens, keep, all logits', () => {
  for (const name of ['gpt2-tiny', 'stories260K-hf']) {
    it(`${name}: lens after the last layer equals the logits exactly; earlier layers as the reference says`, async () => {
      const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, name)));
      const ids = expected(name).ids.slice(0, 12);
      const r = await model.forward(ids, { lens: true });
      expect(r.lens).toHaveLength(model.info.layers);
      expect(r.lens!.at(-1)).toEqual(r.logits);
      const ref = referenceForward(model.net, ids, { lens: true });
      r.lens!.forEach((row, l) => expect(maxDiff(row, ref.lens![l]), `layer ${l}`).toBeLessThan(1e-3));
      // At another position: the last layer's lens row equals that row of all-position logits.
      const all = await model.forward(ids, { lens: { position: 3 }, allLogits: true });
      expect(all.logits).toHaveLength(ids.length * model.info.vocab);
      expect(all.lens!.at(-1)).toEqual(all.logits!.slice(3 * model.info.vocab, 4 * model.info.vocab));
      expect(maxDiff(all.logits!.slice((ids.length - 1) * model.info.vocab), r.logits!)).toBeLessThan(1e-5);
      const alone = await model.forward(ids, { lens: { position: 3 } });
      expect(maxDiff(alone.lens![1], all.lens![1])).toBeLessThan(1e-5);
      model.dispose();
    });
  }

  it("keep 'attention' keeps A only", async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'gpt2-tiny')));
    const r = await model.forward([1, 2, 3], { keep: 'attention' });
    expect(r.layers[0].input).toBeUndefined();
    expect(r.layers[0].result).toBeUndefined();
    expect(r.layers[1].attention).toHaveLength(4);
    const full = await model.forward([1, 2, 3]);
    expect(full.layers[0].input!.heads).toBe(model.net.blocks[0].heads);
    expect(full.layers[0].result!.heads[2].A.data).toEqual(r.layers[0].attention[2].data);
    model.dispose();
  });

  it('residuals and from: a run that starts at layer l from the residual entering it gives the same logits and later attention', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    const ids = [1, 403, 407, 261, 378, 10, 8, 32];
    const full = await model.forward(ids, { keep: 'attention', residuals: true });
    expect(full.residuals).toHaveLength(5);
    expect(full.residuals![0]).toHaveLength(ids.length * 64);
    for (const l of [1, 3, 4]) {
      const part = await model.forward(ids, { keep: 'attention', from: { layer: l, residual: full.residuals![l] } });
      expect(part.layers[l - 1].attention).toEqual([]);
      expect(part.layers[4].attention[5].data).toEqual(full.layers[4].attention[5].data);
      expect(Math.max(...part.logits!.map((v, j) => Math.abs(v - full.logits![j])))).toBeLessThan(1e-5);
    }
    await expect(model.forward(ids, { from: { layer: 9, residual: full.residuals![0] } })).rejects.toThrow(/from\.layer: expected a layer 0…4, got 9/);
    await expect(model.forward(ids, { lens: true, from: { layer: 1, residual: full.residuals![1] } })).rejects.toThrow(/lens needs every layer/);
    model.dispose();
  });
});

describe('positionOffset: the same ids read further along', () => {
  it('on a RoPE model (stories260K) every map and the logits stay the same; Q and K turn', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    const ids = expected('stories260K-hf').ids.slice(0, 12);
    const at0 = await model.forward(ids);
    for (const positionOffset of [3, 100]) {
      const shifted = await model.forward(ids, { positionOffset });
      shifted.layers.forEach((l, k) => l.attention.forEach((A, h) => expect(maxDiff(A.data, at0.layers[k].attention[h].data), `L${k} H${h}`).toBeLessThan(1e-4)));
      expect(maxDiff(shifted.logits!, at0.logits!)).toBeLessThan(1e-3);
      // The rotated q of layer 0 is not the same vector: the positions did change.
      expect(maxDiff(shifted.layers[0].result!.heads[0].Q.data, at0.layers[0].result!.heads[0].Q.data)).toBeGreaterThan(1e-2);
      expect(shifted.layers[0].input!.positionOffset).toBe(positionOffset);
      // The float64 reference forward pass reads the same positions.
      expect(maxDiff(shifted.logits!, referenceForward(model.net, ids, { positionOffset }).logits!)).toBeLessThan(1e-3);
    }
    await expect(model.forward(ids, { positionOffset: 512 - 11 })).rejects.toThrow('12 tokens from position 501 exceed the model\'s context of 512');
    await expect(model.forward(ids, { positionOffset: -2 })).rejects.toThrow('positionOffset: expected a whole number ≥ 0');
    model.dispose();
  });

  it('on a model with learned positions (gpt2-tiny) the maps change, as its float64 reference says', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'gpt2-tiny')));
    const ids = expected('gpt2-tiny').ids.slice(0, 10);
    const at0 = await model.forward(ids);
    const shifted = await model.forward(ids, { positionOffset: 20 });
    const ref = referenceForward(model.net, ids, { positionOffset: 20 });
    expect(maxDiff(shifted.logits!, ref.logits!)).toBeLessThan(1e-3);
    shifted.layers.forEach((l, k) => l.attention.forEach((A, h) => expect(maxDiff(A.data, ref.attention[k][h].data)).toBeLessThan(1e-4)));
    expect(maxDiff(shifted.layers[1].attention[0].data, at0.layers[1].attention[0].data)).toBeGreaterThan(1e-2);
    model.dispose();
  });
});

describe('resources', () => {
  it('the tensor count stays flat over repeated forward passes (every option), and dispose frees the model', async () => {
    const before = tf.memory().numTensors;
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    const ids = expected('stories260K-hf').ids.slice(0, 16);
    await model.forward(ids); // the first pass makes the attention weights resident (once)
    const resident = tf.memory().numTensors;
    // 5 layers × (8 W^Q + 4 shared W^K + 4 shared W^V + W^O)
    expect(model.net.attentionWeights.size).toBe(5 * (8 + 4 + 4 + 1));
    for (let k = 0; k < 3; k++) {
      await model.forward(ids);
      await model.forward(ids, { lens: true, allLogits: true, keep: 'attention', ablate: { heads: [{ layer: 0, head: 0 }], mode: 'mean' } });
      await model.forward(ids, { lens: { position: 2 } });
      await expect(model.forward([600])).rejects.toThrow('outside the vocabulary');
      expect(tf.memory().numTensors).toBe(resident);
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.forward(ids)).rejects.toThrow('disposed');
  });
});

describe('the shipped character model as a TransformerModel', () => {
  it('gives the logits of its own forward pass, with ablation and lens available', async () => {
    const loaded = loadModel(readFileSync(join(ROOT, 'public/models/brown-char.json'), 'utf8'), readFileSync(join(ROOT, 'public/models/brown-char.bin')));
    const model = await charModelAsTransformer(loaded, 'public/models/brown-char.json');
    const ids = Array.from('The cat sat.', (c) => loaded.charToId.get(c) ?? 0);
    const own = await modelForward(loaded, ids);
    const V = loaded.arch.vocabSize;
    const r = await model.forward(ids, { lens: true });
    expect(maxDiff(r.logits!, own.logits!.slice((ids.length - 1) * V))).toBeLessThan(1e-4);
    r.layers.forEach((l, k) => l.attention.forEach((A, h) => expect(maxDiff(A.data, own.layers[k].result.heads[h].A.data)).toBeLessThan(1e-5)));
    expect(r.lens!.at(-1)).toEqual(r.logits);
    expect(model.info).toMatchObject({ type: 'char-transformer', layers: 2, heads: 4, kvHeads: 4, vocab: V });
    const ablate = { heads: [{ layer: 1, head: 2 }], mode: 'zero' as const };
    expect(maxDiff((await model.forward(ids, { ablate })).logits!, referenceForward(model.net, ids, { ablate }).logits!)).toBeLessThan(1e-4);
    model.dispose();
  });
});
