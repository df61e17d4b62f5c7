// Screenshots of every view at fixed states, and a pixel comparison against an earlier set:
//   npx tsx scripts/view-screens.ts OUTDIR                 (captures from dist/, served by vite preview)
//   npx tsx scripts/view-screens.ts OUTDIR --compare BASE  (captures, then compares with BASE/*.png)
// Used to show that a refactor changes no pixel (e.g. the folder move).
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startPreview } from './preview.ts';
import { frames, waitComputed } from '../tests/e2e/page.ts';
import { CHROMIUM_ARGS } from '../tests/e2e/harness.ts';

const [outDir, flag, baseDir] = process.argv.slice(2);
/** ONLY=name,name captures just those shots (e.g. to check one for flakiness). */
const ONLY = process.env.ONLY?.split(',') ?? null;
if (!outDir) throw new Error('usage: view-screens.ts OUTDIR [--compare BASEDIR]');
mkdirSync(outDir, { recursive: true });

const TEXT = 'The animal did not cross the street because it was tired';
const MODEL_HASH = (view: string) => `/#v=1&view=${view}&src=model&model=brown-char&mode=chars&text=${encodeURIComponent('kzwqvjxb kzw')}`;
const SHOTS: { name: string; path: string; tab?: string; setup?: (page: Page) => Promise<void> }[] = [
  { name: 'heads', path: `/#v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=${encodeURIComponent(TEXT)}` },
  { name: 'lines', path: `/#v=1&view=lines&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=${encodeURIComponent(TEXT)}` },
  { name: 'matrices', path: `/#v=1&view=matrices&mech=multi&conv=standard&h=2&d=8&seed=42&mode=words&text=${encodeURIComponent('a small example')}` },
  { name: 'steps', path: `/#v=1&view=steps&mech=multi&conv=standard&h=2&d=8&seed=42&mode=words&text=${encodeURIComponent('a small example')}&cell=1.2&step=3` },
  { name: 'weighted-article', path: `/#v=1&view=heads&mech=weighted&conv=article&h=1&d=8&seed=3&causal=1&mode=words&text=${encodeURIComponent('one two three four')}&w=1,0.5,2,0&pad=1` },
  { name: 'model', path: `/#v=1&view=model&mech=multi&conv=standard&h=4&d=16&seed=42&mode=chars&text=${encodeURIComponent('abcabc the cat')}&src=model&model=brown-char` },
  { name: 'zh-dark', path: `/#v=1&view=heads&mech=multi&conv=standard&h=2&d=8&seed=42&mode=chars&text=${encodeURIComponent('小猫没有过马路')}&lang=zh&theme=dark` },
  { name: 'embed-model', path: `/embed?v=1&view=model&src=model&model=brown-char&mode=chars&text=${encodeURIComponent('abcabc the cat')}&theme=light` },
  { name: 'embed-lines', path: `/embed?v=1&view=lines&mech=multi&conv=standard&h=2&d=8&seed=7&text=${encodeURIComponent('embed me please')}&theme=dark` },
  { name: 'embed', path: `/embed?v=1&view=heads&mech=multi&conv=standard&h=2&d=8&seed=7&text=${encodeURIComponent('embed me please')}&theme=light` },
  // The across-layers views on the shipped model (Flow in both methods, Lens, Ablation, Compare), the article
  // panel and the glossary.
  { name: 'flow', path: MODEL_HASH('flow') },
  {
    name: 'flow-maxflow',
    path: MODEL_HASH('flow'),
    setup: async (page) => {
      await page.locator('label:has([data-testid="flow-method-maxflow"])').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="flow-view"]')?.getAttribute('data-method') === 'maxflow');
    },
  },
  { name: 'lens', path: MODEL_HASH('lens'), setup: async (page) => void (await page.getByTestId('lens-row').first().waitFor()) },
  { name: 'ablate', path: `${MODEL_HASH('ablate')}&ablate=1.0,1.2`, setup: async (page) => void (await page.getByTestId('ablation-result').waitFor()) },
  { name: 'compare', path: `${MODEL_HASH('compare')}&cmp=${encodeURIComponent('kzwqvjxb kzq')}`, setup: async (page) => void (await page.getByTestId('compare-view').getByTestId('heatmap').first().waitFor()) },
  {
    name: 'article-glossary',
    path: `/#v=1&view=heads&mech=multi&conv=article&h=2&d=8&seed=42&mode=words&text=${encodeURIComponent('a small example')}`,
    setup: async (page) => {
      await page.getByTestId('article-toggle').click();
      await page.getByTestId('glossary-toggle').click();
    },
  },
  {
    name: 'lesson',
    path: '/',
    setup: async (page) => {
      await page.getByTestId('lessons-toggle').click();
      await page.getByTestId('lesson-self-attention').click();
      await page.getByTestId('lesson-step').waitFor();
    },
  },
  {
    name: 'train-panel',
    path: `/#v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words&text=${encodeURIComponent(TEXT)}`,
    setup: async (page) => {
      await page.getByTestId('open-train').click();
      await page.getByTestId('train-panel').waitFor();
      await page.getByTestId('train-start').waitFor();
    },
  },
];

async function capture(url: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const shot of SHOTS.filter((s) => !ONLY || ONLY.includes(s.name))) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
      const page = await context.newPage();
      await page.goto(url + shot.path);
      if (shot.path.startsWith('/embed')) {
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="widget-root"]')?.getAttribute('data-painted-id') ?? 0) > 0);
      } else await waitComputed(page);
      if (shot.setup) {
        await shot.setup(page);
        await waitComputed(page).catch(() => undefined);
      }
      // Web fonts (KaTeX's among them) can arrive after the first paint and move a line by a pixel.
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await frames(page, 4);
      // Timings differ from run to run: hide them.
      await page.addStyleTag({ content: '[data-testid="timing"], .al-timing { visibility: hidden !important; }' });
      await page.screenshot({ path: path.join(outDir, `${shot.name}.png`), fullPage: true, animations: 'disabled' });
      await context.close();
      console.log(`captured ${shot.name}`);
    }
  } finally {
    await browser.close();
  }
}

/** Page-side: the number of differing pixels of two base64 PNGs (-1 when the sizes differ). A string, so
 * that no build step rewrites it (tsx adds helpers to named functions that the page does not have). */
const PIXEL_DIFF = `async function (a, b) {
  async function load(s) { const img = new Image(); img.src = 'data:image/png;base64,' + s; await img.decode(); return img; }
  function px(img) { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height; const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height).data; }
  const ia = await load(a), ib = await load(b);
  if (ia.width !== ib.width || ia.height !== ib.height) return { diff: -1, size: ia.width + '×' + ia.height + ' vs ' + ib.width + '×' + ib.height };
  const pa = px(ia), pb = px(ib);
  let diff = 0;
  for (let k = 0; k < pa.length; k += 4) if (pa[k] !== pb[k] || pa[k + 1] !== pb[k + 1] || pa[k + 2] !== pb[k + 2]) diff++;
  return { diff, size: ia.width + '×' + ia.height };
}`;

/** Differing pixels per image (decoded and compared in the browser). */
async function compare(): Promise<boolean> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let same = true;
  try {
    const page = await browser.newPage();
    for (const file of readdirSync(baseDir).filter((f) => f.endsWith('.png'))) {
      const a = readFileSync(path.join(baseDir, file)).toString('base64');
      const b = readFileSync(path.join(outDir, file)).toString('base64');
      const r = (await page.evaluate(`(${PIXEL_DIFF})(${JSON.stringify(a)}, ${JSON.stringify(b)})`)) as { diff: number; size: string };
      const ok = r.diff === 0;
      same &&= ok;
      console.log(`${ok ? 'same     ' : 'DIFFERENT'} ${file}: ${r.diff < 0 ? `size ${r.size}` : `${r.diff} pixels differ of ${r.size}`}`);
    }
  } finally {
    await browser.close();
  }
  return same;
}

const preview = await startPreview(process.cwd());
try {
  await capture(preview.url);
} finally {
  preview.stop();
}
if (flag === '--compare') process.exit((await compare()) ? 0 : 1);
