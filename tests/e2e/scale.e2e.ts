// 1,024 tokens × 12 heads: computed in the worker while the page keeps rendering frames; past the
// limits an inline message explains it and the last good result stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { computedId, headHeatmap, stateHash, waitComputed, wordsText, frames } from './page.ts';

/** Counts the page's animation frames while the status says it is computing, from now until stopped. */
async function startBusyFrameCount(page: AppPage['page']): Promise<void> {
  await page.evaluate(() => {
    const probe = { stop: false, busyFrames: 0 };
    (window as unknown as { __probe: typeof probe }).__probe = probe;
    const tick = () => {
      if (document.querySelector('[data-testid="status"]')?.getAttribute('data-busy') === '1') probe.busyFrames++;
      if (!probe.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopBusyFrameCount(page: AppPage['page']): Promise<number> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __probe: { stop: boolean; busyFrames: number } }).__probe;
    probe.stop = true;
    return probe.busyFrames;
  });
}

describe('large inputs', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/' + stateHash({ text: wordsText(16), h: 12, d: 48 }));
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('renders 1,024 tokens × 12 heads, computed in the worker while the page keeps rendering frames', async () => {
    const { page } = app;
    const before = await computedId(page);
    await startBusyFrameCount(page);
    await page.getByTestId('text').fill(wordsText(1024));
    // The compute worker computes; the page meanwhile renders frame after frame (a page doing the work itself
    // would render none until the result is in). How long its frames take is measured by bench/responsive.ts.
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toContainEqual(expect.stringMatching(/\/compute\.worker[^/]*\.js$/));
    await waitComputed(page, before);
    expect(await stopBusyFrameCount(page)).toBeGreaterThanOrEqual(3);
    const heatmaps = page.locator('[data-testid="head-grid"] [data-testid="heatmap"]');
    expect(await heatmaps.count()).toBe(12);
    const shapes = await heatmaps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-rows')}×${e.getAttribute('data-cols')}`));
    expect(new Set(shapes)).toEqual(new Set(['1024×1024']));
    // Every canvas is painted (not blank).
    const painted = await heatmaps.evaluateAll((els) =>
      els.map((e) => {
        const c = e.querySelector('canvas');
        if (!c || c.width === 0) return false;
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let opaque = 0;
        for (let k = 3; k < px.length; k += 4 * 97) if (px[k] > 0) opaque++;
        return opaque > 0;
      }),
    );
    expect(painted).toEqual(new Array(12).fill(true));

    // Hover still responds on the big grid.
    await headHeatmap(page, 5).scrollIntoViewIfNeeded();
    const box = (await headHeatmap(page, 5).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    await headHeatmap(page, 5).locator('[data-testid="heatmap-tooltip"]').waitFor();
    await app.shot('scale-1024x12');
    expect(app.consoleErrors).toEqual([]);
  });

  it('past the limits: an inline message, and the last good result stays', async () => {
    const { page } = app;
    const id = await computedId(page);
    await page.getByTestId('text').fill(wordsText(1025));
    await expect.poll(() => page.getByTestId('compute-error').textContent()).toContain('1025 tokens: the limit is 1024.');
    expect(await page.getByTestId('token-count').textContent()).toContain('1025 tokens: the limit is 1024');
    await page.getByTestId('heads').fill('17');
    await expect.poll(() => page.getByTestId('heads-error').textContent()).toBe('Must be a whole number from 1 to 16, got 17');
    await frames(page);
    expect(await computedId(page)).toBe(id);
    expect(await headHeatmap(page, 11).getAttribute('data-rows')).toBe('1024');
    await app.shot('scale-over-limit');
    // Back under the limit: computes again.
    await page.getByTestId('text').fill(wordsText(20));
    await waitComputed(page, id);
    expect(await headHeatmap(page, 0).getAttribute('data-rows')).toBe('20');
    expect(app.consoleErrors).toEqual([]);
  });
});
