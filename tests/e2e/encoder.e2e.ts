// An encoder (BertForMaskedLM, random weights, the bert-tiny WordPiece tokenizer) opened through the Hub layout
// with a sentence pair and a [MASK]: the heads hold BERT's bidirectional attention, the predictions are the
// masked-LM head's at the mask, hiding the special tokens renormalises rows over the tokens shown and says what
// they held, and the Lines view's A→B filter draws only lines from sentence A to sentence B. Every number is
// checked against transformers' BERT written in float64 loops (engine/checkpoint/test-encoders.ts), which
// shares nothing with the engine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, headHeatmap, hoverCell, waitComputed } from './page.ts';
import { DEFAULT_REPOS, startHubServer, TOKENIZER_FIXTURES_DIR, type HubServer } from '../hub/server.ts';
import { writeCheckpoint } from '../../engine/checkpoint/test-checkpoints.ts';
import { encoderForward } from '../../engine/checkpoint/test-encoders.ts';
import { dirFiles } from '../../engine/checkpoint/dirFiles.ts';
import { loadTokenizer, type TextTokenizer } from '../../engine/checkpoint/tokenizer.ts';
import { DEFAULT_LINE_THRESHOLD, defaultTopK, selectLines } from '../../components/lines/lines.ts';
import { ENCODER_FIXTURE_DIR, encoderFixture } from '../../scripts/make-encoder-fixture.ts';

const REPO = 'local/bert-tiny';
const TEXT = "The animal didn't cross the street because [MASK] was too tired.";
const PAIR = 'It was tired.';
const PRONOUN = "The animal didn't cross the street because it was too tired";

const softmax = (x: number[]) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('an encoder in the browser (BERT through the Hub layout)', () => {
  let server: HubServer;
  let app: AppPage;
  let tok: TextTokenizer;
  let ids: number[];
  let types: number[];
  let tokens: string[];
  let frame: boolean[];
  let truth: ReturnType<typeof encoderForward>;
  let maskAt: number;
  const { config, tensors } = encoderFixture();

  beforeAll(async () => {
    // The fixture on disk is what the script writes (so the float64 truth below is of the served weights).
    const dir = mkdtempSync(join(tmpdir(), 'al-bert-'));
    writeCheckpoint(dir, config, tensors);
    expect(readFileSync(join(dir, 'model.safetensors')).equals(readFileSync(join(ENCODER_FIXTURE_DIR, 'model.safetensors')))).toBe(true);
    expect(JSON.parse(readFileSync(join(ENCODER_FIXTURE_DIR, 'config.json'), 'utf8'))).toEqual(config);
    rmSync(dir, { recursive: true, force: true });
    tok = (await loadTokenizer(dirFiles(join(TOKENIZER_FIXTURES_DIR, 'bert-tiny'))))!;
    const e = tok.encode(TEXT, PAIR);
    ({ ids, types, tokens, frame } = e);
    maskAt = ids.indexOf(tok.mask!.id);
    truth = encoderForward('bert', config, tensors, ids, { types, at: maskAt });
    server = await startHubServer({ repos: DEFAULT_REPOS });
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=heads&src=model&model=hf:${REPO}&text=${encodeURIComponent(TEXT)}&pair=${encodeURIComponent(PAIR)}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('shows full (unmasked) attention equal to BERT in float64, with token types from the pair', async () => {
    const { page } = app;
    await waitComputed(page, 0, 120_000);
    expect(tokens[0]).toBe('[CLS]');
    expect(types.filter((t) => t === 1).length).toBe(5); // "it was tired . [SEP]"
    const heatmap = headHeatmap(page, 1);
    expect(Number(await heatmap.getAttribute('data-rows'))).toBe(ids.length);
    // Above the diagonal too: an encoder's first token attends to the last.
    for (const [q, k] of [[0, ids.length - 1], [maskAt, maskAt + 3], [ids.length - 2, 1]]) {
      const { value } = await hoverCell(page, heatmap, q, k);
      expect(value).toBeGreaterThan(0);
      expect(Math.abs(value - truth.attention[0][1][q][k])).toBeLessThan(1e-4);
    }
    // The mechanism the page states is the encoder's: no causal mask in words or in the formula.
    expect(await page.getByTestId('model-fixed').textContent()).toContain('no causal mask');
    // The model source speaks of the checkpoint and its tokenizer, not of the character model.
    expect(await page.getByTestId('source-hint').textContent()).toContain('own tokenizer');
    const tex = await page.getByTestId('formula-in-use').locator('annotation').allTextContents();
    expect(tex[0]).toContain('QK^');
    expect(tex[0]).not.toContain('+ M');
    await app.shot('encoder-heads');
    expect(app.consoleErrors).toEqual([]);
  });

  it("predicts at the [MASK]: the masked-LM head's top 10, as BERT computes them", async () => {
    const { page } = app;
    const items = page.getByTestId('predictions').getByTestId('next-token');
    expect(await items.count()).toBe(10);
    const p = softmax(truth.logits!);
    const top = p.map((v, id) => ({ v, id })).sort((a, b) => b.v - a.v).slice(0, 10);
    const shown = await items.evaluateAll((els) => els.map((e) => ({ token: e.getAttribute('data-token'), p: Number(e.getAttribute('data-p')) })));
    shown.forEach((s, k) => {
      expect(s.token).toBe(tok.token(top[k].id));
      expect(Math.abs(s.p - top[k].v)).toBeLessThan(1e-4);
    });
    expect(await page.getByTestId('predictions').textContent()).toContain('[MASK]');
  });

  it('hides [CLS] and [SEP]: rows renormalised over the tokens shown, the hidden mass said', async () => {
    const { page } = app;
    await page.getByTestId('specials').selectOption('renorm');
    const keep = frame.map((f, i) => (f ? -1 : i)).filter((i) => i >= 0);
    const heatmap = headHeatmap(page, 2);
    await page.locator(`[data-testid="head-grid"] [data-head="2"] [data-testid="heatmap"][data-rows="${keep.length}"]`).waitFor();
    const A = truth.attention[0][2];
    const q = keep.indexOf(maskAt);
    const kept = keep.reduce((s, j) => s + A[maskAt][j], 0);
    for (const k of [0, 3, keep.length - 1]) {
      const { value } = await hoverCell(page, heatmap, q, k);
      expect(Math.abs(value - A[maskAt][keep[k]] / kept)).toBeLessThan(1e-4);
    }
    // The mean, over heads and shown rows, of what each row gave the hidden tokens.
    const heads = truth.attention[0];
    const mass = heads.reduce((s, H) => s + keep.reduce((r, i) => r + frame.reduce((g, f, j) => g + (f ? H[i][j] : 0), 0), 0) / keep.length, 0) / heads.length;
    const note = page.getByTestId('specials-note');
    expect(Math.abs(Number(await note.getAttribute('data-mass')) - mass)).toBeLessThan(1e-4);
    expect(await note.getAttribute('data-renorm')).toBe('1');
    expect(await note.textContent()).toContain('[CLS] [SEP]');
    await app.shot('encoder-heads-hidden');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the Lines view draws only A→B lines when asked', async () => {
    const { page } = app;
    await page.getByTestId('specials').selectOption('show');
    await page.getByTestId('tab-lines').click();
    const lines = page.getByTestId('attention-lines');
    await lines.waitFor();
    const n = ids.length;
    const drawn = (pick: (i: number, j: number) => boolean) =>
      truth.attention[0].reduce((sum, H) => {
        const data = new Float32Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (pick(i, j)) data[i * n + j] = H[i][j];
        return sum + selectLines({ rows: n, cols: n, data }, { threshold: DEFAULT_LINE_THRESHOLD, topK: defaultTopK(n) }).count;
      }, 0);
    await page.locator(`[data-testid="attention-lines"][data-drawn="${drawn(() => true)}"]`).waitFor();
    await page.getByTestId('pair-lines').selectOption('ab');
    const ab = drawn((i, j) => types[i] === 0 && types[j] === 1);
    expect(ab).toBeGreaterThan(0);
    await page.locator(`[data-testid="attention-lines"][data-drawn="${ab}"]`).waitFor();
    await app.shot('encoder-lines-ab');
    expect(app.consoleErrors).toEqual([]);
  });

  it('every view opens on the encoder: matrices, steps, model, flow, lens, ablation, compare', async () => {
    const { page } = app;
    for (const view of ['matrices', 'steps', 'model', 'flow', 'lens', 'ablate', 'compare']) {
      await page.getByTestId(`tab-${view}`).click();
      await page.getByTestId(`panel-${view}`).waitFor();
      expect(await page.getByTestId(`panel-${view}`).innerText(), view).not.toBe('');
      if (view === 'lens') expect(await page.getByTestId('lens-view').textContent()).toContain('masked-LM head');
      // Where the ablation's prediction is: at the mask (a decoder's would be "after" it).
      if (view === 'ablate') expect(await page.getByTestId('panel-ablate').textContent()).toContain('Prediction at “[MASK]”');
      await app.shot(`encoder-${view}`);
    }
    expect(app.consoleErrors).toEqual([]);
  });

  it('the Steps view writes the model’s own biases into the projections and its own scale into the scores', async () => {
    const { page } = app;
    await page.getByTestId('tab-steps').click();
    await page.getByTestId('step-by-step').waitFor();
    const tex = await page.getByTestId('step-project-formula').locator('annotation').textContent();
    expect(tex).toBe('Q^{h} = XW_Q^{h} + \\mathbf{1}b_Q^{h},\\quad K^{h} = XW_K^{h} + \\mathbf{1}b_K^{h},\\quad V^{h} = XW_V^{h} + \\mathbf{1}b_V^{h}');
    expect(await page.getByTestId('step-bias-text').textContent()).toContain('bias');
    // Head 1 of layer 1: its slice of the query/key/value biases, as the checkpoint stores them.
    const dHead = (config.hidden_size as number) / (config.num_attention_heads as number);
    for (const [name, module] of [['bq', 'query'], ['bk', 'key'], ['bv', 'value']] as const) {
      const stored = Array.from(tensors.find((x) => x.name === `bert.encoder.layer.0.attention.self.${module}.bias`)!.data).slice(0, dHead);
      const shown = JSON.parse((await page.getByTestId(`step-${name}`).getAttribute('data-value'))!) as number[];
      expect(shown).toEqual(stored);
    }
    await app.shot('encoder-steps-bias');
    // The scores: BERT's own scale 1/√d_k with d_k = d_model / heads.
    await page.getByTestId('step-next').click();
    await page.locator('[data-testid="step-by-step"][data-step="scores"]').waitFor();
    expect(Math.abs(Number(await page.getByTestId('step-scale').getAttribute('data-value')) - 1 / Math.sqrt(dHead))).toBeLessThan(1e-7);
    expect(app.consoleErrors).toEqual([]);
  });

  it('opens the same encoder from a local folder: the same [MASK] predictions, the sentence pair kept', async () => {
    const { page } = app;
    const dir = mkdtempSync(join(tmpdir(), 'al-bert-folder-'));
    try {
      writeCheckpoint(dir, config, tensors, { extra: { 'tokenizer.json': readFileSync(join(TOKENIZER_FIXTURES_DIR, 'bert-tiny', 'tokenizer.json'), 'utf8'), 'tokenizer_config.json': readFileSync(join(TOKENIZER_FIXTURES_DIR, 'bert-tiny', 'tokenizer_config.json'), 'utf8') } });
      await page.getByTestId('tab-heads').click();
      const before = Number(await page.getByTestId('status').getAttribute('data-computed-id'));
      await page.getByTestId('model-folder').setInputFiles(dir);
      // The folder's name becomes the model's: its info line names it once the model is loaded.
      await page.locator('[data-testid="model-info"]', { hasText: basename(dir) }).waitFor({ timeout: 120_000 });
      await waitComputed(page, before, 120_000);
      const p = softmax(truth.logits!);
      const best = p.indexOf(Math.max(...p));
      const first = page.getByTestId('predictions').getByTestId('next-token').first();
      expect(await first.getAttribute('data-token')).toBe(tok.token(best));
      expect(Math.abs(Number(await first.getAttribute('data-p')) - p[best])).toBeLessThan(1e-4);
      expect(await page.getByTestId('pair').inputValue()).toBe(PAIR);
      await app.shot('encoder-folder');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the pronoun example says its heads are random (seeded), then runs on the cached encoder with its real heads', async () => {
    const { page } = app;
    await page.getByTestId('tab-heads').click();
    await afterRecompute(page, () => page.locator('label', { has: page.getByTestId('source-seeded') }).click());
    await afterRecompute(page, () => page.getByTestId('examples').selectOption('animal'));
    const note = page.getByTestId('example-note');
    expect(await note.getAttribute('data-heads')).toBe('random');
    expect(await note.textContent()).toContain('Random heads');
    // bert-tiny was opened through the Hub above, so it is kept in this browser: the example offers it.
    const run = page.getByTestId('example-run-real');
    expect(await run.getAttribute('data-model')).toBe(`hf:${REPO}`);
    expect(await run.textContent()).not.toContain('download');
    await app.shot('example-seeded-note');
    const before = Number(await page.getByTestId('status').getAttribute('data-computed-id'));
    await run.click();
    await page.locator('[data-testid="example-note"][data-heads="real"]').waitFor({ timeout: 120_000 });
    await waitComputed(page, before, 120_000);
    expect(await note.getAttribute('data-model')).toContain(REPO);
    expect(await note.textContent()).toContain('Real heads');
    const e = tok.encode(PRONOUN);
    const real = encoderForward('bert', config, tensors, e.ids, { types: e.types, at: e.ids.length - 1 });
    const heatmap = headHeatmap(page, 3);
    expect(Number(await heatmap.getAttribute('data-rows'))).toBe(e.ids.length);
    const itAt = e.tokens.indexOf('it');
    for (const k of [1, 2, e.ids.length - 1]) {
      const { value } = await hoverCell(page, heatmap, itAt, k);
      expect(Math.abs(value - real.attention[0][3][itAt][k])).toBeLessThan(1e-4);
    }
    // The Chinese teaching examples are offered on it too (a Chinese encoder first when one is kept).
    const real中文 = await page.getByTestId('examples-real').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    // On the encoder the repeated phrase is not “(causal)”, as it is on seeded weights.
    expect(await page.getByTestId('examples-real').locator(`option[value="repeat hf:${REPO}"]`).textContent()).not.toContain('causal');
    expect(real中文).toEqual(expect.arrayContaining([`animal-zh hf:${REPO}`, `repeat-zh hf:${REPO}`, `chinese hf:${REPO}`, `animal-mask hf:${REPO}`]));
    await app.shot('example-real-note');
    expect(app.consoleErrors).toEqual([]);
  });

  it('“it → [MASK]” on the real encoder: the predictions at the mask equal BERT’s in Node', async () => {
    const { page } = app;
    await afterRecompute(page, () => page.getByTestId('examples').selectOption(`animal-mask hf:${REPO}`), 120_000);
    const text = PRONOUN.replace(' it ', ' [MASK] ');
    expect(await page.getByTestId('text').inputValue()).toBe(text);
    const e = tok.encode(text);
    const at = e.ids.indexOf(tok.mask!.id);
    const real = encoderForward('bert', config, tensors, e.ids, { types: e.types, at });
    const p = softmax(real.logits!);
    const top = p.map((v, id) => ({ v, id })).sort((a, b) => b.v - a.v).slice(0, 10);
    const items = page.getByTestId('predictions').getByTestId('next-token');
    const shown = await items.evaluateAll((els) => els.map((el) => ({ token: el.getAttribute('data-token'), p: Number(el.getAttribute('data-p')) })));
    expect(shown).toHaveLength(10);
    shown.forEach((s, k) => {
      expect(s.token).toBe(tok.token(top[k].id));
      expect(Math.abs(s.p - top[k].v)).toBeLessThan(1e-4);
    });
    expect(await page.getByTestId('predictions').textContent()).toContain(`position ${at}`);
    // The exercise: guess the word, then follow the [MASK] row back to “animal”.
    expect(await page.getByTestId('example-note').textContent()).toContain('“animal”');
    await app.shot('example-mask');
    expect(app.consoleErrors).toEqual([]);
  });
});
