// The corpus run of bench/corpus.ts (GPT-2-small shape, 64 sequences × 128 tokens) in the app: the
// production build in headless Chromium, the checkpoint opened from the test Hub server, the corpus given
// as a .jsonl file of id lists in the Corpus view and run in the app's compute worker. Timed from the click
// on Run until the results are on screen, against the same corpus through runCorpus in Node (bench/corpus.ts's
// child), run before and after the browser so both see the same load. Target: the browser within 1.5× of
// Node. Writes the "## Corpus run in the browser" section of docs/performance.md.
//   --no-write-docs   print only
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startPreview } from '../scripts/preview.ts';
import { DEFAULT_REPOS, startHubServer } from '../tests/hub/server.ts';
import type { CorpusRun } from '../engine/corpus/run.ts';
import { runChild } from './corpus.ts';
import { corpusIds, N, SEQUENCES } from './corpusIds.ts';
import { writeDocSection } from './docSection.ts';

const ROOT = path.join(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const TARGET_RATIO = 1.5;
const REPO = 'local/gpt2-small';

interface BrowserReport {
  /** Page load to the Run button enabled (download, parse, the worker's backend). */
  openMs: number;
  /** Click on Run → results on screen. */
  wallMs: number;
  /** The worker's own time in the sequences (CorpusRun.elapsedMs). */
  workerMs: number;
  tokens: number;
}

async function browserRun(hubUrl: string, base: string): Promise<BrowserReport> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(`${base}/?hub=${encodeURIComponent(hubUrl)}#v=1&view=corpus&src=model&model=hf:${REPO}&mode=words&text=1&cseq=${SEQUENCES}&ctok=${N}`);
    // A GPT-2-small download is large enough for the app to ask first.
    const run = page.locator('[data-testid="corpus-run"]:not([disabled])');
    const confirm = page.getByTestId('model-confirm-yes');
    await Promise.race([run.waitFor({ timeout: 600_000 }), confirm.waitFor({ timeout: 600_000 }).then(() => confirm.click())]);
    await run.waitFor({ timeout: 600_000 });
    const openMs = Date.now() - t0;
    const jsonl = corpusIds().map((ids) => JSON.stringify(ids)).join('\n');
    await page.getByTestId('corpus-file-input').setInputFiles({ name: 'bench.jsonl', mimeType: 'application/json', buffer: Buffer.from(jsonl) });
    await page.waitForFunction((n) => document.querySelector('[data-testid="corpus-plan"]')?.getAttribute('data-runs') === String(n), SEQUENCES, { timeout: 120_000 });
    await run.waitFor({ timeout: 120_000 });
    const started = await page.evaluate(() => performance.now());
    await run.click();
    const shown = await page.waitForFunction(() => (document.querySelector('[data-testid="corpus-results"]') ? performance.now() : 0), null, { timeout: 1_800_000, polling: 100 }).then((h) => h.jsonValue());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('corpus-download').click()]);
    const result = JSON.parse(readFileSync(await download.path(), 'utf8')) as CorpusRun;
    if (result.corpus.sequences !== SEQUENCES || result.corpus.tokens !== SEQUENCES * N) throw new Error(`the browser ran ${result.corpus.sequences} sequences, ${result.corpus.tokens} tokens`);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { openMs, wallMs: shown - started, workerMs: result.elapsedMs, tokens: result.corpus.tokens };
  } finally {
    await browser.close();
  }
}

/** The Node run's time in runCorpus alone (its last progress report), s. */
const nodeSeconds = (dir: string) => {
  const r = runChild('corpus', dir);
  return r.progress!.at(-1)!;
};

async function main(): Promise<void> {
  const WRITE_DOCS = !process.argv.includes('--no-write-docs');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or run npm run test:e2e once)`);
  if (!existsSync(path.join(ROOT, 'dist', 'index.html'))) {
    console.log('building dist/ …');
    if (spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('vite build failed');
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corpus-browser-bench-'));
  const hub = await startHubServer({ repos: { ...DEFAULT_REPOS, [REPO]: [dir] } });
  const preview = await startPreview(ROOT, '/');
  try {
    if (spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'gpt2SmallCheckpoint.ts'), '--write', dir], { stdio: 'inherit' }).status !== 0) throw new Error('could not write the benchmark checkpoint');
    const loads = [os.loadavg()[0]];
    const nodeBefore = nodeSeconds(dir);
    loads.push(os.loadavg()[0]);
    console.log(`Node (before): ${nodeBefore.toFixed(1)} s; load ${loads.at(-1)!.toFixed(1)}`);
    const b = await browserRun(hub.url, preview.url);
    loads.push(os.loadavg()[0]);
    console.log(`browser: open ${(b.openMs / 1000).toFixed(1)} s; run ${(b.wallMs / 1000).toFixed(1)} s (worker ${(b.workerMs / 1000).toFixed(1)} s); load ${loads.at(-1)!.toFixed(1)}`);
    const nodeAfter = nodeSeconds(dir);
    loads.push(os.loadavg()[0]);
    console.log(`Node (after): ${nodeAfter.toFixed(1)} s; load ${loads.at(-1)!.toFixed(1)}`);
    const node = (nodeBefore + nodeAfter) / 2;
    const ratio = b.wallMs / 1000 / node;
    const ok = ratio <= TARGET_RATIO;
    console.log(`${ok ? 'PASS' : 'FAIL'}  browser ${(b.wallMs / 1000).toFixed(1)} s / Node ${node.toFixed(1)} s = ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`);
    const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const section = `## Corpus run in the browser (\`bench/corpusBrowser.ts\`)

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/corpusBrowser.ts\` (part of \`npm run bench\`) on ${os.cpus()[0]?.model.trim() ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, ${chromiumVersion} headless; load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (start, after the first Node run, after the browser run, after the second Node run; 2 shared cores: above 2, a run waits for a core part of the time).

The corpus of "Heads across a corpus" above (${SEQUENCES} seeded sequences × ${N} GPT-2 ids, the GPT-2-small-shaped checkpoint with random fp16 weights) in the production build: the checkpoint opened from the test Hub server (\`tests/hub/server.ts\`) in the Corpus view, the corpus given as a \`.jsonl\` of id lists, run in the app's compute worker (tfjs wasm) a sequence per step, as a user runs it. The browser figure runs from the click on Run until the results are on screen (it includes the messages between page and worker, the example sequences and drawing the head finder); the worker's own time in the sequences is beside it. The Node figure is \`runCorpus\` over the same ids (bench/corpus.ts's child process, loading excluded), run once before and once after the browser so that both see the machine's load; the ratio is against their mean.

| what | figure | target |
|---|---:|---|
| Node, runCorpus: before / after the browser run | ${nodeBefore.toFixed(1)} / ${nodeAfter.toFixed(1)} s | — |
| browser, click on Run → results shown (the worker's time in the sequences) | ${(b.wallMs / 1000).toFixed(1)} s (${(b.workerMs / 1000).toFixed(1)} s) | — |
| browser tokens/s | ${(b.tokens / (b.wallMs / 1000)).toFixed(0)} | — |
| browser / Node | ${ratio.toFixed(2)}× | ${ok ? 'PASS' : 'FAIL'} (≤ ${TARGET_RATIO}×) |
| browser, opening the model (download from the local server, parse, worker start) | ${(b.openMs / 1000).toFixed(1)} s | — |
`;
    if (WRITE_DOCS) writeDocSection('## Corpus run in the browser', section);
    process.exitCode = ok ? 0 : 1;
  } finally {
    preview.stop();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
