// The embeddable widget on the demo page (public/embed-demo.html, hostile CSS), the /embed route,
// the React export, the classic-script loader and Share → Embed in the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, baseUrl, openApp, type AppPage } from './harness.ts';
import { currentHash } from './page.ts';

/** Waits until widget `id` shows a painted, idle result newer than `after`; returns its id. */
async function widgetPainted(page: Page, id: string, after = 0): Promise<number> {
  const handle = await page.waitForFunction(
    ([id, after]) => {
      const root = document.getElementById(id as string)?.shadowRoot?.querySelector('[data-testid="widget-root"]') ?? document.querySelector(`#${id as string} [data-testid="widget-root"]`);
      const st = root?.querySelector('[data-testid="status"]');
      const painted = Number(root?.getAttribute('data-painted-id') ?? 0);
      const computed = Number(st?.getAttribute('data-computed-id') ?? 0);
      return painted > (after as number) && painted === computed && st?.getAttribute('data-busy') === '0' ? painted : false;
    },
    [id, after] as const,
    { polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

const w = (page: Page, id: string) => page.locator(`#${id}`);

async function eventLog(page: Page): Promise<string[]> {
  return ((await page.locator('#log').textContent()) ?? '').split('\n').filter(Boolean);
}

/** Fraction of pixels that differ (any channel by more than 24) between two PNGs of the same size. */
async function pixelDiff(page: Page, a: Buffer, b: Buffer): Promise<{ ratio: number; sizes: number[] }> {
  return page.evaluate(
    async ([a, b]) => {
      const load = async (b64: string) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        return img;
      };
      const [ia, ib] = await Promise.all([load(a), load(b)]);
      const sizes = [ia.width, ia.height, ib.width, ib.height];
      // The element can sit at a fractional position on one page: its screenshot may then be a pixel
      // larger, shifted by a pixel, and show a sliver of the host's border at an edge. Compare the
      // interior, at the best of the one-pixel shifts.
      if (Math.abs(ia.width - ib.width) > 1 || Math.abs(ia.height - ib.height) > 1) return { ratio: 1, sizes };
      const pixels = (img: HTMLImageElement) => {
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, img.width, img.height).data;
      };
      const da = pixels(ia);
      const db = pixels(ib);
      const inset = 3;
      const w = Math.min(ia.width, ib.width) - 2 * inset;
      const h = Math.min(ia.height, ib.height) - 2 * inset;
      let best = 1;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          let diff = 0;
          for (let y = inset; y < inset + h; y++) {
            for (let x = inset; x < inset + w; x++) {
              const i = (y * ia.width + x) * 4;
              const j = ((y + dy) * ib.width + (x + dx)) * 4;
              if (Math.abs(da[i] - db[j]) > 24 || Math.abs(da[i + 1] - db[j + 1]) > 24 || Math.abs(da[i + 2] - db[j + 2]) > 24) diff++;
            }
          }
          best = Math.min(best, diff / (w * h));
        }
      }
      return { ratio: best, sizes };
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

/** Console errors, minus the 404 the broken widget's case file causes on purpose. */
const realErrors = (errors: string[]) => errors.filter((e) => !/404|Failed to load resource/.test(e));

describe('<attention-lab> on a hostile page', () => {
  let app: AppPage;
  let page: Page;

  beforeAll(async () => {
    app = await openApp('/embed-demo.html');
    page = app.page;
    for (const id of ['w1', 'w2', 'w3', 'w4']) await widgetPainted(page, id);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('renders every widget, each with its own view, and fires ready', async () => {
    await app.shot('widget-demo');
    await expect(w(page, 'w1').locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).resolves.toBe(4);
    await expect(w(page, 'w2').locator('[data-testid="panel-lines"]').count()).resolves.toBe(1);
    await expect(w(page, 'w3').locator('[data-testid="panel-steps"]').count()).resolves.toBe(1);
    // w3 reads its case file: 3 tokens, 1 head.
    await expect(w(page, 'w3').locator('[data-testid="status"]').textContent()).resolves.toContain('n = 3, h = 1');
    const log = await eventLog(page);
    for (const id of ['w1', 'w2', 'w3', 'w4']) expect(log.some((l) => l.startsWith(`${id} attention-lab:ready`))).toBe(true);
    expect(realErrors(app.consoleErrors)).toEqual([]);
  });

  it('source="model" view="model" shows the trained model\'s layers × heads, fetched next to the widget', async () => {
    await page.evaluate(() => {
      const el = document.createElement('attention-lab');
      el.id = 'wm';
      el.setAttribute('source', 'model');
      el.setAttribute('view', 'model');
      el.setAttribute('text', 'abc abc abc');
      el.setAttribute('theme', 'light');
      document.body.append(el);
    });
    await widgetPainted(page, 'wm');
    const tiles = w(page, 'wm').getByTestId('model-tile');
    await expect.poll(() => tiles.count()).toBe(8);
    await expect.poll(() => w(page, 'wm').getByTestId('head-badge').count()).toBeGreaterThan(0);
    await w(page, 'wm').scrollIntoViewIfNeeded();
    await w(page, 'wm').screenshot({ path: path.join(ARTIFACTS, 'widget-model.png') });
    // The styles of the lazily loaded parts reach the shadow root, whatever the host page sets (its
    // hostile CSS sets font-size: 40px on every element, the root included: rem units would follow it).
    await w(page, 'wm').getByTestId('predictions').waitFor();
    const styles = await w(page, 'wm').locator('.al-with-predictions').evaluate((el) => ({
      display: getComputedStyle(el).display,
      h3: getComputedStyle(el.querySelector('.al-h3')!).fontSize,
    }));
    expect(styles).toEqual({ display: 'flex', h3: '16px' });
    // The Heatmap tab then shows the selected layer's heads of the same model.
    await w(page, 'wm').locator('[data-testid="model-tile"][data-layer="1"][data-head="2"]').click();
    await w(page, 'wm').getByRole('tab', { name: 'Heatmap' }).click();
    await expect.poll(() => w(page, 'wm').locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).toBe(4);
    await page.evaluate(() => document.getElementById('wm')?.remove());
    expect(realErrors(app.consoleErrors)).toEqual([]);
  });

  it('a widget with a bad src shows its message while the others keep working', async () => {
    const msg = w(page, 'w4').locator('[data-testid="widget-message"]');
    await expect(msg.textContent()).resolves.toContain('no-such-case.json');
    // A missing file is named as such (not "not valid JSON" from a fallback page).
    await expect(msg.textContent()).resolves.toContain('HTTP 404');
    // It still shows its text.
    await expect(w(page, 'w4').locator('[data-testid="status"]').textContent()).resolves.toContain('n = 2');
    await expect(w(page, 'w1').locator('[data-testid="widget-message"]').count()).resolves.toBe(0);
  });

  it('the hostile CSS changes none of them (same pixels as on a plain page)', async () => {
    const plain = await app.newPage('/embed-demo.html?plain');
    for (const id of ['w1', 'w2', 'w3']) await widgetPainted(plain, id);
    const blank = await app.context.newPage();
    for (const id of ['w1', 'w2', 'w3']) {
      const hostile = await w(page, id).screenshot({ path: path.join(ARTIFACTS, `widget-${id}-hostile.png`) });
      const clean = await w(plain, id).screenshot({ path: path.join(ARTIFACTS, `widget-${id}-plain.png`) });
      const { ratio } = await pixelDiff(blank, hostile, clean);
      expect(ratio, `${id} differs in ${(ratio * 100).toFixed(2)}% of its pixels`).toBeLessThan(0.002);
    }
    // The hostile page really is hostile (its own text is red), and the widget's text is not.
    const hostColor = await page.locator('h1').evaluate((el) => getComputedStyle(el).color);
    expect(hostColor).toBe('rgb(255, 0, 0)');
    const widgetColor = await w(page, 'w1').locator('[data-testid="widget-root"]').evaluate((el) => getComputedStyle(el).color);
    expect(widgetColor).not.toBe('rgb(255, 0, 0)');
    // Nothing leaked out: the page has no style of the widget, and no globals but the element.
    const leaks = await page.evaluate(() => ({
      styles: Array.from(document.querySelectorAll('style,link[rel=stylesheet]')).map((s) => s.id || s.getAttribute('href') || 'style'),
      globals: Object.keys(window).filter((k) => /^(__al|React|d3|katex|tf|zustand)/i.test(k)),
      defined: !!customElements.get('attention-lab'),
    }));
    expect(leaks.styles).toEqual(['hostile', 'style']);
    expect(leaks.globals).toEqual([]);
    expect(leaks.defined).toBe(true);
    await plain.close();
    await blank.close();
  });

  it('each widget is interactive on its own, and selecting fires attention-lab:select', async () => {
    const before2 = await w(page, 'w2').locator('[data-testid="status"]').getAttribute('data-computed-id');
    // Click cell (2, 3) of head 1 in w1.
    const heatmap = w(page, 'w1').locator('[data-testid="head-grid"] [data-head="1"] [data-testid="heatmap"]');
    await heatmap.scrollIntoViewIfNeeded();
    const box = (await heatmap.boundingBox())!;
    const rows = Number(await heatmap.getAttribute('data-rows'));
    const cols = Number(await heatmap.getAttribute('data-cols'));
    await page.mouse.click(box.x + (3.5 * box.width) / cols, box.y + (2.5 * box.height) / rows);
    await page.waitForFunction(() => document.getElementById('log')!.textContent!.includes('w1 attention-lab:select'));
    const sel = (await eventLog(page)).filter((l) => l.startsWith('w1 attention-lab:select')).pop()!;
    expect(JSON.parse(sel.slice(sel.indexOf('{')))).toEqual({ head: 1, query: 2, key: 3 });
    expect((await eventLog(page)).some((l) => /^w[234] attention-lab:select/.test(l))).toBe(false);

    // Typing into w2 recomputes w2 only.
    const w1Id = Number(await w(page, 'w1').locator('[data-testid="status"]').getAttribute('data-computed-id'));
    await w(page, 'w2').locator('[data-testid="widget-text"]').fill('one two three four five six seven');
    await widgetPainted(page, 'w2', Number(before2));
    await expect(w(page, 'w2').locator('[data-testid="status"]').textContent()).resolves.toContain('n = 7');
    await expect(w(page, 'w1').locator('[data-testid="status"]').textContent()).resolves.toContain('n = 11');
    expect(Number(await w(page, 'w1').locator('[data-testid="status"]').getAttribute('data-computed-id'))).toBe(w1Id);

    // Switching w3's tab leaves the others' views alone.
    await w(page, 'w3').locator('[data-testid="widget-tab-heatmap"]').click();
    await expect(w(page, 'w3').locator('[data-testid="panel-heads"]').count()).resolves.toBe(1);
    await expect(w(page, 'w2').locator('[data-testid="panel-lines"]').count()).resolves.toBe(1);
  });

  it('changing an attribute updates the widget; a bad one shows a message and keeps the rest', async () => {
    const id = await widgetPainted(page, 'w1');
    await w(page, 'w1').evaluate((el) => el.setAttribute('heads', '2'));
    const id2 = await widgetPainted(page, 'w1', id);
    await expect(w(page, 'w1').locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).resolves.toBe(2);
    await w(page, 'w1').evaluate((el) => el.setAttribute('text', 'Attributes drive the widget'));
    await widgetPainted(page, 'w1', id2);
    await expect(w(page, 'w1').locator('[data-testid="status"]').textContent()).resolves.toContain('n = 4, h = 2');
    await w(page, 'w1').evaluate((el) => el.setAttribute('view', 'lines'));
    await w(page, 'w1').locator('[data-testid="panel-lines"]').waitFor();

    await w(page, 'w1').evaluate((el) => el.setAttribute('heads', '99'));
    await w(page, 'w1').locator('[data-testid="widget-message"]').waitFor();
    await expect(w(page, 'w1').locator('[data-testid="widget-message"]').textContent()).resolves.toContain('heads');
    await expect(w(page, 'w1').locator('[data-testid="status"]').textContent()).resolves.toContain('h = 2');
    await w(page, 'w1').evaluate((el) => el.setAttribute('heads', '8'));
    await expect.poll(() => w(page, 'w1').locator('[data-testid="widget-message"]').count()).toBe(0);
    await expect.poll(() => w(page, 'w1').locator('[data-testid="status"]').textContent()).toContain('h = 8');

    // The case property wins over the attributes' text.
    await w(page, 'w2').evaluate((el) => {
      (el as unknown as { case: unknown }).case = {
        tokens: ['x', 'y'],
        X: [[1, 0], [0, 1]],
        heads: [{ Wq: [[1, 0], [0, 1]], Wk: [[1, 0], [0, 1]], Wv: [[1, 0], [0, 1]] }],
      };
    });
    await expect.poll(() => w(page, 'w2').locator('[data-testid="status"]').textContent()).toContain('n = 2, h = 1');
    await app.shot('widget-demo-after');
    expect(realErrors(app.consoleErrors)).toEqual([]);
  });
});

describe('the /embed route, the React export and the classic script', () => {

  it('/embed renders one compact view from the query and links back to the app with the full state', async () => {
    const app = await openApp('/embed?v=1&view=heads&mech=multi&conv=standard&h=2&d=8&seed=7&text=embed%20me%20please&theme=light', { viewport: { width: 700, height: 500 } });
    try {
      await widgetPainted(app.page, 'root');
      await expect(app.page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).resolves.toBe(2);
      await app.shot('widget-embed-route');
      const href = (await app.page.getByTestId('open-in-app').getAttribute('href'))!;
      expect(href.startsWith(`${baseUrl()}/#v=1`)).toBe(true);
      for (const part of ['h=2', 'd=8', 'seed=7', 'text=embed%20me%20please']) expect(href).toContain(part);
      await app.page.goto(href);
      await app.page.getByTestId('status').waitFor();
      await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-computed-id')) > 0);
      await expect(app.page.locator('[data-testid="head-grid"] [data-testid="heatmap"]').count()).resolves.toBe(2);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the React export renders, fires its callbacks and follows its props', async () => {
    const app = await openApp('/widget-react-demo.html');
    try {
      await widgetPainted(app.page, 'react-widget');
      await app.page.getByTestId('react-ready').filter({ hasText: 'ready' }).waitFor();
      const heatmap = app.page.locator('#react-widget [data-testid="head-grid"] [data-head="0"] [data-testid="heatmap"]');
      const box = (await heatmap.boundingBox())!;
      await app.page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.1);
      await app.page.getByTestId('react-selected').filter({ hasText: '0:0:0' }).waitFor();
      await app.page.getByTestId('react-toggle-view').click();
      await app.page.locator('#react-widget [data-testid="panel-lines"]').waitFor();
      await app.shot('widget-react');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('widgets with different `lang` on one page each speak their own language, views included', async () => {
    const app = await openApp('/widget-bench.html', { viewport: { width: 900, height: 1400 } });
    try {
      await widgetPainted(app.page, 'bench');
      // Two more widgets, English and Chinese, next to the page's own (which has no `lang`).
      await app.page.evaluate(() => {
        for (const [id, lang] of [
          ['w-en', 'en'],
          ['w-zh', 'zh'],
        ]) {
          const el = document.createElement('attention-lab');
          el.id = id;
          el.setAttribute('lang', lang);
          el.setAttribute('text', 'the cat sat');
          el.setAttribute('heads', '2');
          el.setAttribute('d', '4');
          el.setAttribute('theme', 'light');
          document.querySelector('div')!.appendChild(el);
        }
      });
      await widgetPainted(app.page, 'w-en');
      await widgetPainted(app.page, 'w-zh');
      const tabs = (id: string) => w(app.page, id).locator('.alw-tabs').textContent();
      const root = (id: string) => w(app.page, id).locator('[data-testid="widget-root"]');
      await expect(tabs('w-en')).resolves.toBe('HeatmapLinesStepsMatricesModel');
      await expect(tabs('w-zh')).resolves.toBe('注意力头连线分步矩阵模型');
      await expect(tabs('bench')).resolves.toBe('HeatmapLinesStepsMatricesModel'); // the page's language: unchanged
      await expect(root('w-zh').getAttribute('lang')).resolves.toBe('zh-CN');
      await expect(root('w-en').getAttribute('lang')).resolves.toBe('en');
      // The views' own labels (the app's catalog) follow each widget's language too.
      await expect(root('w-en').textContent()).resolves.toContain('Attention weight A');
      await expect(root('w-zh').textContent()).resolves.toContain('注意力权重 A');
      await expect(root('w-zh').textContent()).resolves.not.toContain('Attention weight A');
      // Steps (a lazily loaded view with KaTeX) in both.
      for (const id of ['w-en', 'w-zh']) {
        await w(app.page, id).locator('[data-testid="widget-tab-steps"]').click();
        await w(app.page, id).locator('[data-testid="step-by-step"]').waitFor();
      }
      await expect(root('w-en').textContent()).resolves.toContain('Next →');
      await expect(root('w-zh').textContent()).resolves.toContain('下一步 →');
      await expect(root('w-zh').textContent()).resolves.not.toContain('Next →');
      await app.shot('widget-lang');
      // Changing one widget's `lang` changes that widget only (an attribute change re-applies every
      // attribute: without a `view` attribute the widget goes back to its heatmap).
      await w(app.page, 'w-en').evaluate((el) => el.setAttribute('lang', 'zh'));
      await expect.poll(() => tabs('w-en')).toBe('注意力头连线分步矩阵模型');
      await expect.poll(() => root('w-en').textContent()).toContain('注意力权重 A');
      await w(app.page, 'w-en').evaluate((el) => el.setAttribute('lang', 'en'));
      await expect.poll(() => tabs('w-en')).toBe('HeatmapLinesStepsMatricesModel');
      await expect.poll(() => root('w-en').textContent()).toContain('Attention weight A');
      await expect(tabs('w-zh')).resolves.toBe('注意力头连线分步矩阵模型');
      await expect(root('w-zh').textContent()).resolves.toContain('下一步 →');
      await expect(tabs('bench')).resolves.toBe('HeatmapLinesStepsMatricesModel');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the classic-script loader defines the element too', async () => {
    const app = await openApp('/widget-classic-demo.html');
    try {
      await widgetPainted(app.page, 'classic');
      await expect(app.page.locator('#classic [data-testid="head-grid"] [data-testid="heatmap"]').count()).resolves.toBe(2);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('Share → Embed shows both snippets for the current view and a live preview', async () => {
    const app = await openApp('/#v=1&view=lines&mech=multi&conv=standard&h=2&d=8&seed=42&mode=words&text=share%20this%20view');
    try {
      await app.page.getByTestId('embed').click();
      const dialog = app.page.getByTestId('embed-dialog');
      await dialog.waitFor();
      const el = await app.page.getByTestId('embed-element').inputValue();
      expect(el).toContain('<attention-lab text="share this view" mechanism="multi" convention="standard" heads="2" d="8" seed="42" view="lines"></attention-lab>');
      expect(el).toContain('<script type="module" src="/widget/attention-lab.js"></script>');
      const frame = await app.page.getByTestId('embed-iframe').inputValue();
      expect(frame).toContain(`<iframe src="${baseUrl()}/embed?v=1&amp;view=lines`);
      const preview = app.page.frameLocator('[data-testid="embed-preview"]');
      await preview.locator('[data-testid="panel-lines"]').waitFor();
      await app.shot('widget-share-embed');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('two widgets and the app on one page keep separate states (lessons, links and edits reach only their own store)', async () => {
    const app = await openApp('/#v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=the%20app%20text');
    try {
      const { page } = app;
      await page.getByTestId('status').waitFor();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-computed-id')) > 0);
      // Two widgets inside the app's page.
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.type = 'module';
        s.src = '/widget/attention-lab.js';
        document.head.append(s);
        for (const [id, text] of [
          ['wa', 'first widget'],
          ['wb', 'second widget here'],
        ]) {
          const el = document.createElement('attention-lab');
          el.id = id;
          el.setAttribute('text', text);
          el.setAttribute('heads', '2');
          el.setAttribute('d', '8');
          document.body.append(el);
        }
      });
      await widgetPainted(page, 'wa');
      await widgetPainted(page, 'wb');
      const appChips = () => page.locator('[data-testid="chip"]').evaluateAll((els) => els.filter((e) => !e.closest('attention-lab')).map((e) => e.getAttribute('data-token')));
      const widgetN = (id: string) => w(page, id).locator('[data-testid="status"]').textContent();

      // A lesson in the app changes the app's document only.
      await page.getByTestId('lessons-toggle').click();
      await page.getByTestId('lesson-self-attention').click();
      await page.getByTestId('lesson-step').waitFor();
      await expect.poll(appChips).not.toEqual(['the', 'app', 'text']);
      await expect(widgetN('wa')).resolves.toContain('n = 2');
      await expect(widgetN('wb')).resolves.toContain('n = 3');

      // Editing a widget changes that widget only; the app's link does not follow it.
      await w(page, 'wa').evaluate((el) => el.setAttribute('text', 'one two three four'));
      await expect.poll(() => widgetN('wa')).toContain('n = 4');
      await expect(widgetN('wb')).resolves.toContain('n = 3');
      const chips = await appChips();
      expect(await currentHash(page)).not.toContain('one%20two%20three%20four');
      expect(await appChips()).toEqual(chips);
      await app.shot('widget-two-widgets-and-app');
      expect(realErrors(app.consoleErrors)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

