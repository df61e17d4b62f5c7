// Page helpers shared by the browser tests (tests/e2e/*.e2e.ts) and the browser benchmark.
// They drive the app the way a user does (typing, clicking, hovering, downloading) and read what the
// page shows; they never reach into the store.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { CaseJson, ResultJson } from '../../engine/types.ts';

/** The id of the last result on screen (0 before the first). */
export async function computedId(page: Page): Promise<number> {
  const v = await page.getByTestId('status').getAttribute('data-computed-id');
  return Number(v ?? 0);
}

/**
 * Waits until a result newer than `after` is on screen, idle, and its heatmaps painted
 * (the app's "al:paint" signal for that result id). Without `timeout` (benches set one), the page's default: a hang guard.
 */
export async function waitComputed(page: Page, after = 0, timeout?: number): Promise<number> {
  const handle = await page.waitForFunction(
    (after) => {
      const st = document.querySelector('[data-testid="status"]');
      const id = Number(st?.getAttribute('data-computed-id') ?? 0);
      if (id <= after || st?.getAttribute('data-busy') !== '0') return false;
      return window.__alPaintId === id ? id : false;
    },
    after,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as number;
}

/** Runs an action that changes the input and waits for the next painted result. */
export async function afterRecompute(page: Page, action: () => Promise<unknown>, timeout?: number): Promise<number> {
  const before = await computedId(page);
  await action();
  return waitComputed(page, before, timeout);
}

export async function typeText(page: Page, text: string): Promise<number> {
  return afterRecompute(page, () => page.getByTestId('text').fill(text));
}

async function download(page: Page, testId: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const file = await dl.path();
  return readFile(file, 'utf8');
}

/** The case as the app exports it (Download case). */
export async function exportCase(page: Page): Promise<CaseJson> {
  return JSON.parse(await download(page, 'export-case')) as CaseJson;
}

/** The result as the app exports it (Download result). */
export async function exportResult(page: Page): Promise<ResultJson> {
  return JSON.parse(await download(page, 'export-result')) as ResultJson;
}

/** The heatmap element of head k in the Heads view. */
export function headHeatmap(page: Page, head: number) {
  return page.locator(`[data-testid="head-grid"] [data-head="${head}"] [data-testid="heatmap"]`);
}

/** Moves the pointer to the centre of cell (row, col) of a heatmap and returns what its tooltip says. */
export async function hoverCell(
  page: Page,
  heatmap: ReturnType<Page['locator']>,
  row: number,
  col: number,
): Promise<{ value: number; text: string }> {
  await heatmap.scrollIntoViewIfNeeded();
  const box = await heatmap.boundingBox();
  if (!box) throw new Error('heatmap not visible');
  const rows = Number(await heatmap.getAttribute('data-rows'));
  const cols = Number(await heatmap.getAttribute('data-cols'));
  const x = box.x + ((col + 0.5) * box.width) / cols;
  const y = box.y + ((row + 0.5) * box.height) / rows;
  await page.mouse.move(x, y, { steps: 2 });
  const tip = heatmap.locator(`[data-testid="heatmap-tooltip"][data-row="${row}"][data-col="${col}"]`);
  await tip.waitFor();
  return { value: Number(await tip.getAttribute('data-value')), text: (await tip.textContent()) ?? '' };
}

/**
 * The link as it stands now: the app writes it after a pause and an idle moment, so ask it to write
 * at once (its flush event) and read it then — no waiting on timers.
 */
export async function currentHash(page: Page): Promise<string> {
  return page.evaluate(() => {
    window.dispatchEvent(new Event('attention-lab:flush-link'));
    return location.hash;
  });
}

/**
 * Waits for `n` animation frames of the page: a settle step driven by the page's own rendering
 * (React commits and canvas paints happen before the next frame), never by a timer.
 */
export async function frames(page: Page, n = 2): Promise<void> {
  // No named inner functions: tsx would wrap them in a helper the page does not have.
  await page.evaluate(async (n) => {
    for (let k = 0; k < n; k++) await new Promise((resolve) => requestAnimationFrame(resolve));
  }, n);
}

/** Texts of the notices on screen. */
export async function notices(page: Page): Promise<string[]> {
  return page.getByTestId('notice').allTextContents();
}

/** A text of n distinct words (w0 w1 …). */
export function wordsText(n: number): string {
  return Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
}

/** A hash for a seeded document (the app's URL format). */
export function stateHash(p: { text: string; h?: number; d?: number; mech?: string; conv?: string; view?: string; causal?: boolean; seed?: number }): string {
  const parts = [
    'v=1',
    `view=${p.view ?? 'heads'}`,
    `mech=${p.mech ?? 'multi'}`,
    `conv=${p.conv ?? 'standard'}`,
    `h=${p.h ?? 4}`,
    `d=${p.d ?? 16}`,
    `seed=${p.seed ?? 42}`,
    'mode=words',
    `text=${encodeURIComponent(p.text)}`,
  ];
  if (p.causal) parts.push('causal=1');
  return `#${parts.join('&')}`;
}

/** The weight slider or padding checkbox of key i (the key list only renders the rows in view). */
export async function keyControl(page: Page, i: number, which: 'key-weight' | 'key-pad') {
  const list = page.getByTestId('key-list');
  // Rows are 28 px, 46 px on touch screens and narrow windows (KeyPanel).
  await list.evaluate((el, i) => {
    const rowH = el.querySelector('[data-testid="key-row"]')?.getBoundingClientRect().height || 28;
    el.scrollTop = Math.max(0, i * rowH - 40);
  }, i);
  const loc = page.locator(`[data-testid="key-row"][data-index="${i}"] [data-testid="${which}"]`);
  await loc.waitFor();
  return loc;
}

/** Answers the open step's exercise with anything (its first option, a 0, 1 × 1, the keys as listed) and checks it: the walks only need the views back. */
export async function answerAnyExercise(page: Page): Promise<void> {
  const ex = page.getByTestId('lesson-exercise');
  if ((await ex.getByTestId('lesson-option').count()) > 0) await ex.getByTestId('lesson-option').first().check();
  else if ((await ex.getByTestId('lesson-value').count()) > 0) await ex.getByTestId('lesson-value').fill('0');
  else if ((await ex.getByTestId('lesson-shape-rows').count()) > 0) {
    await ex.getByTestId('lesson-shape-rows').fill('1');
    await ex.getByTestId('lesson-shape-cols').fill('1');
  } else {
    const keys = ex.getByTestId('lesson-order-key');
    for (let k = 0, n = await keys.count(); k < n; k++) await keys.nth(k).click();
  }
  await page.getByTestId('lesson-check').click();
}
