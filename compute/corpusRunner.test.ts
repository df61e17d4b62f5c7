// The worker's corpus runs, driven as the worker drives them (one task queue), on the gpt2-tiny
// conformance checkpoint: the result equals runCorpus on the same ids, caps, pause/resume/cancel,
// replacement by a newer run, the page's other tasks answered between sequences, and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { initBackend } from '../engine/backend.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { CONFORMANCE_MODELS } from '../engine/checkpoint/test-checkpoints.ts';
import { DEFAULT_CORPUS_SETTINGS, runCorpus, type CorpusSettings } from '../engine/corpus/run.ts';
import type { CorpusEntry } from '../engine/corpus/read.ts';
import { fromFiles, type RunnableModel } from './models.ts';
import { exampleSequence, prepareCorpus } from './corpusRun.ts';
import { memoryFiles } from '../engine/checkpoint/files.ts';
import { readFileSync } from 'node:fs';
import { corpusRunner } from './corpusRunner.ts';
import type { CorpusMessage, CorpusStart, FromWorker } from './protocol.ts';

const ROOT = join(import.meta.dirname, '..');
let m: RunnableModel;
beforeAll(async () => {
  await initBackend('wasm');
  m = await fromFiles('tiny', dirFiles(join(CONFORMANCE_MODELS, 'gpt2-tiny')));
});
afterAll(() => m?.model.dispose());

const SEQS = [
  [3, 50, 7, 50, 7, 88, 3, 50, 7, 12],
  [1, 2, 3, 1, 2, 3],
  [42],
  [9, 9, 9, 4, 9],
  [10, 20, 30, 40, 50, 60, 70],
];
const entries = (seqs: number[][]): CorpusEntry[] => seqs.map((ids) => ({ ids, line: null }));

/** A runner on a task queue like the worker's; `after(k)` runs once the k-th task has finished. */
function harness(after: (tasksDone: number) => void = () => undefined) {
  const messages: CorpusMessage[] = [];
  let chain: Promise<void> = Promise.resolve();
  let tasks = 0;
  const runner = corpusRunner(
    (msg: FromWorker) => messages.push(msg as CorpusMessage),
    (task) => {
      chain = chain.then(async () => {
        await task();
        after(++tasks);
      });
    },
    async () => m,
  );
  /** Waits until the queue is empty (and stays empty after what its last task queued). */
  const idle = async () => {
    for (let seen: Promise<void> | null = null; seen !== chain; ) {
      seen = chain;
      await chain;
    }
  };
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(task);
  };
  return { runner, messages, idle, enqueue };
}

const start = (id: number, seqs: number[][], settings: Partial<CorpusSettings> = {}): CorpusStart => ({
  type: 'corpus',
  id,
  key: 'tiny',
  origin: { kind: 'page' },
  corpus: { id: 'test', name: 'test corpus', entries: entries(seqs) },
  settings: { ...DEFAULT_CORPUS_SETTINGS, top: 4, ...settings },
});

const of = <T extends CorpusMessage['type']>(msgs: CorpusMessage[], type: T) => msgs.filter((x): x is Extract<CorpusMessage, { type: T }> => x.type === type);

describe('corpus runs in the worker', () => {
  it('runs every sequence and returns what runCorpus returns, with the tokens of the sequences its examples point into', async () => {
    const h = harness();
    h.runner.start(start(1, SEQS));
    await h.idle();
    const [prepared] = of(h.messages, 'corpus-prepared');
    expect(prepared).toEqual({ type: 'corpus-prepared', id: 1, sequences: 5, tokens: 29, skipped: 0, truncated: 0, unknown: 0 });
    const [done] = of(h.messages, 'corpus-done');
    const want = await runCorpus(m.model, SEQS, { top: 4 });
    expect(done.run.result).toEqual(want);
    expect(done.run.model).toEqual({ key: 'tiny', name: m.info.name, type: 'gpt2', layers: 2, heads: 4, causal: true });
    expect(done.run.corpus).toEqual({ id: 'test', name: 'test corpus', sequences: 5, tokens: 29, skipped: 0, truncated: 0, unknown: 0 });
    const pointed = [...new Set(want.heads.flat().flatMap((hd) => hd.top.map((t) => t.sequence)))].sort((a, b) => a - b);
    expect(done.run.examples.map((x) => x.sequence)).toEqual(pointed);
    // no tokenizer.json: ids as tokens, and typed as ids ("3 50 7") they read back exactly
    for (const x of done.run.examples) expect(x).toEqual({ sequence: x.sequence, tokens: SEQS[x.sequence].map(String), text: SEQS[x.sequence].join(' '), exact: true });
    const last = of(h.messages, 'corpus-progress').at(-1)!;
    expect(last.status).toMatchObject({ done: 5, total: 5, tokens: 29, totalTokens: 29 });
  });

  it('caps: the first maxSequences sequences, each cut to maxTokens', async () => {
    const h = harness();
    h.runner.start(start(2, SEQS, { maxSequences: 4, maxTokens: 4 }));
    await h.idle();
    expect(of(h.messages, 'corpus-prepared')[0]).toMatchObject({ sequences: 4, tokens: 4 + 4 + 1 + 4, skipped: 1, truncated: 3 });
    const cut = SEQS.slice(0, 4).map((s) => s.slice(0, 4));
    expect(of(h.messages, 'corpus-done')[0].run.result).toEqual(await runCorpus(m.model, cut, { top: 4 }));
  });

  it('pause holds it between sequences while other tasks run; resume finishes it with the same result', async () => {
    let h: ReturnType<typeof harness> | null = null;
    // tasks: 1 reads the corpus, 2 and 3 run sequences 0 and 1; pause right after
    h = harness((k) => {
      if (k === 3) h!.runner.control({ type: 'corpus-control', id: 3, action: 'pause' });
    });
    h.runner.start(start(3, SEQS));
    await h.idle();
    const paused = of(h.messages, 'corpus-progress').at(-1)!;
    expect(paused.paused).toBe(true);
    expect(paused.status.done).toBe(2);
    let other = false;
    h.enqueue(async () => {
      other = true; // the page's requests are answered while the corpus waits
    });
    await h.idle();
    expect(other).toBe(true);
    expect(of(h.messages, 'corpus-done')).toHaveLength(0);
    h.runner.control({ type: 'corpus-control', id: 3, action: 'resume' });
    h.runner.control({ type: 'corpus-control', id: 3, action: 'resume' }); // twice: still one chain of steps
    await h.idle();
    const done = of(h.messages, 'corpus-done');
    expect(done).toHaveLength(1);
    expect(done[0].run.result).toEqual(await runCorpus(m.model, SEQS, { top: 4 }));
  });

  it('cancel stops it at the next sequence; a newer run replaces an older one', async () => {
    let h: ReturnType<typeof harness> | null = null;
    h = harness((k) => {
      if (k === 2) h!.runner.control({ type: 'corpus-control', id: 4, action: 'cancel' });
    });
    h.runner.start(start(4, SEQS));
    await h.idle();
    expect(of(h.messages, 'corpus-cancelled')).toEqual([{ type: 'corpus-cancelled', id: 4 }]);
    expect(of(h.messages, 'corpus-done')).toHaveLength(0);
    expect(of(h.messages, 'corpus-progress').at(-1)!.status.done).toBeLessThanOrEqual(1);

    const g = harness();
    g.runner.start(start(5, SEQS));
    g.runner.start(start(6, SEQS.slice(0, 2)));
    await g.idle();
    expect(g.messages.filter((x) => x.id === 5)).toEqual([]);
    expect(of(g.messages, 'corpus-done').map((x) => x.id)).toEqual([6]);
    // controls for a run that is not the current one are ignored
    g.runner.control({ type: 'corpus-control', id: 5, action: 'resume' });
    await g.idle();
    expect(of(g.messages, 'corpus-done')).toHaveLength(1);
  });

  it('the induction probe is made from the model\'s ordinary tokens, each copy at most half the token cap', async () => {
    const h = harness();
    h.runner.start({ ...start(10, []), corpus: { id: 'induction', name: 'probe', probe: { count: 6, half: 50, seed: 1 } }, settings: { ...DEFAULT_CORPUS_SETTINGS, maxTokens: 40 } });
    await h.idle();
    expect(of(h.messages, 'corpus-prepared')[0]).toMatchObject({ sequences: 6, tokens: 6 * 40, truncated: 0 });
    const { run } = of(h.messages, 'corpus-done')[0];
    for (const { tokens } of run.examples) expect(tokens.slice(20)).toEqual(tokens.slice(0, 20));
    // every row of the second copy (bar its first) has an induction target: 19 of 40 rows per sequence at least
    expect(run.result.heads[0][0].scores.induction.rows).toBeGreaterThanOrEqual(6 * 19);
  });

  it('example sequences open as a text the model reads as exactly their tokens: the line, or the text the tokenizer writes for a cut one', async () => {
    const files = { ...Object.fromEntries(['config.json', 'model.safetensors'].map((f) => [f, readFileSync(join(CONFORMANCE_MODELS, 'gpt2-tiny', f))])), 'tokenizer.json': readFileSync(join(ROOT, 'tests/fixtures/tokenizers/gpt2-tiny/tokenizer.json')) };
    const tok = await fromFiles('tiny-tok', memoryFiles('tiny-tok', files));
    try {
      const lines = ['the cat sat', 'Hello world, the cat!', 'the the the the'];
      const prepared = prepareCorpus(tok, lines.map((text, k) => ({ text, line: k + 1 })), { ...DEFAULT_CORPUS_SETTINGS, maxTokens: 4 });
      expect(prepared.truncated).toBe(1);
      const settings = { ...DEFAULT_CORPUS_SETTINGS, maxTokens: 4 };
      const whole = exampleSequence(tok, prepared, settings, 0);
      expect(whole).toEqual({ sequence: 0, tokens: tok.read('the cat sat').tokens, text: 'the cat sat', exact: true });
      const cut = exampleSequence(tok, prepared, settings, 1);
      expect(cut.tokens).toEqual(tok.read('Hello world, the cat!').tokens.slice(0, 4));
      expect(cut.text).toBe('hello world, the'); // the tokenizer's decode of the ids kept
      expect(tok.read(cut.text).ids).toEqual(Array.from(prepared.ids[1]));
      expect(cut.exact).toBe(true);
      // ids given as ids: written out by the tokenizer when that reads back as them
      const ids = tok.read(' the cat').ids;
      const fromIds = prepareCorpus(tok, [{ ids, line: null }], settings);
      expect(exampleSequence(tok, fromIds, settings, 0)).toMatchObject({ text: 'the cat', exact: true });
      // ids no text reads as: " ca" + "t" written out is " cat", which this tokenizer reads as one token
      const split = [tok.idOf(' ca')!, tok.idOf('t')!];
      expect(tok.read(' cat').ids).toEqual([tok.idOf(' cat')]);
      const odd = prepareCorpus(tok, [{ ids: split, line: null }], settings);
      expect(exampleSequence(tok, odd, settings, 0)).toEqual({ sequence: 0, tokens: [' ca', 't'], text: ' cat', exact: false });
    } finally {
      tok.model.dispose();
    }
  });

  it('an encoder\'s text keeps the [CLS] … [SEP] its tokenizer adds: counted as rows, kept when a line is cut, and the cut line opens as text', async () => {
    const dir = (d: string) => join(ROOT, 'tests/fixtures', d, 'bert-tiny');
    const files = { ...Object.fromEntries(['config.json', 'model.safetensors'].map((f) => [f, readFileSync(join(dir('hub'), f))])), ...Object.fromEntries(['tokenizer.json', 'tokenizer_config.json'].map((f) => [f, readFileSync(join(dir('tokenizers'), f))])) };
    const bert = await fromFiles('bert', memoryFiles('bert', files));
    try {
      const settings = { ...DEFAULT_CORPUS_SETTINGS, maxTokens: 6 };
      const lines = ['the cat sat.', 'the dog went to the store and sat on the mat.'];
      const prepared = prepareCorpus(bert, lines.map((text, k) => ({ text, line: k + 1 })), settings);
      const [CLS, SEP] = [bert.idOf('[CLS]'), bert.idOf('[SEP]')];
      expect(Array.from(prepared.ids[0])).toEqual(bert.read(lines[0]).ids);
      expect(Array.from(prepared.ids[0])).toEqual([CLS, 5, 19, 20, 17, SEP]);
      // cut as the tokenizer truncates: the frame at both ends, the start of the text between
      expect(prepared.truncated).toBe(1);
      expect(Array.from(prepared.ids[1])).toEqual([CLS, ...bert.read(lines[1]).ids.slice(1, 5), SEP]);
      const cut = exampleSequence(bert, prepared, settings, 1);
      expect(cut.tokens).toEqual(['[CLS]', 'the', 'dog', 'went', 'to', '[SEP]']);
      expect(cut).toMatchObject({ text: 'the dog went to', exact: true });
    } finally {
      bert.model.dispose();
    }
  });

  it('bad corpora: one error naming the sequence, machine-readable for the page', async () => {
    const h = harness();
    h.runner.start(start(7, [[1, 2], [3, 500]]));
    await h.idle();
    const [err] = of(h.messages, 'corpus-error');
    expect(err.message).toMatch(/^sequence 1: ids\[1\]: 500 is outside the vocabulary: expected a token id 0…100/);
    expect(err.corpusError).toMatchObject({ sequence: 1, line: null, code: 'model' });
    const g = harness();
    g.runner.start({ ...start(8, []), corpus: { id: 't', name: 't', entries: [{ ids: [1], line: null }, { text: 'hello', line: 2 }] } });
    await g.idle();
    expect(of(g.messages, 'corpus-error')[0].message).toMatch(/^sequence 1 \(line 2\): this checkpoint has no tokenizer.json/);
    const e = harness();
    e.runner.start(start(9, []));
    await e.idle();
    expect(of(e.messages, 'corpus-error')[0]).toMatchObject({ message: 'the corpus is empty: expected at least one sequence', corpusError: { sequence: null, code: 'empty-corpus' } });
  });
});
