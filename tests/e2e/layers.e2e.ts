// Across layers on the shipped model, in English and 中文: Flow (rollout and max-flow), Lens, Ablation with the link
// and undo, "Which heads matter?" with cancel, Compare; keyboard, axe, PNG/SVG export, and lesson 4
// walked by keyboard. Every number is checked against the same model run in Node.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attentionFlow } from '../../engine/analysis/maxflow.ts';
import { attentionRollout } from '../../engine/analysis/rollout.ts';
import { predictionChange } from '../../engine/analysis/distribution.ts';
import { initBackend } from '../../engine/backend.ts';
import { charModelAsTransformer } from '../../engine/model/asTransformer.ts';
import { loadModel, type LoadedModel } from '../../engine/model/load.ts';
import { tokenizeForModel } from '../../engine/model/tokenize.ts';
import type { HeadRef, TransformerModel } from '../../engine/transformer/types.ts';
import { LESSONS } from '../../app/lessons/index.ts';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, currentHash, frames, typeText, waitComputed } from './page.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = (require('axe-core') as { source: string }).source;

const TEXT = 'kzwqvjxb kzw';
const hashOf = (view: string) => `#v=1&view=${view}&src=model&model=brown-char&mode=chars&text=${encodeURIComponent(TEXT)}`;

let loaded: LoadedModel;
let model: TransformerModel;

/** The model in Node on `text`: attention of every layer and the last position's logits. */
async function nodeRun(text: string, ablate: HeadRef[] = []) {
  const { ids } = tokenizeForModel(loaded, text);
  return model.forward(ids, { keep: 'attention', ...(ablate.length ? { ablate: { heads: ablate, mode: 'zero' as const } } : {}) });
}

async function seriousAxe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.help} ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

async function activeTestId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
}

/** The view's SVG export. */
async function exportSvg(page: Page): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  return readFile((await dl.path())!, 'utf8');
}

/** Exports the view as SVG and PNG and checks what the files hold. */
async function checkExport(page: Page, view: string): Promise<void> {
  const [svgDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(svgDl.suggestedFilename()).toBe(`attention-${view}.svg`);
  const svg = await readFile((await svgDl.path())!, 'utf8');
  expect(svg, view).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  expect(svg, view).toContain('<rect');
  const [pngDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const png = await readFile((await pngDl.path())!);
  expect([...png.subarray(0, 4)], view).toEqual([0x89, 0x50, 0x4e, 0x47]);
  expect(png.length, view).toBeGreaterThan(1000);
}

const flowBars = (page: Page) => page.getByTestId('flow-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));

beforeAll(async () => {
  await initBackend('cpu');
  const dir = path.resolve(import.meta.dirname, '../../public/models');
  loaded = loadModel(readFileSync(path.join(dir, 'brown-char.json'), 'utf8'), readFileSync(path.join(dir, 'brown-char.bin')));
  model = await charModelAsTransformer(loaded, 'public/models/brown-char.json');
});
afterAll(() => model?.dispose());

describe.each(['en', 'zh'] as const)('across layers on the shipped model (%s)', (lang) => {
  let app: AppPage;
  let page: Page;
  const shot = (name: string) => app.shot(`layers-${lang}-${name}`);
  const axeReport: string[] = [];

  beforeAll(async () => {
    app = await openApp(`/?lang=${lang}${hashOf('flow')}`);
    page = app.page;
    await waitComputed(page);
    // 中文 also in the dark theme, so axe sees both palettes.
    if (lang === 'zh') await page.getByTestId('theme').selectOption('dark');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('Flow: the rollout heatmap, a layer slider, and source bars that sum to 1 and equal the rollout in Node', async () => {
    const panel = page.getByTestId('panel-flow');
    await panel.getByTestId('heatmap').waitFor();
    const run = await nodeRun(TEXT);
    const R = attentionRollout(run.layers.map((l) => l.attention));
    const n = TEXT.length;
    const q = n - 1; // the prediction's position: the last token
    const check = async (layer: number) => {
      await expect.poll(() => page.getByTestId('flow-layer').inputValue()).toBe(String(layer + 1));
      await expect.poll(async () => (await flowBars(page)).length).toBe(n);
      const bars = await flowBars(page);
      expect(bars.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      const want = Array.from({ length: n }, (_, j) => R[layer].data[q * n + j]);
      expect(Math.max(...bars.map((v, j) => Math.abs(v - want[j])))).toBeLessThan(1e-4);
    };
    await check(0);
    // The slider by keyboard: the heading and the bars follow the layer.
    await afterRecompute(page, async () => {
      await page.getByTestId('flow-layer').focus();
      await page.keyboard.press('ArrowRight');
    });
    await check(1);
    await expect.poll(() => panel.locator('h3').first().textContent()).toContain('2');
    // The rollout as CSV (the export bar's matrix choice): row q equals Node's rollout after layer 2.
    await page.getByTestId('export-matrix').selectOption('rollout');
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const rows = (await readFile((await csvDl.path())!, 'utf8')).trim().split('\n');
    expect(rows).toHaveLength(n + 1);
    const cells = rows[q + 1].split(',').slice(-n).map(Number);
    expect(Math.max(...cells.map((v, j) => Math.abs(v - R[1].data[q * n + j])))).toBeLessThan(1e-6);
    await shot('flow');

    // The max-flow variant (short inputs), labelled as such, equal to engine/analysis/maxflow.ts in Node.
    await page.locator('label:has([data-testid="flow-method-maxflow"])').click();
    await expect.poll(() => page.getByTestId('flow-view').getAttribute('data-method')).toBe('maxflow');
    expect(await panel.locator('h3').first().textContent()).toMatch(lang === 'zh' ? /最大流/ : /max-flow/);
    const F = attentionFlow(run.layers.map((l) => l.attention), 1);
    const flowed = await flowBars(page);
    expect(flowed.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(Math.max(...flowed.map((v, j) => Math.abs(v - F.data[q * n + j])))).toBeLessThan(1e-4);
    await shot('flow-maxflow');
    // The export writes what is shown: max-flow now, the rollout again below.
    const flowTitle = lang === 'zh' ? /最大流/ : /max-flow/;
    expect(await exportSvg(page)).toMatch(flowTitle);
    await page.getByTestId('export-matrix').selectOption('maxflow');
    const [flowCsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const flowRow = (await readFile((await flowCsv.path())!, 'utf8')).trim().split('\n')[q + 1].split(',').slice(-n).map(Number);
    expect(Math.max(...flowRow.map((v, j) => Math.abs(v - F.data[q * n + j])))).toBeLessThan(1e-4);
    axeReport.push(...(await seriousAxe(page)).map((v) => `flow max-flow: ${v}`));
    // Back by keyboard: the method is a radio group.
    await page.getByTestId('flow-method-maxflow').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('flow-view').getAttribute('data-method')).toBe('rollout');
    axeReport.push(...(await seriousAxe(page)).map((v) => `flow: ${v}`));
    expect(await exportSvg(page)).not.toMatch(flowTitle);
    await checkExport(page, 'flow');
  });

  it('tabs move with the arrow keys; Lens has 5 columns, a row per layer, the last row the prediction', async () => {
    await page.getByTestId('tab-flow').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('tab-lens').getAttribute('aria-selected')).toBe('true');
    expect(await activeTestId(page)).toBe('tab-lens');
    const rows = page.getByTestId('lens-row');
    await expect.poll(() => rows.count()).toBe(2);
    for (let l = 0; l < 2; l++) expect(await rows.nth(l).locator('td').count()).toBe(5);
    const last = await rows.nth(1).locator('td').evaluateAll((els) => els.map((e) => [e.getAttribute('data-token'), Number(e.getAttribute('data-p'))]));
    const predicted = await page.locator('[data-testid="predictions"] [data-testid="next-token"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-token'), Number(e.getAttribute('data-p'))]));
    expect(last).toEqual(predicted.slice(0, 5));
    expect(last[0][0]).toBe('q');
    await shot('lens');
    axeReport.push(...(await seriousAxe(page)).map((v) => `lens: ${v}`));
    await checkExport(page, 'lens');
  });

  it('Ablation: heads ticked with Space give Δ log p and KL as in Node; the link, Ablate none and undo', async () => {
    await page.getByTestId('tab-lens').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('ablation-panel').waitFor();
    const box = (l: number, h: number) => page.locator(`[data-testid="ablate-head"][data-layer="${l}"][data-head="${h}"]`);
    const induction: HeadRef[] = [0, 1, 2].map((head) => ({ layer: 1, head }));
    for (const r of induction) {
      await afterRecompute(page, async () => {
        await box(r.layer, r.head).focus();
        await page.keyboard.press('Space');
      });
    }
    for (const r of induction) expect(await box(r.layer, r.head).isChecked()).toBe(true);
    const result = page.getByTestId('ablation-result');
    await result.waitFor();
    const before = await nodeRun(TEXT);
    const after = await nodeRun(TEXT, induction);
    const probs = predictionChange(before.logits!, before.logits!, 0, 1);
    const want = predictionChange(before.logits!, after.logits!, probs.topBefore[0].id);
    expect(Number(await result.getAttribute('data-delta'))).toBeCloseTo(want.deltaLogp, 3);
    expect(Number(await result.getAttribute('data-kl'))).toBeCloseTo(want.kl, 3);
    expect(await page.getByTestId('ablate-delta').textContent()).toContain('Δ log p');
    expect(await page.getByTestId('ablate-kl').textContent()).toContain('KL');
    const linked = async () => new URLSearchParams((await currentHash(page)).slice(1)).get('ablate');
    expect(await linked()).toBe('1.0,1.1,1.2');
    await shot('ablation');
    await checkExport(page, 'ablate');

    // Ablate none clears; Ctrl+Z brings the heads back; once more with the Undo button.
    const clearAndUndo = async (undo: () => Promise<void>) => {
      await afterRecompute(page, () => page.getByTestId('ablate-clear').click());
      await expect.poll(() => result.count()).toBe(0);
      expect(await linked()).toBeNull();
      await afterRecompute(page, undo);
      await result.waitFor();
      for (const r of induction) expect(await box(r.layer, r.head).isChecked()).toBe(true);
      expect(await linked()).toBe('1.0,1.1,1.2');
    };
    await clearAndUndo(() => page.keyboard.press('Control+z'));
    await clearAndUndo(() => page.getByTestId('undo').click());
  });

  it('Which heads matter? runs with progress to an L×H heatmap, and cancels', async () => {
    const section = page.getByTestId('importance');
    // Progress can be brief on a small model: record it from the page as it appears.
    await page.evaluate(() => {
      const w = window as unknown as { __sawProgress: boolean };
      w.__sawProgress = false;
      const seen = () => {
        if (document.querySelector('[data-testid="importance-progress"]')) w.__sawProgress = true;
      };
      new MutationObserver(seen).observe(document.body, { childList: true, subtree: true });
    });
    await section.getByTestId('importance-run').click();
    const heatmap = section.getByTestId('heatmap');
    await heatmap.waitFor();
    expect(await page.evaluate(() => (window as unknown as { __sawProgress: boolean }).__sawProgress)).toBe(true);
    expect([await heatmap.getAttribute('data-rows'), await heatmap.getAttribute('data-cols')]).toEqual(['2', '4']);
    await shot('importance');
    axeReport.push(...(await seriousAxe(page)).map((v) => `ablation: ${v}`));

    // Cancel as soon as the button appears (before the next message of the worker is read).
    await page.evaluate(() => {
      const obs = new MutationObserver(() => {
        const b = document.querySelector<HTMLButtonElement>('[data-testid="importance-cancel"]');
        if (b) {
          obs.disconnect();
          b.click();
        }
      });
      obs.observe(document.body, { childList: true, subtree: true });
    });
    await section.getByTestId('importance-run').click();
    await section.getByTestId('importance-run').waitFor();
    // Whatever the worker had already posted, the run stays cancelled.
    await waitComputed(page, 0);
    await frames(page, 4);
    expect(await heatmap.count()).toBe(0);
    expect(await section.getByTestId('importance-progress').count()).toBe(0);
  });

  it('Compare: a same-length text gives a difference heatmap; another length, matched rows', async () => {
    await page.getByTestId('tab-compare').click();
    const view = page.getByTestId('compare-view');
    const compare = async (text: string) => {
      await page.getByTestId('compare-text').fill(text);
      await afterRecompute(page, () => page.getByTestId('compare-go').click());
    };
    await compare('kzwqvjxb kzq');
    await expect.poll(() => view.getByTestId('heatmap').count()).toBe(3);
    await shot('compare-same');
    axeReport.push(...(await seriousAxe(page)).map((v) => `compare: ${v}`));
    await checkExport(page, 'compare');
    await compare('kzwqvjxb kz');
    await expect.poll(() => view.getByTestId('heatmap').count()).toBe(2);
    expect(await view.locator('.al-hint').first().textContent()).toMatch(lang === 'zh' ? /按词元匹配行/ : /rows are matched by token/);
    await shot('compare-matched');
  });

  it('axe finds no serious or critical violations on the new views', () => {
    expect(axeReport).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  });

  it('Max-flow is offered for short inputs only', async () => {
    await page.getByTestId('tab-flow').click();
    const long = 'the quick brown fox jumps over the lazy dog';
    await typeText(page, long);
    expect(await page.getByTestId('flow-method-maxflow').isDisabled()).toBe(true);
    expect(await page.getByTestId('flow-view').getAttribute('data-method')).toBe('rollout');
    expect(await page.getByTestId('flow-view').textContent()).toContain(String(long.length));
    await typeText(page, TEXT);
    expect(await page.getByTestId('flow-method-maxflow').isDisabled()).toBe(false);
  });

  it('lesson 4 walked by keyboard: the prediction, the collapse, and the exercise answered as the engine says', async () => {
    const lesson = LESSONS.find((l) => l.id === 'heads-that-matter')!;
    const ex = lesson.steps.at(-1)!.state!.model!;
    const before = await nodeRun(ex.text);
    const after = await nodeRun(ex.text, ex.ablate!.slice());
    const top = (logits: Float32Array) => predictionChange(logits, logits, 0, 1).topBefore[0].id;
    const stays = top(before.logits!) === top(after.logits!);

    await page.getByTestId('lessons-toggle').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('lesson-panel').waitFor();
    // Heading → Close → lessons 1…4.
    for (let k = 0; k < 5; k++) await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('lesson-heads-that-matter');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="lesson-step"][data-step="0"]').waitFor();
    await waitComputed(page, 0);
    await expect.poll(() => page.locator('[data-testid="predictions"] [data-testid="next-token"]').first().getAttribute('data-token')).toBe('q');
    await shot('lesson4-step1');
    for (let k = 1; k < lesson.steps.length; k++) {
      expect(await activeTestId(page)).toBe('lesson-next');
      await page.keyboard.press('Enter');
      await page.locator(`[data-testid="lesson-step"][data-step="${k}"]`).waitFor();
      if (k === 2) {
        // The induction heads ablated: the prediction of “q” collapses.
        const result = page.getByTestId('ablation-result');
        await result.waitFor();
        await expect.poll(async () => Number(await result.getAttribute('data-delta'))).toBeLessThan(-3);
        await shot('lesson4-collapse');
      }
    }
    await page.getByTestId('views-hidden').waitFor();
    expect(await activeTestId(page)).toBe('lesson-option');
    if (!stays) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    expect(await activeTestId(page)).toBe('lesson-check');
    await page.keyboard.press('Enter');
    const fb = page.getByTestId('lesson-feedback');
    await fb.waitFor();
    expect(await fb.getAttribute('data-correct')).toBe('1');
    await page.getByTestId('ablation-result').waitFor();
    await shot('lesson4-feedback');
    expect(await seriousAxe(page)).toEqual([]);
    await page.getByTestId('lesson-next').press('Enter');
    await page.getByTestId('lesson-done').waitFor();
    expect(app.consoleErrors).toEqual([]);
  });
});
