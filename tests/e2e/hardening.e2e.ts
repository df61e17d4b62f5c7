// Hostile links, broken saved data and numbers that overflow: the page never goes blank, the user's
// work is kept, and one message names what is wrong.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApp } from './harness.ts';
import { startHubServer } from '../hub/server.ts';
import type { Page } from 'playwright-core';
import { afterRecompute, currentHash, exportCase, frames, notices, stateHash, typeText, waitComputed, wordsText } from './page.ts';

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
        await root.waitFor();
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
    const app = await openApp('/#v=1&mode=chars&text=typed');
    try {
      const { page } = app;
      await waitComputed(page);
      expect(await page.getByTestId('mode-chars').isChecked()).toBe(true);
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

describe('saved work across tabs and a full storage', () => {
  /** A case too large for a link (≈ 330k characters of JSON): n tokens named `${tag}0…`, d = 64, one head. */
  function largeCase(tag: string, n = 200, d = 64) {
    let s = tag.charCodeAt(0);
    const num = () => ((s = (s * 48271) % 2147483647) / 2147483647 - 0.5).toFixed(9);
    const m = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => Number(num())));
    return { X: m(n, d), heads: [{ Wq: m(d, d), Wk: m(d, d), Wv: m(d, d) }], tokens: Array.from({ length: n }, (_, i) => `${tag}${i}`) };
  }
  const chipTokens = (page: Page) => page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));
  /** Imports a case file and waits for the page to show it and to have saved it (the link written now). */
  async function importCase(page: Page, c: ReturnType<typeof largeCase>): Promise<string> {
    await afterRecompute(page, () => page.getByTestId('import-file-input').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(c)) }));
    await expect.poll(() => chipTokens(page).then((t) => t[0])).toBe(c.tokens[0]);
    return currentHash(page);
  }
  const storedKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('attention-lab:case')).sort());

  it('two tabs on one browser: each keeps its large case; neither overwrites nor deletes the other’s', async () => {
    const app = await openApp('/');
    try {
      const { page: first } = app;
      await waitComputed(first);
      const a = largeCase('a');
      const hashA = await importCase(first, a);
      const refA = /cref=([0-9a-f]{16})/.exec(hashA)?.[1];
      expect(refA, hashA).toBeDefined();
      expect(hashA).not.toContain('case=');
      expect(await storedKeys(first)).toEqual([`attention-lab:case:${refA}`]);

      // A second tab opens (the latest saved document: case a), then loads its own large case and edits it.
      const second = await app.newPage('/');
      await waitComputed(second);
      expect((await chipTokens(second)).slice(0, 2)).toEqual(['a0', 'a1']);
      const b = largeCase('b');
      const refB = /cref=([0-9a-f]{16})/.exec(await importCase(second, b))?.[1];
      expect(refB).toBeDefined();
      expect(refB).not.toBe(refA);
      expect(await storedKeys(second)).toEqual([`attention-lab:case:${refA}`, `attention-lab:case:${refB}`].sort());

      // The first tab reloads: its own case, no message that it is not stored.
      await first.reload();
      await waitComputed(first);
      expect(await chipTokens(first)).toEqual(a.tokens);
      expect(await exportCase(first)).toMatchObject({ tokens: a.tokens, X: a.X });
      expect(await notices(first)).not.toEqual(expect.arrayContaining([expect.stringContaining('not stored')]));
      // And the second reloads to its own.
      await second.reload();
      await waitComputed(second);
      expect(await chipTokens(second)).toEqual(b.tokens);
      await app.shot('hardening-two-tabs');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('storage full: a large case is not half saved; the notice says a reload would not find it and offers the file', async () => {
    const app = await openApp('/#v=1&text=saved%20before');
    try {
      const { page } = app;
      await waitComputed(page);
      await currentHash(page);
      expect(await page.evaluate(() => localStorage.getItem('attention-lab:doc'))).toContain('text=saved%20before');
      // Fill this origin's localStorage to its real quota (Chromium's), leaving less than the case needs.
      const filled = await page.evaluate(() => {
        let chunk = 'x'.repeat(1 << 20);
        let k = 0;
        while (chunk.length > 1000) {
          try {
            localStorage.setItem(`filler-${k++}`, chunk);
          } catch {
            chunk = chunk.slice(0, chunk.length >> 1);
          }
        }
        return k;
      });
      expect(filled).toBeGreaterThan(1);
      const c = largeCase('c');
      await importCase(page, c);
      const full = page.locator('[data-testid="notice"][data-area="storage"]', { hasText: 'storage is full: the case and your latest changes are not saved here' });
      await full.waitFor();
      expect(await page.evaluate(() => localStorage.getItem('attention-lab:doc'))).toContain('text=saved%20before');
      expect(await storedKeys(page)).toEqual([]);
      await app.shot('hardening-storage-full');
      const [dl] = await Promise.all([page.waitForEvent('download'), full.getByTestId('notice-download-case').click()]);
      expect(JSON.parse(await readFile((await dl.path())!, 'utf8'))).toMatchObject({ tokens: c.tokens });
      // A new tab opens the last document that was saved whole, not the new one with a stale case.
      const other = await app.newPage('/');
      await waitComputed(other);
      expect(await chipTokens(other)).toEqual(['saved', 'before']);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('model storage and folders that fail', () => {
  /** The page's notices (not the worker's) that contain `text`. */
  const notice = (page: Page, text: string) => page.locator('[data-testid="notice"]', { hasText: text });

  it('deleting, clearing and listing the models kept in this browser: each failure is a notice, the list stays true', async () => {
    const server = await startHubServer();
    const app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/stories260K-hf&mode=words&text=Once`);
    try {
      const { page } = app;
      await waitComputed(page, 0, 120_000);
      await expect.poll(() => page.getByTestId('model-info').getAttribute('data-heads')).toBe('8');
      const cache = page.getByTestId('model-cache');
      await cache.locator('summary').click();
      const listed = cache.getByTestId('cached-model');
      await expect.poll(() => listed.evaluateAll((els) => els.map((e) => e.getAttribute('data-model')))).toEqual(['local/stories260K-hf@main']);

      // Cache Storage refuses to delete (as a broken or locked profile does): the notice names the model and why.
      await page.evaluate(() => (Cache.prototype.delete = () => Promise.reject(new DOMException('the disk is locked', 'UnknownError'))));
      await listed.getByTestId('cache-delete').click();
      await notice(page, 'local/stories260K-hf@main could not be deleted from this browser: the disk is locked').waitFor();
      expect(await listed.count()).toBe(1);
      await page.evaluate(() => (CacheStorage.prototype.delete = () => Promise.reject(new DOMException('the disk is locked', 'UnknownError'))));
      await cache.getByTestId('cache-clear').click();
      await notice(page, 'The models kept in this browser could not be deleted: the disk is locked').waitFor();
      expect(await listed.count()).toBe(1);
      await app.shot('hardening-cache-errors');

      // Listing fails from the start: a notice, and the model itself still opens (from the worker's cache).
      await page.addInitScript(() => (CacheStorage.prototype.open = () => Promise.reject(new DOMException('storage is unavailable', 'SecurityError'))));
      await page.reload();
      await waitComputed(page, 0, 120_000);
      await notice(page, 'The models kept in this browser could not be listed: storage is unavailable').waitFor();
      await expect.poll(() => page.getByTestId('model-info').getAttribute('data-heads')).toBe('8');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
      await server.stop();
    }
  });

  it('a dropped folder that cannot be read, and a drop with nothing in it: a notice each, in English and Chinese', async () => {
    for (const [lang, unreadable, empty] of [
      ['en', 'The dropped folder could not be read: the folder moved', 'Nothing to open: pick or drop a folder holding config.json'],
      ['zh', '无法读取拖入的文件夹：the folder moved', '没有可打开的内容'],
    ] as const) {
      const app = await openApp(`/?lang=${lang}`);
      try {
        const { page } = app;
        await waitComputed(page);
        const drop = (withFile: boolean) =>
          page.evaluate((withFile) => {
            const dt = new DataTransfer();
            if (withFile) dt.items.add(new File(['{}'], 'my-model'));
            document.querySelector('[data-testid="model-source"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
          }, withFile);
        // A folder whose entries the browser cannot read (moved or without permission while being read).
        await page.evaluate(() => {
          const failing = { name: 'my-model', isFile: false, isDirectory: true, createReader: () => ({ readEntries: (_ok: unknown, fail: (e: unknown) => void) => fail(new DOMException('the folder moved', 'NotReadableError')) }) };
          DataTransferItem.prototype.webkitGetAsEntry = () => failing as unknown as FileSystemEntry;
        });
        await drop(true);
        await notice(page, unreadable).waitFor();
        await page.evaluate(() => (DataTransferItem.prototype.webkitGetAsEntry = () => null));
        await drop(false);
        await notice(page, empty).waitFor();
        expect(await page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBeGreaterThan(0);
        if (lang === 'zh') await app.shot('hardening-drop-errors-zh');
        expect(app.consoleErrors).toEqual([]);
      } finally {
        await app.close();
      }
    }
  });
});
