// The URL holds the whole state: a copied link reopens the same view in a fresh browser, a reload
// keeps everything, and bad links or bad case files say what is wrong and keep the page working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, computedId, currentHash, exportCase, exportResult, headHeatmap, keyControl, notices, stateHash, typeText, waitComputed } from './page.ts';

async function chipTokens(app: AppPage) {
  return app.page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));
}

describe('links and reloads', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/');
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Builds a state far from the defaults, through the UI. */
  async function makeEdits(a: AppPage) {
    const { page } = a;
    await typeText(page, 'Links keep every setting , even these');
    await afterRecompute(page, () => page.getByTestId('heads').fill('2'));
    await afterRecompute(page, () => page.getByTestId('seed').fill('7'));
    await afterRecompute(page, () => page.getByTestId('causal').check());
    await page.locator('.al-chip-text[data-index="3"]').dblclick();
    await page.getByTestId('chip-input').fill('a|b&c');
    await afterRecompute(page, () => page.keyboard.press('Enter'));
    await afterRecompute(page, async () => (await keyControl(page, 1, 'key-pad')).check());
    // Select head 2, cell (4, 2), then look at the step-by-step view.
    await headHeatmap(page, 1).click({ position: { x: 5, y: 5 } });
    const box = (await headHeatmap(page, 1).boundingBox())!;
    await page.mouse.click(box.x + (2.5 * box.width) / 7, box.y + (4.5 * box.height) / 7);
    await page.getByTestId('tab-steps').click();
  }

  it('a copied link reopens exactly the same view in a fresh browser', async () => {
    const { page } = app;
    await makeEdits(app);
    await page.getByTestId('copy-link').click();
    await expect.poll(() => page.getByTestId('copy-link').textContent()).toBe('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#v=1&view=steps&mech=multi&conv=standard&h=2&d=16&seed=7&causal=1&mode=words&text=/);
    expect(link).toContain('pad=1');
    expect(link).toContain('head=1');
    expect(link).toContain('cell=4.2');
    const sourceCase = await exportCase(page);
    const sourceResult = await exportResult(page);
    await app.shot('state-source');

    const fresh = await openApp(link.slice(link.indexOf('/#')));
    try {
      await waitComputed(fresh.page);
      expect(await fresh.page.evaluate(() => location.hash)).toBe(link.slice(link.indexOf('#')));
      expect(await fresh.page.getByTestId('tab-steps').getAttribute('aria-selected')).toBe('true');
      expect(await chipTokens(fresh)).toEqual(['Links', 'keep', 'every', 'a|b&c', ',', 'even', 'these']);
      expect(await fresh.page.getByTestId('causal').isChecked()).toBe(true);
      expect(await (await keyControl(fresh.page, 1, 'key-pad')).isChecked()).toBe(true);
      expect(await fresh.page.getByTestId('head-picker').inputValue()).toBe('1');
      expect(await exportCase(fresh.page)).toEqual(sourceCase);
      expect(await exportResult(fresh.page)).toEqual(sourceResult);
      await fresh.shot('state-reopened');
      expect(fresh.consoleErrors).toEqual([]);
    } finally {
      await fresh.close();
    }
    expect(app.consoleErrors).toEqual([]);
  });

  it('a reload keeps the state, with or without the hash (localStorage)', async () => {
    const { page } = app;
    const before = await exportCase(page);
    await currentHash(page); // writes the URL and localStorage now (they are written after a pause)
    await page.reload();
    await waitComputed(page);
    expect(await chipTokens(app)).toEqual(['Links', 'keep', 'every', 'a|b&c', ',', 'even', 'these']);
    expect(await page.getByTestId('tab-steps').getAttribute('aria-selected')).toBe('true');
    expect(await exportCase(page)).toEqual(before);

    // Same origin, no hash: localStorage brings the work back.
    const other = await app.newPage('/');
    await waitComputed(other);
    expect(await other.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')))).toEqual([
      'Links',
      'keep',
      'every',
      'a|b&c',
      ',',
      'even',
      'these',
    ]);
    expect(await other.getByTestId('causal').isChecked()).toBe(true);
    expect(await other.evaluate(() => location.hash)).toContain('seed=7');
    await other.close();
    expect(app.consoleErrors).toEqual([]);
  });
});

describe('bad links and bad files', () => {
  it('a malformed link says what is wrong, applies the rest and keeps the page working', async () => {
    const app = await openApp('/#v=1&h=40&mech=quantum&text=hello%20there%20world&w=1,2&cell=9.9&zoom=3');
    try {
      const { page } = app;
      await waitComputed(page);
      await expect.poll(() => notices(page)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('Link: heads must be 1–16, got 40'),
          expect.stringContaining('Link: mechanism must be one of self, weighted, multi, got quantum'),
          expect.stringContaining('Link: weights has 2 values for 3 tokens'),
          expect.stringContaining('Link: cell must be row.col within 0–2, got 9.9'),
          expect.stringContaining('Link: unknown setting “zoom” ignored'),
        ]),
      );
      expect(await chipTokens(app)).toEqual(['hello', 'there', 'world']);
      expect(await headHeatmap(page, 0).getAttribute('data-rows')).toBe('3');
      await app.shot('state-bad-link');
      // Still working: edit and recompute.
      await typeText(page, 'still working');
      expect(await headHeatmap(page, 0).getAttribute('data-rows')).toBe('2');
      // A garbage hash typed into the address bar of the same tab: message, last good state kept.
      await page.evaluate(() => (location.hash = '#%E0%A4%A&&=&h=0'));
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringContaining('Link: heads must be 1–16, got 0')]));
      expect(await chipTokens(app)).toEqual(['still', 'working']);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a malformed case file shows the CaseError and keeps the last good state', async () => {
    const app = await openApp('/' + stateHash({ text: 'keep this sentence', h: 2, d: 8 }));
    try {
      const { page } = app;
      await waitComputed(page);
      const id = await computedId(page);
      const bad = { X: [[1, 2], [3, 4]], heads: [{ Wq: [[1], [2], [3]], Wk: [[1], [2]], Wv: [[1], [2]] }] };
      await page.getByTestId('import-file-input').setInputFiles({ name: 'bad-case.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      await expect.poll(() => notices(page)).toEqual([expect.stringMatching(/^File bad-case\.json: heads\[0\]\.Wq: expected 2×1, got 3×1/)]);
      await page.getByTestId('import-file-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"X": [[1, 2]') });
      await expect.poll(() => notices(page)).toEqual([expect.stringMatching(/^File broken\.json: not valid JSON \(/)]);
      expect(await chipTokens(app)).toEqual(['keep', 'this', 'sentence']);
      expect(await computedId(page)).toBe(id);
      expect(await headHeatmap(page, 1).getAttribute('data-rows')).toBe('3');
      await app.shot('state-bad-file');

      // A good case through the paste box then works, labels included.
      const good = {
        X: [[1, 0], [0, 1], [1, 1]],
        heads: [{ Wq: [[1, 0], [0, 1]], Wk: [[1, 0], [0, 1]], Wv: [[1, 0], [0, 1]] }],
        tokens: ['x', 'y', 'z'],
      };
      await page.getByTestId('paste-toggle').click();
      await page.getByTestId('paste-text').fill(JSON.stringify(good));
      await afterRecompute(page, () => page.getByTestId('paste-load').click());
      expect(await chipTokens(app)).toEqual(['x', 'y', 'z']);
      expect(await page.getByTestId('source-case').isChecked()).toBe(true);
      const c = await exportCase(page);
      expect(c.X).toEqual(good.X);
      expect(c.heads).toEqual(good.heads);
      expect(c.tokens).toEqual(['x', 'y', 'z']);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
