// Browser benchmark of opening a Hub model that is already in the browser's cache: `npx tsx bench/hubBrowser.ts`
// (`npm run bench` runs it after bench/browser.ts).
//   --no-write-docs   don't write the "## Hub models in the browser" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//
// Serves dist/ with `vite preview` and the checkpoints with the test Hub server (tests/hub/server.ts), opens each
// model's link once in headless Chromium (downloads it into Cache Storage), then reloads the link and measures,
// from the navigation's start, until every thumbnail of the Model view is painted (each tile's canvas says
// data-painted="1"; the window is tall enough that every row is near it, so none waits for a scroll). The Hub
// server's request log shows that the reloads read the cache only.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startPreview } from '../scripts/preview.ts';
import { DEFAULT_REPOS, startHubServer, type HubServer } from '../tests/hub/server.ts';
import { GPT2_144, idsText, writeSyntheticGpt2 } from '../tests/hub/synthetic.ts';
import { waitComputed } from '../tests/e2e/page.ts';
import { writeDocSection } from './docSection.ts';
import { ensureChromiumAndBuild } from './app.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const REPS = QUICK ? 2 : 5;

interface Case {
  repo: string;
  what: string;
  tiles: number;
  text: string;
}

/** The synthetic GPT-2 with a context of 1,024, for a long input (its maps stay in the worker; see docs/models.md). */
const GPT2_144_LONG = { ...GPT2_144, context: 1024 };
const LONG_N = 1000;

const CASES: Case[] = [
  { repo: 'local/stories260K-hf', what: 'stories260K (Llama, 5 × 8 heads, 4 kv heads, 260K parameters)', tiles: 40, text: 'Once upon a time, Lily saw a big red ball.' },
  { repo: 'local/gpt2-144', what: `synthetic GPT-2 (${GPT2_144.layers} × ${GPT2_144.heads} heads, d ${GPT2_144.heads * GPT2_144.headDim})`, tiles: GPT2_144.layers * GPT2_144.heads, text: idsText(24) },
  {
    repo: 'local/gpt2-144-long',
    what: `the same at n = ${LONG_N.toLocaleString('en')} (thumbnails; all maps would be ${((144 * LONG_N * LONG_N * 4) / 1e6).toFixed(0)} MB)`,
    tiles: GPT2_144.layers * GPT2_144.heads,
    text: idsText(LONG_N),
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row {
  c: Case;
  first: number;
  cached: number[];
  /** Requests to the Hub server during the cached opens (0: all from the cache). */
  requests: number;
  /** The page's JS heap in use after the last open (MB; the worker's is not counted). */
  heapMB: number;
}

/** Milliseconds from the navigation's start until `tiles` thumbnails are painted. */
async function openAndTime(page: import('playwright-core').Page, url: string | null, tiles: number): Promise<number> {
  if (url) await page.goto(url);
  else await page.reload();
  await waitComputed(page, 0, 120_000);
  return page.waitForFunction((n) => (document.querySelectorAll('[data-testid="model-tile"] canvas[data-painted="1"]').length >= n ? performance.now() : 0), tiles, { polling: 'raf', timeout: 120_000 }).then((h) => h.jsonValue());
}

async function measure(browser: Browser, base: string, hub: HubServer, c: Case): Promise<Row> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 2200 } });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const url = `${base}/?hub=${encodeURIComponent(hub.url)}#v=1&view=model&src=model&model=hf:${c.repo}&text=${encodeURIComponent(c.text)}`;
    const first = await openAndTime(page, url, c.tiles);
    const before = hub.requests.length;
    const cached: number[] = [];
    for (let r = 0; r < REPS; r++) cached.push(await openAndTime(page, null, c.tiles));
    if (errors.length) throw new Error(`page errors for ${c.repo}: ${errors.join('; ')}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    // JS objects plus ArrayBuffer backing stores (typed arrays live outside the JS heap proper).
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    const heapMB = (usage.usedSize + (usage.backingStorageSize ?? NaN)) / 1e6;
    const row = { c, first, cached, requests: hub.requests.length - before, heapMB };
    console.log(`${c.repo}: first open ${first.toFixed(0)} ms; cached opens ${cached.map((x) => x.toFixed(0)).join(', ')} ms; Hub requests during them: ${row.requests}; page JS heap ${heapMB.toFixed(1)} MB`);
    return row;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  ensureChromiumAndBuild(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-hub-'));
  writeSyntheticGpt2(dir);
  const longDir = mkdtempSync(join(tmpdir(), 'al-bench-hub-long-'));
  writeSyntheticGpt2(longDir, GPT2_144_LONG);
  const hub = await startHubServer({ repos: { ...DEFAULT_REPOS, 'local/gpt2-144': [dir], 'local/gpt2-144-long': [longDir] } });
  const preview = await startPreview(ROOT, '/');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const chromiumVersion = browser.version();
  const loadBefore = os.loadavg()[0];
  const rows: Row[] = [];
  try {
    for (const c of CASES) rows.push(await measure(browser, preview.url, hub, c));
  } finally {
    await browser.close();
    preview.stop();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(longDir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg()[0];

  const header = '| model | tiles | first open (download) → all thumbnails painted (ms) | cached open → all thumbnails painted (median / min ms) | Hub requests during cached opens | page memory after: JS heap + array buffers (MB) |';
  const lines = rows.map((r) => `| ${r.c.what} | ${r.c.tiles} | ${r.first.toFixed(0)} | ${median(r.cached).toFixed(0)} / ${Math.min(...r.cached).toFixed(0)} | ${r.requests} | ${r.heapMB.toFixed(1)} |`);
  const table = `${header}\n|---|---|---|---|---|---|\n${lines.join('\n')}`;
  console.log(`\n${table}\n`);
  if (rows.some((r) => r.requests > 0)) throw new Error('a cached open went to the Hub server');

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, Chromium ${chromiumVersion} headless (software rendering)`;
    writeDocSection(
      '## Hub models in the browser',
      `## Hub models in the browser

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/hubBrowser.ts\` on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.

The production build in headless Chromium (window 1400 × 2200, so every row of tiles is near the window and painted without scrolling), the Model view of a link \`?hub=…#…&src=model&model=hf:owner/name\` to the test Hub server (\`tests/hub/server.ts\`). Each model is opened once (downloaded into Cache Storage), then the page is reloaded ${REPS} times: the time runs from the navigation's start (page load, the worker and its wasm backend, reading the cache, parsing the weights, the forward pass) until every thumbnail is painted. Head scores arrive after that and are not included. The page's memory is read over CDP (\`Runtime.getHeapUsage\`: the JS heap in use plus ArrayBuffer backing stores, after a forced collection) once the last open is painted; the worker's memory is not in it. At n = ${LONG_N.toLocaleString('en')} the page gets max-pooled thumbnails and the layer shown in full, not every map (docs/models.md, "Long inputs").

${table}
`,
    );
  }
}

await main();
