// The model command line: the real command spawned for the conformance checkpoints and the flags, and
// runModelCli directly for the many bad inputs (same code, much faster).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runModelCli } from './modelRun.ts';
import { initBackend } from '../backend.ts';
import { loadCheckpoint } from '../checkpoint/load.ts';
import { dirFiles } from '../checkpoint/dirFiles.ts';
import { CONFORMANCE_MODELS, expected, readConfig, readTensors, writeCheckpoint, maxDiff } from '../checkpoint/test-checkpoints.ts';
import { NEO_CONFIG, NEO_IDS, neoForward, neoTensors } from '../checkpoint/test-gptNeo.ts';
import { referenceForward } from '../transformer/reference.ts';
import { encoderConfig, encoderForward, syntheticEncoderTensors, type EncoderKind } from '../checkpoint/test-encoders.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GPT2 = join(CONFORMANCE_MODELS, 'gpt2-tiny');
const STORIES = join(CONFORMANCE_MODELS, 'stories260K-hf');
const CHAR = 'public/models/brown-char.json';

interface Output {
  model: { type: string; layers: number; heads: number; kvHeads: number; vocab: number };
  ids: number[];
  tokens: string[];
  attention: number[][][][];
  logits: number[] | null;
  rollout?: number[][];
  lens?: number[][];
}

let tmp: string;
beforeAll(async () => {
  await initBackend('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'model-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spawn(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npx', ['tsx', 'engine/cli/model.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
}

function ok(r: { status: number | null; stdout: string; stderr: string }): Output {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(r.stdout) as Output;
}

describe('model CLI, spawned', () => {
  for (const [name, dir] of [['gpt2-tiny', GPT2], ['stories260K-hf', STORIES]] as const) {
    it(`${name} --ids: the contract's JSON, conforming with expected.json`, () => {
      const want = expected(name);
      const out = ok(spawn([dir, '--ids', want.ids.join(',')]));
      expect(Object.keys(out)).toEqual(['model', 'ids', 'tokens', 'attention', 'logits']);
      expect(out.ids).toEqual(want.ids);
      expect(out.tokens).toEqual(want.ids.map(String)); // no tokenizer.json: the ids themselves
      out.attention.forEach((layer, l) => layer.forEach((A, h) => expect(maxDiff(A.flat(), want.attention[l][h].flat())).toBeLessThan(1e-4)));
      expect(maxDiff(out.logits!, want.logits)).toBeLessThan(1e-3);
    });
  }

  it('stories260K --rollout --lens --ablate: the float64 reference with those heads ablated, rollout rows sum to 1, the last lens row is the logits', async () => {
    const ids = expected('stories260K-hf').ids.slice(0, 24);
    const out = ok(spawn([STORIES, '--ids', ids.join(','), '--rollout', '--lens', '--ablate', '0.1,4.7']));
    expect(out.model).toEqual({ type: 'llama', layers: 5, heads: 8, kvHeads: 4, vocab: 512 });
    expect(out.rollout).toHaveLength(24);
    for (const row of out.rollout!) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(out.lens).toHaveLength(5);
    expect(out.lens![4]).toEqual(out.logits);
    const model = await loadCheckpoint(dirFiles(STORIES));
    // The float64 reference forward (plain loops, not the tfjs graph the command runs) with the same heads zeroed.
    const ablated = referenceForward(model.net, ids, { ablate: { heads: [{ layer: 0, head: 1 }, { layer: 4, head: 7 }], mode: 'zero' } });
    const intact = referenceForward(model.net, ids);
    model.dispose();
    expect(maxDiff(out.logits!, ablated.logits!)).toBeLessThan(1e-3);
    // Ablating the two heads moves the logits far more than that tolerance: an ignored --ablate fails.
    expect(maxDiff(ablated.logits!, intact.logits!)).toBeGreaterThan(1e-2);
  });

  it('the shipped character model: --text by characters, with every flag', () => {
    const out = ok(spawn([CHAR, '--text', 'Hello, world', '--rollout', '--lens', '--ablate', '1.0']));
    expect(out.model).toEqual({ type: 'char-transformer', layers: 2, heads: 4, kvHeads: 4, vocab: 97 });
    expect(out.tokens).toEqual(Array.from('Hello, world'));
    expect(out.attention).toHaveLength(2);
    expect(out.attention[0]).toHaveLength(4);
    expect(out.attention[0][0]).toHaveLength(12);
    expect(out.rollout).toHaveLength(12);
    expect(out.lens![1]).toEqual(out.logits);
  });

  it('--text with a tokenizer.json (gpt2-tiny with the fixture tokenizer)', () => {
    const dir = join(tmp, 'gpt2-tiny-tok');
    mkdirSync(dir);
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(GPT2, f), join(dir, f));
    copyFileSync(join(ROOT, 'tests/fixtures/tokenizers/gpt2-tiny/tokenizer.json'), join(dir, 'tokenizer.json'));
    const out = ok(spawn([dir, '--text', 'Hello world, the cat!']));
    expect(out.tokens).toEqual([' hello', ' world', ',', ' the', ' cat', '!']);
    expect(out.ids).toHaveLength(6);
    const byIds = ok(spawn([dir, '--ids', out.ids.join(',')]));
    expect(byIds.tokens).toEqual(out.tokens);
    expect(byIds.logits).toEqual(out.logits);
  });

  it('a bad flag: exit 2, one line on stderr, nothing on stdout (through the npm script)', () => {
    const r = spawnSync('npm', ['run', '--silent', 'model', '--', GPT2, '--ids', '1,2', '--ablate', '2.0'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('--ablate: head 2.0 does not exist (the model has 2 layers × 4 heads: 0.0…1.3)\n');
  });
});

describe('model CLI on GPT-Neo, spawned through npm run', () => {
  it('a synthetic gpt_neo checkpoint (global + local layer): "type":"gpt_neo", attention and logits as GPT-Neo computes them', () => {
    const tensors = neoTensors();
    const dir = writeCheckpoint(join(tmp, 'gpt-neo'), NEO_CONFIG, tensors);
    const r = spawnSync('npm', ['run', '--silent', 'model', '--', dir, '--ids', NEO_IDS.join(',')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 });
    expect(r.stdout).toContain('"type":"gpt_neo"');
    const out = ok(r);
    expect(out.model).toEqual({ type: 'gpt_neo', layers: 2, heads: 4, kvHeads: 4, vocab: 50 });
    const want = neoForward(tensors, NEO_IDS);
    out.attention.forEach((layer, l) => layer.forEach((A, h) => expect(maxDiff(A.flat(), want.attention[l][h].flat()), `attention ${l}.${h}`).toBeLessThan(1e-4)));
    expect(maxDiff(out.logits!, want.logits)).toBeLessThan(1e-3);
    expect(out.attention[1][0][NEO_IDS.length - 1][0]).toBe(0); // the local layer's last query does not see the first key
  });
});

describe('model CLI on encoders', () => {
  const tokenizerFiles = (name: string) =>
    Object.fromEntries(['tokenizer.json', 'tokenizer_config.json'].map((f) => [f, readFileSync(join(ROOT, 'tests/fixtures/tokenizers', name, f), 'utf8')]));
  const encoder = (kind: EncoderKind, tokenizer: string | null, options: Parameters<typeof syntheticEncoderTensors>[1] = {}) => {
    const tensors = syntheticEncoderTensors(kind, options);
    const dir = writeCheckpoint(join(tmp, `${kind}-${tokenizer}-${options.bare ? 'bare' : 'mlm'}`), encoderConfig(kind), tensors, { extra: tokenizer ? tokenizerFiles(tokenizer) : {} });
    return { dir, tensors, config: encoderConfig(kind) };
  };
  const agrees = (out: Output, want: ReturnType<typeof encoderForward>) => {
    out.attention.forEach((layer, l) => layer.forEach((A, h) => expect(maxDiff(A.flat(), want.attention[l][h].flat()), `attention ${l}.${h}`).toBeLessThan(1e-4)));
    if (want.logits === null) expect(out.logits).toBeNull();
    else expect(maxDiff(out.logits!, want.logits)).toBeLessThan(1e-3);
  };

  it('BERT through npm run: --ids --types --at, the contract\'s keys, full attention, the MLM logits at P', () => {
    const { dir, tensors, config } = encoder('bert', 'bert-tiny');
    const ids = [2, 5, 19, 20, 3, 13, 14, 3];
    const types = [0, 0, 0, 0, 0, 1, 1, 1];
    const r = spawnSync('npm', ['run', '--silent', 'model', '--', dir, '--ids', ids.join(','), '--types', types.join(','), '--at', '2'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 });
    const out = ok(r);
    expect(Object.keys(out)).toEqual(['model', 'ids', 'tokens', 'attention', 'logits']);
    expect(out.model).toEqual({ type: 'bert', layers: 2, heads: 4, kvHeads: 4, vocab: 48 });
    expect(out.tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', '[SEP]', 'it', 'was', '[SEP]']);
    expect(out.attention[0][0]).toHaveLength(8);
    expect(out.attention[0][0][0][7]).toBeGreaterThan(0); // no causal mask
    agrees(out, encoderForward('bert', config, tensors, ids, { types, at: 2 }));
  });

  it('BERT --text with [MASK]: logits at the mask by default; --pair gives the tokenizer\'s types; --rollout --lens --ablate', async () => {
    const { dir, tensors, config } = encoder('bert', 'bert-tiny');
    const r = await runModelCli([dir, '--text', 'The cat sat on the [MASK].']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Output;
    expect(out.tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]']);
    agrees(out, encoderForward('bert', config, tensors, out.ids, { at: 6 }));
    const pair = JSON.parse((await runModelCli([dir, '--text', 'The cat sat.', '--pair', 'It was [MASK]!', '--rollout', '--lens'])).stdout) as Output;
    expect(pair.tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', '.', '[SEP]', 'it', 'was', '[MASK]', '!', '[SEP]']);
    const want = encoderForward('bert', config, tensors, pair.ids, { types: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], at: 8 });
    agrees(pair, want);
    pair.lens!.forEach((row, l) => expect(maxDiff(row, want.lens![l])).toBeLessThan(1e-3));
    expect(pair.lens![1]).toEqual(pair.logits);
    for (const row of pair.rollout!) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(pair.rollout![0][10]).toBeGreaterThan(0); // full attention flows from later tokens too
    const ablated = JSON.parse((await runModelCli([dir, '--text', 'The cat sat on the [MASK].', '--ablate', '0.1'])).stdout) as Output;
    const m = await loadCheckpoint(dirFiles(dir));
    const byEngine = await m.forward(out.ids, { at: 6, ablate: { heads: [{ layer: 0, head: 1 }], mode: 'zero' } });
    m.dispose();
    expect(maxDiff(ablated.logits!, byEngine.logits!)).toBeLessThan(1e-5);
    expect(maxDiff(ablated.logits!, out.logits!)).toBeGreaterThan(1e-3);
  });

  it('RoBERTa --text with <mask> and DistilBERT --pair (types ignored: one / no token type); a headless BertModel prints "logits": null', async () => {
    const rob = encoder('roberta', 'roberta-tiny');
    const out = JSON.parse((await runModelCli([rob.dir, '--text', 'The cat sat on the <mask>.'])).stdout) as Output;
    expect(out.tokens).toEqual(['<s>', 'The', ' cat', ' sat', ' on', ' the', '<mask>', '.', '</s>']);
    agrees(out, encoderForward('roberta', rob.config, rob.tensors, out.ids, { at: 6 }));
    const distil = encoder('distilbert', 'bert-tiny');
    const d = await runModelCli([distil.dir, '--text', 'The cat sat.', '--pair', 'It was tired.']);
    expect(d.stderr).toBe('');
    const dOut = JSON.parse(d.stdout) as Output;
    agrees(dOut, encoderForward('distilbert', distil.config, distil.tensors, dOut.ids));
    const bare = encoder('bert', 'bert-tiny', { bare: true });
    const b = await runModelCli([bare.dir, '--text', 'The cat [MASK].', '--rollout']);
    expect(b.stdout).toContain('"logits":null');
    const bOut = JSON.parse(b.stdout) as Output;
    expect(Object.keys(bOut)).toEqual(['model', 'ids', 'tokens', 'attention', 'logits', 'rollout']);
    agrees(bOut, encoderForward('bert', bare.config, bare.tensors, bOut.ids));
  });

  it('bad encoder input: exit 2, one line', async () => {
    const { dir } = encoder('bert', 'bert-tiny');
    const bare = encoder('bert', null, { bare: true });
    const fails = async (argv: string[]) => {
      const r = await runModelCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      return r.stderr.trim();
    };
    expect(await fails([dir, '--ids', '2,5,3', '--types', '0,1'])).toBe('--types: expected one type per id (3), got 2');
    expect(await fails([dir, '--ids', '2,5,3', '--types', '0,2,1'])).toBe(`types[1]: 2 is not a token type of this model: expected 0…1 (${dir}/config.json: type_vocab_size = 2)`);
    expect(await fails([dir, '--ids', '2,5,3', '--types', 'a'])).toBe('--types: expected token types like 0,0,1, got "a"');
    expect(await fails([dir, '--text', 'a', '--types', '0'])).toBe('--types goes with --ids (with --text, the tokenizer gives the types of a --pair)');
    expect(await fails([dir, '--ids', '2', '--pair', 'b'])).toBe('--pair goes with --text (with --ids, give the types with --types)');
    expect(await fails([dir, '--ids', '2,5,3', '--at', '3'])).toBe('--at: position 3 is past the input (3 tokens: 0…2)');
    expect(await fails([dir, '--ids', '2,5,3', '--at', '-1'])).toBe('--at: expected a zero-based position like 3, got "-1"');
    expect(await fails([bare.dir, '--ids', '2,5,3', '--lens'])).toBe(`--lens: ${bare.dir} has no masked-LM head (only the encoder's weights): there is nothing to read the layers through`);
    const gpt2 = join(tmp, 'gpt2-pair');
    mkdirSync(gpt2);
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(GPT2, f), join(gpt2, f));
    copyFileSync(join(ROOT, 'tests/fixtures/tokenizers/gpt2-tiny/tokenizer.json'), join(gpt2, 'tokenizer.json'));
    expect(await fails([gpt2, '--text', 'a', '--pair', 'b'])).toBe('--pair: a sentence pair needs an encoder (bert, roberta, distilbert); this model is gpt2');
  });
});

describe('model CLI in-process', () => {
  it('a GPT-NeoX checkpoint with --lens and --rollout', async () => {
    const dir = join(ROOT, 'tests/fixtures/checkpoints/neox-tiny');
    const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { ids: number[]; logits: number[] };
    const r = await runModelCli([dir, '--ids', want.ids.join(','), '--lens', '--rollout']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Output;
    expect(out.model).toEqual({ type: 'gpt_neox', layers: 2, heads: 4, kvHeads: 4, vocab: 64 });
    expect(maxDiff(out.logits!, want.logits)).toBeLessThan(1e-3);
    expect(out.lens![1]).toEqual(out.logits);
    expect(out.rollout).toHaveLength(want.ids.length);
  });
});

describe('model CLI: every bad input is one line naming the file and the tensor or field', () => {
  async function fails(args: string[]): Promise<string> {
    const r = await runModelCli(args);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd()).not.toContain('\n');
    return r.stderr.trimEnd();
  }
  const USAGE_TAIL = '; usage: model DIR';

  it('bad flags', async () => {
    expect(await fails([])).toMatch(new RegExp(`^no DIR argument${USAGE_TAIL}`));
    expect(await fails([GPT2, '--ids', '1', '--frobnicate'])).toMatch(new RegExp(`^unknown option --frobnicate${USAGE_TAIL}`));
    expect(await fails([GPT2, '--ids', '1', '--text', 'a'])).toMatch(new RegExp(`^give exactly one of --ids and --text${USAGE_TAIL}`));
    expect(await fails([GPT2])).toMatch(/^give exactly one of --ids and --text/);
    expect(await fails([GPT2, '--ids', '1,x'])).toBe('--ids: expected token ids like 1,2,3, got "1,x"');
    expect(await fails([GPT2, '--ids'])).toBe('--ids: missing its value');
    expect(await fails([GPT2, '--ids', '1', '--ablate', '1-2'])).toBe('--ablate: expected a list of zero-based layer.head like 0.1,2.3, got "1-2"');
    expect(await fails([GPT2, '--ids', '1', '--ablate', '0.1,'])).toBe('--ablate: expected a list of zero-based layer.head like 0.1,2.3, got "0.1,"');
    expect(await fails([GPT2, '--ids', '1', '--ablate', '0.4'])).toBe('--ablate: head 0.4 does not exist (the model has 2 layers × 4 heads: 0.0…1.3)');
    expect(await fails([CHAR, '--ids', '1', '--ablate', '0.0,5.1'])).toBe('--ablate: head 5.1 does not exist (the model has 2 layers × 4 heads: 0.0…1.3)');
  });

  it('ids outside the vocabulary, no such folder, --text without tokenizer.json', async () => {
    expect(await fails([GPT2, '--ids', '1,101'])).toBe(`ids[1]: 101 is outside the vocabulary: expected a token id 0…100 (${GPT2}/config.json: vocab_size = 101)`);
    expect(await fails([CHAR, '--ids', '97'])).toBe(`ids[0]: 97 is outside the vocabulary: expected a token id 0…96 (${CHAR}: architecture.vocabSize = 97)`);
    expect(await fails([join(tmp, 'nope'), '--ids', '1'])).toBe(`${join(tmp, 'nope')}: no such folder or file`);
    expect(await fails([STORIES, '--text', 'Once'])).toBe(`${STORIES}/tokenizer.json: missing (needed for --text; give token ids with --ids instead)`);
  });

  it('broken checkpoints and manifests', async () => {
    const t = readTensors('gpt2-tiny');
    const nan = t.map((x) => (x.name === 'wpe.weight' ? { ...x, data: x.data.map((v, k) => (k === 7 ? NaN : v)) } : x));
    const dir = writeCheckpoint(join(tmp, 'nan'), readConfig('gpt2-tiny'), nan);
    expect(await fails([dir, '--ids', '1'])).toBe(`${dir}/model.safetensors: tensor wpe.weight: element 7 is NaN (weights must be finite numbers)`);
    const typ = writeCheckpoint(join(tmp, 'type'), { ...readConfig('gpt2-tiny'), model_type: 'mamba' }, t);
    expect(await fails([typ, '--ids', '1'])).toBe(`${typ}/config.json: model_type: "mamba" is not supported (supported: gpt2, llama, qwen2, gpt_neox, gpt_neo, bert, roberta, distilbert)`);
    const manifest = join(tmp, 'bad-manifest.json');
    const m = JSON.parse(readFileSync(join(ROOT, CHAR), 'utf8')) as { architecture: Record<string, unknown> };
    m.architecture.nHeads = 'x';
    writeFileSync(manifest, JSON.stringify(m));
    expect(await fails([manifest, '--ids', '1'])).toBe(`${manifest}: manifest.architecture.nHeads: expected a positive whole number ≤ 64, got the string "x"`);
    const alone = join(tmp, 'alone.json');
    copyFileSync(join(ROOT, CHAR), alone);
    expect(await fails([alone, '--ids', '1'])).toBe(`${join(tmp, 'brown-char.bin')}: cannot read the weights file named by ${alone}: no such file`);
  });
});
