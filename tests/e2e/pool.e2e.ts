// The worker pool (issue 25, "Threads"): the build served without the cross-origin isolation headers (as a
// host page that cannot send them would embed it) runs wasm on one thread, so the compute worker starts
// one more worker per core and splits "Which heads matter?" and corpus runs between them. The status line
// says how many work side by side and why; the numbers equal those of the same page with ?workers=1
// exactly; the isolated preview runs the threaded build instead and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { openApp, type AppPage } from './harness.ts';
import { waitComputed } from './page.ts';
import { freePort } from '../../scripts/preview.ts';
import type { CorpusRun } from '../../engine/corpus/run.ts';

const TEXT = 'kzwqvjxb kzw the cat sat';
const ABLATE = `#v=1&view=ablate&src=model&model=brown-char&mode=chars&text=${encodeURIComponent(TEXT)}`;
const CORPUS = '#v=1&view=corpus&src=model&model=brown-char&mode=chars&text=hello&cseq=8&ctok=40';
const LINES = [
  'the cat sat on the mat and the cat sat on the hat.',
  'Mr. Dursley said hello.',
  'abcabcabcabc',
  'She read the letter twice, then read it again slowly by the window.',
  'one two one two',
  'a rose is a rose is a rose',
  'It was the best of times, it was the worst of times.',
  'xyzzy plugh xyzzy',
];

async function status(page: Page): Promise<{ workers: string; why: string; text: string }> {
  const el = page.getByTestId('backend-active');
  await expect.poll(() => el.getAttribute('data-workers-why')).not.toBe('');
  return { workers: (await el.getAttribute('data-workers')) ?? '', why: (await el.getAttribute('data-workers-why')) ?? '', text: (await el.textContent()) ?? '' };
}

/** Runs "Which heads matter?" to its end: the deltas as the section carries them, and the workers that ran heads. */
async function sweep(page: Page): Promise<{ deltas: string; workers: string }> {
  const section = page.getByTestId('importance');
  // A new run clears the last one's deltas: seen by an observer, so a quick run is not missed.
  await page.evaluate(() => {
    const w = window as unknown as { __sweepCleared: boolean };
    const cleared = () => !document.querySelector('[data-testid="importance"]')?.hasAttribute('data-deltas');
    w.__sweepCleared = cleared();
    new MutationObserver(() => {
      if (cleared()) w.__sweepCleared = true;
    }).observe(document.body, { attributes: true, attributeFilter: ['data-deltas'], subtree: true, childList: true });
  });
  await section.getByTestId('importance-run').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __sweepCleared: boolean }).__sweepCleared)).toBe(true);
  await expect.poll(() => section.getAttribute('data-deltas'), { timeout: 120_000 }).not.toBeNull();
  return { deltas: (await section.getAttribute('data-deltas'))!, workers: (await section.getAttribute('data-workers')) ?? '' };
}

/** Runs a corpus of `lines` in the Corpus view and returns the run as its download holds it. */
async function corpusRun(page: Page, name: string, lines: string[]): Promise<CorpusRun> {
  await page.locator('[data-testid="corpus-run"]:not([disabled])').waitFor({ timeout: 120_000 });
  await page.getByTestId('corpus-file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n') + '\n') });
  await expect.poll(() => page.getByTestId('corpus-plan').getAttribute('data-sequences')).toBe(String(lines.length));
  await page.locator('[data-testid="corpus-run"]:not([disabled])').click();
  await page.locator(`[data-testid="corpus-results"][data-sequences="${lines.length}"]`).waitFor({ timeout: 120_000 });
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('corpus-download').click()]);
  return JSON.parse(readFileSync((await d.path())!, 'utf8')) as CorpusRun;
}

describe('worker pool on a page without cross-origin isolation', () => {
  let plain: PreviewServer;
  let base = '';
  let pooled: AppPage;
  let single: AppPage;

  beforeAll(async () => {
    // dist/ served without COOP/COEP (as in threads.e2e.ts).
    const port = await freePort();
    plain = await preview({ configFile: false, root: process.cwd(), logLevel: 'error', preview: { host: '127.0.0.1', port, strictPort: true } });
    base = plain.resolvedUrls!.local[0].replace(/\/$/, '');
  });

  afterAll(async () => {
    await pooled?.close();
    await single?.close();
    await plain?.close();
  });

  it('the status says 2 workers side by side (pooled) and why one thread; ?workers=1 says one worker and why', async () => {
    pooled = await openApp(`/${ABLATE}`, { base });
    const { page } = pooled;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(cores).toBeGreaterThan(1);
    const st = await status(page);
    expect(st).toMatchObject({ workers: String(cores), why: 'pooled' });
    expect(st.text).toContain(`running on wasm, 1 thread: page not cross-origin isolated · ${cores} workers side by side`);
    await waitComputed(page);

    single = await openApp(`/?workers=1${ABLATE}`, { base });
    const one = await status(single.page);
    expect(one).toMatchObject({ workers: '1', why: 'url-off' });
    expect(one.text).toContain('one worker: ?workers=1 in the address');
    await waitComputed(single.page);
    await pooled.shot('pool-status');
  });

  it('"Which heads matter?" split across the workers gives exactly the deltas of one worker', async () => {
    const alone = await sweep(single.page);
    expect(alone.workers).toBe('1');
    expect(alone.deltas.split(',')).toHaveLength(8);
    // The first run starts the pool worker, which loads tfjs and the model meanwhile: on a model this small the
    // run can end before it is ready. Runs follow until it takes part; every one gives the same deltas.
    const runs: { deltas: string; workers: string }[] = [];
    await expect
      .poll(
        async () => {
          runs.push(await sweep(pooled.page));
          return runs.at(-1)!.workers;
        },
        { timeout: 120_000 },
      )
      .toBe('2');
    for (const r of runs) expect(r.deltas).toBe(alone.deltas);
    await pooled.shot('pool-sweep');
    expect(pooled.consoleErrors).toEqual([]);
    expect(single.consoleErrors).toEqual([]);
  });

  it('a corpus run split across the workers gives exactly the result of one worker', async () => {
    const page = await pooled.newPage(`/${CORPUS}`);
    const one = await single.newPage(`/?workers=1${CORPUS}`);
    // A first corpus starts the pool worker on this page; the second is the one compared.
    await corpusRun(page, 'warm.txt', LINES.slice(0, 3));
    const [shared, alone] = [await corpusRun(page, 'mine.txt', LINES), await corpusRun(one, 'mine.txt', LINES)];
    expect(shared.corpus).toEqual(alone.corpus);
    expect(shared.result).toStrictEqual(alone.result);
    expect(shared.examples).toStrictEqual(alone.examples);
    expect((await status(page)).why).toBe('pooled');
    await page.close();
    await one.close();
  });

  it('中文: the status says the workers', async () => {
    const page = await pooled.newPage(`/?lang=zh${ABLATE}`);
    await expect.poll(() => page.getByTestId('backend-active').textContent()).toContain('个工作线程并行');
    await page.close();
  });
});

describe('worker pool on the cross-origin-isolated preview', () => {
  let app: AppPage;
  afterAll(async () => {
    await app?.close();
  });

  it('threads instead of a pool: the status carries the reason', async () => {
    app = await openApp(`/${ABLATE}`);
    expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(true);
    const st = await status(app.page);
    expect(st).toMatchObject({ workers: '1', why: 'isolated' });
    expect(st.text).not.toContain('worker');
    const { deltas, workers } = await sweep(app.page);
    expect(deltas.split(',')).toHaveLength(8);
    expect(workers).toBe('1');
    expect(app.consoleErrors).toEqual([]);
  });
});
