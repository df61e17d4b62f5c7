// Responsiveness benchmark: `npm run bench` (after bench/mobile.ts), or `npx tsx bench/responsive.ts`.
//   --no-write-docs   don't write the "## Responsiveness" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//
// The figures the browser and unit tests used to assert (they now check the behaviour instead: the worker is
// the one working, the page answers a click meanwhile, a hover repaints no thumbnail, a cancel rejects a download
// the server never finishes). Each has its target here, and a PASS/FAIL line in docs/performance.md:
//  - training: the longest gap between timers on the page's main thread while the Train panel's worker trains
//    (copy task, default size), over windows of 1.5 s (was tests/e2e/train.e2e.ts, < 150 ms);
//  - 1,024 tokens × 12 heads: while the worker computes, the longest gap between animation frames and the
//    longest round trip of a trivial page.evaluate (was tests/e2e/scale.e2e.ts, < 500 ms and < 1 s);
//  - a 12 × 12-head model in the Model view: a click on a tile until it is selected, a hover on a token until
//    all 144 tiles show its row (was tests/e2e/hubLarge.e2e.ts, < 1.5 s each), timed from Node as a user sees it;
//  - the Hub loader in Node: from abort() during a paced download until the load rejects with AbortError
//    (was tests/hub/hub.test.ts, < 500 ms).
import { median as d3median } from 'd3-array';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadHubCheckpoint } from '../compute/hub/checkpoint.ts';
import { startPreview } from '../scripts/preview.ts';
import { frames, stateHash, waitComputed, wordsText } from '../tests/e2e/page.ts';
import { DEFAULT_REPOS, startHubServer, type HubServer } from '../tests/hub/server.ts';
import { GPT2_144, idsText, writeSyntheticGpt2 } from '../tests/hub/synthetic.ts';
import { writeDocSection } from './docSection.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';

const TRAIN_GAP_TARGET = 150;
const SCALE_FRAME_TARGET = 500;
const SCALE_PING_TARGET = 1000;
const MODEL_PROMPT_TARGET = 1500;
const CANCEL_TARGET = 500;

const median = (xs: number[]) => d3median(xs) ?? NaN;

interface Figure {
  what: string;
  /** As shown in the table. */
  shown: string;
  /** The number judged against the target. */
  value: number;
  target: number;
}

async function newPage(browser: Browser, viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  // tsx compiles with keepNames: functions passed to page.evaluate call its __name helper.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return page;
}

/** The longest gap between timers on the page's main thread over `ms` (a busy main thread shows as a long gap). */
function worstTimerGap(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (ms) =>
      new Promise<number>((resolve) => {
        const end = performance.now() + ms;
        let last = performance.now();
        let worst = 0;
        const tick = () => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
          if (now < end) setTimeout(tick, 0);
          else resolve(worst);
        };
        setTimeout(tick, 0);
      }),
    ms,
  );
}

async function training(browser: Browser, base: string): Promise<Figure> {
  const page = await newPage(browser);
  try {
    await page.goto(`${base}/${stateHash({ text: 'hello|hello abc|abc' })}`);
    await waitComputed(page);
    await page.getByTestId('open-train').click();
    await page.getByTestId('train-task-copy').check();
    await page.getByTestId('train-steps').fill('2000');
    await page.getByTestId('train-snapshotEvery').fill('10');
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-status"]')?.getAttribute('data-step') ?? 0) >= 40, null, { timeout: 120_000 });
    const gaps: number[] = [];
    for (let k = 0; k < (QUICK ? 2 : 5); k++) gaps.push(await worstTimerGap(page, 1500));
    const status = await page.getByTestId('train-status').getAttribute('data-status');
    if (status !== 'running') throw new Error(`training stopped while measured (${status})`);
    console.log(`training: longest timer gap per 1.5 s window ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
    return {
      what: `training in the worker (copy task, 2 × 4 heads): longest main-thread timer gap in a 1.5 s window, median of ${gaps.length} windows (all: ${gaps.map((g) => g.toFixed(0)).join(', ')})`,
      shown: `${median(gaps).toFixed(0)} ms`,
      value: median(gaps),
      target: TRAIN_GAP_TARGET,
    };
  } finally {
    await page.context().close();
  }
}

async function scale(browser: Browser, base: string): Promise<Figure[]> {
  const page = await newPage(browser);
  try {
    await page.goto(`${base}/${stateHash({ text: wordsText(16), h: 12, d: 48 })}`);
    const gaps: number[] = [];
    const pings: number[] = [];
    let id = await waitComputed(page);
    for (let r = 0; r < (QUICK ? 1 : 3); r++) {
      await page.evaluate(() => {
        const probe = { stop: false, times: [] as number[] };
        (window as unknown as { __probe: typeof probe }).__probe = probe;
        const tick = (t: number) => {
          probe.times.push(t);
          if (!probe.stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await page.getByTestId('text').fill(wordsText(r % 2 ? 16 : 1024));
      if (r % 2) {
        id = await waitComputed(page, id, 120_000);
        continue;
      }
      for (let k = 0; k < 5; k++) {
        const s = performance.now();
        await page.evaluate(() => 1);
        pings.push(performance.now() - s);
        await frames(page);
      }
      id = await waitComputed(page, id, 120_000);
      gaps.push(
        await page.evaluate(() => {
          const probe = (window as unknown as { __probe: { stop: boolean; times: number[] } }).__probe;
          probe.stop = true;
          let max = 0;
          for (let k = 1; k < probe.times.length; k++) max = Math.max(max, probe.times[k] - probe.times[k - 1]);
          return max;
        }),
      );
    }
    console.log(`1024 × 12: longest frame gap ${gaps.map((g) => g.toFixed(0)).join(', ')} ms; page.evaluate round trips ${pings.map((p) => p.toFixed(0)).join(', ')} ms`);
    return [
      { what: `1,024 tokens × 12 heads, from the edit until painted: longest gap between animation frames (worst of ${gaps.length} runs)`, shown: `${Math.max(...gaps).toFixed(0)} ms`, value: Math.max(...gaps), target: SCALE_FRAME_TARGET },
      { what: `… meanwhile, a trivial \`page.evaluate\` round trip (worst of ${pings.length})`, shown: `${Math.max(...pings).toFixed(0)} ms`, value: Math.max(...pings), target: SCALE_PING_TARGET },
    ];
  } finally {
    await page.context().close();
  }
}

async function modelView(browser: Browser, base: string, hub: HubServer, repo: string): Promise<Figure[]> {
  const page = await newPage(browser);
  try {
    await page.goto(`${base}/?hub=${encodeURIComponent(hub.url)}#v=1&view=model&src=model&model=hf:${repo}&text=${encodeURIComponent(idsText(24))}`);
    await waitComputed(page, 0, 120_000);
    const tiles = GPT2_144.layers * GPT2_144.heads;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="model-tile"]').length === n, tiles, { timeout: 120_000 });
    const clicks: number[] = [];
    const hovers: number[] = [];
    for (let r = 0; r < (QUICK ? 2 : 5); r++) {
      const tile = page.locator(`[data-testid="model-tile"][data-layer="${10 - r}"][data-head="${(7 + r) % 12}"]`);
      await tile.scrollIntoViewIfNeeded();
      let t0 = performance.now();
      await tile.click();
      await tile.and(page.locator('[data-selected="1"]')).waitFor();
      clicks.push(performance.now() - t0);
      const token = page.getByTestId('model-token').nth(3 + r);
      await token.scrollIntoViewIfNeeded();
      t0 = performance.now();
      await token.hover();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="focus-row"]').length === n, tiles, { polling: 'raf', timeout: 60_000 });
      hovers.push(performance.now() - t0);
      await page.mouse.move(0, 0);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="focus-row"]').length === 0, null, { polling: 'raf', timeout: 60_000 });
    }
    console.log(`12 × 12 model: click → selected ${clicks.map((x) => x.toFixed(0)).join(', ')} ms; hover → 144 rows ${hovers.map((x) => x.toFixed(0)).join(', ')} ms`);
    return [
      { what: `12 × 12-head model (Model view, 144 tiles): a click on a tile until it is selected, median of ${clicks.length} (max ${Math.max(...clicks).toFixed(0)})`, shown: `${median(clicks).toFixed(0)} ms`, value: median(clicks), target: MODEL_PROMPT_TARGET },
      { what: `… a hover on a token until all 144 tiles show its row, median of ${hovers.length} (max ${Math.max(...hovers).toFixed(0)})`, shown: `${median(hovers).toFixed(0)} ms`, value: median(hovers), target: MODEL_PROMPT_TARGET },
    ];
  } finally {
    await page.context().close();
  }
}

/** abort() at the first bytes of a paced download (16 KiB per 20 ms) until the load rejects. */
async function cancel(hub: HubServer): Promise<Figure> {
  const latencies: number[] = [];
  hub.throttle('model.safetensors', 16 * 1024, 20);
  try {
    for (let r = 0; r < (QUICK ? 3 : 9); r++) {
      const controller = new AbortController();
      let abortedAt = 0;
      const err = await loadHubCheckpoint('hf:local/stories260K-hf', {
        hub: hub.url,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.file.file === 'model.safetensors' && p.file.received > 0 && !abortedAt) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      }).catch((e: unknown) => e);
      if ((err as Error | undefined)?.name !== 'AbortError') throw new Error(`the cancelled load did not reject with AbortError: ${String(err)}`);
      latencies.push(performance.now() - abortedAt);
    }
  } finally {
    hub.reset();
  }
  console.log(`hub cancel → AbortError: ${latencies.map((x) => x.toFixed(1)).join(', ')} ms`);
  return { what: `Hub loader (Node): abort() during a paced download until it rejects with AbortError, worst of ${latencies.length} (median ${median(latencies).toFixed(1)})`, shown: `${Math.max(...latencies).toFixed(1)} ms`, value: Math.max(...latencies), target: CANCEL_TARGET };
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or run npm run test:e2e once)`);
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-responsive-'));
  writeSyntheticGpt2(dir);
  const loadBefore = os.loadavg()[0];
  const hub = await startHubServer({ repos: { ...DEFAULT_REPOS, 'local/gpt2-144': [dir] } });
  const preview = await startPreview(ROOT);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const chromiumVersion = browser.version();
  const figures: Figure[] = [];
  try {
    figures.push(await training(browser, preview.url));
    figures.push(...(await scale(browser, preview.url)));
    figures.push(...(await modelView(browser, preview.url, hub, 'local/gpt2-144')));
    figures.push(await cancel(hub));
  } finally {
    await browser.close();
    preview.stop();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg()[0];

  const pass = (f: Figure) => f.value < f.target;
  const rows = figures.map((f) => `| ${f.what} | ${f.shown} | ${pass(f) ? 'PASS' : 'FAIL'} (< ${f.target} ms) |`);
  const table = `| what | figure | target |\n|---|---|---|\n${rows.join('\n')}`;
  console.log(`\n${table}\n`);
  const allPass = figures.every(pass);
  console.log(allPass ? 'responsiveness bench: all targets met' : 'responsiveness bench: some targets missed');

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, Chromium ${chromiumVersion} headless (software rendering)`;
    writeDocSection(
      '## Responsiveness',
      `## Responsiveness

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/responsive.ts\` (part of \`npm run bench\`) on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.

These numbers were assertions of the tests until 2026-12 (a test that reads a clock fails on a loaded machine for reasons that are not bugs). The tests now check the behaviour behind them — the training and the 1,024-token compute run in their workers, the page answers a click and renders frames meanwhile, a hover or a click repaints no thumbnail of the Model view, a cancel ends a download the server never finishes — and the timings live here, with their targets. The production build in headless Chromium, served by \`vite preview\`; the 12 × 12 model is the synthetic GPT-2 of \`tests/hub/synthetic.ts\` from the test Hub server. A figure that is a maximum is judged on the maximum; with other jobs on the 2 shared cores (the load average above), one window can catch a stall that is not the app's, so the training gap is judged on the median window.

${table}
`,
    );
  }
  if (!allPass) process.exitCode = 1;
}

await main();
