// Token text is untrusted: it is shown as text in every view and never parsed as HTML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, exportCase, headHeatmap, stateHash, waitComputed, frames } from './page.ts';

const EVIL = '<img src=x onerror=alert(1)>';
const EVIL2 = '<svg onload=alert(2)>';

describe('token text is rendered as text', () => {
  let app: AppPage;
  const dialogs: string[] = [];
  beforeAll(async () => {
    app = await openApp('/' + stateHash({ text: 'safe words here', h: 2, d: 8 }));
    app.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an <img onerror> token typed into a chip shows as text and runs nothing', async () => {
    const { page } = app;
    const imgRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/x$/.test(r.url())) imgRequests.push(r.url());
    });
    await page.locator('.al-chip-text[data-index="1"]').dblclick();
    await page.getByTestId('chip-input').fill(EVIL);
    await afterRecompute(page, () => page.keyboard.press('Enter'));
    // Insert a second one at the end.
    await page.getByTestId('chip-add').click();
    await page.getByTestId('chip-input').fill(EVIL2);
    await afterRecompute(page, () => page.keyboard.press('Enter'));

    const chips = await page.getByTestId('chip').evaluateAll((els) => els.map((e) => [e.getAttribute('data-token'), e.querySelector('.al-chip-text')?.textContent]));
    const visible = (s: string) => s.replace(/ /g, '␣'); // spaces inside a token are shown as ␣
    expect(chips).toEqual([
      ['safe', 'safe'],
      [EVIL, visible(EVIL)],
      ['here', 'here'],
      [EVIL2, visible(EVIL2)],
    ]);
    // Heatmap labels carry it as text (full text in <title>).
    const titles = await headHeatmap(page, 0)
      .locator('xpath=ancestor::figure')
      .locator('.al-axis-rows text title')
      .allTextContents();
    expect(titles).toContain(visible(EVIL));

    // Visit every view with the evil tokens on screen.
    for (const tab of ['lines', 'matrices', 'steps', 'heads']) {
      await page.getByTestId(`tab-${tab}`).click();
      await frames(page);
    }
    await page.getByTestId('tab-lines').click();
    await frames(page);
    await app.shot('security-lines');
    await page.getByTestId('tab-heads').click();
    await frames(page);

    expect(dialogs).toEqual([]);
    expect(imgRequests).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(await page.evaluate(() => [...document.querySelectorAll('*')].some((e) => e.hasAttribute('onerror') || e.hasAttribute('onload')))).toBe(false);
    // Exported as data, not markup.
    expect((await exportCase(page)).tokens).toEqual(['safe', EVIL, 'here', EVIL2]);
    await app.shot('security-heads');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the same token arriving through a link is text too', async () => {
    const other = await openApp(`/#v=1&mech=multi&h=2&d=8&text=x&tok=${encodeURIComponent(['a', EVIL, 'b'].join('|'))}&view=lines`);
    const seen: string[] = [];
    other.page.on('dialog', (d) => {
      seen.push(d.message());
      void d.dismiss();
    });
    try {
      await waitComputed(other.page);
      await frames(other.page);
      expect(await other.page.getByTestId('chip').nth(1).getAttribute('data-token')).toBe(EVIL);
      expect(await other.page.locator('img').count()).toBe(0);
      expect(seen).toEqual([]);
      expect(other.consoleErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
