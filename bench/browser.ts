// Browser benchmark of the app: `npm run bench` (after bench/engine.ts), or `npx tsx bench/browser.ts`.
//   --no-write-docs   don't write the "## Browser" section of docs/performance.md
//   --quick           fewer repetitions (smoke test)
//   --build           rebuild dist/ first (otherwise only when dist/ is missing)
//
// Serves dist/ with `vite preview`, opens it in headless Chromium and measures, in the page:
//  - change → painted: from a change of input (a click on the causal checkbox, timed in the page
//    right before the click) until every heatmap of the new result is painted (the app's "al:paint"
//    signal: it fires after the paint queue has drawn every canvas of that result, in the next frame);
//  - hover: from a dispatched pointermove on a heatmap cell until the highlight of every view is
//    updated in the DOM (the app's "al:hover" signal, from a layout effect of the same commit).
// Each figure is a median over repetitions, for (n, h) = (16, 4), (128, 8), (512, 12), (1024, 12).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startPreview } from '../scripts/preview.ts';
import { writeDocSection } from './docSection.ts';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, D, launchBench, openSeeded, timeChange } from './app.ts';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const WRITE_DOCS = !args.has('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');

interface Case {
  n: number;
  h: number;
  reps: number;
  /** Target for change → painted, ms (null: reported only). */
  paintTarget: number | null;
}

const CASES: Case[] = [
  { n: 16, h: 4, reps: 21, paintTarget: 50 },
  { n: 128, h: 8, reps: 11, paintTarget: null },
  { n: 512, h: 12, reps: 7, paintTarget: 1000 },
  { n: 1024, h: 12, reps: 5, paintTarget: null },
];
const HOVER_TARGET = 16;
const HOVER_REPS = 41;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Hover → highlight updated, in the page: pointermove to alternating cells of head 1. */
async function timeHover(page: Page, reps: number): Promise<number[]> {
  return page.evaluate(async (reps) => {
    const el = document.querySelector<HTMLElement>('[data-testid="head-grid"] [data-head="0"] [data-testid="heatmap"]');
    if (!el) throw new Error('no heatmap');
    el.scrollIntoView({ block: 'center' });
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    const rect = el.getBoundingClientRect();
    const rows = Number(el.dataset.rows);
    const cols = Number(el.dataset.cols);
    const times: number[] = [];
    for (let k = 0; k < reps; k++) {
      // Walk along a diagonal so that every move changes the focused cell.
      const i = (k * 7 + 1) % rows;
      const j = (k * 5 + 2) % cols;
      const x = rect.left + ((j + 0.5) * rect.width) / cols;
      const y = rect.top + ((i + 0.5) * rect.height) / rows;
      const dt = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no hover signal')), 5000);
        let t0 = 0;
        window.addEventListener(
          'al:hover',
          () => {
            clearTimeout(timer);
            resolve(performance.now() - t0);
          },
          { once: true },
        );
        t0 = performance.now();
        el.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true, pointerType: 'mouse' }));
      });
      times.push(dt);
      // Let the frame paint before the next move, as a real pointer does (≤ 1 move per frame).
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    }
    return times;
  }, reps);
}

interface Row {
  c: Case;
  /** Median change → painted for a mask toggle (numbers cached) and a new seed (rebuilt). */
  toggle: number;
  reseed: number;
  toggleAll: number[];
  reseedAll: number[];
  /** Medians of the worker round trip and of building the input (new seed). */
  roundTrip: number;
  build: number;
  hover: number;
  hoverP95: number;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or run npm run test:e2e once)`);
  if (args.has('--build') || !existsSync(join(ROOT, 'dist', 'index.html'))) {
    console.log('building dist/ …');
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
  const preview = await startPreview(ROOT, '/');
  const { url } = preview;
  const browser = await launchBench(chromium);
  const chromiumVersion = browser.version();
  const rows: Row[] = [];
  const loadBefore = os.loadavg()[0];
  try {
    for (const c of CASES) {
      const { page, errors, close } = await openSeeded(browser, url, c.n, c.h);
      const reps = QUICK ? Math.min(3, c.reps) : c.reps;
      await timeChange(page, 'causal', 0); // warm-up (first compile of the kernels for these shapes)
      const toggleAll: number[] = [];
      const reseedAll: number[] = [];
      const roundTrips: number[] = [];
      const builds: number[] = [];
      const timing = page.getByTestId('timing');
      for (let r = 0; r < reps; r++) {
        toggleAll.push(await timeChange(page, 'causal', 0));
        await page.waitForTimeout(c.n >= 512 ? 300 : 60);
        reseedAll.push(await timeChange(page, 'seed', 1000 + r));
        await timing.waitFor();
        roundTrips.push(Number(await timing.getAttribute('data-roundtrip-ms')));
        builds.push(Number(await timing.getAttribute('data-build-ms')));
        await page.waitForTimeout(c.n >= 512 ? 300 : 60);
      }
      const hovers = await timeHover(page, QUICK ? 9 : HOVER_REPS);
      const sorted = [...hovers].sort((a, b) => a - b);
      rows.push({
        c,
        toggle: median(toggleAll),
        reseed: median(reseedAll),
        toggleAll,
        reseedAll,
        roundTrip: median(roundTrips),
        build: median(builds),
        hover: median(hovers),
        hoverP95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
      });
      if (errors.length) throw new Error(`page errors at n=${c.n}, h=${c.h}: ${errors.join('; ')}`);
      console.log(
        `n=${c.n} h=${c.h}: mask toggle → painted ${toggleAll.map((x) => x.toFixed(0)).join(', ')} ms; new seed → painted ${reseedAll.map((x) => x.toFixed(0)).join(', ')} ms; hover median ${median(hovers).toFixed(2)} ms`,
      );
      await close();
    }
  } finally {
    await browser.close();
    preview.stop();
  }
  const loadAfter = os.loadavg()[0];

  const verdict = (v: number, target: number | null) => (target === null ? '—' : v < target ? `PASS (< ${target})` : `FAIL (≥ ${target})`);
  const header =
    '| n | h | d | mask toggle → all heatmaps painted (median ms) | new seed → all heatmaps painted (median ms) | of which: worker round trip / building the input (ms) | target (both) | hover → highlight updated (median / p95 ms) | target |';
  const sep = '|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.c.n} | ${r.c.h} | ${D} | ${r.toggle.toFixed(1)} | ${r.reseed.toFixed(1)} | ${r.roundTrip.toFixed(0)} / ${r.build.toFixed(0)} | ${verdict(Math.max(r.toggle, r.reseed), r.c.paintTarget)} | ${r.hover.toFixed(2)} / ${r.hoverP95.toFixed(2)} | ${verdict(r.hover, HOVER_TARGET)} |`,
  );
  console.log(`\n${header}\n${sep}\n${lines.join('\n')}\n`);
  const allPass = rows.every((r) => (r.c.paintTarget === null || Math.max(r.toggle, r.reseed) < r.c.paintTarget) && r.hover < HOVER_TARGET);
  console.log(allPass ? 'browser bench: all targets met' : 'browser bench: some targets missed');

  if (WRITE_DOCS) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, Chromium ${chromiumVersion} headless (software rendering)`;
    const section = `## Browser

Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/browser.ts\` (\`npm run bench\` runs it after the engine bench) on ${machine}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.

The production build (\`dist/\`, served by \`vite preview\`) in headless Chromium, Heads view, seeded multi-head attention with the standard convention, d = ${D}, words \`w0 … w{n−1}\`, wasm backend in the worker.

- **change → all heatmaps painted**: timed in the page from just before the change until the app's \`al:paint\` signal for the new result: the store update, the worker (build the input, compute Q, K, V, scores, A, Z, transfer the arrays back), the React render of every head's heatmap, every canvas painted, then the next frame laid out and painted by the browser (a task posted from its \`requestAnimationFrame\`). Two changes: a click on *Causal mask* (the worker reuses the seeded X and weights, cached by tokens, sizes, seed and convention) and a new seed typed into *Seed* (everything rebuilt). The round trip and build columns are the app's own figures for the new-seed results (medians).
- **hover → highlight updated**: a \`pointermove\` dispatched on a cell of head 1 until the layout effect that follows the commit in which every view's highlight overlay is updated (\`al:hover\`); it excludes waiting for the next frame. ${HOVER_REPS} moves to different cells, one per frame.

${header}
${sep}
${lines.join('\n')}

Targets: under 50 ms for (16, 4), under 1 s for (512, 12), hover under 16 ms. ${allPass ? 'All met in this run.' : 'Not all met in this run (see FAIL).'}
`;
    writeDocSection('## Browser', section);
  }
  if (!allPass) process.exitCode = 1;
}

await main();
