// Phones and tablets: every page fits from 360 px wide (no sideways page scroll) in English and 中文,
// light and dark; touch does what hover does; the controls fold; touch targets are 44 px; axe at
// phone sizes. Screenshots land in tests/e2e/artifacts/mobile-*.png.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { afterRecompute, frames, stateHash, waitComputed } from './page.ts';
import path from 'node:path';
import { ARTIFACTS, baseUrl, openApp, type AppPage } from './harness.ts';
import { startHubServer } from '../hub/server.ts';
import { GPT2_144, idsText, writeSyntheticGpt2 } from '../hub/synthetic.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

const phone = (width: number, height: number): BrowserContextOptions => ({
  viewport: { width, height },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
});
const DEVICES = { 360: phone(360, 740), 390: phone(390, 844), 768: phone(768, 1024) } as const;
type Width = keyof typeof DEVICES;
const WIDTHS: Width[] = [360, 390, 768];
const SETUPS = [
  { lang: 'en', theme: 'light' },
  { lang: 'zh', theme: 'dark' },
  { lang: 'en', theme: 'dark' },
  { lang: 'zh', theme: 'light' },
] as const;

const TEXT = "The animal didn't cross the street because it was too tired";
const MODEL_HASH = `#v=1&view=model&src=model&model=brown-char&mode=chars&text=${encodeURIComponent('The cat sat on the mat')}`;

/** How far the page scrolls sideways (0: it fits). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

async function seriousAxe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const vs = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  });
  return vs.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes)}`);
}

/**
 * Every visible interactive element whose touch target is smaller than 44 × 44 px (WCAG 2.5.5). A
 * checkbox or radio is tapped through its label, so its target is the label; elements with no box
 * (a closed section, a file input behind its label button) are not targets.
 */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="tab"], [role="slider"], [role="checkbox"], [tabindex="0"]';
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      let r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
      const label = el instanceof HTMLInputElement ? el.closest('label') : null;
      if (label) r = label.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) {
        const name = el.dataset.testid ?? `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}`;
        out.push(`${name} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  });
}

/** The Model view's tiles: how far their box scrolls sideways, and tiles reaching outside it. */
async function tileOverflow(page: Page): Promise<{ scroll: number; outside: number; tiles: number }> {
  return page.evaluate(() => {
    const box = document.querySelector<HTMLElement>('.al-mv-scroll');
    if (!box) return { scroll: -1, outside: -1, tiles: 0 };
    const b = box.getBoundingClientRect();
    const tiles = Array.from(box.querySelectorAll('[data-testid="model-tile"]'));
    const outside = tiles.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.left < b.left - 0.5 || r.right > b.right + 0.5;
    }).length;
    return { scroll: box.scrollWidth - box.clientWidth, outside, tiles: tiles.length };
  });
}

/** On narrow screens the header's buttons are behind the Menu button: open it if it is there. */
async function openMenu(page: Page): Promise<void> {
  const menu = page.getByTestId('header-menu');
  if ((await menu.count()) > 0 && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.tap();
}

async function headerButton(page: Page, testId: string): Promise<Locator> {
  await openMenu(page);
  return page.getByTestId(testId);
}

async function setPrefs(page: Page, lang: string, theme: string): Promise<void> {
  await page.getByTestId('lang').selectOption(lang);
  await page.getByTestId('theme').selectOption(theme);
  await waitComputed(page);
}

async function showView(page: Page, view: string): Promise<void> {
  await page.getByTestId(`tab-${view}`).tap();
  await page.getByTestId(`panel-${view}`).waitFor();
  await frames(page);
}

describe('phones and tablets', () => {

  const open = (path: string, width: Width): Promise<AppPage> => openApp(path, { device: DEVICES[width] });

  it('the app, its views, the Train panel, lessons, glossary and the Embed dialog never scroll the page sideways', { tags: ['slow'] }, async () => {
    const report: string[] = [];
    for (const width of WIDTHS) {
      const app = await open('/' + stateHash({ text: TEXT, h: 4, d: 16 }), width);
      try {
        const { page } = app;
        await waitComputed(page);
        for (const { lang, theme } of SETUPS) {
          const tag = `${width}-${lang}-${theme}`;
          await setPrefs(page, lang, theme);
          for (const view of ['heads', 'lines', 'matrices', 'steps', 'model']) {
            await showView(page, view);
            const over = await overflow(page);
            if (over > 0) report.push(`${tag}/${view}: ${over} px`);
            if (view === 'heads' && (lang === 'zh') === (theme === 'dark')) await app.shot(`mobile-${tag}-${view}`);
          }
          await showView(page, 'heads');
        }
        // Panels and dialogs (in the last setup: 中文, light).
        await page.getByTestId('open-train').tap();
        await page.getByTestId('open-train').scrollIntoViewIfNeeded();
        await frames(page);
        if ((await overflow(page)) > 0) report.push(`${width}/train: ${await overflow(page)} px`);
        await (await headerButton(page, 'lessons-toggle')).tap();
        await page.getByTestId('lesson-self-attention').tap();
        await openMenu(page);
        await page.getByTestId('glossary-toggle').tap();
        await frames(page);
        if ((await overflow(page)) > 0) report.push(`${width}/lessons+glossary: ${await overflow(page)} px`);
        await app.shot(`mobile-${width}-panels`);
        await (await headerButton(page, 'embed')).tap();
        await page.getByTestId('embed-preview').waitFor();
        await frames(page);
        const dialog = await page.getByTestId('embed-dialog').boundingBox();
        if (!dialog || dialog.x < 0 || dialog.x + dialog.width > width) report.push(`${width}/embed dialog: ${JSON.stringify(dialog)}`);
        if ((await overflow(page)) > 0) report.push(`${width}/embed: ${await overflow(page)} px`);
        // The dialog is in the top layer: a viewport shot shows it as the reader sees it.
        await page.screenshot({ path: path.join(ARTIFACTS, `mobile-${width}-embed-dialog.png`) });
        expect(app.consoleErrors).toEqual([]);
      } finally {
        await app.close();
      }
    }
    expect(report).toEqual([]);
  });

  it('the Model view with 8 heads (the trained model) and with many heads (12 seeded) fits', { tags: ['slow'] }, async () => {
    const report: string[] = [];
    for (const width of WIDTHS) {
      for (const [name, path] of [
        ['8heads', '/' + MODEL_HASH],
        ['12heads', '/' + stateHash({ text: TEXT, h: 12, d: 24, view: 'model' })],
      ] as const) {
        const app = await open(path, width);
        try {
          await waitComputed(app.page);
          await app.page.getByTestId('panel-model').waitFor();
          await frames(app.page);
          const over = await overflow(app.page);
          if (over > 0) report.push(`${width}/${name}: ${over} px`);
          if (width !== 768) await app.shot(`mobile-${width}-model-${name}`);
        } finally {
          await app.close();
        }
      }
    }
    expect(report).toEqual([]);
  });

  it('/embed and the widget demo page fit; a widget in a 300 px column stays inside it', async () => {
    const report: string[] = [];
    for (const width of [360, 390] as const) {
      const embed = await open('/embed' + stateHash({ text: TEXT, h: 4, d: 16 }), width);
      try {
        await embed.page.locator('[data-testid="heatmap"]').first().waitFor();
        await frames(embed.page);
        if ((await overflow(embed.page)) > 0) report.push(`${width}/embed: ${await overflow(embed.page)} px`);
        await embed.shot(`mobile-${width}-embed`);
      } finally {
        await embed.close();
      }
    }
    const demo = await open('/embed-demo.html?plain', 390);
    try {
      const { page } = demo;
      await page.locator('#w1').evaluate((el) => new Promise((resolve) => (el.shadowRoot?.querySelector('canvas') ? resolve(null) : el.addEventListener('attention-lab:ready', resolve, { once: true }))));
      await frames(page);
      if ((await overflow(page)) > 0) report.push(`demo: ${await overflow(page)} px`);
      // An article's narrow column.
      await page.locator('.demo').first().evaluate((el: HTMLElement) => (el.style.width = '300px'));
      await frames(page, 4);
      const fit = await page.locator('#w1').evaluate((el) => {
        const root = el.shadowRoot?.querySelector('.alw-root');
        return { host: el.getBoundingClientRect().width, root: root?.getBoundingClientRect().width ?? -1 };
      });
      if (fit.host > 300 || fit.root > 300) report.push(`300 px column: ${JSON.stringify(fit)}`);
      if ((await overflow(page)) > 0) report.push(`demo at 300: ${await overflow(page)} px`);
      // A fixed height: a whole heatmap (labels included) fits in the view's box.
      await page.locator('#w1').evaluate((el) => el.setAttribute('height', '340'));
      await page.waitForFunction(() => {
        const root = document.querySelector('#w1')?.shadowRoot;
        const view = root?.querySelector('.alw-view')?.getBoundingClientRect();
        const frame = root?.querySelector('.al-heatmap-frame')?.getBoundingClientRect();
        return !!view && !!frame && view.height < 340 && frame.height <= view.height && frame.width <= view.width;
      });
      await demo.shot('mobile-390-embed-demo');
    } finally {
      await demo.close();
    }
    expect(report).toEqual([]);
  });

  it('touch: a tap shows what hover shows, a second tap or a tap elsewhere clears, a long press selects; Lines isolate by tap; zoom; menus', async () => {
    const app = await open('/' + stateHash({ text: 'The cat sat on the mat', h: 4, d: 16 }), 390);
    try {
      const { page, context } = app;
      await waitComputed(page);
      // One column of heads on a phone.
      const tiles = page.locator('[data-testid="head-grid"] .al-headgrid-tile');
      const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
      expect(a && b && b.y > a.y && Math.abs(b.x - a.x) < 1).toBe(true);

      const heat = page.locator('[data-testid="head-grid"] [data-head="0"] [data-testid="heatmap"]');
      await heat.scrollIntoViewIfNeeded();
      const box = (await heat.boundingBox())!;
      const n = Number(await heat.getAttribute('data-rows'));
      const at = (row: number, col: number) => ({ x: box.x + ((col + 0.5) * box.width) / n, y: box.y + ((row + 0.5) * box.height) / n });
      const tip = (row: number, col: number) => heat.locator(`[data-testid="heatmap-tooltip"][data-row="${row}"][data-col="${col}"]`);

      // Tap = hover: tooltip, highlight in every head (the label mark), announcement.
      let p = at(2, 1);
      await page.touchscreen.tap(p.x, p.y);
      await tip(2, 1).waitFor();
      const announced = await heat.locator('xpath=ancestor::figure').locator('[aria-live="polite"]').textContent();
      expect(announced).not.toBe('');
      expect(await page.locator('[data-testid="head-grid"] [data-head="3"] .al-axis-mark').count()).toBeGreaterThan(0);
      await app.shot('mobile-390-tap-cell');
      // A second tap clears.
      await page.touchscreen.tap(p.x, p.y);
      await heat.locator('[data-testid="heatmap-tooltip"]').waitFor({ state: 'detached' });
      // A tap elsewhere clears.
      await page.touchscreen.tap(p.x, p.y);
      await tip(2, 1).waitFor();
      await page.locator('.al-title').tap();
      await heat.locator('[data-testid="heatmap-tooltip"]').waitFor({ state: 'detached' });

      // A long press on head 2 selects it (pinned), the way a click does with a mouse.
      const heat2 = page.locator('[data-testid="head-grid"] [data-head="1"] [data-testid="heatmap"]');
      await heat2.scrollIntoViewIfNeeded();
      const box2 = (await heat2.boundingBox())!;
      p = { x: box2.x + (1.5 * box2.width) / n, y: box2.y + (3.5 * box2.height) / n };
      const cdp = await context.newCDPSession(page);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: p.x, y: p.y }] });
      await page.locator('[data-testid="head-grid"] [data-head="1"][aria-current="true"]').waitFor();
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await frames(page);
      expect(await heat2.locator('.al-selected').count()).toBe(1);

      // −/+ zoom: the heatmaps grow inside their tiles, never the page.
      const before = (await heat.boundingBox())!.width;
      await page.getByTestId('zoom-in').tap();
      await page.locator('[data-testid="zoom"][data-zoom="1.5"]').waitFor();
      await frames(page);
      expect((await heat.boundingBox())!.width).toBeGreaterThan(before * 1.3);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.getByTestId('zoom-out').tap();
      await page.locator('[data-testid="zoom"][data-zoom="1"]').waitFor();

      // Lines: a tap on a token isolates its lines; a second tap clears.
      await showView(page, 'lines');
      const queries = page.getByTestId('lines-queries');
      const qb = (await queries.boundingBox())!;
      const y = qb.y + qb.height * (2.5 / 6);
      await page.touchscreen.tap(qb.x + qb.width / 2, y);
      await page.locator('.al-lines-canvas.al-isolating').waitFor();
      await app.shot('mobile-390-lines-tap');
      // The same token again (a full-page screenshot can leave the page scrolled elsewhere).
      const qb2 = (await queries.boundingBox())!;
      await page.touchscreen.tap(qb2.x + qb2.width / 2, qb2.y + qb2.height * (2.5 / 6));
      await page.locator('.al-lines-canvas.al-isolating').waitFor({ state: 'detached' });
      // A head toggled by a tap.
      await page.locator('.al-head-toggle[data-head="1"]').tap();
      expect(await page.locator('.al-head-toggle[data-head="1"]').getAttribute('aria-pressed')).toBe('false');
      // A long press on a head's toggle shows that head alone; a long press on the lone head, all again.
      const longPress = async (loc: Locator, until: () => Promise<unknown>) => {
        const b = (await loc.boundingBox())!;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: b.x + b.width / 2, y: b.y + b.height / 2 }] });
        await until();
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        await frames(page);
      };
      const toggle2 = page.locator('.al-head-toggle[data-head="2"]');
      await longPress(toggle2, () => page.locator('.al-head-toggle[aria-pressed="true"]').nth(1).waitFor({ state: 'detached' }));
      expect(await page.locator('.al-head-toggle[aria-pressed="true"]').getAttribute('data-head')).toBe('2');
      await longPress(toggle2, () => page.locator('.al-head-toggle[aria-pressed="false"]').first().waitFor({ state: 'detached' }));
      expect(await page.locator('.al-head-toggle[aria-pressed="true"]').count()).toBe(4);

      // The controls: folded above the views, opened by a tap.
      const toggle = page.getByTestId('controls-toggle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      const views = (await page.locator('.al-views').boundingBox())!;
      expect((await toggle.boundingBox())!.y).toBeLessThan(views.y);
      await toggle.tap();
      await page.locator('.al-sidebar-body').waitFor({ state: 'visible' });

      // Touch targets: 44 × 44 px at least.
      await openMenu(page);
      const small = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.al-header button, .al-tab, .al-drawer-toggle, .al-zoom button, .al-head-toggle, .al-sidebar-body button, .al-sidebar-body select'))
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ el: el.dataset.testid ?? el.textContent?.trim().slice(0, 20), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 44 || r.height < 44)
          .map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      expect(small).toEqual([]);
      await app.shot('mobile-390-menu-open');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('every control in every view is a 44 × 44 px touch target at 390 px (WCAG 2.5.5)', { tags: ['slow'] }, async () => {
    const app = await open('/' + stateHash({ text: TEXT, h: 4, d: 16 }), 390);
    try {
      const { page } = app;
      await waitComputed(page);
      // The folded controls and the header's menu open: every control of the page is on it.
      await page.getByTestId('controls-toggle').tap();
      await page.locator('.al-sidebar-body').waitFor({ state: 'visible' });
      await openMenu(page);
      const report: string[] = [];
      for (const view of ['heads', 'lines', 'matrices', 'steps', 'model']) {
        await showView(page, view);
        for (const s of await smallTargets(page)) report.push(`${view}: ${s}`);
      }
      await app.shot('mobile-390-targets-model');
      // Weighted attention: a weight slider and a padding checkbox per key.
      await showView(page, 'heads');
      await afterRecompute(page, () => page.getByTestId('mech-weighted').tap());
      await page.getByTestId('key-weight').first().waitFor();
      for (const s of await smallTargets(page)) report.push(`weighted: ${s}`);
      await page.getByTestId('key-list').scrollIntoViewIfNeeded();
      await app.shot('mobile-390-targets-keys');
      // The Train panel, a lesson and the glossary.
      await page.getByTestId('open-train').tap();
      await page.getByTestId('train-panel').waitFor();
      await (await headerButton(page, 'lessons-toggle')).tap();
      await page.getByTestId('lesson-self-attention').tap();
      await openMenu(page);
      await page.getByTestId('glossary-toggle').tap();
      await frames(page);
      for (const s of await smallTargets(page)) report.push(`panels: ${s}`);
      expect(app.consoleErrors).toEqual([]);
      // A model: the Model view's filter and strip, and the across-layers views.
      const model = await open('/' + MODEL_HASH, 390);
      try {
        await waitComputed(model.page);
        for (const view of ['model', 'flow', 'lens', 'ablate', 'compare']) {
          await showView(model.page, view);
          for (const s of await smallTargets(model.page)) report.push(`model/${view}: ${s}`);
          if (view === 'ablate') await model.shot('mobile-390-targets-ablate');
        }
        // The comparison's button is on screen, not pushed out of the view by the input.
        const go = (await model.page.getByTestId('compare-go').boundingBox())!;
        if (go.x < 0 || go.x + go.width > 390) report.push(`model/compare: the compare button at x ${Math.round(go.x)}–${Math.round(go.x + go.width)}`);
        await model.shot('mobile-390-targets-compare');
        expect(model.consoleErrors).toEqual([]);
      } finally {
        await model.close();
      }
      expect([...new Set(report)]).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the Model view reflows its tiles inside their box at 360 px: 8, 12 and 144 heads never scroll sideways', { tags: ['slow'] }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'al-mobile-144-'));
    writeSyntheticGpt2(dir);
    const server = await startHubServer({ repos: { 'local/gpt2-144': [dir] } });
    const report: string[] = [];
    try {
      for (const [name, hash, count] of [
        ['8heads', '/' + MODEL_HASH, 8],
        ['12heads', '/' + stateHash({ text: TEXT, h: 12, d: 24, view: 'model' }), 12],
        ['144heads', `/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/gpt2-144&text=${encodeURIComponent(idsText(24))}`, GPT2_144.layers * GPT2_144.heads],
      ] as const) {
        const app = await open(hash, 360);
        try {
          const { page } = app;
          await waitComputed(page, 0);
          await page.getByTestId('panel-model').waitFor();
          const tiles = page.getByTestId('model-tile');
          await expect.poll(() => tiles.count()).toBe(count);
          // The first layer's thumbnails painted, on screen.
          await tiles.first().scrollIntoViewIfNeeded();
          const heads = count === 8 ? 4 : 12;
          await expect.poll(() => page.locator('[data-testid="model-tile"][data-layer="0"] canvas[data-painted="1"]').count()).toBe(heads);
          await frames(page);
          const o = await tileOverflow(page);
          if (o.scroll > 0 || o.outside > 0) report.push(`${name}: the tiles' box scrolls ${o.scroll} px, ${o.outside} of ${o.tiles} tiles outside it`);
          if ((await overflow(page)) > 0) report.push(`${name}: page ${await overflow(page)} px`);
          // More than one tile per row (the tiles wrap, not a column of 144).
          const [a, b] = [await tiles.nth(0).boundingBox(), await tiles.nth(1).boundingBox()];
          if (!a || !b || Math.abs(a.y - b.y) > 1) report.push(`${name}: the first two tiles are not side by side`);
          await page.screenshot({ path: path.join(ARTIFACTS, `mobile-360-model-tiles-${name}.png`) });
          expect(app.consoleErrors).toEqual([]);
        } finally {
          await app.close();
        }
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(report).toEqual([]);
  });

  it('axe finds no serious or critical violations at phone and tablet sizes (English light, 中文 dark)', { tags: ['slow'] }, async () => {
    const report: string[] = [];
    for (const width of WIDTHS) {
      const app = await open('/' + stateHash({ text: TEXT, h: 2, d: 8 }), width);
      try {
        const { page } = app;
        await waitComputed(page);
        for (const { lang, theme } of SETUPS.slice(0, 2)) {
          await setPrefs(page, lang, theme);
          for (const view of ['heads', 'lines']) {
            await showView(page, view);
            for (const v of await seriousAxe(page)) report.push(`${width}-${lang}-${theme}/${view}: ${v}`);
          }
          await openMenu(page);
          for (const v of await seriousAxe(page)) report.push(`${width}-${lang}-${theme}/menu: ${v}`);
        }
      } finally {
        await app.close();
      }
    }
    expect(report).toEqual([]);
  });

  it('the desktop layout keeps its sidebar and button row at 1400 px', async () => {
    const app = await openApp('/');
    try {
      await waitComputed(app.page);
      expect(await app.page.getByTestId('header-menu').count()).toBe(0);
      expect(await app.page.getByTestId('controls-toggle').count()).toBe(0);
      expect(await app.page.getByTestId('copy-link').isVisible()).toBe(true);
      expect(baseUrl()).toContain('http');
    } finally {
      await app.close();
    }
  });
});
