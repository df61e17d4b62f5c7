// The five lessons on modern attention in the browser, with the Hub stand-in serving their models
// (stories260K, and a small GPT-Neo standing in for TinyStories-1M): every step's view renders the step's
// state (the window and tile in the link, the tiled softmax and the cache in the Steps view, the shift in the
// Compare view), a model step's numbers arrive and equal the same step run in Node on the same files, and a
// step whose model cannot be fetched says so, stays readable, and fills in once the model is there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openApp } from './harness.ts';
import { waitComputed } from './page.ts';
import { DEFAULT_REPOS, startHubServer, type HubServer } from '../hub/server.ts';
import { LESSONS, type Lesson, type LessonStep } from '../../app/lessons/index.ts';
import { PENDING, placeholderText, stepNumbers, type LessonNumbers } from '../../app/lessons/numbers.ts';
import { neoStandInFiles, openLessonModel, runStep } from '../../app/lessons/test-lessonModels.ts';
import type { ModelId } from '../../state/document.ts';

const MODERN = ['rotary-positions', 'grouped-query', 'local-window', 'kv-cache', 'online-softmax'];
const TINYSTORIES_REPO = 'roneneldan/TinyStories-1M';

/** The numbers in a piece of text. */
const numbersIn = (s: string) => Array.from(s.matchAll(/-?\d+(?:\.\d+)?/g), (m) => Number(m[0]));

/** Shown and expected agree number by number at the shown precision (the browser's wasm float32 against Node's). */
function agree(shown: string, want: string): boolean {
  const a = numbersIn(shown);
  const b = numbersIn(want);
  return a.length === b.length && a.every((x, k) => Math.abs(x - b[k]) <= 2e-3 + 1e-3 * Math.abs(b[k]));
}

/** The placeholders on screen, once none is pending (a model step's run has arrived). */
async function shownNumbers(page: Page): Promise<{ ref: string; text: string }[]> {
  try {
    await page.waitForFunction((pending) => Array.from(document.querySelectorAll('.al-lesson-text .al-lesson-number')).every((el) => el.textContent !== pending), PENDING, { timeout: 120_000, polling: 100 });
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, 'modern-stuck.png'), fullPage: true });
    throw e;
  }
  return page.locator('.al-lesson-text .al-lesson-number').evaluateAll((els) => els.map((el) => ({ ref: el.getAttribute('data-ref')!, text: el.textContent! })));
}

/** The page's link, written at once. */
async function link(page: Page): Promise<URLSearchParams> {
  const hash = await page.evaluate(() => {
    window.dispatchEvent(new Event('attention-lab:flush-link'));
    return location.hash.slice(1);
  });
  return new URLSearchParams(hash);
}

/** Opens the local-window lesson at its model step (GPT-Neo) and waits for the step to say the model cannot be opened. */
async function toMissingModelStep(page: Page) {
  await waitComputed(page);
  const lesson = LESSONS.find((l) => l.id === 'local-window')!;
  const k = lesson.steps.findIndex((s) => s.state?.model);
  await page.getByTestId('lessons-toggle').click();
  await page.getByTestId(`lesson-${lesson.id}`).click();
  for (let s = 0; s < k; s++) {
    await page.locator(`[data-testid="lesson-step"][data-step="${s}"]`).waitFor();
    await page.getByTestId('lesson-next').click();
  }
  const status = page.locator('[data-testid="lesson-model"][data-status="error"]');
  await status.waitFor({ timeout: 120_000 });
  return status;
}

describe('the lessons on modern attention', () => {
  let server: HubServer;
  let dir: string;
  const models = new Map<ModelId, Awaited<ReturnType<typeof openLessonModel>>>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'al-modern-'));
    for (const [name, bytes] of Object.entries(neoStandInFiles())) writeFileSync(join(dir, name), bytes);
    server = await startHubServer({ repos: { ...DEFAULT_REPOS, [TINYSTORIES_REPO]: [dir] } });
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What a step's numbers should be: its case in the float64 reference, or its model run in Node on the files the stand-in serves. */
  async function expected(lesson: Lesson, step: LessonStep): Promise<LessonNumbers> {
    const m = step.state?.model;
    if (!m) return stepNumbers(lesson, step)!;
    if (!models.has(m.id)) models.set(m.id, await openLessonModel(m.id));
    return (await runStep(models.get(m.id)!, step)).nums;
  }

  it('walks all five: each step’s view shows its state, and every number equals the engine’s', async () => {
    const app = await openApp(`/?hub=${encodeURIComponent(server.url)}`);
    try {
      const { page } = app;
      await waitComputed(page);
      const problems: string[] = [];
      let checked = 0;
      await page.getByTestId('lessons-toggle').click();
      for (const lesson of LESSONS.filter((l) => MODERN.includes(l.id))) {
        await page.getByTestId(`lesson-${lesson.id}`).click();
        for (let k = 0; k < lesson.steps.length; k++) {
          const step = lesson.steps[k];
          const where = `${lesson.id} step ${k + 1}`;
          await page.locator(`[data-testid="lesson-step"][data-step="${k}"]`).waitFor();
          if (step.exercise) {
            await page.getByTestId('lesson-option').first().check();
            await page.getByTestId('lesson-check').click();
            await page.getByTestId('lesson-feedback').waitFor({ timeout: 120_000 });
          }
          const shown = await shownNumbers(page);
          await waitComputed(page);
          const want = await expected(lesson, step);
          for (const n of shown) {
            checked++;
            const w = placeholderText(want, n.ref);
            if (!agree(n.text, w)) problems.push(`${where}: ${n.ref} shows ${n.text}, the engine gives ${w}`);
          }
          // The view the step is about, in the step's state.
          await page.getByTestId(`panel-${step.view}`).waitFor();
          const p = await link(page);
          const s = step.state ?? {};
          expect([p.get('win'), p.get('tile'), p.get('shift')], where).toEqual([s.window ? String(s.window) : null, s.tile ? String(s.tile) : null, s.model?.shift ? String(s.model.shift) : null]);
          const stepId = step.view === 'steps' ? await page.getByTestId('step-by-step').getAttribute('data-step') : null;
          if (step.view === 'steps' && s.tile) {
            expect(stepId, where).toBe('tiles');
            const table = page.getByTestId('step-tiles');
            expect(await table.getAttribute('data-tile'), where).toBe(String(s.tile));
            // The Steps view's running maximum and sum per tile are the lesson's {M[5][t]} and {L[5][t]}.
            const tiles = await table.locator('tbody tr').count();
            for (let t = 0; t < tiles; t++) {
              const m = Number(await page.getByTestId(`tile-m-${t}`).getAttribute('data-value'));
              const l = Number(await page.getByTestId(`tile-sum-${t}`).getAttribute('data-value'));
              expect(m.toFixed(4), where).toBe(placeholderText(want, `{M[5][${t}]}`));
              expect(l.toFixed(3), where).toBe(placeholderText(want, `{L[5][${t}]}`));
            }
          }
          if (lesson.id === 'kv-cache' && step.view === 'steps') {
            expect(stepId, where).toBe('cache');
            expect(await page.getByTestId('cache-held').getAttribute('data-held'), where).toBe(placeholderText(want, '{HELD[3]}'));
          }
          if (step.view === 'compare') {
            // RoPE: the text read 100 positions later changes no map of the layer.
            const changed = page.getByTestId('compare-changed');
            await changed.waitFor();
            expect([await changed.getAttribute('data-changed'), await changed.getAttribute('data-heads')], where).toEqual(['0', placeholderText(want, '{HEADS}')]);
          }
          await app.shot(`modern-${lesson.id}-${k + 1}`);
          await page.getByTestId('lesson-next').click();
        }
        await page.getByTestId('lesson-done').waitFor();
        await page.getByTestId('lesson-close').click();
        await page.getByTestId('lessons-toggle').click();
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(100);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 900_000);

  it('a step whose model cannot be fetched says so, stays readable, and fills in once the model is there', async () => {
    const bare = await startHubServer({ repos: { ...DEFAULT_REPOS } });
    const app = await openApp(`/?hub=${encodeURIComponent(bare.url)}`);
    try {
      const { page } = app;
      const status = await toMissingModelStep(page);
      expect(await status.textContent()).toContain('roneneldan/TinyStories-1M');
      // The step is still there to read, its numbers waiting.
      expect(await page.locator('.al-lesson-text').textContent()).toContain('GPT-Neo');
      expect(await page.locator('.al-lesson-text .al-lesson-number').first().textContent()).toBe(PENDING);
      await app.shot('modern-model-missing');
      // The model becomes available: Try again opens it and the numbers arrive.
      bare.addRepo(TINYSTORIES_REPO, [dir]);
      await page.getByTestId('lesson-model-retry').click();
      const shown = await shownNumbers(page);
      expect(shown.length).toBeGreaterThan(0);
      expect(await page.getByTestId('lesson-model').count()).toBe(0);
      await app.shot('modern-model-retried');
    } finally {
      await app.close();
      await bare.stop();
    }
  }, 400_000);

  it('in 中文 the reason a model could not be fetched is in Chinese, its file and address kept', async () => {
    const bare = await startHubServer({ repos: { ...DEFAULT_REPOS } });
    const app = await openApp(`/?lang=zh&hub=${encodeURIComponent(bare.url)}`);
    try {
      const { page } = app;
      const status = await toMissingModelStep(page);
      const text = (await status.textContent()) ?? '';
      // config.json is the first file asked for: the stand-in answers 404.
      expect(text).toContain(`config.json：${bare.url}/${TINYSTORIES_REPO}/resolve/`);
      expect(text).toMatch(/\/config\.json 返回 HTTP 404/);
      expect(text).not.toMatch(/ from http|cannot|could not/);
      await app.shot('modern-model-missing-zh');
    } finally {
      await app.close();
      await bare.stop();
    }
  }, 400_000);
});
