// GPT-Neo checkpoints (model_type "gpt_neo") through loadCheckpoint, on a synthetic 2-layer checkpoint
// (global + local, window 3 < n): against GPT-Neo's forward pass written from the stored tensors in the test
// helper (independent of the engine), against the float64 reference forward, a layer-0 score recomputed by
// hand, the local layer's zeros, fp16, names with and without "transformer.", and the refusals.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend.ts';
import { referenceForward } from '../transformer/reference.ts';
import { maxDiff, rounded, writeCheckpoint, withModel, loadError } from './test-checkpoints.ts';
import { NEO, NEO_CONFIG, NEO_IDS, neoForward, neoLayerNorm, neoLinear, neoTensors } from './test-gptNeo.ts';
import type { TensorToWrite } from './writeSafetensors.ts';

let tmp: string;
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'gpt-neo-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tensorsOf = (t: TensorToWrite[], name: string) => t.find((x) => x.name === `transformer.${name}`)!.data;

describe('GPT-Neo: a synthetic checkpoint (2 layers global + local, window 3, 4 heads, d 32, vocab 50)', () => {
  const tensors = neoTensors();
  const want = neoForward(tensors, NEO_IDS);
  let dir: string;
  beforeAll(() => {
    dir = writeCheckpoint(join(tmp, 'neo'), NEO_CONFIG, tensors);
  });

  it('model info (dtypes of the weights, not of the BOOL mask buffers), unscaled scores, a window on the local layer only', async () => {
    await withModel(dir, async (m) => {
      expect(m.info).toMatchObject({ type: 'gpt_neo', layers: 2, heads: 4, kvHeads: 4, dModel: 32, dHead: 8, dMlp: 128, vocab: 50, context: 16, norm: 'layernorm', positional: 'learned', mlp: 'gelu-tanh', dtypes: ['F32'] });
      expect(m.net.scale).toBe(1);
      expect(m.net.blocks.map((b) => b.window)).toEqual([null, 3]);
      expect(m.net.unembed!.table).toBe(m.net.embedding);
      const r = await m.forward(NEO_IDS);
      expect(r.layers[0].input!.window).toBeNull();
      expect(r.layers[1].input!.window).toBe(3);
      expect(r.layers[1].result!.scale).toBe(1);
    });
  });

  it('agrees with GPT-Neo written from the stored tensors: attention within 1e-4, logits within 1e-3', async () => {
    await withModel(dir, async (m) => {
      const r = await m.forward(NEO_IDS);
      r.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, want.attention[l][h].flat()), `attention ${l}.${h}`).toBeLessThan(1e-4)));
      expect(maxDiff(r.logits!, want.logits!)).toBeLessThan(1e-3);
      // The test's forward pass is a meaningful judge: the heads are neither uniform nor one-hot.
      const row = want.attention[0][1][NEO_IDS.length - 1];
      expect(Math.max(...row)).toBeLessThan(0.95);
      expect(Math.max(...row)).toBeGreaterThan(2 / NEO_IDS.length);
    });
  });

  it('agrees with the float64 reference forward pass (attention 1e-4, logits 1e-3)', async () => {
    await withModel(dir, async (m) => {
      const got = await m.forward(NEO_IDS);
      const ref = referenceForward(m.net, NEO_IDS);
      got.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, ref.attention[l][h].data), `attention ${l}.${h}`).toBeLessThan(1e-4)));
      expect(maxDiff(got.logits!, ref.logits!)).toBeLessThan(1e-3);
    });
  });

  it("layer 0, head 1, query 6: scores are q·k of ln_1's output, not divided by √d_head", async () => {
    const { d } = NEO;
    const dh = d / NEO.heads;
    const i = 6;
    const x = (p: number) => Array.from({ length: d }, (_, c) => tensorsOf(tensors, 'wte.weight')[NEO_IDS[p] * d + c] + tensorsOf(tensors, 'wpe.weight')[p * d + c]);
    const ln = (p: number) => neoLayerNorm(x(p), tensorsOf(tensors, 'h.0.ln_1.weight'), tensorsOf(tensors, 'h.0.ln_1.bias'));
    // Head 1 is rows 8…15 of the (out, in) projection.
    const head = (name: string, p: number) => neoLinear(tensorsOf(tensors, `h.0.attn.attention.${name}.weight`), null, ln(p), d).slice(dh, 2 * dh);
    const q = head('q_proj', i);
    const scores = Array.from({ length: i + 1 }, (_, j) => head('k_proj', j).reduce((s, kt, t) => s + q[t] * kt, 0));
    await withModel(dir, async (m) => {
      const r = await m.forward(NEO_IDS);
      const S = r.layers[0].result!.heads[1].scores;
      scores.forEach((s, j) => expect(Math.abs(S.data[i * S.cols + j] - s), `s[${i}][${j}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(s))));
      expect(Math.max(...scores.map(Math.abs))).toBeGreaterThan(1); // a scale of 1/√8 would be visible
    });
  });

  it('the local layer: A[i][j] is exactly 0 for i − j ≥ window, positive inside it, rows sum to 1; the global layer sees every earlier key', async () => {
    await withModel(dir, async (m) => {
      const r = await m.forward(NEO_IDS);
      const n = NEO_IDS.length;
      for (const A of r.layers[1].attention) {
        for (let i = 0; i < n; i++) {
          let sum = 0;
          for (let j = 0; j < n; j++) {
            const a = A.data[i * n + j];
            sum += a;
            if (j > i || i - j >= NEO.window) expect(a, `A[${i}][${j}]`).toBe(0);
            else expect(a, `A[${i}][${j}]`).toBeGreaterThan(0);
          }
          expect(sum).toBeCloseTo(1, 5);
        }
      }
      for (const A of r.layers[0].attention) for (let j = 0; j < n; j++) expect(A.data[(n - 1) * n + j]).toBeGreaterThan(0);
    });
  });

  it('the model\'s attention(layer, residual) of a local layer uses its window too', async () => {
    await withModel(dir, async (m) => {
      const r = await m.forward(NEO_IDS, { residuals: true });
      const again = await m.attention(1, r.residuals![1]);
      expect(again.input.window).toBe(3);
      again.result.heads.forEach((hr, h) => expect(maxDiff(hr.A.data, r.layers[1].attention[h].data)).toBe(0));
    });
  });
});

describe('GPT-Neo variants', () => {
  const tensors = neoTensors();

  it('F16 equals the float32 model on the rounded weights (masked_bias, −1e9, becomes −Infinity in F16 and is ignored)', async () => {
    const low = writeCheckpoint(join(tmp, 'neo-f16'), NEO_CONFIG, tensors.map((t) => ({ ...t, dtype: 'F16' as const })), { misalign: true });
    const ref = writeCheckpoint(join(tmp, 'neo-f16-as-f32'), NEO_CONFIG, rounded(tensors.filter((t) => !t.name.endsWith('masked_bias')), 'F16'));
    const a = await withModel(low, async (m) => {
      expect(m.info.dtypes).toEqual(['F16']);
      return m.forward(NEO_IDS);
    });
    const b = await withModel(ref, (m) => m.forward(NEO_IDS));
    expect(maxDiff(a.logits!, b.logits!)).toBe(0);
    expect(maxDiff(a.logits!, neoForward(tensors, NEO_IDS).logits!)).toBeLessThan(0.05);
  });

  it('names without "transformer.", no buffers, a stored tied lm_head (ignored): the same model', async () => {
    const base = await withModel(writeCheckpoint(join(tmp, 'neo-base'), NEO_CONFIG, tensors), (m) => m.forward(NEO_IDS));
    const bare = tensors.filter((t) => !/attention\.(masked_)?bias$/.test(t.name)).map((t) => ({ ...t, name: t.name.replace(/^transformer\./, '') }));
    const lmHead = { ...tensors[0], name: 'lm_head.weight', data: new Float32Array(tensors[0].data.length) }; // zeros: would change every logit if read
    await withModel(writeCheckpoint(join(tmp, 'neo-bare'), NEO_CONFIG, [...bare, lmHead]), async (m) => {
      expect(maxDiff((await m.forward(NEO_IDS)).logits!, base.logits!)).toBe(0);
    });
  });

  it('tie_word_embeddings false reads lm_head.weight', async () => {
    const lmHead = { ...tensors[0], name: 'lm_head.weight', data: tensors[0].data.map((x) => 2 * x) };
    await withModel(writeCheckpoint(join(tmp, 'neo-untied'), { ...NEO_CONFIG, tie_word_embeddings: false }, [...tensors, lmHead]), async (m) => {
      expect(m.net.unembed!.table).not.toBe(m.net.embedding);
      const logits = (await m.forward(NEO_IDS)).logits!;
      const tied = neoForward(tensors, NEO_IDS).logits;
      expect(maxDiff(logits, tied.map((x) => 2 * x))).toBeLessThan(1e-3);
    });
  });

  it('a window of at least n makes the local layer global: the same as attention_types all global', async () => {
    const wide = await withModel(writeCheckpoint(join(tmp, 'neo-wide'), { ...NEO_CONFIG, window_size: 256 }, tensors), (m) => m.forward(NEO_IDS));
    const global = { ...NEO_CONFIG, attention_types: [[['global'], 2]], attention_layers: ['global', 'global'] };
    const all = await withModel(writeCheckpoint(join(tmp, 'neo-global'), global, tensors), async (m) => {
      expect(m.net.blocks.map((b) => b.window)).toEqual([null, null]);
      return m.forward(NEO_IDS);
    });
    expect(maxDiff(wide.logits!, all.logits!)).toBe(0);
    expect(maxDiff(wide.logits!, neoForward(tensors, NEO_IDS).logits!)).toBeGreaterThan(1e-3); // and window 3 mattered
  });
});

describe('GPT-Neo refusals: one message naming the file and the tensor or field', () => {
  const tensors = neoTensors();
  const write = (name: string, config: unknown, t: TensorToWrite[] = tensors) => writeCheckpoint(join(tmp, name), config, t);

  it('a missing q_proj tensor', async () => {
    const dir = write('neo-missing', NEO_CONFIG, tensors.filter((t) => t.name !== 'transformer.h.1.attn.attention.q_proj.weight'));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor h.1.attn.attention.q_proj.weight: missing (hidden_size × hidden_size from config.json)`);
  });

  it('a wrong shape (c_fc stored (in, out) as GPT-2 would)', async () => {
    const dir = write('neo-shape', NEO_CONFIG, tensors.map((t) => (t.name === 'transformer.h.0.mlp.c_fc.weight' ? { ...t, shape: [32, 128] } : t)));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor h.0.mlp.c_fc.weight: expected shape [128, 32] (intermediate_size × hidden_size from config.json), got [32, 128]`);
  });

  it('bad attention_types, attention_layers and window_size', async () => {
    const cases: [unknown, string][] = [
      [{ ...NEO_CONFIG, attention_types: [[['global', 'sparse'], 1]] }, 'attention_types[0][0][1]: expected "global" or "local" (what this engine implements), got "sparse"'],
      [{ ...NEO_CONFIG, attention_types: [[['global', 'local'], 2]] }, 'attention_types: expands to more than 2 layers, but num_layers is 2'],
      [{ ...NEO_CONFIG, attention_types: [[['local'], 1]], attention_layers: undefined }, 'attention_types: expands to 1 layers, but num_layers is 2'],
      [{ ...NEO_CONFIG, attention_types: [['global', 'local']] }, 'attention_types[0]: expected a list of [[kinds…], repeats] with kinds "global" or "local", e.g. [[["global", "local"], 4]], got an array of 2'],
      [{ ...NEO_CONFIG, attention_types: [[['global'], 0]] }, 'attention_types[0][1]: expected a positive whole number of repeats, got 0'],
      [{ ...NEO_CONFIG, attention_types: undefined }, 'attention_types: missing (expected a list of [[kinds…], repeats] with kinds "global" or "local", e.g. [[["global", "local"], 4]]), got nothing'],
      [{ ...NEO_CONFIG, attention_layers: ['local', 'global'] }, 'attention_layers[0]: expected "global" (as attention_types expands), got "local"'],
      [{ ...NEO_CONFIG, attention_layers: ['global'] }, 'attention_layers: expected 2 entries (num_layers), got an array of 1'],
      [{ ...NEO_CONFIG, window_size: 0 }, 'window_size: expected a positive whole number, got 0'],
      [{ ...NEO_CONFIG, window_size: 2.5 }, 'window_size: expected a positive whole number, got 2.5'],
      [{ ...NEO_CONFIG, num_heads: 5 }, 'num_heads: hidden_size 32 is not divisible by num_heads 5'],
    ];
    for (const [config, message] of cases) {
      const dir = write('neo-config', config);
      expect(await loadError(dir)).toBe(`${dir}/config.json: ${message}`);
    }
  });
});
