// What the compute worker computes for a model request, checked against independent truth: the shared
// reference outputs of stories260K (llama2.c's PyTorch model) and the float64 reference forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { initBackend, tf } from '../engine/backend.ts';
import { attentionRollout } from '../engine/analysis/rollout.ts';
import { logSoftmax, softmax } from '../engine/analysis/distribution.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { expected, CONFORMANCE_MODELS } from '../engine/checkpoint/test-checkpoints.ts';
import { referenceForward } from '../engine/transformer/reference.ts';
import { fromFiles, type RunnableModel } from './models.ts';
import { FULL_MAPS_NUMBERS, layerOf, rowsOf, runModel, sweepHeads, THUMBNAIL_SIDE } from './modelRun.ts';
import { poolMatrix } from '../engine/analysis/pool.ts';
import { analyzeHeads } from '../engine/headAnalysis.ts';
import type { ModelRequest } from './protocol.ts';

let m: RunnableModel;
const truth = expected('stories260K-hf');
const ids = truth.ids.slice(0, 24);

function request(over: Partial<ModelRequest> = {}): ModelRequest {
  // No tokenizer.json beside the conformance checkpoint: the text is read as ids.
  return { key: 'test', origin: { kind: 'page' }, text: ids.join(' '), layer: 0, position: null, ablate: [], ablateMode: 'zero', target: null, compare: null, compareShift: 0, ...over };
}

beforeAll(async () => {
  await initBackend('wasm');
  m = await fromFiles('test', dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
});
afterAll(() => m?.model.dispose());

describe('runModel on stories260K (a real pretrained Llama-architecture model)', () => {
  it('attention per layer and the detail layer agree with llama2.c within 1e-4; predictions are its softmax', async () => {
    const full = await runModel(m, request({ text: truth.ids.join(' '), layer: 3 }));
    const n = truth.ids.length;
    expect(full.attention).toHaveLength(5);
    for (let l = 0; l < 5; l++) {
      for (let h = 0; h < 8; h++) {
        const A = full.attention[l][h];
        let worst = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(A.data[i * n + j] - truth.attention[l][h][i][j]));
        expect(worst).toBeLessThan(1e-4);
      }
    }
    expect(full.detail.layer).toBe(3);
    expect(full.detail.result.heads[5].A.data).toEqual(full.attention[3][5].data);
    const p = softmax(truth.logits);
    const best = [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, 10);
    expect(full.extras.predictions.map((x) => x.token)).toEqual(best.map(String));
    full.extras.predictions.forEach((x, k) => expect(Math.abs(x.p - p[best[k]])).toBeLessThan(1e-4));
    // The lens after the last layer is the prediction; rollout is the engine's of the same attention.
    expect(full.extras.lens[4]).toEqual(full.extras.predictions.slice(0, 5));
    expect(full.extras.rollout[4].data).toEqual(attentionRollout(full.attention)[4].data);
    expect(full.extras.kvHeadOfHead).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('predictions at an earlier position equal the reference forward on the tokens up to it', async () => {
    const run = await runModel(m, request({ position: 9 }));
    const ref = referenceForward(m.model.net, ids.slice(0, 10));
    const p = softmax(ref.logits);
    for (const x of run.extras.predictions) expect(Math.abs(x.p - p[Number(x.token)])).toBeLessThan(1e-4);
    expect(run.extras.position).toBe(9);
  });

  it('ablation: Δ log p(target) and KL equal the float64 reference forward with the same heads ablated', async () => {
    const heads = [
      { layer: 1, head: 2 },
      { layer: 4, head: 7 },
    ];
    const run = await runModel(m, request({ ablate: heads, target: '13' }));
    const before = logSoftmax(referenceForward(m.model.net, ids).logits);
    const after = logSoftmax(referenceForward(m.model.net, ids, { ablate: { heads, mode: 'zero' } }).logits);
    expect(run.extras.ablation!.target).toBe('13');
    expect(Math.abs(run.extras.ablation!.deltaLogp - (after[13] - before[13]))).toBeLessThan(1e-3);
    let kl = 0;
    for (let j = 0; j < before.length; j++) kl += Math.exp(before[j]) * (before[j] - after[j]);
    expect(Math.abs(run.extras.ablation!.kl - kl)).toBeLessThan(1e-4);
    // The views show the ablated model: its attention downstream of the ablated heads differs.
    const plain = await runModel(m, request());
    expect(run.attention[2][0].data).not.toEqual(plain.attention[2][0].data);
    expect(plain.extras.ablation).toBeNull();
  });

  it('the head sweep gives, for every head, the Δ log p of ablating it alone', async () => {
    const req = request({ position: 11, target: '13' });
    const sweep = await sweepHeads(m, req, () => undefined, () => false);
    expect(sweep!.deltas).toHaveLength(5);
    expect(sweep!.position).toBe(11);
    for (const [l, h] of [
      [0, 0],
      [3, 6],
    ]) {
      const single = await runModel(m, { ...req, ablate: [{ layer: l, head: h }] });
      expect(Math.abs(sweep!.deltas[l][h] - single.extras.ablation!.deltaLogp)).toBeLessThan(1e-4);
    }
    // Cancelled at once: nothing.
    expect(await sweepHeads(m, req, () => undefined, () => true)).toBeNull();
  });

  it('a second input comes back with its own attention; a text longer than the context is refused by name', async () => {
    const run = await runModel(m, request({ compare: ids.slice(0, 12).join(' ') }));
    expect(run.extras.compare!.tokens).toHaveLength(12);
    expect(run.extras.compare!.layer).toBe(0);
    expect(run.extras.compare!.heads[0].rows).toBe(12);
    await expect(runModel(m, request({ text: new Array(600).fill(1).join(' ') }))).rejects.toThrow(/600 tokens exceed the model's context of 512/);
    await expect(runModel(m, request({ text: '1 2 x' }))).rejects.toThrow(/no tokenizer\.json: type token ids 0…511/);
  });

  it('a shift compares the text with itself read later: the forward pass from that position, scores included; RoPE leaves the maps', async () => {
    const run = await runModel(m, request({ layer: 2, compareShift: 40 }));
    const second = run.extras.compare!;
    expect([second.shift, second.text, second.layer]).toEqual([40, ids.join(' '), 2]);
    const ref = await m.model.forward(ids, { keep: { layer: 2 }, positionOffset: 40 });
    for (let h = 0; h < 8; h++) {
      expect(second.heads[h].data).toEqual(ref.layers[2].result!.heads[h].A.data);
      expect(second.scores![h].data).toEqual(ref.layers[2].result!.heads[h].scores.data);
      // stories260K rotates q and k: read 40 positions later, every score is the same up to float32 rounding.
      const shown = run.detail.result.heads[h].scores.data;
      expect(Math.max(...second.scores![h].data.map((x, k) => Math.abs(x - shown[k])))).toBeLessThan(1e-4);
    }
    // Another layer of the kept run is read at the same shift.
    const other = await layerOf(run.kept, 4);
    expect(other.compare!.scores![3].data).toEqual((await m.model.forward(ids, { keep: { layer: 4 }, positionOffset: 40 })).layers[4].result!.heads[3].scores.data);
    // Without a shift a second text brings no scores; a shift past the context brings no second input.
    expect((await runModel(m, request({ compare: '5 6 7' }))).extras.compare!.scores).toBeNull();
    expect((await runModel(m, request({ compareShift: 512 - ids.length + 1 }))).extras.compare).toBeNull();
  });

  describe('a long input (maps past FULL_MAPS_NUMBERS): thumbnails, rows and layers on request', () => {
    // 400 tokens: 5 layers × 8 heads × 400² = 6.4 M numbers.
    const long = Array.from({ length: 400 }, (_, i) => (i * 37 + 11) % 512);
    let full: Awaited<ReturnType<RunnableModel['model']['forward']>>;
    let run: Awaited<ReturnType<typeof runModel>>;
    beforeAll(async () => {
      expect(5 * 8 * 400 * 400).toBeGreaterThan(FULL_MAPS_NUMBERS);
      full = await m.model.forward(long, { keep: 'all' });
      run = await runModel(m, request({ text: long.join(' '), layer: 1, compare: long.slice(0, 300).join(' ') }));
    });

    it('sends max-pooled thumbnails of the maps, and the shown layer whole', () => {
      expect(run.pooled).toBe(true);
      for (const [l, h] of [[0, 0], [2, 5], [4, 7]]) {
        const thumb = run.attention[l][h];
        expect([thumb.rows, thumb.cols]).toEqual([THUMBNAIL_SIDE, THUMBNAIL_SIDE]);
        expect(thumb.data).toEqual(poolMatrix(full.layers[l].attention[h], THUMBNAIL_SIDE, THUMBNAIL_SIDE, 'max').data);
      }
      expect(run.detail.layer).toBe(1);
      expect(run.detail.result.heads[3].A.data).toEqual(full.layers[1].attention[3].data);
    });

    it('answers a focused row of every head, and another layer in full, equal to the forward pass', async () => {
      const rows = rowsOf(run.kept, 123);
      expect(rows).toHaveLength(5);
      for (let l = 0; l < 5; l++) for (let h = 0; h < 8; h++) expect(rows[l][h]).toEqual(full.layers[l].attention[h].data.slice(123 * 400, 124 * 400));
      const tensors = tf.memory().numTensors;
      const other = await layerOf(run.kept, 3);
      expect(tf.memory().numTensors).toBe(tensors);
      const whole = full.layers[3].result!;
      expect(other.detail.layer).toBe(3);
      for (let h = 0; h < 8; h++) {
        expect(other.detail.result.heads[h].A.data).toEqual(whole.heads[h].A.data);
        expect(other.detail.result.heads[h].Q.data).toEqual(whole.heads[h].Q.data);
        expect(other.detail.result.heads[h].Kpre!.data).toEqual(whole.heads[h].Kpre!.data);
      }
      // The second input, at the new layer: its own forward pass's maps.
      const second = await m.model.forward(long.slice(0, 300), { keep: 'attention' });
      expect(run.extras.compare!.layer).toBe(1);
      expect(run.extras.compare!.heads[2].data).toEqual(second.layers[1].attention[2].data);
      expect(other.compare!.heads[6].data).toEqual(second.layers[3].attention[6].data);
    });

    it('an ablated run keeps its ablation for the layers it answers later', async () => {
      const ablated = await runModel(m, request({ text: long.join(' '), ablate: [{ layer: 2, head: 1 }] }));
      const ref = await m.model.forward(long, { keep: { layer: 4 }, ablate: { heads: [{ layer: 2, head: 1 }], mode: 'zero' } });
      expect((await layerOf(ablated.kept, 4)).detail.result.heads[0].A.data).toEqual(ref.layers[4].result!.heads[0].A.data);
      expect(rowsOf(ablated.kept, 399)[4][0]).toEqual(ref.layers[4].result!.heads[0].A.data.slice(399 * 400));
    });

    it('rollout (float32, after the picture) and head scores equal those of the whole maps', async () => {
      const maps = full.layers.map((t) => t.attention);
      const R = attentionRollout(maps);
      expect(run.extras.rollout).toEqual([]); // it follows the picture
      const later = run.rollout!();
      for (const l of [0, 4]) {
        let worst = 0;
        R[l].data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - later[l].data[k]))));
        expect(worst).toBeLessThan(1e-6);
      }
      const analysis = await run.analyze();
      const scores = analysis.scores;
      expect(analysis.similarity).toBeNull();
      expect(analysis.inductionOn).toBe('probe');
      const whole = analyzeHeads({ layers: maps, tokens: long }, { causal: true, maxSimilarityWork: 0 }).scores;
      for (let l = 0; l < 5; l++) {
        for (let h = 0; h < 8; h++) {
          for (const k of ['previousToken', 'firstToken', 'self', 'entropy', 'duplicateToken'] as const) {
            if (Number.isNaN(whole[l][h][k])) expect(scores[l][h][k]).toBeNaN();
            else expect(scores[l][h][k]).toBeCloseTo(whole[l][h][k], 12);
          }
        }
      }
    });
  });
});
