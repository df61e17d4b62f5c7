// Big checkpoints keep their weights in the file's precision and convert one layer at a time as it runs
// (budget.ts, Net.stream). Small ones are forced through that path here: it must give the resident load's
// maps and logits, conform to the reference outputs, and leave the backend as it found it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '../backend.ts';
import { loadCheckpoint } from './load.ts';
import { dirFiles } from './dirFiles.ts';
import { planConfig } from './load.ts';
import { CONFORMANCE_MODELS, expected, maxDiff, readConfig, readTensors, writeCheckpoint } from './test-checkpoints.ts';
import type { ForwardOptions, ForwardResult, StoredTable, TransformerModel } from '../transformer/types.ts';

const NAME = 'stories260K-hf';
const DIR = join(CONFORMANCE_MODELS, NAME);
let tmp = '';
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'streamed-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function both<T>(dir: string, fn: (resident: TransformerModel, streamed: TransformerModel) => Promise<T>): Promise<T> {
  const resident = await loadCheckpoint(dirFiles(dir));
  const streamed = await loadCheckpoint(dirFiles(dir), { weights: 'streamed' });
  try {
    return await fn(resident, streamed);
  } finally {
    resident.dispose();
    streamed.dispose();
  }
}

function expectSameRun(a: ForwardResult, b: ForwardResult): void {
  expect(b.layers.length).toBe(a.layers.length);
  a.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(b.layers[l].attention[h].data, A.data), `layer ${l} head ${h}`).toBeLessThan(1e-6)));
  expect(maxDiff(b.logits!, a.logits!)).toBeLessThan(1e-5);
}

describe('streamed weights (a layer converted as it runs) against the resident load', () => {
  it('the streamed model holds no block and no float32 embedding, and its info matches', async () => {
    await both(DIR, async (resident, streamed) => {
      expect(streamed.net.blocks).toEqual([]);
      expect(streamed.net.stream).toBeTruthy();
      expect((streamed.net.embedding as StoredTable).kind).toBe('stored');
      expect(streamed.net.unembed!.table).toBe(streamed.net.embedding); // tied: one stored table
      expect(resident.net.stream ?? null).toBeNull();
      expect(streamed.info).toEqual(resident.info);
    });
  });

  it('same attention (1e-6) and logits as the resident path, and the reference outputs', async () => {
    const want = expected(NAME);
    await both(DIR, async (resident, streamed) => {
      const a = await resident.forward(want.ids);
      const b = await streamed.forward(want.ids);
      expectSameRun(a, b);
      // Independent truth: the outputs recorded with the model's own reference implementation.
      want.attention.forEach((layer, l) => layer.forEach((A, h) => expect(maxDiff(b.layers[l].attention[h].data, A.flat())).toBeLessThan(1e-4)));
      expect(maxDiff(b.logits!, want.logits)).toBeLessThan(1e-3);
    });
  });

  it('ablation, the logit lens, all logits, a position offset and one layer alone agree too', async () => {
    const ids = expected(NAME).ids.slice(0, 12);
    const options: ForwardOptions = { ablate: { heads: [{ layer: 1, head: 3 }, { layer: 4, head: 0 }], mode: 'mean' }, lens: { position: 5 }, allLogits: true, positionOffset: 7, residuals: true };
    await both(DIR, async (resident, streamed) => {
      const a = await resident.forward(ids, options);
      const b = await streamed.forward(ids, options);
      expectSameRun(a, b);
      a.lens!.forEach((row, l) => expect(maxDiff(b.lens![l], row)).toBeLessThan(1e-5));
      const one = await streamed.attention(3, b.residuals![3], options.ablate, undefined, 7);
      one.result.heads.forEach((h, k) => expect(maxDiff(h.A.data, a.layers[3].attention[k].data)).toBeLessThan(1e-6));
    });
  });

  it('the unembedding in chunks of rows (here 7 of 512) gives the same logits', async () => {
    const ids = expected(NAME).ids.slice(0, 9);
    await both(DIR, async (resident, streamed) => {
      const table = streamed.net.embedding as StoredTable;
      expect(table.chunkRows).toBeGreaterThanOrEqual(512); // the whole table in one chunk at this size
      table.chunkRows = 7;
      expect(maxDiff((await streamed.forward(ids, { allLogits: true })).logits!, (await resident.forward(ids, { allLogits: true })).logits!)).toBeLessThan(1e-5);
    });
  });

  it('F16 with a separate lm_head: streamed equals resident', async () => {
    const tensors = readTensors(NAME);
    const embed = tensors.find((t) => t.name === 'model.embed_tokens.weight')!;
    const lmHead = { ...embed, name: 'lm_head.weight', data: embed.data.map((x, k) => x * (1 + 0.25 * Math.sin(k))) };
    const dir = writeCheckpoint(join(tmp, 'f16-untied'), { ...readConfig(NAME), tie_word_embeddings: false }, [...tensors.filter((t) => t.name !== 'lm_head.weight'), lmHead].map((t) => ({ ...t, dtype: 'F16' })));
    const ids = expected(NAME).ids.slice(0, 20);
    await both(dir, async (resident, streamed) => {
      expect(streamed.net.unembed!.table).not.toBe(streamed.net.embedding);
      expect(streamed.info.dtypes).toEqual(['F16']);
      expectSameRun(await resident.forward(ids), await streamed.forward(ids));
      // F16 rows converted block after block into one reused buffer (the last block shorter): the same logits.
      (streamed.net.unembed!.table as StoredTable).chunkRows = 7;
      expectSameRun(await resident.forward(ids), await streamed.forward(ids));
    });
  });

  it('a streamed forward pass frees every tensor it made (one layer at a time)', async () => {
    const ids = expected(NAME).ids.slice(0, 16);
    const m = await loadCheckpoint(dirFiles(DIR), { weights: 'streamed' });
    try {
      await m.forward(ids, { keep: 'attention' });
      const before = tf.memory().numTensors;
      await m.forward(ids, { keep: 'attention', lens: true });
      await m.attention(2, (await m.forward(ids, { residuals: true, keep: 'attention' })).residuals![2]);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      m.dispose();
    }
  });

  it('a non-finite weight is refused when a streamed checkpoint opens, not when its layer runs', async () => {
    const tensors = readTensors(NAME).map((t) => (t.name === 'model.layers.4.mlp.down_proj.weight' ? { ...t, data: t.data.map((x, k) => (k === 5 ? Infinity : x)) } : t));
    const dir = writeCheckpoint(join(tmp, 'inf'), readConfig(NAME), tensors.map((t) => ({ ...t, dtype: 'F16' })));
    await expect(loadCheckpoint(dirFiles(dir), { weights: 'streamed' })).rejects.toThrow(`${dir}/model.safetensors: tensor model.layers.4.mlp.down_proj.weight: element 5 is Infinity (weights must be finite numbers)`);
  });

  it('families that cannot stream say so', async () => {
    const dir = join(CONFORMANCE_MODELS, 'gpt2-tiny');
    await expect(loadCheckpoint(dirFiles(dir), { weights: 'streamed' })).rejects.toThrow(`${dir}/config.json: model_type: gpt2 checkpoints are always converted at load (only llama and qwen2 stream)`);
  });
});

describe('which checkpoints stream (config.json alone)', () => {
  const llama1B = { model_type: 'llama', hidden_size: 2048, intermediate_size: 8192, num_attention_heads: 32, num_key_value_heads: 8, num_hidden_layers: 16, vocab_size: 128256, max_position_embeddings: 131072, rms_norm_eps: 1e-5, tie_word_embeddings: true };
  const plan = (cfg: object) => planConfig(new TextEncoder().encode(JSON.stringify(cfg)), 'ckpt/config.json').plan;

  it('a Llama-3.2-1B-shaped config streams; stories260K does not', () => {
    expect(plan(llama1B)).toMatchObject({ parameters: 1_235_814_400, streamed: true });
    expect(plan(readConfig(NAME)).streamed).toBe(false);
  });

  it('the streamed budgets: all parameters, and those of one layer', () => {
    expect(() => plan({ ...llama1B, num_hidden_layers: 64 })).toThrow('ckpt/config.json: describes 4,155,246,592 parameters, more than this app loads (3,000,000,000: 6 GB at 16 bits)');
    expect(() => plan({ ...llama1B, hidden_size: 4096, intermediate_size: 24576, num_hidden_layers: 4 })).toThrow('ckpt/config.json: describes 343,941,120 parameters in model.layers.0, more than this app converts at once (250,000,000: 1 GB as float32)');
  });
});
