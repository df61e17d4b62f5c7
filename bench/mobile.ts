// Phone benchmark: `npm run bench` (after the widget bench), or `npx tsx bench/mobile.ts`.
//   --no-write-docs   don't write the "## Phones" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//
// The app at 390 × 844 (isMobile, touch, device pixel ratio 2) in headless Chromium with the CPU
// slowed 4× (CDP Emulation.setCPUThrottlingRate), a mid-range phone's speed on this machine:
//  - change → all heatmaps painted at (16 tokens, 4 heads): a click on *Causal mask* until the app's
//    "al:paint" signal for the new result (every canvas drawn and the frame showing them painted; as
//    bench/browser.ts measures it on the desktop);
//  - scrolling a long page (64 tokens, 12 heads in one column, ≈ 12 screens): a touch scroll gesture
//    (CDP Input.synthesizeScrollGesture) from the top to the bottom, every frame's length from
//    requestAnimationFrame.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPreview } from '../scripts/preview.ts';
import { stateHash, waitComputed, wordsText } from '../tests/e2e/page.ts';
import { writeDocSection } from './docSection.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const THROTTLE = 4;
const PAINT_TARGET = 100;
const FRAME_TARGET = 50;
const REPS = QUICK ? 5 : 21;
const DEVICE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
}
const median = (xs: number[]) => quantile(xs, 0.5);

/** A click on the causal checkbox until "al:paint" of the next result, timed in the page. */
function timeCausal(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const before = window.__alPaintId ?? 0;
        const box = document.querySelector<HTMLInputElement>('[data-testid="causal"]');
        if (!box) return reject(new Error('no causal checkbox'));
        const timer = setTimeout(() => reject(new Error('no paint within 60 s')), 60_000);
        // No named inner functions here: tsx would wrap them in a helper the page does not have.
        const done = new AbortController();
        window.addEventListener(
          'al:paint',
          (e) => {
            if ((e as CustomEvent<{ id: number }>).detail.id <= before) return;
            clearTimeout(timer);
            done.abort();
            resolve(performance.now() - t0);
          },
          { signal: done.signal },
        );
        const t0 = performance.now();
        box.click();
      }),
  );
}

/** Frame lengths (ms) while a touch gesture scrolls the page from top to bottom. */
async function scrollFrames(page: Page): Promise<{ frames: number[]; distance: number }> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const distance = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  // A string, not a function: tsx would wrap the named callback in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.synthesizeScrollGesture', {
    x: 195,
    y: 600,
    yDistance: -distance,
    speed: 1200,
    gestureSourceType: 'touch',
    repeatCount: 1,
  });
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1); // the first interval began before the gesture
  });
  await cdp.detach();
  return { frames, distance };
}

/** Change → painted at (16, 4), ms per repetition. */
async function measurePaint(browser: Browser, url: string): Promise<number[]> {
  const context = await browser.newContext(DEVICE);
  const page = await context.newPage();
  await page.goto(`${url}/${stateHash({ text: wordsText(16), h: 4, d: 96 })}`);
  await waitComputed(page);
  // As a reader does it: the folded controls opened, the checkbox on screen with the heatmaps.
  await page.getByTestId('controls-toggle').tap();
  await page.getByTestId('causal').waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  for (let k = 0; k < 3; k++) await timeCausal(page); // warm-up: JIT, the worker's caches
  const times: number[] = [];
  for (let k = 0; k < REPS; k++) times.push(await timeCausal(page));
  await context.close();
  return times;
}

/** A long page (64 tokens, 12 heads, one column on a phone) scrolled by touch. */
async function measureScroll(browser: Browser, url: string): Promise<{ frames: number[]; distance: number }> {
  const context = await browser.newContext(DEVICE);
  const page = await context.newPage();
  await page.goto(`${url}/${stateHash({ text: wordsText(64), h: 12, d: 96 })}`);
  await waitComputed(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  await scrollFrames(page); // warm-up: first layout and raster of every tile
  const res = await scrollFrames(page);
  await context.close();
  return res;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const loadBefore = os.loadavg()[0];
  const preview = await startPreview(ROOT);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const chromiumVersion = browser.version();
  let paint: number[];
  let scroll: { frames: number[]; distance: number };
  try {
    paint = await measurePaint(browser, preview.url);
    scroll = await measureScroll(browser, preview.url);
  } finally {
    await browser.close();
    preview.stop();
  }
  const loadAfter = os.loadavg()[0];

  const paintMed = median(paint);
  const frameP95 = quantile(scroll.frames, 0.95);
  const frameMax = Math.max(...scroll.frames);
  const paintOk = paintMed < PAINT_TARGET;
  const frameOk = frameP95 < FRAME_TARGET;
  const v = (ok: boolean, t: number) => (ok ? `PASS (< ${t} ms)` : `FAIL (≥ ${t} ms)`);
  const rows = [
    `| mask toggle → all heatmaps painted, n = 16, h = 4, d = 96 (median of ${REPS}; p95 ${quantile(paint, 0.95).toFixed(1)}) | ${paintMed.toFixed(1)} ms | ${v(paintOk, PAINT_TARGET)} |`,
    `| touch scroll of a long page (n = 64, h = 12, one column, ${Math.round(scroll.distance)} px): frame length median / p95 / max over ${scroll.frames.length} frames (${scroll.frames.filter((f) => f >= FRAME_TARGET).length} of them ≥ ${FRAME_TARGET} ms) | ${median(scroll.frames).toFixed(1)} / ${frameP95.toFixed(1)} / ${frameMax.toFixed(1)} ms | ${v(frameOk, FRAME_TARGET)} (p95) |`,
  ];
  const table = `| what | figure | target |\n|---|---|---|\n${rows.join('\n')}`;
  console.log(`\n${table}\n`);
  console.log(`phone change → painted: ${paintOk ? 'PASS' : 'FAIL'}; phone scrolling: ${frameOk ? 'PASS' : 'FAIL'}`);

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, Chromium ${chromiumVersion} headless (software rendering)`;
    writeDocSection(
      '## Phones',
      `## Phones

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/mobile.ts\` (part of \`npm run bench\`) on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.

The production build at 390 × 844 (isMobile, touch, device pixel ratio 2) with the CPU slowed ${THROTTLE}× (Chromium's \`Emulation.setCPUThrottlingRate\` over CDP; it slows the page's main thread, where rendering, painting and scrolling run; whether it also slows the compute worker is not documented, so the worker's share may be shorter than on a real phone). *Change → painted* is timed as in the Browser section (a click on *Causal mask*, in the opened controls section, until the app's \`al:paint\` for the new result; the figure includes the worker's round trip). \`al:paint\` fires once every heatmap canvas holds the new result and the browser has laid out and painted the frame that shows them (a task posted from that frame's \`requestAnimationFrame\`; until 2026-11-30 it fired at the start of the frame after the paint jobs, which could be a whole frame later and left that frame's own rendering out). *Scrolling*: a touch scroll gesture (CDP \`Input.synthesizeScrollGesture\`, 1200 px/s) from the top to the bottom of the Heads view with 12 heads in one column, after one warm-up pass; frame lengths are the intervals between \`requestAnimationFrame\` callbacks. The target is on the 95th percentile: a single long frame comes and goes between runs with the other jobs on the 2 shared cores (the load average above).

${table}
`,
    );
  }
  if (!paintOk || !frameOk) process.exitCode = 1;
}

await main();
