// A deep model in the Model view: a GPT-2-shaped checkpoint of 12 layers × 12 heads (tiny width) served
// through the Hub layout shows 144 tiles, paints only the ones near the viewport until scrolled to,
// filters its layers, and answers a click or a hover without repainting any thumbnail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { frames, waitComputed } from './page.ts';
import { startHubServer, type HubServer } from '../hub/server.ts';
import { GPT2_144, idsText, writeSyntheticGpt2 } from '../hub/synthetic.ts';

const REPO = 'local/gpt2-144';

/** Counts, from now on, every time a painted thumbnail starts painting its cells again (data-painted 1 → 0). */
async function countRepaints(page: AppPage['page']): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { __repaints: number; __repaintObserver?: MutationObserver };
    w.__repaints = 0;
    w.__repaintObserver?.disconnect();
    w.__repaintObserver = new MutationObserver((records) => {
      for (const r of records) if (r.oldValue === '1') w.__repaints++; // only a new paint job sets 0 over 1
    });
    w.__repaintObserver.observe(document.body, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-painted'] });
  });
  return () => page.evaluate(() => (window as unknown as { __repaints: number }).__repaints);
}

describe('a 12 × 12-head model in the browser', () => {
  let server: HubServer;
  let app: AppPage;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'al-gpt2-144-'));
    writeSyntheticGpt2(dir);
    server = await startHubServer({ repos: { [REPO]: [dir] } });
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:${REPO}&text=${encodeURIComponent(idsText(24))}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows 144 tiles, painting those near the viewport first and the rest when scrolled to', async () => {
    const { page } = app;
    await waitComputed(page, 0);
    const tiles = page.getByTestId('model-tile');
    await expect.poll(() => tiles.count()).toBe(GPT2_144.layers * GPT2_144.heads);
    expect(await page.getByTestId('kv-legend').count()).toBe(0); // GPT-2: every head has its own keys and values
    expect(await page.getByTestId('kv-badge').count()).toBe(0);
    const painted = (layer: number) => page.locator(`[data-testid="model-tile"][data-layer="${layer}"] canvas[data-painted="1"]`).count();
    await expect.poll(() => painted(0)).toBe(12);
    // The last layer is far below a 1000-pixel window: not painted until it comes near.
    expect(await painted(11)).toBe(0);
    await app.shot('hub-144-top');
    await page.locator('[data-testid="model-tile"][data-layer="11"][data-head="11"]').scrollIntoViewIfNeeded();
    await expect.poll(() => painted(11)).toBe(12);
    await app.shot('hub-144-bottom');
    expect(app.consoleErrors).toEqual([]);
  });

  it('a click selects a head and a hover shows the query in every tile, repainting no thumbnail', async () => {
    // What keeps this prompt on 144 tiles: the selection and the query row are drawn over the thumbnails, whose
    // cells are painted once. How long a click and a hover take is measured by bench/responsive.ts.
    const { page } = app;
    const repaints = await countRepaints(page);
    const tile = page.locator('[data-testid="model-tile"][data-layer="10"][data-head="7"]');
    await tile.click();
    await expect.poll(() => tile.getAttribute('data-selected')).toBe('1');
    await page.getByTestId('model-token').nth(5).scrollIntoViewIfNeeded();
    await page.getByTestId('model-token').nth(5).hover();
    await expect.poll(() => page.getByTestId('focus-row').count()).toBe(144);
    await frames(page);
    expect(await repaints()).toBe(0);
    await app.shot('hub-144-hover');
  });

  it('filters the layers shown', async () => {
    const { page } = app;
    const tiles = page.getByTestId('model-tile');
    await page.getByTestId('layer-from').selectOption({ value: '3' });
    await page.getByTestId('layer-to').selectOption({ value: '5' });
    await expect.poll(() => tiles.count()).toBe(36);
    expect(await tiles.first().getAttribute('data-layer')).toBe('3');
    // The layers now on screen get painted.
    await expect.poll(() => page.locator('[data-testid="model-tile"] canvas[data-painted="1"]').count()).toBe(36);
    await app.shot('hub-144-filtered');
    await page.getByTestId('layer-all').click();
    await expect.poll(() => tiles.count()).toBe(144);
    expect(app.consoleErrors).toEqual([]);
  });
});
