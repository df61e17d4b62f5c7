// The worker pool against one worker, in the browser: `npx tsx bench/pool.ts` (`npm run bench` runs it).
//   --no-write-docs   don't write the "## Worker pool" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//
// The production build served without the cross-origin isolation headers (wasm on one thread, as a host page
// that cannot be isolated gets it), opened twice: as is (one worker per core the browser reports: the compute
// worker and pool workers, compute/pool.ts) and with ?workers=1. A synthetic GPT-2-shaped checkpoint from
// the test Hub server; each page first runs the sweep and a corpus once (the pool workers start and load the
// model), then the two pages take turns (the order alternating each round). Timed in the page from the
// click until the result is shown:
//  - "Which heads matter?": every head ablated alone (an independent forward pass each);
//  - a corpus run: sequences of ids as a .jsonl, a new corpus each run (a run of the same corpus would come
//    from the cache).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { freePort } from '../scripts/preview.ts';
import { startHubServer } from '../tests/hub/server.ts';
import { idsText, writeSyntheticGpt2, type SyntheticShape } from '../tests/hub/synthetic.ts';
import { waitComputed } from '../tests/e2e/page.ts';
import { uniformStream } from '../engine/seeded.ts';
import { writeDocSection } from './docSection.ts';
import { ensureChromiumAndBuild, launchBench } from './app.ts';
import { median } from './stats.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const ROUNDS = QUICK ? 2 : 5;

const MODEL: SyntheticShape = { layers: 4, heads: 12, headDim: 64, vocab: 64, context: 128 };
const SWEEP_N = 128;
const SEQUENCES = 16;
const SEQ_N = 128;
const REPO = 'local/gpt2-768x4';

interface Side {
  label: string;
  page: Page;
  workers: string;
  why: string;
}

/** A corpus of SEQUENCES seeded id lists; run k's last sequence is k tokens shorter, so each run's token count names it. */
function corpus(k: number): { jsonl: string; tokens: number } {
  const next = uniformStream(`bench-pool\u0000${k}`);
  const seqs = Array.from({ length: SEQUENCES }, (_, s) => Array.from({ length: s === SEQUENCES - 1 ? SEQ_N - 1 - k : SEQ_N }, () => 1 + Math.floor(next() * (MODEL.vocab - 1))));
  return { jsonl: seqs.map((ids) => JSON.stringify(ids)).join('\n'), tokens: seqs.reduce((a, s) => a + s.length, 0) };
}

/** Clicks `button` in the page and resolves with the ms until `done` matches, after it first stopped matching (a new result). */
function timedClick(page: Page, button: string, done: string): Promise<number> {
  return page.evaluate(
    ([button, done]) =>
      new Promise<number>((resolve) => {
        let cleared = !document.querySelector(done);
        const t0 = performance.now();
        const check = () => {
          if (!document.querySelector(done)) cleared = true;
          else if (cleared) {
            obs.disconnect();
            resolve(performance.now() - t0);
          }
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { childList: true, subtree: true, attributes: true });
        document.querySelector<HTMLButtonElement>(button)!.click();
      }),
    [button, done] as const,
  );
}

const SWEEP_DONE = '[data-testid="importance"][data-deltas]';
/** Workers that ran heads in each timed sweep, by page. */
const sweepWorkers = new Map<Page, string[]>();

async function sweep(page: Page): Promise<number> {
  const ms = await timedClick(page, '[data-testid="importance-run"]', SWEEP_DONE);
  const section = page.getByTestId('importance');
  sweepWorkers.set(page, [...(sweepWorkers.get(page) ?? []), `${(await section.getAttribute('data-workers')) ?? '?'} (pool workers ran ${(await section.getAttribute('data-shared')) ?? '?'} heads)`]);
  return ms;
}

async function runCorpus(page: Page, k: number): Promise<number> {
  const c = corpus(k);
  await page.getByTestId('corpus-file-input').setInputFiles({ name: `bench-${k}.jsonl`, mimeType: 'application/json', buffer: Buffer.from(c.jsonl) });
  await page.waitForFunction((n) => document.querySelector('[data-testid="corpus-plan"]')?.getAttribute('data-sequences') === String(n), SEQUENCES, { timeout: 120_000 });
  await page.locator('[data-testid="corpus-run"]:not([disabled])').waitFor({ timeout: 120_000 });
  return timedClick(page, '[data-testid="corpus-run"]:not([disabled])', `[data-testid="corpus-results"][data-tokens="${c.tokens}"]`);
}

async function open(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(url);
  return page;
}

async function workersOf(page: Page): Promise<{ workers: string; why: string }> {
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-active"]')?.getAttribute('data-workers-why'), null, { timeout: 120_000 });
  const el = page.getByTestId('backend-active');
  return { workers: (await el.getAttribute('data-workers')) ?? '', why: (await el.getAttribute('data-workers-why')) ?? '' };
}

/** ROUNDS rounds, the sides' order alternating; `run(page, round)` gives one figure. */
async function interleaved(sides: Side[], run: (page: Page, round: number) => Promise<number>): Promise<{ times: number[][]; loads: number[] }> {
  const times = sides.map(() => [] as number[]);
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    loads.push(os.loadavg()[0]);
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) times[k].push(await run(sides[k].page, r));
  }
  loads.push(os.loadavg()[0]);
  return { times, loads };
}

async function main(): Promise<void> {
  ensureChromiumAndBuild(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-pool-'));
  writeSyntheticGpt2(dir, MODEL);
  const hub = await startHubServer({ repos: { [REPO]: [dir] } });
  const port = await freePort();
  const plain = await preview({ configFile: false, root: ROOT, logLevel: 'error', preview: { host: '127.0.0.1', port, strictPort: true } });
  const browser = await launchBench(chromium);
  const chromiumVersion = browser.version();
  const base = `http://127.0.0.1:${port}`;
  const loadBefore = os.loadavg()[0];
  const rows: string[] = [];
  const lines: string[] = [];
  let cores: number;
  try {
    const query = (workers: string) => `/?${workers}hub=${encodeURIComponent(hub.url)}`;
    const sides: Side[] = [];
    for (const [label, q] of [
      ['pool', ''],
      ['?workers=1', 'workers=1&'],
    ] as const) {
      const page = await open(browser, `${base}${query(q)}#v=1&view=ablate&src=model&model=hf:${REPO}&text=${encodeURIComponent(idsText(SWEEP_N))}`);
      await waitComputed(page, 0, 300_000);
      sides.push({ label, page, ...(await workersOf(page)) });
    }
    cores = await sides[0].page.evaluate(() => navigator.hardwareConcurrency);
    // Warm-up: the pool workers start and load the model.
    for (const s of sides) await sweep(s.page);
    const sweeps = await interleaved(sides, (page) => sweep(page));
    rows.push(row(`"Which heads matter?": ${MODEL.layers * MODEL.heads} heads ablated in turn, n = ${SWEEP_N}`, sides, sweeps));

    for (const s of sides) await s.page.goto(`${base}${query(s.label === 'pool' ? '' : 'workers=1&')}#v=1&view=corpus&src=model&model=hf:${REPO}&mode=words&text=1&cseq=${SEQUENCES}&ctok=${SEQ_N}`);
    for (const s of sides) await runCorpus(s.page, 100 + (s.label === 'pool' ? 0 : 1));
    const corpora = await interleaved(sides, (page, r) => runCorpus(page, r));
    rows.push(row(`corpus run: ${SEQUENCES} sequences × ${SEQ_N} ids`, sides, corpora));
    lines.push(...sides.map((s) => `${s.label}: status ${s.workers} worker(s), ${s.why}; workers that ran heads in each sweep: ${sweepWorkers.get(s.page)?.join(', ')}`));
  } finally {
    await browser.close();
    await plain.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg()[0];
  const autogroup = existsSync('/proc/sys/kernel/sched_autogroup_enabled') ? readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() : 'absent';
  const table = `| job | one worker (?workers=1): median / min s | pool (${cores} workers): median / min s | speed-up (median of the rounds' ratios) | load average over the rounds |\n|---|---|---|---|---|\n${rows.join('\n')}`;
  console.log(`\n${lines.join('\n')}\n\n${table}\n\nload average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`);

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Chromium ${chromiumVersion} headless`;
    writeDocSection(
      '## Worker pool',
      `## Worker pool

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/pool.ts\` (part of \`npm run bench\`) on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end${Math.max(loadBefore, loadAfter) >= os.cpus().length ? ` (other jobs shared the ${os.cpus().length} cores)` : ''}.

Where the page is not cross-origin isolated (a host page embedding the widget without COOP/COEP), wasm runs one thread; the compute worker then starts one more worker per core the browser reports, each with the single-threaded build and its own copy of the model, and splits the jobs a user waits for between them and itself (\`compute/pool.ts\`): the head sweep a head at a time, a corpus run a sequence at a time (the parts added in sequence order, so the result is bit-identical to one worker's). The production build served without the isolation headers, a synthetic GPT-2-shaped checkpoint (${MODEL.layers} layers × ${MODEL.heads} heads, d ${MODEL.heads * MODEL.headDim}, random weights) from the test Hub server, two pages: as served (${cores} workers) and with \`?workers=1\`. Each page ran both jobs once first (the pool worker starts and loads the model then); then ${ROUNDS} rounds, the two pages taking turns in alternating order, timed in the page from the click until the result is shown. The speed-up is the median over rounds of one worker's time ÷ the pool's in the same round. Two workers need two cores at the same time: with the load average near or above the core count they wait for each other's core, and the ratio says little.

${table}

${lines.map((l) => `- ${l}`).join('\n')}
- ${verdict(rows)}

Reading the ratio: the pool does the same work on more cores, so it helps only where a core is free for it. This machine's kernel shares the CPU between sessions, not threads (\`/proc/sys/kernel/sched_autogroup_enabled\` is ${autogroup}): while other sessions keep both cores busy, the browser's session gets its share whatever the number of its threads, so two workers run each at about half the speed of one, and the ratio stays near 1 however the heads are split (the lines above: the pool worker ran a large part of the heads in every sweep). A quiet machine, or one whose other work is not CPU-bound, is where the pool pays.
`,
    );
  }
}

const ratios: number[][] = [];

function row(what: string, sides: Side[], { times, loads }: { times: number[][]; loads: number[] }): string {
  const [pool, one] = times;
  const r = pool.map((p, k) => one[k] / p);
  ratios.push(r);
  console.log(`${what}: ${sides.map((s, k) => `${s.label}: ${times[k].map((x) => (x / 1000).toFixed(2)).join(', ')} s`).join(' | ')} (ratios ${r.map((x) => x.toFixed(2)).join(', ')})`);
  const fmt = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} / ${(Math.min(...xs) / 1000).toFixed(2)}`;
  return `| ${what} | ${fmt(one)} | ${fmt(pool)} | ${median(r).toFixed(2)}× | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} |`;
}

function verdict(rows: string[]): string {
  return rows
    .map((_, k) => {
      const m = median(ratios[k]);
      return `${m > 1 ? 'PASS' : 'FAIL'}  ${k === 0 ? 'sweep' : 'corpus'}: ${m.toFixed(2)}× with the pool (target > 1 on 2 cores when the machine is quiet)`;
    })
    .join('\n- ');
}

await main();
