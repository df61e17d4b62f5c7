// One wasm thread against every core, in the browser: `npx tsx bench/threads.ts` (`npm run bench` runs it).
//   --no-write-docs   don't write the "## Threads" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//
// The same production build is served twice: by `vite preview` with the cross-origin isolation headers
// (vite.config.ts: wasm's threaded build, every core) and by a preview without them (one thread, what a
// host page that cannot be isolated gets). Each page computes the same cases, one page after the other
// for each repetition (interleaved, so a change of load hits both), and the worker's own time for the
// computation (data-compute-ms: computeAttention, or the model's forward pass) is read after each result:
//  - the seeded 1,024-token case, d = 512, 8 heads (d_k 64), all maps read back, new seed each time;
//  - a model forward: a synthetic GPT-2-shaped checkpoint (2 layers × 12 heads, d 768) from the test Hub
//    server at n = 512, a one-token change of the text each time.
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { freePort, startPreview } from '../scripts/preview.ts';
import { startHubServer } from '../tests/hub/server.ts';
import { idsText, writeSyntheticGpt2, type SyntheticShape } from '../tests/hub/synthetic.ts';
import { afterRecompute, stateHash, waitComputed, wordsText } from '../tests/e2e/page.ts';
import { writeDocSection } from './docSection.ts';
import { ensureChromiumAndBuild, launchBench } from './app.ts';
import { median } from './stats.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const REPS = QUICK ? 2 : 5;

const MODEL: SyntheticShape = { layers: 2, heads: 12, headDim: 64, vocab: 64, context: 512 };
const MODEL_N = 512;

interface Side {
  name: string;
  page: Page;
  threads: string;
}

async function open(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(url);
  await waitComputed(page, 0, 300_000);
  return page;
}

async function computeMs(page: Page): Promise<number> {
  return Number(await page.getByTestId('timing').getAttribute('data-compute-ms'));
}

async function threadsOf(page: Page): Promise<string> {
  const el = page.getByTestId('backend-active');
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-active"]')?.getAttribute('data-threads'), null, { timeout: 120_000 });
  return `${await el.getAttribute('data-backend')}, ${await el.getAttribute('data-threads')} thread(s)`;
}

/** REPS interleaved runs of `change` on each side; the worker's compute ms of each. */
async function interleaved(sides: Side[], change: (page: Page, rep: number) => Promise<unknown>): Promise<number[][]> {
  const times = sides.map(() => [] as number[]);
  for (let r = 0; r < REPS; r++) {
    for (const [k, s] of sides.entries()) {
      await afterRecompute(s.page, () => change(s.page, r), 300_000);
      times[k].push(await computeMs(s.page));
    }
  }
  return times;
}

async function main(): Promise<void> {
  ensureChromiumAndBuild(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'al-bench-threads-'));
  writeSyntheticGpt2(dir, MODEL);
  const hub = await startHubServer({ repos: { 'local/gpt2-768x2': [dir] } });
  const isolated = await startPreview(ROOT, '/');
  const port = await freePort();
  const plain = await preview({ configFile: false, root: ROOT, logLevel: 'error', preview: { host: '127.0.0.1', port, strictPort: true } });
  const browser = await launchBench(chromium);
  const chromiumVersion = browser.version();
  const loadBefore = os.loadavg()[0];
  const bases = [`http://127.0.0.1:${port}`, isolated.url];
  const rows: string[] = [];
  try {
    // The 1,024-token seeded case.
    const seeded = `/${stateHash({ text: wordsText(1024), d: 512, h: 8 })}`;
    const sides: Side[] = [];
    for (const base of bases) {
      const page = await open(browser, base + seeded);
      sides.push({ name: base, page, threads: await threadsOf(page) });
    }
    const seedTimes = await interleaved(sides, (page, r) => page.getByTestId('seed').fill(String(100 + r)));
    rows.push(row('seeded, n = 1,024, d = 512, 8 heads (d_k 64), all maps', sides, seedTimes));
    for (const s of sides) await s.page.context().close();

    // A model forward from the test Hub server.
    const link = (text: string) => `/?hub=${encodeURIComponent(hub.url)}#v=1&view=heads&src=model&model=hf:local/gpt2-768x2&text=${encodeURIComponent(text)}`;
    const modelSides: Side[] = [];
    for (const base of bases) {
      const page = await open(browser, base + link(idsText(MODEL_N)));
      modelSides.push({ name: base, page, threads: await threadsOf(page) });
    }
    const modelTimes = await interleaved(modelSides, (page, r) => page.getByTestId('text').fill(`${idsText(MODEL_N - 1)} ${1 + (r % 60)}`));
    rows.push(row(`model forward: synthetic GPT-2 shape, ${MODEL.layers} layers × ${MODEL.heads} heads, d ${MODEL.heads * MODEL.headDim}, n = ${MODEL_N}`, modelSides, modelTimes));
    for (const s of modelSides) await s.page.context().close();
  } finally {
    await browser.close();
    isolated.stop();
    await plain.close();
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg()[0];
  const table = `| case | 1 thread (page not isolated): median / min ms | all cores (isolated page): median / min ms | speed-up (medians) |\n|---|---|---|---|\n${rows.join('\n')}`;
  console.log(`\n${table}\n\nload average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`);

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Chromium ${chromiumVersion} headless`;
    writeDocSection(
      '## Threads',
      `## Threads

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/threads.ts\` on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end${Math.max(loadBefore, loadAfter) >= os.cpus().length ? ` (other jobs shared the ${os.cpus().length} cores)` : ''}.

The same production build served with the cross-origin isolation headers (wasm's threaded build on every core the browser reports) and without them (one thread). The time is the worker's own (\`computeAttention\`, or the whole forward pass), ${REPS} runs per side, interleaved. Only the plain 2-D matrix products run on the thread pool (XNNPACK); softmax, transposes and the rest stay on one thread, so the speed-up is below the core count. A thread pool needs its threads to run at the same time: with the load average well above the core count, each product waits for a thread the system has set aside, and the threaded build can come out slower than one thread. Read the ratio only from a run whose load average is below the core count.

${table}

WebGPU: its speed is not measurable here. The only adapter this machine offers headless Chromium is SwiftShader's (a CPU emulation of a GPU, \`--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader\`), which the browser tests use to check WebGPU's numbers and which \`auto\` deliberately does not pick; its times say nothing about a real GPU, so none are given.
`,
    );
  }
}

function row(what: string, sides: Side[], times: number[][]): string {
  const [one, many] = times;
  console.log(`${what}: ${sides.map((s, k) => `${s.threads}: ${times[k].map((x) => x.toFixed(0)).join(', ')} ms`).join(' | ')}`);
  const fmt = (xs: number[]) => `${median(xs).toFixed(0)} / ${Math.min(...xs).toFixed(0)}`;
  return `| ${what} | ${fmt(one)} (${sides[0].threads}) | ${fmt(many)} (${sides[1].threads}) | ${(median(one) / median(many)).toFixed(2)}× |`;
}

await main();
