// Hostile links, broken saved data and numbers that overflow: the page never goes blank, the user's
// work is kept, and one message names what is wrong.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApp } from './harness.ts';
import { frames, notices, waitComputed } from './page.ts';

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

  it('/embed with a crafted case or a malformed query shows the widget and a message', async () => {
    for (const query of [`?src=case&case=${CRAFTED}`, '?%E0=1', '?text=%E0%A4%A&theme=%&lang=%E0']) {
      const app = await openApp(`/embed${query}`, { viewport: { width: 700, height: 500 } });
      try {
        const root = app.page.getByTestId('widget-root');
        await root.waitFor();
        await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="widget-root"]')?.getAttribute('data-painted-id') ?? 0) > 0);
        expect(await app.page.getByTestId('widget-message').count()).toBeGreaterThan(0);
        expect(app.consoleErrors).toEqual([]);
        if (query === '?%E0=1') await app.shot('hardening-embed-malformed');
      } finally {
        await app.close();
      }
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
        .poll(() => page.getByTestId('compute-error').textContent())
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
