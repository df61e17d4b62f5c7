// A pretrained checkpoint opened by name through the Hub layout (a local static server stands in for the
// Hub: the same …/resolve/<revision>/<file> paths), explored in every view, then reopened from the
// browser's cache with the server stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import type { Page } from 'playwright-core';
import { frames, waitComputed } from './page.ts';
import { startHubServer, type HubServer } from '../hub/server.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../engine/checkpoint/tokenizer.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';
import { loadCheckpoint } from '../../engine/checkpoint/load.ts';
import { dirFiles } from '../../engine/checkpoint/dirFiles.ts';
import { CONFORMANCE_MODELS_DIR } from '../hub/server.ts';
import type { Matrix } from '../../engine/types.ts';

const TEXT = 'Once upon a time, Lily saw a big red ball.';
const FIXTURE = join(import.meta.dirname, '../fixtures/hub/stories260K-hf');

async function fixtureTokenizer() {
  const read = (f: string) => readFileSync(join(FIXTURE, f));
  return (await loadTokenizer(memoryFiles('fixture', { 'tokenizer.json': read('tokenizer.json'), 'tokenizer_config.json': read('tokenizer_config.json') })))!;
}

const rowOf = (m: Matrix, i: number) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
const maxDiff = (a: number[], b: number[]) => (a.length === b.length ? Math.max(...a.map((v, k) => Math.abs(v - b[k]))) : Infinity);

describe('a Hub model in the browser', () => {
  let server: HubServer;
  let app: AppPage;

  beforeAll(async () => {
    server = await startHubServer();
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/stories260K-hf&mode=words&text=${encodeURIComponent(TEXT)}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop().catch(() => undefined); // the last test stops it already

  });

  it('opens stories260K-hf by name: 5 layers × 8 heads sharing 4 key/value heads, its tokens and its predictions', async () => {
    const { page } = app;
    await waitComputed(page, 0);
    const info = page.getByTestId('model-info');
    await expect.poll(() => info.getAttribute('data-layers')).toBe('5');
    expect(await info.getAttribute('data-heads')).toBe('8');
    expect(await info.getAttribute('data-kv-heads')).toBe('4');
    expect(await page.locator('[data-testid="model-tile"]').count()).toBe(40);
    // The model's tokenizer made the chips (sub-word pieces, not the app's words): the same as in Node.
    const chips = await page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));
    expect(chips).toEqual((await fixtureTokenizer()).encode(TEXT).tokens);
    expect(await page.locator('[data-testid="predictions"] [data-testid="next-token"]').count()).toBe(10);
    expect(server.requests.some((r) => r.path.endsWith('/resolve/main/model.safetensors'))).toBe(true);
    await app.shot('hub-model-view');
    expect(app.consoleErrors).toEqual([]);
  });

  it('every view works on it: heads, steps (q and k around the rotation), flow, lens, ablation', async () => {
    const { page } = app;
    for (const tab of ['heads', 'lines', 'matrices', 'steps', 'flow', 'lens', 'ablate']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.getByTestId(`panel-${tab}`).waitFor();
      await frames(page);
    }
    // Each view shows this model's numbers, not just a frame: a heatmap per head (8), the ablation grid
    // (5 layers × 8 heads), a rollout row that is a distribution, and a lens whose last layer is the
    // model's own prediction (its top tokens and probabilities, checked against Node above).
    await page.getByTestId('tab-heads').click();
    await expect.poll(() => page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBe(8);
    await page.getByTestId('tab-ablate').click();
    await expect.poll(() => page.getByTestId('ablate-head').count()).toBe(40);
    await page.getByTestId('tab-flow').click();
    const bars = page.getByTestId('flow-bar');
    await expect.poll(() => bars.count()).toBeGreaterThan(1);
    const flow = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(flow.every((v) => v >= 0 && v <= 1)).toBe(true);
    // The row of rollout shown (its largest entries when the hint says only the top ones are listed).
    const sum = flow.reduce((a, v) => a + v, 0);
    if ((await page.locator('[data-testid="flow-bars"] .al-hint').count()) === 0) expect(sum).toBeCloseTo(1, 4);
    else expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    await page.getByTestId('tab-lens').click();
    const rows = page.getByTestId('lens-row');
    await expect.poll(() => rows.count()).toBe(5);
    const cells = (row: ReturnType<Page['locator']>) => row.locator('td').evaluateAll((els) => els.map((e) => [e.getAttribute('data-token'), Number(e.getAttribute('data-p'))] as const));
    const last = await cells(rows.nth(4));
    const predicted = await page.locator('[data-testid="predictions"] [data-testid="next-token"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-token'), Number(e.getAttribute('data-p'))] as const));
    expect(last.length).toBeGreaterThan(0);
    expect(last).toEqual(predicted.slice(0, last.length));
    for (let l = 0; l < 5; l++) {
      const ps = (await cells(rows.nth(l))).map(([, p]) => p);
      expect(ps).toEqual([...ps].sort((a, b) => b - a));
      expect(ps.reduce((a, p) => a + p, 0)).toBeLessThanOrEqual(1 + 1e-6);
    }
    await app.shot('hub-lens');
    expect(app.consoleErrors).toEqual([]);
  });

  it('marks the query heads that share a key/value head, and filters the layers shown', async () => {
    const { page } = app;
    await page.getByTestId('tab-model').click();
    const legend = page.getByTestId('kv-legend');
    await legend.waitFor();
    expect([await legend.getAttribute('data-heads'), await legend.getAttribute('data-kv-heads')]).toEqual(['8', '4']);
    // Every tile names its key/value head, and in each layer every one of the 4 is read by exactly 2 query heads.
    expect(await page.getByTestId('kv-badge').count()).toBe(40);
    for (let l = 0; l < 5; l++) {
      const kv = await page.locator(`[data-testid="model-tile"][data-layer="${l}"]`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-kv'))));
      expect([0, 1, 2, 3].map((k) => kv.filter((x) => x === k).length)).toEqual([2, 2, 2, 2]);
    }
    const tiles = page.getByTestId('model-tile');
    await page.getByTestId('layer-from').selectOption({ value: '1' });
    await page.getByTestId('layer-to').selectOption({ value: '2' });
    await expect.poll(() => tiles.count()).toBe(16);
    expect(new Set(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-layer'))))).toEqual(new Set(['1', '2']));
    expect(await page.getByTestId('layer-filter-count').textContent()).toContain('2 of 5');
    await app.shot('hub-model-filtered');
    await page.getByTestId('layer-all').click();
    await expect.poll(() => tiles.count()).toBe(40);
    expect(app.consoleErrors).toEqual([]);
  });

  it('shows q and k before and after the rotation in the Steps view, equal to the model run in Node', async () => {
    const { page } = app;
    const [layer, head, query, key] = [2, 5, 7, 3];
    await page.getByTestId('tab-steps').click();
    await page.getByTestId('layer-picker').selectOption({ value: String(layer) });
    await expect.poll(() => page.getByTestId('layer-picker').inputValue()).toBe(String(layer));
    await page.getByTestId('head-picker').selectOption({ value: String(head) });
    await page.getByTestId('step-query').selectOption({ value: String(query) });
    await page.getByTestId('step-key').selectOption({ value: String(key) });
    await page.locator('.al-steps-list li').nth(1).locator('button').click();
    await page.getByTestId('step-rope').waitFor();
    expect(await page.getByTestId('step-rope-formula').count()).toBe(1);
    const vector = async (id: string) => JSON.parse((await page.getByTestId(id).getAttribute('data-value')) ?? '[]') as number[];

    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS_DIR, 'stories260K-hf')));
    try {
      const { ids } = (await fixtureTokenizer()).encode(TEXT);
      const hr = (await model.forward(ids, { keep: 'all' })).layers[layer].result!.heads[head];
      const want = { 'step-rope-q-pre': rowOf(hr.Qpre!, query), 'step-rope-q': rowOf(hr.Q, query), 'step-rope-k-pre': rowOf(hr.Kpre!, key), 'step-rope-k': rowOf(hr.K, key) };
      for (const [id, values] of Object.entries(want)) {
        await expect.poll(async () => maxDiff(await vector(id), values), { message: id }).toBeLessThan(1e-4);
      }
      // The rotation changed the vectors (position 7 is not position 0), and the projection step shows them unrotated.
      expect(maxDiff(want['step-rope-q-pre'], want['step-rope-q'])).toBeGreaterThan(1e-3);
      await app.shot('hub-steps-rope');
      await page.locator('.al-steps-list li').nth(0).locator('button').click();
      expect(maxDiff(await vector('step-q'), want['step-rope-q-pre'])).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
    expect(app.consoleErrors).toEqual([]);
  });

  it('reopens from the browser cache with the server stopped', async () => {
    const { page } = app;
    await server.stop();
    const before = server.requests.length;
    await page.reload();
    await waitComputed(page, 0);
    await expect.poll(() => page.getByTestId('model-info').getAttribute('data-heads')).toBe('8');
    expect(await page.getByTestId('model-info').textContent()).toContain('cache');
    expect(server.requests.length).toBe(before);
    await app.shot('hub-from-cache');
  });
});
