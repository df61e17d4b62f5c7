// Widget benchmark: `npm run bench` (after the browser bench), or `npx tsx bench/widget.ts`.
//   --no-write-docs   don't write the "## Widget" section of docs/performance.md
//   --build           rebuild dist/ (app + widget) first (otherwise only when dist/widget/ is missing)
//
// 1. Sizes (gzip -9) of what a page with <attention-lab> loads: the first load (attention-lab.js and
//    every chunk it imports statically; the CSS is inlined in them) and the compute chunk, loaded
//    lazily by the widget's worker (the worker script with tfjs, and the SIMD .wasm it fetches).
// 2. Cold load → interactive: a 10-token widget (public/widget-bench.html) in a fresh headless
//    Chromium context (empty cache) served by `vite preview` from localhost, from navigation start
//    until attention-lab:ready (the first result painted; the widget takes clicks from then on),
//    then a click on a cell until attention-lab:select.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { startPreview } from '../scripts/preview.ts';
import { writeDocSection } from './docSection.ts';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const args = new Set(process.argv.slice(2));
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
const WIDGET = join(ROOT, 'dist', 'widget');
const CHROMIUM = '/usr/bin/chromium';
const FIRST_LOAD_TARGET_KB = 150;
const READY_TARGET_MS = 1000;
const REPS = 7;

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A built module and every module it imports statically (relative specifiers only). */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w${},\s*]+from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)) {
    staticGraph(join(dirname(entry), m[1]), seen);
  }
  return seen;
}

function sizes() {
  const first = [...staticGraph(join(WIDGET, 'attention-lab.js'))];
  const assets = readdirSync(join(WIDGET, 'assets'));
  const worker = assets.find((f) => /^compute\.worker-.*\.js$/.test(f));
  const simd = assets.find((f) => /^tfjs-backend-wasm-simd-.*\.wasm$/.test(f));
  if (!worker || !simd) throw new Error('dist/widget/assets has no compute worker or simd wasm');
  return {
    firstFiles: first.map((f) => f.slice(WIDGET.length + 1)),
    first: first.reduce((s, f) => s + gz(f), 0),
    worker: gz(join(WIDGET, 'assets', worker)),
    wasm: gz(join(WIDGET, 'assets', simd)),
  };
}

async function main(): Promise<void> {
  if (args.has('--build') || !existsSync(join(WIDGET, 'attention-lab.js'))) {
    for (const cfg of [[], ['--config', 'widget/vite.config.ts']]) {
      const res = spawnSync('npx', ['vite', 'build', ...cfg, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
      if (res.status !== 0) throw new Error('build failed');
    }
  }
  const s = sizes();
  console.log(`widget first load: ${kb(s.first)} kB gzip (${s.firstFiles.join(', ')})`);
  console.log(`compute chunk (lazy, in the worker): worker ${kb(s.worker)} kB + wasm ${kb(s.wasm)} kB gzip`);

  const loadBefore = os.loadavg()[0];
  const preview = await startPreview(ROOT, '/widget-bench.html');
  const { url } = preview;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const ready: number[] = [];
  const click: number[] = [];
  const chromiumVersion = browser.version();
  try {
    for (let i = 0; i < REPS; i++) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 } }); // empty cache
      const page = await context.newPage();
      await page.goto(`${url}/widget-bench.html`);
      const h = await page.waitForFunction(() => document.documentElement.getAttribute('data-ready-ms'), undefined, { timeout: 60_000, polling: 20 });
      ready.push(Number(await h.jsonValue()));
      // Interactive: a click on a cell of head 1 → attention-lab:select.
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const el = document.getElementById('bench');
            const hm = el?.shadowRoot?.querySelector<HTMLElement>('[data-testid="head-grid"] [data-head="0"] [data-testid="heatmap"] canvas, [data-testid="head-grid"] [data-head="0"] [data-testid="heatmap"]');
            if (!el || !hm) return reject(new Error('no heatmap'));
            const r = hm.getBoundingClientRect();
            const t0 = performance.now();
            el.addEventListener('attention-lab:select', () => resolve(performance.now() - t0), { once: true });
            const opts = { bubbles: true, composed: true, clientX: r.x + r.width * 0.3, clientY: r.y + r.height * 0.3, pointerId: 1, isPrimary: true, button: 0 };
            hm.dispatchEvent(new PointerEvent('pointermove', opts));
            hm.dispatchEvent(new PointerEvent('pointerdown', opts));
            hm.dispatchEvent(new PointerEvent('pointerup', opts));
            hm.dispatchEvent(new MouseEvent('click', opts));
            setTimeout(() => reject(new Error('no select event')), 5000);
          }),
      );
      click.push(ms);
      await context.close();
    }
  } finally {
    await browser.close();
    preview.stop();
  }
  const loadAfter = os.loadavg()[0];

  const readyMed = median(ready);
  const sizeOk = s.first / 1024 < FIRST_LOAD_TARGET_KB;
  const readyOk = readyMed < READY_TARGET_MS;
  const v = (ok: boolean, t: string) => (ok ? `PASS (< ${t})` : `FAIL (≥ ${t})`);
  const rows = [
    `| first load (attention-lab.js + static imports, CSS inlined) | ${kb(s.first)} kB gzip | ${v(sizeOk, `${FIRST_LOAD_TARGET_KB} kB`)} |`,
    `| compute chunk, lazy (worker with tfjs + SIMD .wasm) | ${kb(s.worker)} + ${kb(s.wasm)} = ${kb(s.worker + s.wasm)} kB gzip | — |`,
    `| cold load → ready (10 tokens, 4 heads; median of ${REPS}, min ${Math.min(...ready).toFixed(0)}, max ${Math.max(...ready).toFixed(0)}) | ${readyMed.toFixed(0)} ms | ${v(readyOk, `${READY_TARGET_MS} ms`)} |`,
    `| click on a cell → attention-lab:select (median) | ${median(click).toFixed(1)} ms | — |`,
  ];
  const table = `| what | figure | target |\n|---|---|---|\n${rows.join('\n')}`;
  console.log(`\n${table}\n`);
  console.log(`widget size: ${sizeOk ? 'PASS' : 'FAIL'}; widget cold load: ${readyOk ? 'PASS' : 'FAIL'}`);

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, Chromium ${chromiumVersion} headless`;
    const section = `## Widget

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/widget.ts\` (part of \`npm run bench\`) on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.

The embeddable \`<attention-lab>\` (\`dist/widget/\`, see [embedding.md](embedding.md)). Sizes are gzip -9 of the built files. Cold load: \`public/widget-bench.html\` (one widget, 10 tokens, 4 heads, d = 16) served by \`vite preview\` on localhost, each repetition in a fresh browser context (empty cache), from navigation start to \`attention-lab:ready\` (first result painted: for a document this small the widget computes it on the main thread with the engine's plain-JS reference, widget/quickStart.ts; its own worker, with tfjs and its wasm backend, starts once that picture is painted, and its results replace it). The first load holds the default view (the heatmaps); Lines, Steps and Model (with KaTeX) are chunks fetched when first shown. Under load from other jobs on the 2 shared cores most of the time is parsing and running the first-load JS.

${table}

First-load files: ${s.firstFiles.map((f) => `\`${f}\``).join(', ')}.
`;
    writeDocSection('## Widget', section);
  }
  if (!sizeOk || !readyOk) process.exitCode = 1;
}

await main();
