// Training in the browser: the loss falls and the heads' heatmaps change in the training worker while the
// page answers clicks and edits; pause stops the step counter and resume restarts it; the downloaded model is a bundle
// that reloads in a fresh page and shows the same attention as "Use in the app" (and as Node).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, exportResult, frames, typeText, waitComputed } from './page.ts';
import { initBackend } from '../../engine/backend.ts';
import { parseBundle } from '../../engine/model/bundle.ts';
import { modelForward } from '../../engine/model/forward.ts';
import { tokenizeForModel } from '../../engine/model/tokenize.ts';

const TEXT = 'hello|hello abc|abc';
const HASH = `#v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=${encodeURIComponent(TEXT)}`;

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's serious and critical findings inside the Train panel. */
async function panelViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: string, opts: object) => Promise<Result> } }).axe;
    const r = await axe.run('[data-testid="train-panel"]', { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const status = (page: Page) => page.getByTestId('train-status');
const stepOf = async (page: Page) => Number(await status(page).getAttribute('data-step'));

/** Head h of the current view's layer, as exported (n×n). */
async function exportedA(page: Page): Promise<number[][][]> {
  return (await exportResult(page)).heads.map((h) => h.A);
}

function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((x, j) => (m = Math.max(m, Math.abs(x - b[i][j])))));
  return m;
}

describe('training in the browser', () => {
  let app: AppPage;
  let bundlePath = '';
  let bundleName = '';
  let usedA: number[][][] = [];

  beforeAll(async () => {
    await initBackend('cpu');
    app = await openApp('/' + HASH);
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('trains copy in a worker: the loss falls, the heads change, the page answers clicks and edits meanwhile', async () => {
    const { page } = app;
    await page.getByTestId('open-train').click();
    await page.getByTestId('train-panel').waitFor();
    await page.getByTestId('train-task-copy').check();
    await page.getByTestId('train-steps').fill('2000');
    await page.getByTestId('train-snapshotEvery').fill('10');
    await page.getByTestId('train-start').click();

    await expect.poll(() => status(page).getAttribute('data-status')).toBe('running');
    await expect.poll(() => stepOf(page)).toBeGreaterThanOrEqual(40);
    // The training worker is the one training (how smooth the page stays meanwhile is bench/responsive.ts's).
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toContainEqual(expect.stringMatching(/\/train\.worker[^/]*\.js$/));
    // While it trains, the page answers a click (another view) and an edit (a new result computed and painted),
    // and the step counter keeps moving.
    const during = await stepOf(page);
    await page.getByTestId('tab-lines').click();
    await expect.poll(() => page.getByTestId('tab-lines').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('panel-lines').waitFor();
    await page.getByTestId('tab-heads').click();
    await typeText(page, `${TEXT} hello`);
    await typeText(page, TEXT);
    expect(await status(page).getAttribute('data-status')).toBe('running');
    await expect.poll(() => stepOf(page)).toBeGreaterThan(during);
    await expect.poll(() => stepOf(page)).toBeGreaterThanOrEqual(60);
    const first = Number(await status(page).getAttribute('data-first-loss'));
    const loss = Number(await status(page).getAttribute('data-loss'));
    expect(first).toBeGreaterThan(3.5);
    expect(loss).toBeLessThan(0.85 * first);
    expect(await status(page).textContent()).toMatch(/step \d+ \/ 2000 · loss \d+\.\d\d · [\d,]+ tok\/s/);
    const bar = page.getByRole('progressbar');
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(60);
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThan(40);

    // The heatmaps of the first snapshot (step 0) and of the latest differ.
    const snapshot = page.getByTestId('train-snapshot');
    expect(await snapshot.getByTestId('head-thumbnail').count()).toBe(8); // 2 layers × 4 heads
    const scrubber = page.getByTestId('train-scrubber');
    await scrubber.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => snapshot.getAttribute('data-step')).toBe('0');
    expect(await page.getByTestId('train-scrub-label').textContent()).toBe('step 0');
    const firstSum = await snapshot.getAttribute('data-checksum');
    await page.keyboard.press('End');
    await expect.poll(async () => Number(await snapshot.getAttribute('data-step'))).toBeGreaterThanOrEqual(50);
    expect(await snapshot.getAttribute('data-checksum')).not.toBe(firstSum);
    await app.shot('train-running');
    expect(app.consoleErrors).toEqual([]);
  });

  it('pause stops the step counter; resume moves it again', async () => {
    const { page } = app;
    await page.getByTestId('train-pause').click();
    await expect.poll(() => status(page).getAttribute('data-status')).toBe('paused');
    const paused = await stepOf(page);
    await frames(page, 90); // while paused, the worker posts no step in these frames
    expect(await stepOf(page)).toBe(paused);
    // The paused step's attention is on screen.
    await expect.poll(() => page.getByTestId('train-snapshot').getAttribute('data-step')).toBe(String(paused));
    await app.shot('train-paused');
    expect(await panelViolations(page)).toEqual([]);

    await page.getByTestId('train-resume').click();
    await expect.poll(() => stepOf(page)).toBeGreaterThan(paused + 5);
    await page.getByTestId('train-pause').click();
    await expect.poll(() => status(page).getAttribute('data-status')).toBe('paused');
    expect(app.consoleErrors).toEqual([]);
  });

  it('downloads the model as a bundle named after the task and step', async () => {
    const { page } = app;
    const step = await stepOf(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('train-download').click()]);
    bundleName = download.suggestedFilename();
    expect(bundleName).toBe(`attention-lab-copy-step${step}.json`);
    bundlePath = await download.path();
    const { manifest, model } = parseBundle(await readFile(bundlePath, 'utf8'));
    expect(manifest.training).toMatchObject({ task: 'copy', steps: step });
    expect([model.arch.nLayers, model.arch.nHeads, model.arch.dModel, model.arch.context]).toEqual([2, 4, 32, 32]);
  });

  it('“Use in the app” shows the trained model in the views, with the numbers of the bundle run in Node', async () => {
    const { page } = app;
    await afterRecompute(page, () => page.getByTestId('train-use').click());
    await expect.poll(() => page.getByTestId('model-info').getAttribute('data-layers')).toBe('2');
    usedA = await exportedA(page);
    expect(usedA).toHaveLength(4);

    const { model } = parseBundle(await readFile(bundlePath, 'utf8'));
    const { ids } = tokenizeForModel(model, TEXT);
    const node = await modelForward(model, ids, { logits: false });
    usedA.forEach((A, h) => expect(maxDiff(A, Array.from({ length: ids.length }, (_, i) => Array.from(node.layers[0].result.heads[h].A.data.subarray(i * ids.length, (i + 1) * ids.length))))).toBeLessThan(1e-4));
    await app.shot('train-used');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the downloaded file loads in a fresh page and shows the same attention', async () => {
    const other = await openApp('/' + HASH);
    try {
      await waitComputed(other.page);
      const buffer = await readFile(bundlePath);
      await afterRecompute(other.page, () => other.page.getByTestId('model-file').setInputFiles({ name: bundleName, mimeType: 'application/json', buffer }));
      await expect.poll(() => other.page.getByTestId('model-info').getAttribute('data-layers')).toBe('2');
      const loadedA = await exportedA(other.page);
      expect(loadedA).toEqual(usedA);
      await other.shot('train-reloaded');
      expect(other.consoleErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('reset forgets the run', async () => {
    const { page } = app;
    await page.getByTestId('train-reset').click();
    await expect.poll(() => status(page).getAttribute('data-status')).toBe('idle');
    expect(await page.getByTestId('train-download').isDisabled()).toBe(true);
    expect(await page.getByTestId('train-snapshot').count()).toBe(0);
    expect(app.consoleErrors).toEqual([]);
  });

  it('the English-text task trains on the served excerpt, and says so when the excerpt is missing', async () => {
    const { page } = app;
    await page.getByTestId('train-task-corpus').check();
    await page.getByTestId('train-steps').fill('5');
    await page.getByTestId('train-start').click();
    await expect.poll(() => status(page).getAttribute('data-status')).toBe('done');
    expect(await stepOf(page)).toBe(5);
    expect(await page.getByTestId('train-error').count()).toBe(0);
    expect(app.consoleErrors).toEqual([]);

    await page.route('**/train/brown-excerpt.txt', (route) => route.fulfill({ status: 404, body: 'no such file' }));
    // A new worker fetches the text afresh (the old one keeps what it loaded).
    await page.reload();
    await waitComputed(page);
    await page.getByTestId('open-train').click();
    await page.getByTestId('train-task-corpus').check();
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-error').textContent()).toMatch(
      /^Could not load the training text http:\/\/127\.0\.0\.1:\d+\/train\/brown-excerpt\.txt: HTTP 404/,
    );
    expect(await status(page).getAttribute('data-status')).toBe('error');
    await app.shot('train-corpus-missing');
  });
});
