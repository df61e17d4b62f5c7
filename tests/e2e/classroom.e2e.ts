// The lessons in a classroom: a link to a lesson step (reload, Next), presentation mode in 中文 (large
// type, side panels hidden, clicker keys, high contrast) and the printed lesson (print media and a PDF).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LESSONS } from '../../app/lessons/index.ts';
import { currentHash, waitComputed } from './page.ts';
import { ARTIFACTS, launchBrowser, openApp } from './harness.ts';

const DOCS = path.resolve(import.meta.dirname, '../../docs');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const stepShown = (page: Page, k: number) => page.locator(`[data-testid="lesson-step"][data-step="${k}"]`).waitFor();

describe('a link to a lesson step', () => {
  it('opens lesson 2 step 3, survives a reload, and follows Next', async () => {
    const app = await openApp('/?lang=zh#v=1&lesson=2&step=3', { browser });
    try {
      const { page } = app;
      await stepShown(page, 2);
      await expect(page.getByTestId('lesson-panel').locator('.al-lesson-title').textContent()).resolves.toBe(LESSONS[1].title.zh);
      await waitComputed(page);
      await page.reload();
      await stepShown(page, 2);
      expect(await currentHash(page)).toMatch(/&lesson=2&step=3(&|$)/);
      await page.getByTestId('lesson-next').click();
      await stepShown(page, 3);
      expect(await currentHash(page)).toMatch(/&lesson=2&step=4(&|$)/);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('an exercise', () => {
  it('lets a student try again after a wrong answer without giving it away, then explains; the teacher’s notes stay closed', async () => {
    const app = await openApp('/?lang=zh#v=1&lesson=1&step=7', { browser });
    try {
      const { page } = app;
      await stepShown(page, 6);
      await waitComputed(page);
      const options = page.getByTestId('lesson-option');
      // “小猫” (option 1) is wrong: “它” = (0, 1) attends most to “马路”.
      await options.nth(0).check();
      await page.getByTestId('lesson-check').click();
      const fb = page.getByTestId('lesson-feedback');
      await fb.waitFor();
      expect(await fb.getAttribute('data-correct')).toBe('0');
      expect(await fb.textContent()).not.toContain('马路');
      expect(await page.getByTestId('lesson-explain').count()).toBe(0);
      const teacher = page.getByTestId('lesson-teacher');
      expect(await teacher.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      await page.getByTestId('lesson-retry').click();
      await page.getByTestId('views-hidden').waitFor();
      expect(await options.nth(1).isEnabled()).toBe(true);
      await options.nth(1).check();
      await page.getByTestId('lesson-check').click();
      await page.locator('[data-testid="lesson-feedback"][data-correct="1"]').waitFor();
      expect(await page.getByTestId('lesson-explain').textContent()).toContain('原因：');
      await teacher.locator('summary').click();
      expect(await teacher.textContent()).toMatch(/答案：“马路”（0\.\d{3}）/);
      await app.shot('classroom-exercise-zh');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('presentation mode in 中文', () => {
  it('shows the lesson in ≥ 28 px type with the side panels hidden, steps with the clicker’s keys, ends with Esc', async () => {
    const app = await openApp('/?lang=zh#v=1&lesson=1&step=4', { browser, viewport: { width: 1920, height: 1080 } });
    try {
      const { page } = app;
      await stepShown(page, 3);
      await waitComputed(page);
      await page.getByTestId('lesson-present').click();
      await page.locator('html[data-al-presenting="1"]').waitFor({ state: 'attached' });
      const px = (sel: string) => page.locator(sel).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(await px('.al-lesson-text')).toBeGreaterThanOrEqual(28);
      expect(await px('body')).toBeGreaterThanOrEqual(28);
      expect(await page.locator('.al-sidebar').isVisible()).toBe(false);
      expect(await page.locator('.al-header').isVisible()).toBe(false);
      expect(await page.getByTestId('high-contrast').isChecked().catch(() => null)).not.toBe(false);
      await page.mouse.click(5, 5); // focus leaves the buttons, as with a clicker
      const shot = path.join(ARTIFACTS, 'presentation-zh.png');
      await page.screenshot({ path: shot });
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(shot, path.join(DOCS, 'presentation-zh.png'));
      await page.keyboard.press('PageDown');
      await stepShown(page, 4);
      await page.keyboard.press('PageUp');
      await stepShown(page, 3);
      await page.keyboard.press('ArrowRight');
      await stepShown(page, 4);
      await page.keyboard.press('ArrowLeft');
      await stepShown(page, 3);
      await page.keyboard.press('Escape');
      await page.locator('html:not([data-al-presenting])').waitFor({ state: 'attached' });
      expect(await page.locator('.al-sidebar').isVisible()).toBe(true);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('the printed lesson', () => {
  it('lays out every step of lesson 2 in 中文 — text, formula, numbers and a heatmap — with no page cut through a figure', async () => {
    const app = await openApp('/?lang=zh#v=1&lesson=2&step=1', { browser, viewport: { width: 1000, height: 1200 } });
    try {
      const { page } = app;
      await stepShown(page, 0);
      await waitComputed(page);
      await page.emulateMedia({ media: 'print' });
      const steps = page.getByTestId('handout-step');
      expect(await steps.count()).toBe(LESSONS[1].steps.length);
      expect(await page.getByTestId('lesson-handout').isVisible()).toBe(true);
      expect(await page.locator('.al-views').isVisible()).toBe(false);
      expect(await page.locator('.al-sidebar').isVisible()).toBe(false);
      // Each step: its title, the engine's numbers, a typeset formula and the heatmap of A.
      for (let k = 0; k < LESSONS[1].steps.length; k++) {
        const s = steps.nth(k);
        expect(await s.locator('h2').textContent()).toContain(LESSONS[1].steps[k].title.zh);
        expect(await s.locator('.katex').count()).toBeGreaterThan(0);
        expect(await s.locator('.al-lesson-number').count()).toBeGreaterThan(0);
        expect(await s.evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
        // The question's step prints no heatmap: it would give the answer away.
        if (LESSONS[1].steps[k].exercise) {
          expect(await s.locator('figure').count()).toBe(0);
          continue;
        }
        expect(await s.locator('.al-handout-heatmap td').count()).toBe(16);
        expect(await s.locator('figure').evaluate((el) => getComputedStyle(el).breakInside)).toBe('avoid');
        // The handout uses the page's width, not the narrow column of the screen layout.
        expect(await s.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(600);
      }
      // Step 2 removes “小猫”: its column of A is 0 in the printed heatmap.
      const col0 = await steps.nth(1).locator('.al-handout-heatmap tbody tr td:first-of-type').allTextContents();
      expect(col0).toEqual(['0.000', '0.000', '0.000', '0.000']);
      const shot = path.join(ARTIFACTS, 'printed-lesson-zh.png');
      await page.screenshot({ path: shot, fullPage: true });
      copyFileSync(shot, path.join(DOCS, 'printed-lesson-zh.png'));
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
