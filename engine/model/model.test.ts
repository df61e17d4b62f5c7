// The shipped model (public/models/brown-char.*): it predicts held-out English far better than a
// unigram model, and the visualization forward (attention through the engine) computes the same
// function as the training forward (tfjs ops in engine/model/train.ts).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ensureBackend } from '../backend.ts';
import { referenceAttention } from '../reference.ts';
import { loadModel, type LoadedModel } from './load.ts';
import { modelCrossEntropy, modelForward } from './forward.ts';
import { tokenizeForModel } from './tokenize.ts';
import { forwardLogits, toTensors } from './train.ts';

const root = resolve(import.meta.dirname, '../..');
/** The model under test; MODEL_UNDER_TEST (a path without extension) checks a fresh model before it is shipped. */
const base = resolve(root, process.env.MODEL_UNDER_TEST ?? 'public/models/brown-char');
const heldOutText = readFileSync(resolve(root, 'tests/fixtures/heldout.txt'), 'utf8');

let model: LoadedModel;
let binBytes = 0;

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  const bin = readFileSync(resolve(dirname(base), manifest.weights.file));
  binBytes = bin.byteLength;
  model = loadModel(manifest, bin);
  await ensureBackend();
});

/** Cross-entropy (nats) of the best unigram model of `ids` fitted on the same ids (its entropy). */
function selfUnigramEntropy(ids: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < ids.length; i++) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  const n = ids.length - 1;
  let h = 0;
  for (const c of counts.values()) h -= (c / n) * Math.log(c / n);
  return h;
}

describe('shipped model', () => {
  it('is small and describes itself', () => {
    expect(binBytes).toBeLessThan(3 * 1024 * 1024);
    expect(model.arch.nLayers).toBeGreaterThanOrEqual(2);
    const t = model.manifest.training as { seed: number; steps: number; losses: { heldOut: number; unigramBaselineHeldOut: number } };
    expect(Number.isInteger(t.seed)).toBe(true);
    expect(t.steps).toBeGreaterThan(0);
    expect(t.losses.heldOut).toBeLessThan(t.losses.unigramBaselineHeldOut);
    expect(String(model.manifest.data?.source)).toMatch(/Brown/);
  });

  it('held-out text: the engine-side forward beats a unigram model fitted on the same text by a wide margin', async () => {
    const tok = tokenizeForModel(model, heldOutText);
    expect(tok.unknownCount).toBe(0);
    expect(tok.ids.length).toBeGreaterThan(3000);
    const { nats, predictions } = await modelCrossEntropy(model, tok.ids);
    const unigram = selfUnigramEntropy(tok.ids);
    expect(predictions).toBe(tok.ids.length - 1);
    expect(unigram).toBeGreaterThan(2.8); // English letters: ~4.1 bits
    expect(nats).toBeLessThan(0.8 * unigram);
  });

  it('modelForward (attention by the engine) gives the training forward’s logits', async () => {
    const params = toTensors(model.arch, model.tensors);
    try {
      const texts = [
        heldOutText.slice(0, model.arch.context), // a full context
        'The jury said it did find that “many” of the',
        'x',
      ];
      for (const text of texts) {
        const ids = tokenizeForModel(model, text).ids;
        const n = ids.length;
        const want = tf.tidy(() => forwardLogits(params, tf.tensor2d(ids, [1, n], 'int32'), model.arch));
        const w = (await want.data()) as Float32Array;
        want.dispose();
        const got = (await modelForward(model, ids)).logits!;
        expect(got.length).toBe(w.length);
        let worst = 0;
        let scale = 0;
        for (let k = 0; k < w.length; k++) {
          worst = Math.max(worst, Math.abs(got[k] - w[k]));
          scale = Math.max(scale, Math.abs(w[k]));
        }
        expect(scale).toBeGreaterThan(1);
        expect(worst, `max |Δlogit| for ${JSON.stringify(text.slice(0, 20))}…`).toBeLessThan(1e-3 + 1e-4 * scale);
      }
    } finally {
      tf.dispose(Object.values(params));
    }
  });

  it('its attention is the engine’s, and agrees with the float64 reference on the same inputs', async () => {
    const ids = tokenizeForModel(model, heldOutText.slice(100, 100 + model.arch.context)).ids;
    const fw = await modelForward(model, ids, { logits: false });
    for (const { input, result } of fw.layers) {
      expect(result.backend).not.toBe('reference');
      const ref = referenceAttention(input);
      result.heads.forEach((h, k) => {
        let worst = 0;
        for (let e = 0; e < h.A.data.length; e++) worst = Math.max(worst, Math.abs(h.A.data[e] - ref.heads[k].A.data[e]));
        expect(worst).toBeLessThan(1e-4);
      });
    }
  });
});
