// The shipped trained model as a source: its layers × heads in the Model view with scores, every layer
// through the same views, numbers equal to the model run in Node, unknown characters shown, the
// context limit, and a broken or slow model file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { currentHash, exportResult, notices, typeText, waitComputed } from './page.ts';
import { initBackend } from '../../engine/backend.ts';
import { loadModel, type LoadedModel } from '../../engine/model/load.ts';
import { modelForward } from '../../engine/model/forward.ts';
import { tokenizeForModel } from '../../engine/model/tokenize.ts';

const TEXT = 'Mr. Dursley said hello. Mr. Dursley said hello.';
const modelHash = (text: string, extra = '') => `#v=1&view=model&src=model&model=brown-char&mode=chars&text=${encodeURIComponent(text)}${extra}`;

function shippedModel(): LoadedModel {
  const dir = path.resolve(import.meta.dirname, '../../public/models');
  return loadModel(readFileSync(path.join(dir, 'brown-char.json'), 'utf8'), readFileSync(path.join(dir, 'brown-char.bin')));
}

describe('trained model source', () => {
  let app: AppPage;
  beforeAll(async () => {
    await initBackend('cpu');
    app = await openApp('/' + modelHash(TEXT));
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows every layer × head with score badges, a sortable table and similar heads', async () => {
    const { page } = app;
    const tiles = page.getByTestId('model-tile');
    await expect.poll(() => tiles.count()).toBe(8);
    await expect.poll(() => page.getByTestId('model-info').getAttribute('data-layers')).toBe('2');
    // The shipped model's previous-token head is layer 1, head 2 (docs/model.md): its badge says so.
    const prevTile = page.locator('[data-testid="model-tile"][data-layer="0"][data-head="1"]');
    await expect.poll(() => prevTile.getByTestId('head-badge').allTextContents()).toContainEqual(expect.stringMatching(/^prev/));
    // Sorting by previous-token puts that head first.
    const rows = page.getByTestId('head-scores-row');
    await expect.poll(() => rows.count()).toBe(8);
    await page.getByTestId('sort-previousToken').click();
    const first = rows.first();
    expect([await first.getAttribute('data-layer'), await first.getAttribute('data-head')]).toEqual(['0', '1']);
    // An induction head in layer 2 (measured on the repeated random probe).
    await page.getByTestId('sort-induction').click();
    expect(await rows.first().getAttribute('data-layer')).toBe('1');
    // "Heads like this one" selects another head.
    await page.locator('[data-testid="model-tile"][data-layer="1"][data-head="0"]').click();
    await expect.poll(() => page.locator('[data-testid="model-tile"][data-selected="1"]').getAttribute('data-head')).toBe('0');
    const similar = page.getByTestId('similar-head');
    await expect.poll(() => similar.count()).toBeGreaterThan(0);
    await app.shot('model-view');

    // Hovering a token shows its attention in every head at once.
    await page.locator('[data-testid="model-token"][data-index="30"]').hover();
    await expect.poll(() => page.getByTestId('focus-row').count()).toBe(8);
    await app.shot('model-view-hover');
    expect(app.consoleErrors).toEqual([]);
  });

  it('opens a head of layer 2 in the other views, with the numbers of the model run in Node', async () => {
    const { page } = app;
    await page.locator('[data-testid="model-tile"][data-layer="1"][data-head="2"]').click();
    await page.getByTestId('tab-heads').click();
    await expect.poll(() => page.getByTestId('layer-picker').inputValue()).toBe('1');
    const heatmaps = page.locator('[data-testid="head-grid"] [data-testid="heatmap"]');
    await expect.poll(() => heatmaps.count()).toBe(4);
    await app.shot('model-heads-layer2');

    const model = shippedModel();
    const { ids } = tokenizeForModel(model, TEXT);
    const node = await modelForward(model, ids, { logits: false });
    const result = await exportResult(page);
    const n = ids.length;
    expect(result.heads).toHaveLength(4);
    for (let h = 0; h < 4; h++) {
      const want = node.layers[1].result.heads[h].A;
      const got = result.heads[h].A;
      expect(got).toHaveLength(n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(got[i][j] - want.data[i * n + j]));
        expect(got[i].slice(i + 1).every((v) => v === 0)).toBe(true); // causal
      }
      expect(worst).toBeLessThan(1e-4);
    }
    // Steps view works on the model's head (standard convention, d_k = 16).
    await page.getByTestId('tab-steps').click();
    await expect.poll(() => page.getByTestId('layer-picker').inputValue()).toBe('1');
    await app.shot('model-steps');
    expect(app.consoleErrors).toEqual([]);
  });

  it('keeps characters the model does not know, and names the context limit', async () => {
    const { page } = app;
    await typeText(page, 'naïve café 😀');
    const unknown = page.locator('[data-testid="chip"][data-unknown="1"]');
    await expect.poll(() => unknown.evaluateAll((els) => els.map((e) => e.getAttribute('data-token')))).toEqual(['ï', 'é', '😀']);
    await expect.poll(() => notices(page)).toContainEqual(expect.stringMatching(/3 character\(s\) are not in the model’s vocabulary.*ï é 😀/));
    const before = await page.getByTestId('status').getAttribute('data-computed-id');
    await page.getByTestId('text').fill('x'.repeat(70));
    await expect.poll(() => page.getByTestId('compute-error').textContent()).toMatch(/at most 64 characters; the text has 70/);
    expect(await page.getByTestId('status').getAttribute('data-computed-id')).toBe(before); // the last picture stays
    await typeText(page, TEXT);
    expect(app.consoleErrors).toEqual([]);
  });
});

describe('trained model files', () => {
  it('a missing weights file gives a clear message and seeded weights', async () => {
    const app = await openApp('/');
    try {
      await waitComputed(app.page);
      await app.context.route('**/models/brown-char.bin', (route) => route.fulfill({ status: 404, body: 'no such file' }));
      await app.page.locator('label:has([data-testid="source-model"])').click();
      await expect.poll(() => notices(app.page)).toContainEqual(expect.stringMatching(/^The trained model could not be loaded: brown-char\.bin: HTTP 404.*Showing seeded weights instead\./));
      expect(await app.page.getByTestId('source-seeded').isChecked()).toBe(true);
      await waitComputed(app.page);
      expect(await app.page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBeGreaterThan(0);
      await app.shot('model-missing');
    } finally {
      await app.close();
    }
  });

  it('shows progress while the weights arrive', async () => {
    const app = await openApp('/');
    try {
      await waitComputed(app.page);
      // The weights are held back until the progress bar has been seen (no timer involved).
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      await app.context.route('**/models/brown-char.bin', async (route) => {
        await gate;
        await route.continue();
      });
      const after = await app.page.getByTestId('status').getAttribute('data-computed-id');
      await app.page.locator('label:has([data-testid="source-model"])').click();
      await app.page.getByTestId('model-progress').waitFor();
      await app.shot('model-loading');
      release();
      await waitComputed(app.page, Number(after));
      await expect.poll(() => app.page.getByTestId('model-info').textContent()).toMatch(/2 layers × 4 heads/);
      expect(await app.page.getByTestId('model-progress').count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('model files from this browser', () => {
  it('loads a model bundle, keeps it across a reload, and names what is wrong with a broken one', async () => {
    const { asciiVocabulary, packModel, sizeOf, tensorSpecs } = await import('../../engine/model/format.ts');
    const { bundleText } = await import('../../engine/model/bundle.ts');
    const { gaussians } = await import('../../engine/seeded.ts');
    const { trainArchitecture } = await import('../../engine/model/tasks.ts');
    const arch = trainArchitecture({ nLayers: 1, nHeads: 2, dModel: 16, context: 16 });
    const tensors = new Map(tensorSpecs(arch).map((s) => [s.name, gaussians(`e2e\u0000${s.name}`, sizeOf(s.shape), 0.4)] as const));
    const { manifest, bytes } = packModel(arch, asciiVocabulary(), tensors, { name: 'tiny-e2e', file: 'tiny.bin' });
    const dir = path.join(import.meta.dirname, 'artifacts');
    const good = path.join(dir, 'tiny-model.json');
    const bad = path.join(dir, 'broken-model.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(good, bundleText(manifest, bytes));
    writeFileSync(bad, JSON.stringify({ format: 'attention-lab/model-bundle', version: 1, manifest, weights: 'AAAA' }));

    const app = await openApp('/#v=1&view=heads&mode=chars&text=abcab');
    try {
      const { page } = app;
      await waitComputed(page);
      await page.getByTestId('model-file').setInputFiles(bad);
      await expect.poll(() => notices(page)).toContainEqual(expect.stringMatching(/^Model file broken-model\.json: weights: expected \d+ bytes .* got 3/));
      expect(await page.getByTestId('source-seeded').isChecked()).toBe(true);

      const before = Number(await page.getByTestId('status').getAttribute('data-computed-id'));
      await page.getByTestId('model-file').setInputFiles(good);
      await waitComputed(page, before);
      await expect.poll(() => page.getByTestId('model-info').textContent()).toMatch(/^tiny-e2e: 1 layers × 2 heads/);
      expect(await page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBe(2);
      const A1 = (await exportResult(page)).heads[1].A;

      // A reload keeps the user's model (stored in this browser) and shows the same attention.
      expect(await currentHash(page)).toContain('src=model&model=user');
      await page.reload();
      await waitComputed(page);
      await expect.poll(() => page.getByTestId('model-pick').inputValue()).toBe('user');
      expect((await exportResult(page)).heads[1].A).toEqual(A1);
      await app.shot('model-user-reloaded');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
