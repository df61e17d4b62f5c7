// Validation errors in 简体中文: a malformed case (file, paste or link) is reported in the interface
// language, naming the offending field in its code-like notation (heads[0].Wk, X[1][0]).
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../state/b64.ts';
import { computedId, headHeatmap, notices, stateHash, waitComputed } from './page.ts';
import { openApp } from './harness.ts';

const HAN = /[\u4e00-\u9fff]/;

describe('case errors in 中文', () => {
  it('a malformed case file or pasted JSON is reported in Chinese, naming the field', async () => {
    const app = await openApp('/?lang=zh' + stateHash({ text: 'keep this sentence', h: 2, d: 8 }));
    try {
      const { page } = app;
      await waitComputed(page);
      const id = await computedId(page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

      // Wk 2×2 where Wq is 2×1.
      const bad = { X: [[1, 2], [3, 4]], heads: [{ Wq: [[1], [2]], Wk: [[1, 0], [0, 1]], Wv: [[1], [2]] }] };
      await page.getByTestId('import-file-input').setInputFiles({ name: 'bad-case.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
      await expect.poll(() => notices(page)).toEqual([expect.stringContaining('heads[0].Wk')]);
      const [fileText] = await notices(page);
      expect(fileText).toContain('文件 bad-case.json：heads[0].Wk：形状应为 2×1，实际为 2×2（Wk 的形状必须与 Wq 相同）');
      expect(fileText).not.toMatch(/expected|got/);

      // The same through the paste box: a null in X.
      await page.getByTestId('paste-toggle').click();
      await page.getByTestId('paste-text').fill(JSON.stringify({ X: [[1, 2], [null, 4]], heads: bad.heads }));
      await page.getByTestId('paste-load').click();
      await expect.poll(() => notices(page)).toEqual([expect.stringContaining('X[1][0]')]);
      const [pasteText] = await notices(page);
      expect(pasteText).toContain('粘贴的 JSON：X[1][0]：应为有限数字，实际为 null');
      expect(pasteText).toMatch(HAN);
      expect(pasteText).not.toMatch(/expected|got/);

      // Nothing was loaded: the last good state stays.
      expect(await computedId(page)).toBe(id);
      expect(await headHeatmap(page, 0).getAttribute('data-rows')).toBe('3');
      await app.shot('i18n-errors-file-zh');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a link with a malformed case is reported in Chinese, naming the field', async () => {
    const bad = { X: [[1, 2], [3, 4]], heads: [{ Wq: [[1], [2]], Wk: [[1], [2]], Wv: [[1], [2]] }], causal: 'yes' };
    const app = await openApp(`/?lang=zh#v=1&src=case&case=${toBase64Url(JSON.stringify(bad))}`);
    try {
      const { page } = app;
      await waitComputed(page);
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringContaining('causal')]));
      const text = (await notices(page)).find((n) => n.includes('causal')) ?? '';
      expect(text).toContain('链接：案例：causal：应为 true 或 false，实际为 字符串 "yes"');
      expect(text).not.toMatch(/expected|got/);
      // The seeded default is shown instead.
      expect(await page.getByTestId('source-case').isChecked()).toBe(false);

      // A damaged link (not base64url) in the same tab: the Chinese "unreadable" message.
      await page.evaluate(() => (location.hash = '#v=1&src=case&case=ab!c'));
      await expect.poll(() => notices(page)).toEqual(expect.arrayContaining([expect.stringContaining('链接：案例：不是可读的案例')]));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('in English the same link reads as the engine words it', async () => {
    const bad = { X: [[1, 2], [3, 4]], heads: [{ Wq: [[1], [2]], Wk: [[1], [2]], Wv: [[1], [2]] }], causal: 'yes' };
    const app = await openApp(`/?lang=en#v=1&src=case&case=${toBase64Url(JSON.stringify(bad))}`);
    try {
      const { page } = app;
      await waitComputed(page);
      await expect
        .poll(() => notices(page))
        .toEqual(expect.arrayContaining([expect.stringContaining('Link: case: causal: expected true or false, got the string "yes"')]));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
