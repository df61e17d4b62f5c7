// Driving the built app for the browser benchmarks (bench/browser.ts, the --against guard, the
// profiler): headless Chromium as the browser tests launch it, a seeded document opened by its URL,
// and a change timed in the page until the app's "al:paint" signal for the result it caused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserType, Page } from 'playwright-core';
import { stateHash, waitComputed, wordsText } from '../tests/e2e/page.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** Model size of the seeded benches: divisible by 4, 8 and 12 (d_k = 24, 12, 8). */
export const D = 96;

/** Fails early without Chromium, and builds dist/ (the app only) when it is missing. */
export function ensureChromiumAndBuild(root: string): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or run npm run test:e2e once)`);
  if (!existsSync(join(root, 'dist', 'index.html'))) {
    console.log('building dist/ …');
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('vite build failed');
  }
}

/** The flags every browser test and bench launches Chromium with. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBench(type: BrowserType): Promise<Browser> {
  return type.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/**
 * A fresh context showing the Heads view of a seeded document (words w0 … w{n−1}, h heads, d = D,
 * standard convention) with its first result painted. `errors` collects the page's errors;
 * `initScript` runs in the page before the app.
 */
export async function openSeeded(browser: Browser, url: string, n: number, h: number, initScript = ''): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // tsx compiles with keepNames: functions passed to page.evaluate call its __name helper.
  await context.addInitScript({ content: `globalThis.__name = (f) => f;${initScript}` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url + '/' + stateHash({ text: wordsText(n), h, d: D }));
  await waitComputed(page, 0, 120_000);
  return { page, errors, close: () => context.close() };
}

export type Change = 'causal' | 'seed';

/**
 * Change → painted, in the page. 'causal' clicks the causal checkbox (the worker reuses the seeded
 * numbers); 'seed' types a new seed (everything is rebuilt). Waits for "al:paint" of a newer result.
 */
export async function timeChange(page: Page, change: Change, seed = 0): Promise<number> {
  return page.evaluate(
    ([change, seed]) =>
      new Promise<number>((resolve, reject) => {
        const before = window.__alPaintId ?? 0;
        const timer = setTimeout(() => reject(new Error('no paint within 120 s')), 120_000);
        const onPaint = (e: Event) => {
          const id = (e as CustomEvent<{ id: number }>).detail.id;
          if (id <= before) return;
          clearTimeout(timer);
          window.removeEventListener('al:paint', onPaint);
          resolve(performance.now() - t0);
        };
        window.addEventListener('al:paint', onPaint);
        let t0 = 0;
        if (change === 'causal') {
          const box = document.querySelector<HTMLInputElement>('[data-testid="causal"]');
          if (!box) return reject(new Error('no causal checkbox'));
          t0 = performance.now();
          box.click();
        } else {
          const input = document.querySelector<HTMLInputElement>('[data-testid="seed"]');
          if (!input) return reject(new Error('no seed field'));
          const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          t0 = performance.now();
          setValue.call(input, String(seed));
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }),
    [change, seed] as const,
  );
}

/** A mask toggle → all heatmaps painted. */
export const timeToggle = (page: Page) => timeChange(page, 'causal');
