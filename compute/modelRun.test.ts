// What the compute worker computes for a model request, checked against independent truth: the shared
// reference outputs of stories260K (llama2.c's PyTorch model) and the float64 reference forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { initBackend, tf } from '../engine/backend.ts';
import { logSoftmax, softmax } from '../engine/analysis/distribution.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { expected, CONFORMANCE_MODELS } from '../engine/checkpoint/test-checkpoints.ts';
import { referenceForward } from '../engine/transformer/reference.ts';
import { fromFiles, type RunnableModel } from './models.ts';
import { FULL_MAPS_NUMBERS, layerOf, rowsOf, runModel, THUMBNAIL_SIDE } from './modelRun.ts';
import { sweepHeads } from './poolSweep.ts';
import { poolMatrix } from '../engine/analysis/pool.ts';
import { analyzeHeads } from '../engine/headAnalysis.ts';
import type { ModelRequest } from './protocol.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeCheckpoint } from '../engine/checkpoint/test-checkpoints.ts';
import { encoderConfig, encoderForward, syntheticEncoderTensors } from '../engine/checkpoint/test-encoders.ts';

/**
 * Attention rollout written out here, sharing nothing with engine/analysis/rollout.ts: per layer the
 * heads' mean halved plus ½·I, rows renormalised, multiplied onto the product so far (full n³ loops,
 * float64). `maps(l, h, i, j)` reads layer l, head h.
 */
function rolloutByHand(layers: number, heads: number, n: number, maps: (l: number, h: number, i: number, j: number) => number): number[][][] {
  const out: number[][][] = [];
  let R: Float64Array | null = null;
  for (let l = 0; l < layers; l++) {
    const hat = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      let total = 0;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let h = 0; h < heads; h++) sum += maps(l, h, i, j);
        hat[i * n + j] = 0.5 * (sum / heads) + (i === j ? 0.5 : 0);
        total += hat[i * n + j];
      }
      for (let j = 0; j < n; j++) hat[i * n + j] /= total;
    }
    let next = hat;
    if (R !== null) {
      next = new Float64Array(n * n);
      // Dot products of a row of Â with a column of R (i-j-k, unlike the engine's row updates).
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < n; k++) dot += hat[i * n + k] * R[k * n + j];
          next[i * n + j] = dot;
        }
      }
    }
    R = next;
    const done = R;
    out.push(Array.from({ length: n }, (_, i) => Array.from(done.subarray(i * n, (i + 1) * n))));
  }
  return out;
}

/** The head scores of one causal n×n map, written out from their definitions (means over query rows; rows with one key skipped). */
function scoresByHand(A: ArrayLike<number>, n: number, tokens: number[]) {
  const at = (i: number, j: number) => A[i * n + j];
  const avg = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  const rows = Array.from({ length: n - 1 }, (_, k) => k + 1); // rows with two keys or more
  const duplicates = rows.map((i) => tokens.slice(0, i).flatMap((t, j) => (t === tokens[i] ? [at(i, j)] : []))).filter((m) => m.length > 0);
  return {
    previousToken: avg(rows.map((i) => at(i, i - 1))),
    firstToken: avg(rows.map((i) => at(i, 0))),
    self: avg(rows.map((i) => at(i, i))),
    entropy: avg(rows.map((i) => -Array.from({ length: i + 1 }, (_, j) => at(i, j)).reduce((h, p) => (p > 0 ? h + p * Math.log(p) : h), 0) / Math.log(i + 1))),
    duplicateToken: avg(duplicates.map((m) => m.reduce((a, b) => a + b, 0))),
  };
}

let m: RunnableModel;
const truth = expected('stories260K-hf');
const ids = truth.ids.slice(0, 24);

function request(over: Partial<ModelRequest> = {}): ModelRequest {
  // No tokenizer.json beside the conformance checkpoint: the text is read as ids.
  return { key: 'test', origin: { kind: 'page' }, text: ids.join(' '), layer: 0, position: null, ablate: [], ablateMode: 'zero', target: null, compare: null, pair: null, compareShift: 0, ...over };
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
    // The lens after the last layer is the prediction; rollout is that of llama2.c's maps, by hand.
    expect(full.extras.lens[4]).toEqual(full.extras.predictions.slice(0, 5));
    const R = rolloutByHand(5, 8, n, (l, h, i, j) => truth.attention[l][h][i][j]);
    for (const l of [0, 2, 4]) {
      let worst = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(full.extras.rollout[l].data[i * n + j] - R[l][i][j]));
      expect(worst).toBeLessThan(1e-4);
    }
    expect(full.extras.kvHeadOfHead).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('tells the watchdog of every layer as it finishes, not only when the pass starts', async () => {
    const steps: string[] = [];
    await runModel(m, request(), (s) => steps.push(s));
    expect(steps).toEqual(['tokenize', 'forward', 'forward', 'forward', 'forward', 'forward', 'forward']);
  });

  it('predictions at an earlier position equal the reference forward on the tokens up to it', async () => {
    const run = await runModel(m, request({ position: 9 }));
    const ref = referenceForward(m.model.net, ids.slice(0, 10));
    const p = softmax(ref.logits!);
    for (const x of run.extras.predictions) expect(Math.abs(x.p - p[Number(x.token)])).toBeLessThan(1e-4);
    expect(run.extras.position).toBe(9);
  });

  it('ablation: Δ log p(target) and KL equal the float64 reference forward with the same heads ablated', async () => {
    const heads = [
      { layer: 1, head: 2 },
      { layer: 4, head: 7 },
    ];
    const run = await runModel(m, request({ ablate: heads, target: '13' }));
    const before = logSoftmax(referenceForward(m.model.net, ids).logits!);
    const after = logSoftmax(referenceForward(m.model.net, ids, { ablate: { heads, mode: 'zero' } }).logits!);
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
      const R = rolloutByHand(5, 8, 400, (l, h, i, j) => maps[l][h].data[i * 400 + j]);
      expect(run.extras.rollout).toEqual([]); // it follows the picture
      const later = run.rollout!();
      for (const l of [0, 4]) {
        let worst = 0;
        later[l].data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - R[l][Math.floor(k / 400)][k % 400]))));
        expect(worst).toBeLessThan(1e-6);
      }
      const analysis = await run.analyze();
      const scores = analysis.scores;
      expect(analysis.similarity).toBeNull();
      expect(analysis.inductionOn).toBe('probe');
      for (let l = 0; l < 5; l++) {
        for (let h = 0; h < 8; h++) {
          const want = scoresByHand(maps[l][h].data, 400, long);
          for (const k of ['previousToken', 'firstToken', 'self', 'entropy', 'duplicateToken'] as const) {
            if (Number.isNaN(want[k])) expect(scores[l][h][k]).toBeNaN();
            else expect(scores[l][h][k]).toBeCloseTo(want[k], 10);
          }
        }
      }
    });
  });
});

describe('runModel on an encoder (a synthetic BERT with a masked-LM head and the bert-tiny tokenizer)', () => {
  let bert: RunnableModel;
  let dir: string;
  const LONG = 720; // 2 layers × 4 heads × 720² > FULL_MAPS_NUMBERS: the kept-maps path
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'modelrun-bert-'));
    const tok = (f: string) => readFileSync(join(import.meta.dirname, '..', 'tests', 'fixtures', 'tokenizers', 'bert-tiny', f), 'utf8');
    writeCheckpoint(dir, encoderConfig('bert', LONG), syntheticEncoderTensors('bert', { positions: LONG }), { extra: { 'tokenizer.json': tok('tokenizer.json'), 'tokenizer_config.json': tok('tokenizer_config.json') } });
    bert = await fromFiles('bert', dirFiles(dir));
  });
  afterAll(() => {
    bert?.model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const ask = (over: Partial<ModelRequest>): ModelRequest => ({ ...request(), key: 'bert', ...over });

  it('predictions at the [MASK] see the whole input (the tokens after it too); head scores are for full attention', async () => {
    const text = 'The cat sat on the [MASK].';
    const run = await runModel(bert, ask({ text, position: 6 }));
    const ids = bert.read(text).ids;
    expect(bert.read(text).tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]']);
    const p = softmax(referenceForward(bert.model.net, ids, { at: 6 }).logits!);
    for (const x of run.extras.predictions) expect(Math.abs(x.p - p[bert.idOf(x.token)!])).toBeLessThan(1e-4);
    // The tokens after the mask matter (a decoder's prediction would not change).
    const cut = softmax(referenceForward(bert.model.net, ids.slice(0, 7), { at: 6 }).logits!);
    expect(Math.max(...p.map((v, k) => Math.abs(v - cut[k])))).toBeGreaterThan(1e-3);
    expect(run.attention[0][0].data[0 * ids.length + ids.length - 1]).toBeGreaterThan(0);
    // Entropy is normalised by the keys a query may see: all n for an encoder, i + 1 under a causal mask.
    const { scores } = await run.analyze();
    const want = analyzeHeads({ layers: run.attention, tokens: ids }, { causal: false }).scores;
    const causal = analyzeHeads({ layers: run.attention, tokens: ids }, { causal: true }).scores;
    scores.forEach((layer, l) => layer.forEach((s, h) => {
      expect(s.entropy).toBe(want[l][h].entropy);
      expect(s.firstToken).toBe(want[l][h].firstToken);
      expect(s.entropy).not.toBe(causal[l][h].entropy);
    }));
  });

  it('a sentence pair: token types reach the model, predictions at the first [MASK] when no position is picked, segments and framing tokens come back', async () => {
    const text = 'The cat sat on the [MASK].';
    const pair = 'It was tired.';
    const read = bert.read(text, pair);
    expect(read.tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]', 'it', 'was', 'tired', '.', '[SEP]']);
    const run = await runModel(bert, ask({ text, pair, position: null }));
    expect(run.extras.position).toBe(6);
    expect(run.extras.segments).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(run.extras.frame!.map((f, i) => (f ? i : -1)).filter((i) => i >= 0)).toEqual([0, 8, 13]);
    // Against transformers' BERT in float64 loops (shares nothing with the engine), with the pair's token types.
    const truth = encoderForward('bert', encoderConfig('bert', LONG), syntheticEncoderTensors('bert', { positions: LONG }), read.ids, { types: read.types!, at: 6 });
    const p = softmax(truth.logits!);
    for (const x of run.extras.predictions) expect(Math.abs(x.p - p[bert.idOf(x.token)!])).toBeLessThan(1e-4);
    const n = read.ids.length;
    for (const [l, h] of [[0, 0], [1, 3]]) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(run.attention[l][h].data[i * n + j] - truth.attention[l][h][i][j])).toBeLessThan(1e-4);
    // The types matter: all zeros gives another prediction.
    const zeros = softmax(encoderForward('bert', encoderConfig('bert', LONG), syntheticEncoderTensors('bert', { positions: LONG }), read.ids, { at: 6 }).logits!);
    expect(Math.max(...p.map((v, k) => Math.abs(v - zeros[k])))).toBeGreaterThan(1e-4);
    // Without a pair: no segments; a picked position wins over the mask.
    const single = await runModel(bert, ask({ text, position: 2 }));
    expect(single.extras.segments).toBeNull();
    expect(single.extras.position).toBe(2);
  });

  it('"which heads matter?" ablates each head on the whole input and reads the prediction at the mask', async () => {
    const text = 'The cat sat on the [MASK].';
    const ids = bert.read(text).ids;
    const sweep = (await sweepHeads(bert, ask({ text, position: 6 }), () => {}, () => false))!;
    const base = logSoftmax(referenceForward(bert.model.net, ids, { at: 6 }).logits!);
    const target = bert.idOf(sweep.target)!;
    for (const [l, h] of [[0, 1], [1, 3]]) {
      const after = logSoftmax(referenceForward(bert.model.net, ids, { at: 6, ablate: { heads: [{ layer: l, head: h }], mode: 'zero' } }).logits!);
      expect(Math.abs(sweep.deltas[l][h] - (after[target] - base[target]))).toBeLessThan(1e-3);
    }
  });

  it('a long input keeps its full maps (not a causal triangle): rows read back equal the forward pass, above the diagonal too', async () => {
    const text = Array.from({ length: LONG - 2 }, (_, k) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][k % 6]).join(' ');
    const run = await runModel(bert, ask({ text, layer: 1 }));
    expect(run.kept.maps?.causal).toBe(false);
    const ids = bert.read(text).ids;
    expect(ids).toHaveLength(LONG);
    const full = await bert.model.forward(ids, { keep: 'attention' });
    const rows = rowsOf(run.kept, 5);
    for (let l = 0; l < 2; l++) for (let h = 0; h < 4; h++) expect(Array.from(rows[l][h])).toEqual(Array.from(full.layers[l].attention[h].data.slice(5 * LONG, 6 * LONG)));
    expect(rows[0][0][LONG - 1]).toBeGreaterThan(0);
  });
});
