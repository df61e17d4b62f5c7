// The heads command line: spawned through npm run for the contract (keys, pooling, a one-sequence corpus
// against the single-input scores of the reference attention in expected.json, .txt read by the
// tokenizer), and runHeadsCli in-process for the many bad inputs (same code, much faster).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHeadsCli } from './headsRun.ts';
import { initBackend } from '../backend.ts';
import { CONFORMANCE_MODELS, expected } from '../checkpoint/test-checkpoints.ts';
import { headScores, type HeadScores } from '../headScores.ts';
import { analyzeHeads } from '../headAnalysis.ts';
import { loadCheckpoint } from '../checkpoint/load.ts';
import { dirFiles } from '../checkpoint/dirFiles.ts';
import { loadTokenizer } from '../checkpoint/tokenizer.ts';
import type { Matrix } from '../types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GPT2 = join(CONFORMANCE_MODELS, 'gpt2-tiny');
const STORIES = join(CONFORMANCE_MODELS, 'stories260K-hf');
const CHAR = 'public/models/brown-char.json';

type Score = number | null;
interface HeadOut {
  previous_token: Score;
  first_token: Score;
  self: Score;
  duplicate_token: Score;
  induction: Score;
  entropy: Score;
  top: { sequence: number; query: number; key: number; weight: number }[];
}
interface Output {
  model: { type: string; layers: number; heads: number; kvHeads: number; vocab: number };
  sequences: number;
  rows: number;
  heads: HeadOut[][];
}

const NAMES: [keyof HeadOut, keyof HeadScores][] = [
  ['previous_token', 'previousToken'],
  ['first_token', 'firstToken'],
  ['self', 'self'],
  ['duplicate_token', 'duplicateToken'],
  ['induction', 'induction'],
  ['entropy', 'entropy'],
];

let tmp: string;
beforeAll(async () => {
  await initBackend('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'heads-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function corpusFile(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function spawnHeads(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('npm', ['run', '--silent', 'heads', '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, maxBuffer: 1 << 26 });
}

function ok(r: { status: number | null; stdout: string; stderr: string }): Output {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.endsWith('}\n')).toBe(true);
  return JSON.parse(r.stdout) as Output;
}

/** The same command in-process (runHeadsCli is what the spawned command runs). */
async function inProcess(args: string[]): Promise<Output> {
  return ok(await runHeadsCli(args).then((r) => ({ status: r.code, stdout: r.stdout, stderr: r.stderr })));
}

const matrix = (rows: number[][]): Matrix => ({ rows: rows.length, cols: rows.length, data: Float64Array.from(rows.flat()) });

describe('heads CLI: the contract', () => {
  const want = expected('gpt2-tiny'); // attention of the reference implementation on these ids
  const ids = want.ids; // 3 50 7 50 7 88 3 50 7 12: repeats, so duplicate-token and induction rows exist
  const n = ids.length;

  it('a one-sequence corpus gives the single-input scores of every head; the contract\'s keys in order; top from A', () => {
    const out = ok(spawnHeads([GPT2, '--corpus', corpusFile('one.json', [ids])]));
    expect(Object.keys(out)).toEqual(['model', 'sequences', 'rows', 'heads']);
    expect(out.model).toEqual({ type: 'gpt2', layers: 2, heads: 4, kvHeads: 4, vocab: 101 });
    expect(out.sequences).toBe(1);
    expect(out.rows).toBe(n);
    expect(out.heads).toHaveLength(2);
    out.heads.forEach((layer, l) => {
      expect(layer).toHaveLength(4);
      layer.forEach((head, h) => {
        expect(Object.keys(head)).toEqual(['previous_token', 'first_token', 'self', 'duplicate_token', 'induction', 'entropy', 'top']);
        const A = want.attention[l][h];
        const single = headScores(matrix(A), ids);
        for (const [name, key] of NAMES) expect(head[name] as number, `${l}.${h} ${name}`).toBeCloseTo(single[key], 4);
        // the default K = 10, strongest first, key ≠ 0, each weight the reference's A at that place
        expect(head.top).toHaveLength(10);
        head.top.forEach((t, k) => {
          expect(t.sequence).toBe(0);
          expect(t.key).toBeGreaterThan(0);
          expect(t.key).toBeLessThanOrEqual(t.query);
          expect(t.weight).toBeCloseTo(A[t.query][t.key], 4);
          if (k > 0) expect(t.weight).toBeLessThanOrEqual(head.top[k - 1].weight);
        });
        // nothing left out is stronger than the weakest kept
        const kept = new Set(head.top.map((t) => `${t.query},${t.key}`));
        for (let i = 0; i < n; i++) for (let j = 1; j <= i; j++) if (!kept.has(`${i},${j}`)) expect(A[i][j]).toBeLessThanOrEqual(head.top[9].weight + 1e-6);
      });
    });
  });

  it('a one-sequence corpus equals the scores the app shows for that input (analyzeHeads on the engine\'s maps), exactly', async () => {
    const out = await inProcess([GPT2, '--corpus', corpusFile('one-exact.json', [ids])]);
    const model = await loadCheckpoint(dirFiles(GPT2));
    const run = await model.forward(ids, { keep: 'attention' });
    model.dispose();
    const shown = analyzeHeads({ layers: run.layers.map((x) => x.attention), tokens: ids }, { causal: true });
    out.heads.forEach((layer, l) => layer.forEach((head, h) => {
      for (const [name, key] of NAMES) expect(head[name], `${l}.${h} ${name}`).toBe(shown.scores[l][h][key]);
    }));
  });

  it('pools rows across sequences: two sequences and one with no eligible row, --top 3', async () => {
    const a = ids;
    const b = [9, 9, 4, 9];
    const out = await inProcess([GPT2, '--corpus', corpusFile('three.json', [a, [5], b]), '--top', '3']);
    const single = await inProcess([GPT2, '--corpus', corpusFile('b.json', [b])]);
    const alone = await inProcess([GPT2, '--corpus', corpusFile('a.json', [a])]);
    expect(out.sequences).toBe(3);
    expect(out.rows).toBe(n + 1 + 4);
    // eligible rows per sequence, by hand: previous-token n − 1; first-token, self, entropy: rows 1…n−1;
    // duplicate-token in b: rows 1 and 3 (earlier 9s); in a: rows 3, 4, 6, 7, 8; induction in b: row 3
    // (target 1 after the 9 at 0; 2 after the 9 at 1); in a: rows 3 (target 2), 4 (3), 6 (1), 7 (2, 4), 8 (3, 5)
    const rowsA = { previous_token: n - 1, first_token: n - 1, self: n - 1, entropy: n - 1, duplicate_token: 5, induction: 5 };
    const rowsB = { previous_token: 3, first_token: 3, self: 3, entropy: 3, duplicate_token: 2, induction: 1 };
    out.heads.forEach((layer, l) =>
      layer.forEach((head, h) => {
        for (const [name] of NAMES) {
          const ra = rowsA[name as keyof typeof rowsA];
          const rb = rowsB[name as keyof typeof rowsB];
          const pooled = ((alone.heads[l][h][name] as number) * ra + (single.heads[l][h][name] as number) * rb) / (ra + rb);
          expect(head[name] as number, `${l}.${h} ${name}`).toBeCloseTo(pooled, 12);
        }
        expect(head.top).toHaveLength(3);
        const all = [...alone.heads[l][h].top.map((t) => ({ ...t, sequence: 0 })), ...single.heads[l][h].top.map((t) => ({ ...t, sequence: 2 }))];
        all.sort((x, y) => y.weight - x.weight || x.sequence - y.sequence || x.query - y.query || x.key - y.key);
        expect(head.top).toEqual(all.slice(0, 3));
      }),
    );
  });

  it('a corpus whose only sequence has no eligible row: every score null, no top example', async () => {
    const out = await inProcess([GPT2, '--corpus', corpusFile('lone.json', [[42]])]);
    expect(out.rows).toBe(1);
    for (const layer of out.heads) for (const head of layer) expect(head).toEqual({ previous_token: null, first_token: null, self: null, duplicate_token: null, induction: null, entropy: null, top: [] });
  });

  it('a .txt corpus on the shipped character model: one sequence per non-empty line, by characters', async () => {
    const out = await inProcess([CHAR, '--corpus', corpusFile('lines.txt', 'the cat\r\n\nthe cat sat\n'), '--top', '2']);
    expect(out.model).toEqual({ type: 'char-transformer', layers: 2, heads: 4, kvHeads: 4, vocab: 97 });
    expect(out.sequences).toBe(2);
    expect(out.rows).toBe(7 + 11);
    for (const layer of out.heads) for (const head of layer) for (const t of head.top) expect(t.query).toBeLessThan(t.sequence === 0 ? 7 : 11);
  });

  it('a .txt corpus read by a checkpoint\'s tokenizer.json', async () => {
    const dir = join(tmp, 'gpt2-tiny-tok');
    mkdirSync(dir);
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(GPT2, f), join(dir, f));
    copyFileSync(join(ROOT, 'tests/fixtures/tokenizers/gpt2-tiny/tokenizer.json'), join(dir, 'tokenizer.json'));
    const out = await inProcess([dir, '--corpus', corpusFile('tok.txt', 'Hello world, the cat!\nthe cat')]);
    expect(out.sequences).toBe(2);
    expect(out.rows).toBe(6 + 2); // " hello"," world",","," the"," cat","!" and " the"," cat" (model CLI test: the same tokens)
  });

  it('an encoder (bert-tiny): a .txt read by its tokenizer counts [CLS] and [SEP] as rows; full attention; a line alone gives the single-input scores', async () => {
    const dir = join(tmp, 'bert-tiny');
    mkdirSync(dir);
    for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(ROOT, 'tests/fixtures/hub/bert-tiny', f), join(dir, f));
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(ROOT, 'tests/fixtures/tokenizers/bert-tiny', f), join(dir, f));
    const lines = ['The cat sat on the mat.', 'the dog went to the store and the dog sat.'];
    const out = ok(spawnHeads([dir, '--corpus', corpusFile('enc.txt', `${lines.join('\n')}\n`), '--top', '40']));
    expect(out.model).toEqual({ type: 'bert', layers: 2, heads: 4, kvHeads: 4, vocab: 48 });
    expect(out.sequences).toBe(2);
    // [CLS] the cat sat on the mat . [SEP] and [CLS] the dog went to the store and the dog sat . [SEP]
    expect(out.rows).toBe(9 + 13);
    // full attention: among each head's strongest weights, keys after their query
    expect(out.heads.flat().some((head) => head.top.some((t) => t.key > t.query))).toBe(true);

    const tok = (await loadTokenizer(dirFiles(dir)))!;
    const ids = tok.encode(lines[1]).ids;
    expect([tok.token(ids[0]), tok.token(ids.at(-1)!)]).toEqual(['[CLS]', '[SEP]']);
    const alone = await inProcess([dir, '--corpus', corpusFile('enc1.txt', lines[1])]);
    const model = await loadCheckpoint(dirFiles(dir));
    const run = await model.forward(ids, { keep: 'attention' });
    model.dispose();
    const maps = run.layers.map((x) => x.attention);
    const shown = analyzeHeads({ layers: maps, tokens: ids }, { causal: false });
    alone.heads.forEach((layer, l) => layer.forEach((head, h) => {
      for (const [name, key] of NAMES) expect(head[name], `${l}.${h} ${name}`).toBe(shown.scores[l][h][key]);
      // row 0 ([CLS]) counts: the first-token score is A[i][0] over all 13 rows, by hand
      expect(head.first_token as number).toBeCloseTo(Array.from(maps[l][h].data).filter((_, k) => k % 13 === 0).reduce((a, b) => a + b, 0) / 13, 10);
    }));

    // ids given as ids are the model's input as they are: no [CLS] or [SEP] added
    expect((await inProcess([dir, '--corpus', corpusFile('enc.json', [[5, 19, 20]])])).rows).toBe(3);
  });

  it('bad input through npm run: exit 2, one line naming the sequence, nothing on stdout', () => {
    const r = spawnHeads([GPT2, '--corpus', corpusFile('bad.json', [[1, 2], [3, 101]])]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`sequence 1: ids[1]: 101 is outside the vocabulary: expected a token id 0…100 (${GPT2}/config.json: vocab_size = 101)\n`);
  });
});

describe('heads CLI: every bad input is one line naming what is wrong', () => {
  async function fails(args: string[]): Promise<string> {
    const r = await runHeadsCli(args);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd()).not.toContain('\n');
    return r.stderr.trimEnd();
  }

  it('bad flags', async () => {
    const c = corpusFile('ok.json', [[1, 2]]);
    expect(await fails([])).toMatch(/^no DIR argument; usage: heads DIR --corpus FILE/);
    expect(await fails([GPT2])).toMatch(/^give the corpus with --corpus FILE; usage: heads/);
    expect(await fails([GPT2, '--corpus'])).toBe('--corpus: missing its value');
    expect(await fails([GPT2, '--corpus', c, '--top', '-1'])).toBe('--top: expected a whole number 0…10000, got "-1"');
    expect(await fails([GPT2, '--corpus', c, '--top', '2.5'])).toBe('--top: expected a whole number 0…10000, got "2.5"');
    expect(await fails([GPT2, '--corpus', c, '--top', '10001'])).toBe('--top: expected a whole number 0…10000, got "10001"');
    expect(await fails([GPT2, '--corpus', c, '--ids', '1'])).toMatch(/^unknown option --ids; usage: heads/);
    expect(await fails([GPT2, GPT2, '--corpus', c])).toMatch(/^expected one DIR argument, got 2; usage/);
    expect(await fails([join(tmp, 'nope'), '--corpus', c])).toBe(`${join(tmp, 'nope')}: no such folder or file`);
  });

  it('the corpus file: missing, not JSON, not an array, empty', async () => {
    const missing = join(tmp, 'missing.json');
    expect(await fails([GPT2, '--corpus', missing])).toBe(`${missing}: cannot read: no such file`);
    expect(await fails([GPT2, '--corpus', tmp])).toBe(`${tmp}: cannot read: is a directory`);
    const notJson = corpusFile('x.json', '[[1,2],');
    expect(await fails([GPT2, '--corpus', notJson])).toMatch(new RegExp(`^${notJson}: not JSON \\(`));
    const obj = corpusFile('o.json', { ids: [1] });
    expect(await fails([GPT2, '--corpus', obj])).toBe(`${obj}: expected a JSON array of sequences (each a list of token ids, like [[1,5,9],[1,7]]), got an object`);
    const empty = corpusFile('e.json', []);
    expect(await fails([GPT2, '--corpus', empty])).toBe(`${empty}: the corpus is empty: expected at least one sequence`);
    const blank = corpusFile('blank.txt', '\n\r\n');
    expect(await fails([CHAR, '--corpus', blank])).toBe(`${blank}: the corpus is empty: expected at least one sequence`);
  });

  it('a sequence: not a list, not integers, empty, outside the vocabulary, longer than the context', async () => {
    expect(await fails([GPT2, '--corpus', corpusFile('s1.json', [[1], 'abc'])])).toBe('sequence 1: expected a list of token ids, got the string "abc"');
    expect(await fails([GPT2, '--corpus', corpusFile('s2.json', [[1], [2, 2.5]])])).toBe('sequence 1: ids[1]: expected a token id (a whole number ≥ 0), got 2.5');
    expect(await fails([GPT2, '--corpus', corpusFile('s3.json', [[-1]])])).toBe('sequence 0: ids[0]: expected a token id (a whole number ≥ 0), got -1');
    expect(await fails([GPT2, '--corpus', corpusFile('s4.json', [[1], [2], [null]])])).toBe('sequence 2: ids[0]: expected a token id (a whole number ≥ 0), got null');
    expect(await fails([GPT2, '--corpus', corpusFile('s5.json', [[1], []])])).toBe('sequence 1: no tokens');
    expect(await fails([CHAR, '--corpus', corpusFile('s6.json', [[1], [2, 97]])])).toBe(`sequence 1: ids[1]: 97 is outside the vocabulary: expected a token id 0…96 (${CHAR}: architecture.vocabSize = 97)`);
    expect(await fails([GPT2, '--corpus', corpusFile('s7.json', [[1], Array(65).fill(1)])])).toBe("sequence 1: ids: 65 tokens exceed the model's context of 64: shorten the text");
  });

  it('text: a line over the context names its line; a checkpoint without tokenizer.json cannot read text', async () => {
    const long = corpusFile('long.txt', `short\n\n${'x'.repeat(300)}\n`);
    expect(await fails([CHAR, '--corpus', long])).toMatch(/^sequence 1 \(line 3\): ids: 300 tokens exceed the model's context of \d+: shorten the text$/);
    expect(await fails([STORIES, '--corpus', corpusFile('t.txt', 'Once upon a time')])).toBe(
      `${STORIES}/tokenizer.json: missing (needed to read the text of ${join(tmp, 't.txt')}; give token ids as a JSON array instead)`,
    );
  });
});
