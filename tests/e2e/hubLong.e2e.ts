// A long input on a Hub model (458 tokens × 40 heads: past FULL_MAPS_NUMBERS): the page gets thumbnails
// of A, a focused token's rows come from the worker on request, and another layer opens in full from the
// worker's kept run — each checked against the same model run in Node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, type AppPage } from './harness.ts';
import { computedId, frames, waitComputed } from './page.ts';
import { startHubServer, CONFORMANCE_MODELS_DIR, type HubServer } from '../hub/server.ts';
import { loadTokenizer } from '../../engine/checkpoint/tokenizer.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';
import { loadCheckpoint } from '../../engine/checkpoint/load.ts';
import { dirFiles } from '../../engine/checkpoint/dirFiles.ts';
import type { ForwardResult } from '../../engine/transformer/types.ts';
import { FULL_MAPS_NUMBERS } from '../../compute/modelRun.ts';
import { attentionRollout } from '../../engine/analysis/rollout.ts';

const TEXT = 'Once upon a time, Lily saw a big red ball in the park. She ran to it and played with her dog. '.repeat(12).trim();
const FIXTURE = join(import.meta.dirname, '../fixtures/hub/stories260K-hf');

describe('a long input on a Hub model', () => {
  let server: HubServer;
  let app: AppPage;
  let truth: ForwardResult;
  let n: number;

  beforeAll(async () => {
    const read = (f: string) => readFileSync(join(FIXTURE, f));
    const tokenizer = (await loadTokenizer(memoryFiles('fixture', { 'tokenizer.json': read('tokenizer.json'), 'tokenizer_config.json': read('tokenizer_config.json') })))!;
    const { ids } = tokenizer.encode(TEXT);
    n = ids.length;
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS_DIR, 'stories260K-hf')));
    try {
      truth = await model.forward(ids, { keep: 'all' });
    } finally {
      model.dispose();
    }
    server = await startHubServer();
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/stories260K-hf&mode=words&text=${encodeURIComponent(TEXT)}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop().catch(() => undefined);
  });

  it('shows thumbnails of all 40 heads (the maps stay in the worker)', async () => {
    const { page } = app;
    await waitComputed(page, 0);
    expect(5 * 8 * n * n).toBeGreaterThan(FULL_MAPS_NUMBERS);
    const status = page.getByTestId('status');
    expect(await status.getAttribute('data-pooled')).toBe('1');
    expect(await page.getByTestId('model-tile').count()).toBe(40);
    const firstRow = page.locator('[data-testid="model-tile"][data-layer="0"] canvas');
    await expect.poll(() => firstRow.evaluateAll((els) => els.filter((e) => (e as HTMLCanvasElement).dataset.painted === '1').length)).toBe(8);
    expect(app.consoleErrors).toEqual([]);
  });

  it('a focused token shows its row in every head, equal to the model run in Node', async () => {
    const { page } = app;
    const query = 9;
    await page.locator(`[data-testid="model-token"][data-index="${query}"]`).hover();
    const rows = page.locator(`[data-testid="focus-row"][data-query="${query}"]`);
    await expect.poll(() => rows.count()).toBe(40);
    for (const [l, h] of [
      [0, 0],
      [3, 5],
      [4, 7],
    ]) {
      const row = truth.layers[l].attention[h].data.subarray(query * n, (query + 1) * n);
      let best = 0;
      row.forEach((v, j) => (best = v > row[best] ? j : best));
      const strip = page.locator(`[data-testid="model-tile"][data-layer="${l}"][data-head="${h}"] [data-testid="focus-row"]`);
      expect(Number(await strip.getAttribute('data-key'))).toBe(best);
      expect(Math.abs(Number(await strip.getAttribute('data-value')) - row[best])).toBeLessThan(1e-4);
    }
    await app.shot('hub-long-focus');
    expect(app.consoleErrors).toEqual([]);
  });

  it('opening a head of another layer answers from the kept run; its numbers equal Node', async () => {
    const { page } = app;
    const [layer, head, query] = [3, 2, 40];
    const before = await computedId(page);
    await page.mouse.move(0, 0);
    await page.locator(`[data-testid="model-tile"][data-layer="${layer}"][data-head="${head}"]`).click();
    await waitComputed(page, before);
    const status = page.getByTestId('status');
    expect(await status.getAttribute('data-kept-run')).toBe('1');
    expect(await status.getAttribute('data-pooled')).toBe('1');
    await page.getByTestId('tab-steps').click();
    await page.getByTestId('panel-steps').waitFor();
    expect(await page.getByTestId('layer-picker').inputValue()).toBe(String(layer));
    await page.getByTestId('step-query').selectOption({ value: String(query) });
    await page.getByTestId('step-key').selectOption({ value: '0' });
    await page.locator('.al-steps-list li').nth(1).locator('button').click();
    await page.getByTestId('step-rope').waitFor();
    await frames(page);
    const hr = truth.layers[layer].result!.heads[head];
    const q = Array.from(hr.Q.data.subarray(query * hr.Q.cols, (query + 1) * hr.Q.cols));
    const shown = JSON.parse((await page.getByTestId('step-rope-q').getAttribute('data-value')) ?? '[]') as number[];
    expect(shown).toHaveLength(q.length);
    expect(Math.max(...shown.map((v, k) => Math.abs(v - q[k])))).toBeLessThan(1e-4);
    await app.shot('hub-long-steps');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the rollout follows the picture and equals the rollout of the whole maps in Node', async () => {
    const { page } = app;
    await page.getByTestId('tab-flow').click();
    await page.getByTestId('flow-view').waitFor();
    const layer = Number(await page.getByTestId('flow-layer').inputValue()) - 1;
    const R = attentionRollout(truth.layers.map((t) => t.attention))[layer];
    const shown = (await page.getByTestId('flow-bar').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-key')), Number(e.getAttribute('data-value'))]))) as [number, number][];
    const query = Number(await page.getByTestId('flow-bars').getAttribute('data-query'));
    // A long input lists its 24 largest sources, largest first: the same 24 as Node's, with the same values.
    const row = Array.from(R.data.subarray(query * n, (query + 1) * n));
    const top = row.map((v, j) => [j, v]).sort((a, b) => b[1] - a[1]).slice(0, 24);
    expect(shown.map(([j]) => j)).toEqual(top.map(([j]) => j));
    expect(Math.max(...shown.map(([j, v]) => Math.abs(v - row[j])))).toBeLessThan(1e-5);
    await app.shot('hub-long-flow');
    expect(app.consoleErrors).toEqual([]);
  });
});
