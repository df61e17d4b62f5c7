// Checkpoints through the same code path as the app (loadCheckpoint on CheckpointFiles): conformance with
// independent implementations, dtype / sharding / naming variants, and every broken-checkpoint message.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend.ts';
import { loadCheckpoint } from './load.ts';
import { dirFiles } from './dirFiles.ts';
import { referenceForward } from '../transformer/reference.ts';
import type { ForwardResult } from '../transformer/types.ts';
import { CONFORMANCE_MODELS, expected, readConfig, readTensors, rounded, writeCheckpoint, type Expected, maxDiff, withModel, loadError } from './test-checkpoints.ts';
import type { TensorToWrite } from './writeSafetensors.ts';

let tmp: string;
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'checkpoint-test-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MODELS = ['gpt2-tiny', 'stories260K-hf'] as const;

function expectConforms(r: ForwardResult, want: Expected): void {
  expect(r.layers).toHaveLength(want.attention.length);
  r.layers.forEach((layer, l) => {
    expect(layer.attention).toHaveLength(want.attention[l].length);
    layer.attention.forEach((A, h) => expect(maxDiff(A.data, want.attention[l][h].flat()), `attention ${l}.${h}`).toBeLessThan(1e-4));
  });
  expect(maxDiff(r.logits!, want.logits!), 'logits').toBeLessThan(1e-3);
}

/**
 * Layer 0 of stories260K as Qwen2, by hand from the checkpoint's own tensors (not the loaded model):
 * RMSNorm of the embeddings, q/k/v projections plus their biases, rotate-half RoPE, causal softmax.
 * Returns each head's A (n×n) and V (n×8), head h reading key/value head ⌊h/2⌋.
 */
function qwenLayer0ByHand(tensors: TensorToWrite[], ids: number[]): { A: number[][]; V: number[][] } {
  const get = (name: string) => Float64Array.from(tensors.find((t) => t.name === name)!.data as Float32Array);
  const [d, dh, theta, eps] = [64, 8, 10000, 1e-5];
  const embed = get('model.embed_tokens.weight');
  const g = get('model.layers.0.input_layernorm.weight');
  const n = ids.length;
  const xn = ids.map((id) => {
    const x = Array.from({ length: d }, (_, j) => embed[id * d + j]);
    const rms = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / d + eps);
    return x.map((v, j) => (v / rms) * g[j]);
  });
  const project = (p: 'q' | 'k' | 'v') => {
    const W = get(`model.layers.0.self_attn.${p}_proj.weight`); // (out, in)
    const b = get(`model.layers.0.self_attn.${p}_proj.bias`);
    return xn.map((x) => Array.from(b, (bias, o) => x.reduce((a, v, j) => a + W[o * d + j] * v, bias)));
  };
  const rope = (v: number[], pos: number) =>
    v.map((x, t) => {
      const half = dh / 2;
      const f = pos * Math.pow(theta, (-2 * (t % half)) / dh);
      return t < half ? x * Math.cos(f) - v[t + half] * Math.sin(f) : x * Math.cos(f) + v[t - half] * Math.sin(f);
    });
  const [q, k, v] = [project('q'), project('k'), project('v')];
  const A: number[][] = [];
  const V: number[][] = [];
  for (let h = 0; h < 8; h++) {
    const kv = Math.floor(h / 2);
    const qh = q.map((r, i) => rope(r.slice(h * dh, (h + 1) * dh), i));
    const kh = k.map((r, j) => rope(r.slice(kv * dh, (kv + 1) * dh), j));
    const rows = qh.map((qi, i) => {
      const s = kh.slice(0, i + 1).map((kj) => qi.reduce((a, x, t) => a + x * kj[t], 0) / Math.sqrt(dh));
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const z = e.reduce((a, x) => a + x, 0);
      return Array.from({ length: n }, (_, j) => (j <= i ? e[j] / z : 0));
    });
    A.push(rows.flat());
    V.push(v.flatMap((r) => r.slice(kv * dh, (kv + 1) * dh)));
  }
  return { A, V };
}


describe('conformance checkpoints (tests/fixtures/models)', () => {
  for (const name of MODELS) {
    it(`${name}: attention within 1e-4 and logits within 1e-3 of expected.json`, async () => {
      await withModel(join(CONFORMANCE_MODELS, name), async (m) => {
        expectConforms(await m.forward(expected(name).ids), expected(name));
      });
    });
  }

  it('reports loading progress up to the total', async () => {
    const seen: [number, number][] = [];
    const m = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'gpt2-tiny')), { onProgress: (done, total) => seen.push([done, total]) });
    m.dispose();
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.every(([d, t], k) => t === 30752 && d <= t && (k === 0 || d >= seen[k - 1][0]))).toBe(true);
    expect(seen.at(-1)).toEqual([30752, 30752]);
  });

  it('model info: GQA sharing is visible and the K/V matrices are shared objects', async () => {
    await withModel(join(CONFORMANCE_MODELS, 'stories260K-hf'), async (m) => {
      expect(m.info).toMatchObject({ type: 'llama', layers: 5, heads: 8, kvHeads: 4, dModel: 64, dHead: 8, vocab: 512, norm: 'rmsnorm', positional: 'rotary', dtypes: ['F32'] });
      expect(m.info.kvHeadOfHead).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
      const heads = m.net.blocks[0].heads;
      expect(heads[0].Wk).toBe(heads[1].Wk);
      expect(heads[0].Wv).toBe(heads[1].Wv);
      expect(heads[1].Wk).not.toBe(heads[2].Wk);
      const r = await m.forward(expected('stories260K-hf').ids.slice(0, 6));
      expect(r.layers[0].result!.heads[0].Qpre).toBeDefined();
    });
    await withModel(join(CONFORMANCE_MODELS, 'gpt2-tiny'), async (m) => {
      expect(m.info).toMatchObject({ type: 'gpt2', layers: 2, heads: 4, kvHeads: 4, dModel: 32, dHead: 8, vocab: 101, context: 64, parameters: 30752 });
    });
  });

  it('the tfjs forward pass agrees with the float64 reference forward pass', async () => {
    for (const name of MODELS) {
      await withModel(join(CONFORMANCE_MODELS, name), async (m) => {
        const ids = expected(name).ids;
        const got = await m.forward(ids);
        const want = referenceForward(m.net, ids);
        expect(maxDiff(got.logits!, want.logits!)).toBeLessThan(1e-3);
      });
    }
  });
});

describe('GPT-NeoX (Pythia layout): tests/fixtures/checkpoints/neox-tiny, reference by an independent numpy forward pass (make.py)', () => {
  const NEOX = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'checkpoints', 'neox-tiny');
  const want = JSON.parse(readFileSync(join(NEOX, 'expected.json'), 'utf8')) as Expected;

  it('partial rotary, per-head fused query_key_value, parallel residual: attention within 1e-4, logits within 1e-3', async () => {
    await withModel(NEOX, async (m) => {
      expect(m.info).toMatchObject({ type: 'gpt_neox', layers: 2, heads: 4, dHead: 8, positional: 'rotary', mlp: 'gelu' });
      expect(m.net.rotary).toEqual({ dims: 4, theta: 10000 });
      expectConforms(await m.forward(want.ids), want);
    });
  });

  it('sequential residual (use_parallel_residual false) as the float64 reference forward pass says', async () => {
    const config = { ...(JSON.parse(readFileSync(join(NEOX, 'config.json'), 'utf8')) as object), use_parallel_residual: false };
    const dir = join(tmp, 'neox-sequential');
    writeCheckpoint(dir, config, []);
    writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(NEOX, 'model.safetensors')));
    await withModel(dir, async (m) => {
      const got = await m.forward(want.ids);
      expect(maxDiff(got.logits!, referenceForward(m.net, want.ids).logits!)).toBeLessThan(1e-4);
      expect(maxDiff(got.logits!, want.logits!)).toBeGreaterThan(1e-2); // and it is a different model
    });
  });
});

describe('checkpoint variants', () => {
  for (const name of MODELS) {
    for (const dtype of ['F16', 'BF16'] as const) {
      it(`${name} in ${dtype} equals the float32 model on the rounded weights`, async () => {
        const tensors = readTensors(name);
        const low = writeCheckpoint(join(tmp, `${name}-${dtype}`), readConfig(name), tensors.map((t) => ({ ...t, dtype })), { misalign: dtype === 'F16' });
        const ref = writeCheckpoint(join(tmp, `${name}-${dtype}-as-f32`), readConfig(name), rounded(tensors, dtype));
        const ids = expected(name).ids;
        const a = await withModel(low, async (m) => {
          expect(m.info.dtypes).toEqual([dtype]);
          return m.forward(ids);
        });
        const b = await withModel(ref, (m) => m.forward(ids));
        expect(maxDiff(a.logits!, b.logits!)).toBe(0);
        // And still close to the float32 original (the rounding is small).
        expect(maxDiff(a.logits!, expected(name).logits!)).toBeLessThan(dtype === 'F16' ? 0.05 : 0.5);
      });
    }

    it(`${name} sharded across 2 files (index.json) conforms`, async () => {
      const dir = writeCheckpoint(join(tmp, `${name}-sharded`), readConfig(name), readTensors(name), { shards: 2 });
      await withModel(dir, async (m) => expectConforms(await m.forward(expected(name).ids), expected(name)));
    });
  }

  it('llama with a separate lm_head (tie_word_embeddings false) and qwen2 with q/k/v biases', async () => {
    const name = 'stories260K-hf';
    const ids = expected(name).ids.slice(0, 16);
    const tensors = readTensors(name);
    const embed = tensors.find((t) => t.name === 'model.embed_tokens.weight')!;
    const untied = writeCheckpoint(join(tmp, 'llama-untied'), { ...readConfig(name), tie_word_embeddings: false }, [
      ...tensors.filter((t) => t.name !== 'lm_head.weight'),
      { ...embed, name: 'lm_head.weight' },
    ]);
    const base = await withModel(join(CONFORMANCE_MODELS, name), (m) => m.forward(ids));
    await withModel(untied, async (m) => {
      expect(m.net.unembed!.table).not.toBe(m.net.embedding);
      expect(maxDiff((await m.forward(ids)).logits!, base.logits!)).toBe(0);
    });
    // Qwen2: zero biases change nothing; random ones act as the float64 reference says.
    const biases = (scale: number) =>
      Array.from({ length: 5 }, (_, l) =>
        (['q', 'k', 'v'] as const).map((p) => {
          const rows = p === 'q' ? 64 : 32;
          return { name: `model.layers.${l}.self_attn.${p}_proj.bias`, dtype: 'F32' as const, shape: [rows], data: Float32Array.from({ length: rows }, (_, k) => scale * Math.sin(k + l)) };
        }),
      ).flat();
    const qwen = (scale: number) => writeCheckpoint(join(tmp, `qwen2-${scale}`), { ...readConfig(name), model_type: 'qwen2' }, [...tensors, ...biases(scale)]);
    await withModel(qwen(0), async (m) => {
      expect(m.info.type).toBe('qwen2');
      expect(maxDiff((await m.forward(ids)).logits!, base.logits!)).toBeLessThan(1e-6);
    });
    await withModel(qwen(0.5), async (m) => {
      const got = await m.forward(ids);
      // Independent of the loader: layer 0's maps and values from the file's tensors by hand (a bias
      // dropped, or put on the wrong projection or head, changes them far beyond 1e-4).
      const hand = qwenLayer0ByHand([...tensors, ...biases(0.5)], ids);
      for (let h = 0; h < 8; h++) {
        expect(maxDiff(got.layers[0].attention[h].data, hand.A[h])).toBeLessThan(1e-4);
        expect(maxDiff(got.layers[0].result!.heads[h].V.data, hand.V[h])).toBeLessThan(1e-4);
      }
      const unbiased = qwenLayer0ByHand([...tensors, ...biases(0)], ids);
      expect(Math.max(...unbiased.A.map((A, h) => maxDiff(A, hand.A[h])))).toBeGreaterThan(1e-2);
      expect(maxDiff(got.logits!, referenceForward(m.net, ids).logits!)).toBeLessThan(1e-3);
      expect(maxDiff(got.logits!, base.logits!)).toBeGreaterThan(1e-2);
    });
  });

  it('gpt2 names with the "transformer." prefix and old attn.bias / attn.masked_bias buffers conform', async () => {
    const tensors = readTensors('gpt2-tiny').map((t) => ({ ...t, name: `transformer.${t.name}` }));
    const mask = new Float32Array(64 * 64);
    tensors.push({ name: 'transformer.h.0.attn.bias', dtype: 'F32', shape: [1, 1, 64, 64], data: mask });
    tensors.push({ name: 'transformer.h.0.attn.masked_bias', dtype: 'F32', shape: [], data: Float32Array.from([-1e4]) });
    const dir = writeCheckpoint(join(tmp, 'gpt2-prefixed'), readConfig('gpt2-tiny'), tensors);
    await withModel(dir, async (m) => expectConforms(await m.forward(expected('gpt2-tiny').ids), expected('gpt2-tiny')));
  });
});

describe('broken checkpoints: one message naming the file and the tensor or field', () => {
  const gpt2 = () => readTensors('gpt2-tiny');
  const config = () => readConfig('gpt2-tiny');
  const with_ = (t: TensorToWrite[], name: string, change: Partial<TensorToWrite>) => t.map((x) => (x.name === name ? { ...x, ...change } : x));

  it('truncated file', async () => {
    const dir = writeCheckpoint(join(tmp, 'truncated'), config(), gpt2());
    const file = join(dir, 'model.safetensors');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.byteLength - 100));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor ln_f.bias: data_offsets [122880, 123008] point past the end of the data (122908 bytes after the header) — truncated?`);
  });

  it('header past the end', async () => {
    const dir = writeCheckpoint(join(tmp, 'header'), config(), gpt2());
    writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(dir, 'model.safetensors')).subarray(0, 1000));
    expect(await loadError(dir)).toMatch(new RegExp(`^${dir}/model\\.safetensors: header: its length \\d+ runs past the end of the file \\(1000 bytes\\)`));
  });

  it('no weights file', async () => {
    const dir = writeCheckpoint(join(tmp, 'noweights'), config(), gpt2());
    rmSync(join(dir, 'model.safetensors'));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: missing (and no model.safetensors.index.json for a sharded checkpoint either)`);
  });

  it('wrong shape for the config', async () => {
    const dir = writeCheckpoint(join(tmp, 'shape'), config(), with_(gpt2(), 'h.1.attn.c_attn.weight', { shape: [96, 32] }));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor h.1.attn.c_attn.weight: expected shape [32, 96] (n_embd × 3·n_embd from config.json), got [96, 32]`);
  });

  it('missing tensor', async () => {
    const dir = writeCheckpoint(join(tmp, 'missing'), config(), gpt2().filter((t) => t.name !== 'h.0.mlp.c_fc.bias'));
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor h.0.mlp.c_fc.bias: missing (n_inner from config.json)`);
  });

  it('NaN weight', async () => {
    const t = gpt2();
    t.find((x) => x.name === 'h.0.ln_2.weight')!.data[3] = NaN;
    const dir = writeCheckpoint(join(tmp, 'nan'), config(), t);
    expect(await loadError(dir)).toBe(`${dir}/model.safetensors: tensor h.0.ln_2.weight: element 3 is NaN (weights must be finite numbers)`);
  });

  it('a shard listed in the index is missing', async () => {
    const dir = writeCheckpoint(join(tmp, 'shard'), config(), gpt2(), { shards: 2 });
    rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    expect(await loadError(dir)).toBe(`${dir}/model-00002-of-00002.safetensors: missing (listed in model.safetensors.index.json)`);
  });

  it('unknown model_type', async () => {
    const dir = writeCheckpoint(join(tmp, 'type'), { ...config(), model_type: 't5' }, gpt2());
    expect(await loadError(dir)).toBe(`${dir}/config.json: model_type: "t5" is not supported (supported: gpt2, llama, qwen2, gpt_neox, gpt_neo, bert, roberta, distilbert)`);
  });

  it('broken config.json: not JSON, a missing field, a mistyped field', async () => {
    const bad = writeCheckpoint(join(tmp, 'cfgjson'), '{"model_type": "gpt2",', gpt2());
    expect(await loadError(bad)).toMatch(new RegExp(`^${bad}/config\\.json: not valid JSON \\(.+\\)$`));
    const { n_head: _drop, ...noHeads } = config();
    const missing = writeCheckpoint(join(tmp, 'cfgmissing'), noHeads, gpt2());
    expect(await loadError(missing)).toBe(`${missing}/config.json: n_head: missing (expected a positive whole number)`);
    const typed = writeCheckpoint(join(tmp, 'cfgtyped'), { ...readConfig('stories260K-hf'), num_attention_heads: 'x' }, readTensors('stories260K-hf'));
    expect(await loadError(typed)).toBe(`${typed}/config.json: num_attention_heads: expected a positive whole number, got "x"`);
    const noConfig = join(tmp, 'nothing-here');
    expect(await loadError(noConfig)).toBe(`${noConfig}/config.json: missing (a checkpoint needs its config.json)`);
  });

  it('ids outside the vocabulary, and a head that does not exist', async () => {
    await withModel(join(CONFORMANCE_MODELS, 'gpt2-tiny'), async (m) => {
      await expect(m.forward([1, 101])).rejects.toThrow(`ids[1]: 101 is outside the vocabulary: expected a token id 0…100 (${CONFORMANCE_MODELS}/gpt2-tiny/config.json: vocab_size = 101)`);
      await expect(m.forward([1], { ablate: { heads: [{ layer: 2, head: 0 }], mode: 'zero' } })).rejects.toThrow('ablate: head 2.0 does not exist (layers 0…1, heads 0…3)');
    });
  });
});
