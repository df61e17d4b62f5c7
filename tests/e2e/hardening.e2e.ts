// Hostile links, broken saved data and numbers that overflow: the page never goes blank, the user's
// work is kept, and one message names what is wrong.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApp } from './harness.ts';
import type { Page } from 'playwright-core';
import { frames, notices, stateHash, typeText, waitComputed, wordsText } from './page.ts';

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
/** A case that passes the engine's shape checks but whose token label is an object with a non-callable toString. */
const CRAFTED = b64url(JSON.stringify({ X: [[1], [2]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }], tokens: ['a', { toString: 1 }] }));
const TOKENS_MSG = 'Link: case: tokens: expected 2 strings (one per row of X)';

describe('hostile links', () => {
  it('a crafted case in the link: a named message and the default document, not a blank page', async () => {
    const app = await openApp(`/#v=1&src=case&case=${CRAFTED}`);
    try {
      const { page } = app;
      await waitComputed(page);
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringContaining(TOKENS_MSG)]));
      expect(await page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBeGreaterThan(0);
      // The same link pasted into the address bar of the running app (hashchange): message, work kept.
      await page.getByTestId('text').fill('my own work');
      await waitComputed(page);
      await page.evaluate((c) => (location.hash = `#v=1&src=case&case=${c}`), CRAFTED);
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringContaining(TOKENS_MSG)]));
      await frames(page);
      expect(await page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')))).toEqual(['my', 'own', 'work']);
      await app.shot('hardening-crafted-link');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('/embed with a crafted case or a malformed query shows the widget and names what is wrong in each', async () => {
    const cases: [string, string[]][] = [
      [`?src=case&case=${CRAFTED}`, [TOKENS_MSG]],
      ['?%E0=1', ['Link: unknown setting “%E0” ignored']],
      ['?text=%E0%A4%A&theme=%&lang=%E0', ['attention-lab: lang: expected one of en, zh, got "%E0"', 'attention-lab: theme: expected one of light, dark, auto, got "%"']],
    ];
    for (const [query, messages] of cases) {
      const app = await openApp(`/embed${query}`, { viewport: { width: 700, height: 500 } });
      try {
        const root = app.page.getByTestId('widget-root');
        await root.waitFor({ timeout: 30_000 });
        await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="widget-root"]')?.getAttribute('data-painted-id') ?? 0) > 0);
        const shown = (await app.page.getByTestId('widget-message').allTextContents()).join('\n');
        for (const m of messages) expect(shown, query).toContain(m);
        // Nothing else: each message is one of those expected.
        expect(shown.length, query).toBe(messages.join('').length + (shown.match(/\n/g) ?? []).length);
        expect(app.consoleErrors).toEqual([]);
        if (query === '?%E0=1') await app.shot('hardening-embed-malformed');
      } finally {
        await app.close();
      }
    }
  });
});

describe('text at the edges', () => {
  it('130,000 characters without a space in chars mode: the token limit is named, the page keeps working', async () => {
    const app = await openApp('/');
    try {
      const { page } = app;
      await waitComputed(page);
      await page.getByTestId('mode-chars').check();
      await waitComputed(page, 0);
      await page.getByTestId('text').fill('ab'.repeat(65_000));
      await expect.poll(() => page.getByTestId('compute-error').textContent(), { timeout: 60_000 }).toContain('130000 tokens: the limit is 1024.');
      expect(await page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBeGreaterThan(0);
      // Shortened again: computed as usual.
      await typeText(page, 'short again');
      expect(await page.getByTestId('compute-error').count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('numbers that overflow float32', () => {
  it('an imported case whose scores overflow: a message naming the matrix, the last picture kept', async () => {
    const app = await openApp('/');
    try {
      const { page } = app;
      await waitComputed(page);
      const overflow = { X: [[1], [2]], heads: [{ Wq: [[1e20]], Wk: [[1e20]], Wv: [[1]] }], scale: 1, tokens: ['big', 'numbers'] };
      await page.getByTestId('paste-toggle').click();
      await page.getByTestId('paste-text').fill(JSON.stringify(overflow));
      await page.getByTestId('paste-load').click();
      await expect
        .poll(() => page.getByTestId('compute-error').textContent(), { timeout: 30_000 })
        .toContain('heads[0].scores: not finite at [0][0] (Infinity): the numbers are too large for float32');
      expect(await page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBeGreaterThan(0);
      await app.shot('hardening-overflow');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('saved data that cannot be read', () => {
  it('a broken saved model and document are reported, offered for download, and only discarded on request', async () => {
    const app = await openApp('/');
    try {
      const { page } = app;
      await waitComputed(page);
      await page.evaluate(() => {
        localStorage.setItem('attention-lab:user-model', '{"format": "not a model bundle"');
        localStorage.setItem('attention-lab:case', '{"X": [[1]], "heads": "broken"}');
        localStorage.setItem('attention-lab:doc', 'v=1&src=case&text=a');
      });
      // No hash: the saved document is what the app opens with.
      await page.goto(page.url().split('#')[0]);
      await waitComputed(page);
      const model = page.locator('[data-testid="notice"][data-area="storage"]', { hasText: 'The model saved in this browser could not be read' });
      const doc = page.locator('[data-testid="notice"][data-area="storage"]', { hasText: 'Your saved work could not be fully restored' });
      await model.waitFor();
      await doc.waitFor();
      expect(await doc.textContent()).toContain('heads: expected a list of heads');
      await app.shot('hardening-broken-storage');
      const [dl] = await Promise.all([page.waitForEvent('download'), model.getByTestId('notice-download-broken').click()]);
      expect(await readFile((await dl.path())!, 'utf8')).toBe('{"format": "not a model bundle"');
      // Still there after a reload (kept aside, not deleted)…
      await page.reload();
      await waitComputed(page);
      await model.waitFor();
      // …until discarded.
      await model.getByTestId('notice-discard-broken').click();
      await doc.getByTestId('notice-discard-broken').click();
      expect(await page.evaluate(() => [localStorage.getItem('attention-lab:broken-model'), localStorage.getItem('attention-lab:broken-doc')])).toEqual([null, null]);
      await page.reload();
      await waitComputed(page);
      await frames(page);
      expect(await page.locator('[data-testid="notice"][data-area="storage"]').count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('exports at the edges', () => {
  /** Clicks an export button and returns the downloaded file's name and bytes. */
  async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
    return { name: dl.suggestedFilename(), bytes: await readFile((await dl.path())!) };
  }

  /** The parser errors of an SVG file, as the browser's XML parser reports them. */
  function xmlErrors(page: Page, svg: string): Promise<string[]> {
    return page.evaluate((text) => Array.from(new DOMParser().parseFromString(text, 'image/svg+xml').getElementsByTagName('parsererror'), (e) => e.textContent ?? ''), svg);
  }

  it('a token with U+FFFF and a lone surrogate: the SVG is valid XML and the PNG draws', async () => {
    const app = await openApp('/');
    try {
      const { page } = app;
      await waitComputed(page);
      await typeText(page, 'odd \uFFFF token \uD800 here');
      expect(await page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')))).toContain('\uFFFF');
      const svg = await download(page, 'export-svg');
      const text = svg.bytes.toString('utf8');
      expect(await xmlErrors(page, text)).toEqual([]);
      expect(text).toContain('>\uFFFD<');
      expect(text).not.toContain('\uFFFF');
      const png = await download(page, 'export-png');
      expect(png.name).toBe('attention-heads.png');
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(await page.locator('[data-testid="notice"]', { hasText: 'Export failed' }).count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('5 heads × 1,024 tokens: SVG and PNG export with progress, each map an image inside the SVG', async () => {
    const app = await openApp(`/${stateHash({ text: wordsText(1024), h: 5, d: 20 })}`);
    try {
      const { page } = app;
      await waitComputed(page, 0, 180_000);
      const progress = page.getByTestId('export-progress');
      const [dl] = await Promise.all([
        page.waitForEvent('download', { timeout: 300_000 }),
        (async () => {
          await page.getByTestId('export-svg').click();
          // The page keeps rendering while the worker draws: the progress shows the maps done.
          await progress.waitFor();
          await expect.poll(() => progress.textContent(), { timeout: 300_000 }).toMatch(/Drawing the view(…|: [0-5] of 5)/);
          await app.shot('hardening-export-progress');
        })(),
      ]);
      const svg = await readFile((await dl.path())!, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.endsWith('</svg>')).toBe(true);
      expect((svg.match(/<image /g) ?? []).length).toBe(5);
      expect((svg.match(/<rect /g) ?? []).length).toBeLessThan(10);
      // The SVG opens on its own and draws its five maps.
      const tab = await app.context.newPage();
      await tab.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      expect(await tab.locator('svg image').count()).toBe(5);
      const box = await tab.locator('svg image').first().boundingBox();
      expect(box!.width).toBe(2048);
      await tab.screenshot({ path: 'tests/e2e/artifacts/hardening-export-1024-svg.png', clip: { x: 0, y: 0, width: 1400, height: 1000 } });
      await tab.close();
      await progress.waitFor({ state: 'detached' });
      const png = await download(page, 'export-png');
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(await page.locator('[data-testid="notice"]', { hasText: 'Export failed' }).count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
