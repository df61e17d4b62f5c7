// The Corpus view end to end on the shipped model: a user's .txt with its caps shown before the run, the
// run in the worker equal to runCorpus in Node on the same ids, the head finder (sort, filter, heatmap),
// a head's dashboard and a top example opened in the Heads view on that head (its weight equal to the
// Heads view's own A), the result read back from the cache after a reload, pause/resume/cancel while the
// page's other requests are answered, the view in Chinese, the widget showing a run given as data; a
// Hub checkpoint (through the local Hub stand-in) with its own tokenizer; and an encoder (bert-tiny): full
// attention's eligibility, its [CLS] … [SEP] counted and kept when a line is cut.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from 'playwright-core';
import { ARTIFACTS, openApp, type AppPage } from './harness.ts';
import { afterRecompute, currentHash, exportResult, typeText } from './page.ts';
import { initBackend } from '../../engine/backend.ts';
import { loadModel } from '../../engine/model/load.ts';
import { charModelAsTransformer } from '../../engine/model/asTransformer.ts';
import { tokenizeForModel } from '../../engine/model/tokenize.ts';
import { runCorpus, type CorpusRun } from '../../engine/corpus/run.ts';
import type { CorpusResult } from '../../engine/corpus/aggregate.ts';
import { SCORE_KEYS } from '../../engine/headScores.ts';
import { SHIPPED_CORPORA, shippedEntries } from '../../engine/corpus/shipped.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';
import { fromFiles } from '../../compute/models.ts';
import { prepareCorpus } from '../../compute/corpusRun.ts';
import { CONFORMANCE_MODELS_DIR, HUB_FIXTURES_DIR, TOKENIZER_FIXTURES_DIR, startHubServer, type HubServer } from '../hub/server.ts';

// Seven lines, two of them longer than the 40-token cap; the view runs the first five.
const LINES = [
  'the cat sat on the mat and the cat sat on the hat.',
  'Mr. Dursley said hello.',
  'abcabcabcabc',
  'She read the letter twice, then read it again slowly by the window.',
  'one two one two',
  'Not run: the sequence cap stops before this line.',
  'Nor this one.',
];
const CAP = { sequences: 5, tokens: 40 };
/** The files the Hub stand-in serves as local/stories260K-hf: the checkpoint with the tokenizer laid over it. */
function hubModelFiles(name = 'stories260K-hf', dirs = [path.join(CONFORMANCE_MODELS_DIR, name), path.join(HUB_FIXTURES_DIR, name)]) {
  const files: Record<string, Uint8Array> = {};
  for (const dir of dirs) for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']) if (existsSync(path.join(dir, file))) files[file] = readFileSync(path.join(dir, file));
  return memoryFiles(name, files);
}
const START = `/#v=1&view=corpus&src=model&model=brown-char&mode=chars&text=hello&cseq=${CAP.sequences}&ctok=${CAP.tokens}`;

/** runCorpus in Node on the ids the app should have run: each line read character by character, cut to the cap. */
async function nodeResult(): Promise<CorpusResult> {
  const dir = path.resolve(import.meta.dirname, '../../public/models');
  const loaded = loadModel(readFileSync(path.join(dir, 'brown-char.json'), 'utf8'), readFileSync(path.join(dir, 'brown-char.bin')));
  const model = await charModelAsTransformer(loaded, 'brown-char');
  const ids = LINES.slice(0, CAP.sequences).map((l) => Array.from(tokenizeForModel(loaded, l).ids).slice(0, CAP.tokens));
  return runCorpus(model, ids, { top: 10, bins: 20 });
}

async function downloaded(d: Download): Promise<string> {
  const file = await d.path();
  return readFileSync(file, 'utf8');
}

describe('Corpus view', () => {
  let app: AppPage;
  let want: CorpusResult;
  let run: CorpusRun;
  /** The link of the file's run, as the page wrote it. */
  let fileHash = '';

  beforeAll(async () => {
    await initBackend('cpu');
    want = await nodeResult();
    app = await openApp(START);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("shows a .txt file's caps before the run, runs it in the worker, and gets what runCorpus gets in Node", async () => {
    const { page } = app;
    // The model first: the plan needs its context, and Run waits for it.
    await page.locator('[data-testid="corpus-run"]:not([disabled])').waitFor({ timeout: 60_000 });
    await page.getByTestId('corpus-file-input').setInputFiles({ name: 'mine.txt', mimeType: 'text/plain', buffer: Buffer.from(LINES.join('\n') + '\n') });
    const plan = page.getByTestId('corpus-plan');
    await expect.poll(() => plan.getAttribute('data-sequences'), { timeout: 30_000 }).toBe('7');
    expect(await page.getByTestId('corpus-file-name').textContent()).toBe('mine.txt');
    expect(await plan.getAttribute('data-runs')).toBe('5');
    expect(await plan.getAttribute('data-token-cap')).toBe('40');
    expect(await plan.textContent()).toMatch(/\b5\b.*\b7\b.*\b40\b/);
    await app.shot('corpus-file-plan');

    await page.locator('[data-testid="corpus-run"]:not([disabled])').click();
    const results = page.getByTestId('corpus-results');
    await results.waitFor({ timeout: 120_000 });
    expect(await results.getAttribute('data-sequences')).toBe('5');
    expect(await results.getAttribute('data-from-cache')).toBe('0');
    // 2 sequences cut to 40, 2 not run: said in the summary.
    const summary = (await page.getByTestId('corpus-summary').textContent()) ?? '';
    expect(summary).toMatch(/2 sequence\(s\) were cut/);
    expect(summary).toMatch(/2 more/);

    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('corpus-download').click()]);
    run = JSON.parse(await downloaded(d)) as CorpusRun;
    expect(run.corpus).toMatchObject({ sequences: 5, skipped: 2, truncated: 2 });
    expect(run.result.rows).toBe(want.rows);
    // Same ids, same rows pooled; the browser's wasm and Node's cpu backends agree to float precision.
    for (let l = 0; l < 2; l++) {
      for (let h = 0; h < 4; h++) {
        for (const key of SCORE_KEYS) {
          const got = run.result.heads[l][h].scores[key];
          const ref = want.heads[l][h].scores[key];
          expect(got.rows, `L${l + 1}H${h + 1} ${key} rows`).toBe(ref.rows);
          expect(got.sequences).toBe(ref.sequences);
          if (ref.mean === null) expect(got.mean).toBeNull();
          else expect(Math.abs(got.mean! - ref.mean), `L${l + 1}H${h + 1} ${key}`).toBeLessThan(1e-4);
        }
        const gotTop = run.result.heads[l][h].top.map((x) => x.weight);
        const refTop = want.heads[l][h].top.map((x) => x.weight);
        expect(gotTop.length).toBe(refTop.length);
        gotTop.forEach((w, k) => expect(Math.abs(w - refTop[k])).toBeLessThan(1e-4));
      }
    }
    await app.shot('corpus-file-results');
    expect(app.consoleErrors).toEqual([]);
  });

  it('head finder: sorts, filters, shows a layers × heads heatmap per score', async () => {
    const { page } = app;
    const rows = page.getByTestId('corpus-row');
    await expect.poll(() => rows.count()).toBe(8);
    const heatmap = page.locator('[data-testid="corpus-heatmap"] [data-testid="heatmap"]');
    expect([await heatmap.getAttribute('data-rows'), await heatmap.getAttribute('data-cols')]).toEqual(['2', '4']);
    await page.getByTestId('corpus-heatmap-score').selectOption('previousToken');
    await expect.poll(() => page.getByTestId('corpus-heatmap').getAttribute('data-score')).toBe('previousToken');

    // Sorting by previous-token puts the head with the highest corpus score first (Node's run says which).
    const flat = want.heads.flatMap((layer, l) => layer.map((hd, h) => ({ l, h, s: hd.scores })));
    const best = [...flat].sort((a, b) => (b.s.previousToken.mean ?? -1) - (a.s.previousToken.mean ?? -1))[0];
    await page.getByTestId('corpus-sort-previousToken').click();
    await expect.poll(async () => [await rows.first().getAttribute('data-layer'), await rows.first().getAttribute('data-head')]).toEqual([String(best.l), String(best.h)]);
    const values = await page.locator('[data-testid="corpus-row"] td[data-score="previousToken"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values).toEqual([...values].sort((a, b) => b - a));

    // A filter keeps exactly the heads Node's scores say pass it.
    const threshold = 0.1;
    const passing = flat.filter((x) => (x.s.induction.mean ?? -1) > threshold).length;
    await page.getByTestId('corpus-filter').fill(`induction > ${threshold}`);
    await expect.poll(() => page.getByTestId('corpus-filter-count').getAttribute('data-shown')).toBe(String(passing));
    expect(await rows.count()).toBe(passing);
    await page.getByTestId('corpus-filter').fill('induction >');
    await expect.poll(() => page.getByTestId('corpus-filter-help').getAttribute('role')).toBe('alert');
    await page.getByTestId('corpus-filter').fill('');
    await expect.poll(() => rows.count()).toBe(8);
    await app.shot('corpus-finder');
  });

  it("a head's dashboard: spread and histograms, top examples that open the sequence on that head", async () => {
    const { page } = app;
    await page.locator('[data-testid="corpus-row"][data-layer="1"][data-head="1"]').click();
    const dash = page.getByTestId('head-dashboard');
    await dash.waitFor();
    const ref = want.heads[1][1];
    const scores = page.getByTestId('dashboard-score');
    expect(await scores.count()).toBe(SCORE_KEYS.length);
    for (const key of SCORE_KEYS) {
      const row = page.locator(`[data-testid="dashboard-score"][data-score="${key}"]`);
      expect(Number(await row.getAttribute('data-rows'))).toBe(ref.scores[key].rows);
      const [lo, hi] = ((await row.getAttribute('data-interval')) ?? '').split(',').map(Number);
      const mean = ref.scores[key].mean!;
      expect(lo).toBeLessThanOrEqual(hi);
      expect(Math.abs(lo - ref.scores[key].interval![0])).toBeLessThan(1e-3);
      expect(Math.abs(hi - ref.scores[key].interval![1])).toBeLessThan(1e-3);
      expect(Number.isFinite(mean)).toBe(true);
    }
    // One histogram per score, each counting the sequences with a score of their own.
    const counts = await page.getByTestId('corpus-histogram').evaluateAll((els) => els.map((e) => (e.getAttribute('data-counts') ?? '').split(',').reduce((a, b) => a + Number(b), 0)));
    expect(counts).toEqual(SCORE_KEYS.map((k) => ref.scores[k].sequences));

    const examples = page.getByTestId('corpus-example');
    expect(await examples.count()).toBe(10);
    const first = examples.first();
    const q = Number(await first.getAttribute('data-query'));
    const k = Number(await first.getAttribute('data-key'));
    const s = Number(await first.getAttribute('data-sequence'));
    const w = Number(await first.getAttribute('data-weight'));
    expect(k).not.toBe(0);
    expect([s, q, k]).toEqual([ref.top[0].sequence, ref.top[0].query, ref.top[0].key]);
    // The query and the key are marked in the text shown.
    expect(await first.locator('mark[data-role~="query"]').getAttribute('data-index')).toBe(String(q));
    expect(await first.locator('mark[data-role~="key"]').getAttribute('data-index')).toBe(String(k));
    expect(await currentHash(page)).toContain('chead=1.1');
    await app.shot('corpus-dashboard');

    // Opening it: the Heads view on that sequence, layer 2, the cell (query, key) focused; its A there is the example's weight.
    await afterRecompute(page, () => first.locator('button').first().click());
    await page.getByTestId('panel-heads').waitFor();
    const hash = await currentHash(page);
    expect(hash).toContain('view=heads');
    expect(hash).toContain('layer=1');
    expect(hash).toContain(`cell=${q}.${k}`);
    const text = decodeURIComponent(/[#&]text=([^&]*)/.exec(hash)![1]);
    expect(text).toBe(LINES[s].slice(0, CAP.tokens));
    const result = await exportResult(page);
    expect(Math.abs(result.heads[1].A[q][k] - w)).toBeLessThan(1e-5);
    await app.shot('corpus-example-opened');
    expect(app.consoleErrors).toEqual([]);
  });

  it('reopens instantly from the cache after a reload (the link names the run)', async () => {
    const { page } = app;
    await page.getByTestId('tab-corpus').click();
    await page.getByTestId('corpus-results').waitFor();
    const hash = await currentHash(page);
    expect(hash).toContain('view=corpus');
    expect(hash).toMatch(/corpus=file(%3A|:)[0-9a-f]+/);
    fileHash = hash;
    await page.reload();
    const results = page.locator('[data-testid="corpus-results"][data-from-cache="1"]');
    await results.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('corpus-from-cache').count()).toBe(1);
    // The file too was kept: its name is shown without opening it again.
    expect(await page.getByTestId('corpus-file-name').textContent()).toBe('mine.txt');
    expect(app.consoleErrors).toEqual([]);
  });

  it('pauses, answers other requests while paused, resumes and cancels a long run', async () => {
    const { page } = app;
    await page.getByTestId('corpus-choice-brown').locator('input').check();
    await page.getByTestId('corpus-cap-sequences').fill('4000');
    await page.getByTestId('corpus-cap-sequences').press('Enter');
    await page.locator('[data-testid="corpus-run"]:not([disabled])').click();
    const progress = page.getByTestId('corpus-progress');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="corpus-progress"]')?.getAttribute('data-done')) >= 2, null, { timeout: 60_000 });
    const total = Number(await progress.getAttribute('data-total'));
    expect(total).toBeGreaterThan(20);
    await page.getByTestId('corpus-pause').click();
    await page.locator('[data-testid="corpus-progress"][data-status="paused"]').waitFor();
    const paused = await progress.getAttribute('data-done');
    // While paused the worker computes the text typed; no sequence runs in the meantime.
    await typeText(page, 'paused here');
    expect(await progress.getAttribute('data-done')).toBe(paused);
    await app.shot('corpus-paused');
    await page.getByTestId('corpus-resume').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="corpus-progress"]')?.getAttribute('data-done')) > n, Number(paused), { timeout: 60_000 });
    await page.getByTestId('corpus-cancel').click();
    await page.locator('[data-testid="corpus-run"]:not([disabled])').waitFor();
    expect(await progress.count()).toBe(0);
    expect(await page.getByTestId('corpus-results').count()).toBe(0);
    expect(app.consoleErrors).toEqual([]);
  });

  it('reads in Chinese', async () => {
    const page = await app.newPage(`/?lang=zh${fileHash}`);
    await page.locator('[data-testid="corpus-results"][data-from-cache="1"]').waitFor({ timeout: 60_000 });
    const panel = (await page.getByTestId('corpus-panel').textContent()) ?? '';
    expect(panel).toMatch(/[\u4e00-\u9fff]/);
    expect(panel).not.toMatch(/Sequences|Run again|Open a file/);
    expect((await page.getByTestId('corpus-summary').textContent()) ?? '').toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'corpus-zh.png'), fullPage: true });
    await page.close();
  });

  it('the widget shows a run given as data (its corpus property)', async () => {
    const page = await app.newPage('/embed-demo.html');
    await page.waitForFunction(() => customElements.get('attention-lab') !== undefined, null, { timeout: 60_000 });
    await page.evaluate((data) => {
      const el = document.createElement('attention-lab') as HTMLElement & { corpus: unknown };
      el.id = 'corpus-widget';
      el.setAttribute('view', 'corpus');
      el.corpus = data;
      document.body.prepend(el);
    }, run);
    const widget = page.locator('#corpus-widget');
    const results = widget.getByTestId('corpus-results');
    await results.waitFor({ timeout: 60_000 });
    expect(await results.getAttribute('data-sequences')).toBe('5');
    expect(await widget.getByTestId('corpus-row').count()).toBe(8);
    expect(await widget.getByTestId('corpus-panel').count()).toBe(0);
    // Sized from the widget, not the host page's root font (the demo's hostile CSS makes that 40px).
    const [heading, root] = await widget.getByTestId('head-finder').locator('h3').evaluate((h) => [h, h.closest('[data-testid="widget-root"]')!].map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(heading).toBeLessThan(root * 1.5);
    await page.locator('#corpus-widget').screenshot({ path: path.join(ARTIFACTS, 'corpus-widget.png') });

    // corpus-src: a file next to the page, and one that is not there (named in the widget's message).
    await page.route('**/runs/mine.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(run) }));
    await page.evaluate(() => {
      for (const [id, src] of [['from-file', 'runs/mine.json'], ['missing', 'runs/none.json']]) {
        const el = document.createElement('attention-lab');
        el.id = id;
        el.setAttribute('view', 'corpus');
        el.setAttribute('corpus-src', src);
        document.body.prepend(el);
      }
    });
    const fromFile = page.locator('#from-file').getByTestId('corpus-results');
    await fromFile.waitFor({ timeout: 60_000 });
    expect(await fromFile.getAttribute('data-tokens')).toBe(String(run.corpus.tokens));
    const message = page.locator('#missing').getByTestId('widget-message');
    await message.waitFor({ timeout: 60_000 });
    expect(await message.textContent()).toMatch(/runs\/none\.json.*404/);
    await page.close();
  });
});

describe('Corpus view on Hub models', () => {
  let server: HubServer;
  const apps: AppPage[] = [];
  /** The app on a link to the Hub stand-in (closed after the tests). */
  const openHub = async (hash: string) => {
    const app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=corpus&src=model&${hash}`);
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    await initBackend('cpu');
    server = await startHubServer();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await server?.stop().catch(() => undefined);
  });

  it('runs the short stories through stories260K-hf (its tokenizer, 5 layers × 8 heads) as Node does, and opens an example on its head', async () => {
    const settings = { top: 10, bins: 20, maxSequences: 6, maxTokens: 24 };
    const app = await openHub(`model=hf:local/stories260K-hf&mode=words&text=hello&corpus=stories&cseq=${settings.maxSequences}&ctok=${settings.maxTokens}`);
    const { page } = app;
    await page.locator('[data-testid="corpus-run"]:not([disabled])').click({ timeout: 120_000 });
    const results = page.getByTestId('corpus-results');
    await results.waitFor({ timeout: 120_000 });
    expect([await results.getAttribute('data-layers'), await results.getAttribute('data-heads')]).toEqual(['5', '8']);
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('corpus-download').click()]);
    const run = JSON.parse(await downloaded(d)) as CorpusRun;

    // Node: the same stories read by the same checkpoint's tokenizer, cut to the cap, through runCorpus.
    const m = await fromFiles('hub', hubModelFiles());
    try {
      const entries = shippedEntries(SHIPPED_CORPORA.find((c) => c.id === 'stories')!, readFileSync(path.resolve(import.meta.dirname, '../../public/corpora/stories.txt'), 'utf8'));
      const prepared = prepareCorpus(m, entries, settings);
      const want = await runCorpus(m.model, prepared.ids, { top: 10, bins: 20 });
      expect(run.result.rows).toBe(want.rows);
      for (let l = 0; l < 5; l++) {
        for (let h = 0; h < 8; h++) {
          for (const key of SCORE_KEYS) {
            const got = run.result.heads[l][h].scores[key];
            const ref = want.heads[l][h].scores[key];
            expect(got.rows).toBe(ref.rows);
            if (ref.mean === null) expect(got.mean).toBeNull();
            else expect(Math.abs(got.mean! - ref.mean), `L${l + 1}H${h + 1} ${key}`).toBeLessThan(1e-4);
          }
        }
      }
    } finally {
      m.model.dispose();
    }

    // The sorted finder's top induction head, its dashboard, its strongest example opened in the Heads view.
    await page.getByTestId('corpus-sort-induction').click();
    await page.getByTestId('corpus-row').first().click();
    const first = page.getByTestId('corpus-example').first();
    await first.waitFor();
    const layer = Number(await page.getByTestId('head-dashboard').getAttribute('data-layer'));
    const q = Number(await first.getAttribute('data-query'));
    const k = Number(await first.getAttribute('data-key'));
    await app.shot('corpus-hub-dashboard');
    await afterRecompute(page, () => first.locator('button').first().click(), 120_000);
    const hash = await currentHash(page);
    expect(hash).toContain('view=heads');
    expect(hash).toContain(`cell=${q}.${k}`);
    if (layer > 0) expect(hash).toContain(`layer=${layer}`); // layer 1 is the link's default
    expect(app.consoleErrors).toEqual([]);
  });

  it("runs a .txt as Node does with full attention, [CLS] and [SEP] counted, a cut line keeping them; opens an example on its head", async () => {
    const lines = ['The cat sat on the mat.', 'the dog went to the store and the dog sat on the mat.', 'it was too tired.'];
    const settings = { top: 10, bins: 20, maxSequences: 3, maxTokens: 10 };
    const app = await openHub(`model=hf:local/bert-tiny&text=the%20cat&cseq=${settings.maxSequences}&ctok=${settings.maxTokens}`);
    const { page } = app;
    await page.locator('[data-testid="corpus-run"]:not([disabled])').waitFor({ timeout: 120_000 });
    await page.getByTestId('corpus-file-input').setInputFiles({ name: 'enc.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) });
    await expect.poll(() => page.getByTestId('corpus-plan').getAttribute('data-sequences'), { timeout: 30_000 }).toBe('3');
    await page.locator('[data-testid="corpus-run"]:not([disabled])').click();
    const results = page.getByTestId('corpus-results');
    await results.waitFor({ timeout: 120_000 });
    expect([await results.getAttribute('data-layers'), await results.getAttribute('data-heads')]).toEqual(['2', '4']);
    expect(await page.getByTestId('corpus-summary').textContent()).toContain('Every token sees every token (an encoder).');
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('corpus-download').click()]);
    const run = JSON.parse(await downloaded(d)) as CorpusRun;
    expect(run.model).toMatchObject({ type: 'bert', causal: false });
    // [CLS] the cat sat on the mat . [SEP] (9), the long line cut to 10 with its [SEP] kept, [CLS] it was too tired . [SEP] (7)
    expect(run.corpus).toMatchObject({ sequences: 3, tokens: 9 + 10 + 7, truncated: 1 });
    expect(run.result.causal).toBe(false);

    const m = await fromFiles('hub', hubModelFiles('bert-tiny', [path.join(HUB_FIXTURES_DIR, 'bert-tiny'), path.join(TOKENIZER_FIXTURES_DIR, 'bert-tiny')]));
    try {
      const prepared = prepareCorpus(m, lines.map((text, k) => ({ text, line: k + 1 })), settings);
      expect(Array.from(prepared.ids[1]).map((id) => m.token(id))).toEqual(['[CLS]', 'the', 'dog', 'went', 'to', 'the', 'store', 'and', 'the', '[SEP]']);
      const want = await runCorpus(m.model, prepared.ids, { top: 10, bins: 20 });
      expect(run.result.rows).toBe(want.rows);
      for (let l = 0; l < 2; l++) {
        for (let h = 0; h < 4; h++) {
          const got = run.result.heads[l][h].scores;
          // full attention: every row of every sequence counts for first-token, self and entropy, row 0 ([CLS]) too
          for (const key of ['firstToken', 'self', 'entropy'] as const) expect(got[key].rows).toBe(26);
          for (const key of SCORE_KEYS) {
            const ref = want.heads[l][h].scores[key];
            expect(got[key].rows).toBe(ref.rows);
            if (ref.mean === null) expect(got[key].mean).toBeNull();
            else expect(Math.abs(got[key].mean! - ref.mean), `L${l + 1}H${h + 1} ${key}`).toBeLessThan(1e-4);
          }
        }
      }
    } finally {
      m.model.dispose();
    }
    for (const ex of run.examples) expect([ex.tokens[0], ex.tokens.at(-1)]).toEqual(['[CLS]', '[SEP]']);

    // A head whose strongest example has its key after the query (full attention), opened in the Heads view.
    const heads = run.result.heads.flatMap((layer, l) => layer.map((hd, h) => ({ l, h, top: hd.top })));
    const pick = heads.find((x) => x.top.some((t) => t.key > t.query))!;
    expect(pick).toBeDefined();
    await page.locator(`[data-testid="corpus-row"][data-layer="${pick.l}"][data-head="${pick.h}"]`).click();
    await page.getByTestId('head-dashboard').waitFor();
    expect(await page.getByTestId('head-dashboard').textContent()).toContain('keys after the query count too');
    const k = pick.top.findIndex((t) => t.key > t.query);
    const example = page.getByTestId('corpus-example').nth(k);
    const t = pick.top[k];
    expect([await example.getAttribute('data-query'), await example.getAttribute('data-key')].map(Number)).toEqual([t.query, t.key]);
    await app.shot('corpus-encoder-dashboard');
    await afterRecompute(page, () => example.locator('button').first().click(), 120_000);
    const hash = await currentHash(page);
    expect(hash).toContain('view=heads');
    expect(hash).toContain(`cell=${t.query}.${t.key}`);
    const result = await exportResult(page);
    expect(Math.abs(result.heads[pick.h].A[t.query][t.key] - t.weight)).toBeLessThan(1e-4);
    await app.shot('corpus-encoder-example-opened');
    expect(app.consoleErrors).toEqual([]);
  });
});
