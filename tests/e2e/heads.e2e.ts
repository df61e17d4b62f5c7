// Typing a sentence gives one n×n heatmap per head; token chips can be edited, inserted, deleted
// and reordered with the keyboard and by drag and drop; undo/redo walk the edits back and forth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, headHeatmap, stateHash, typeText, waitComputed } from './page.ts';

describe('typing and token chips', () => {
  let app: AppPage;
  beforeAll(async () => {
    app = await openApp('/' + stateHash({ text: 'start', h: 4, d: 16 }));
    await waitComputed(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  const chips = () => app.page.getByTestId('chip');
  const chipTokens = () => chips().evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));

  it('shows one n×n heatmap per head for a typed sentence', async () => {
    const { page } = app;
    await typeText(page, 'The quick brown fox jumps over the lazy dog.');
    const heatmaps = page.locator('[data-testid="head-grid"] [data-testid="heatmap"]');
    await expect.poll(() => heatmaps.count()).toBe(4);
    const shapes = await heatmaps.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-rows')}×${e.getAttribute('data-cols')}`));
    expect(shapes).toEqual(['10×10', '10×10', '10×10', '10×10']);
    expect(await chipTokens()).toEqual(['The', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog', '.']);
    await expect.poll(() => page.getByTestId('token-count').textContent()).toBe('10 tokens (up to 1024)');

    // More heads: the grid follows. h must divide d = 16 (d_k = d/h): 5 is refused inline.
    await page.getByTestId('heads').fill('5');
    await expect.poll(() => page.getByTestId('heads-error').textContent()).toMatch(/^d = 16 is not divisible by h = 5/);
    expect(await heatmaps.count()).toBe(4);
    await afterRecompute(page, () => page.getByTestId('heads').fill('8'));
    await expect.poll(() => heatmaps.count()).toBe(8);
    for (let k = 0; k < 8; k++) expect(await headHeatmap(page, k).getAttribute('data-rows')).toBe('10');
    await app.shot('heads-typed');
    expect(app.consoleErrors).toEqual([]);
  });

  it('loads the examples; the Chinese one splits by character, and chars mode shows whitespace', async () => {
    const { page } = app;
    const heatmaps = page.locator('[data-testid="head-grid"] [data-testid="heatmap"]');
    await afterRecompute(page, () => page.getByTestId('examples').selectOption('animal'));
    expect(await chipTokens()).toEqual(['The', 'animal', "didn't", 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired']);
    expect(await heatmaps.count()).toBe(4);
    await afterRecompute(page, () => page.getByTestId('examples').selectOption('repeat'));
    expect(await chipTokens()).toEqual('the cat sat on the mat and the cat sat on the hat'.split(' '));
    expect(await page.getByTestId('causal').isChecked()).toBe(true);
    await afterRecompute(page, () => page.getByTestId('examples').selectOption('chinese'));
    expect(await chipTokens()).toEqual(Array.from('我爱自然语言处理。'));
    expect(await page.getByTestId('mode-chars').isChecked()).toBe(true);
    expect(await heatmaps.count()).toBe(1);
    expect(await heatmaps.first().getAttribute('data-rows')).toBe('9');
    await app.shot('heads-chinese');
    // Characters mode keeps whitespace as tokens, shown with a visible marker.
    await typeText(page, '你 好');
    expect(await chipTokens()).toEqual(['你', ' ', '好']);
    expect(await page.locator('.al-chip-text').nth(1).textContent()).toBe('␣');
    // Back to words.
    await afterRecompute(page, () => page.locator('label:has([data-testid="mode-words"])').click());
    expect(await chipTokens()).toEqual(['你', '好']);
    await afterRecompute(page, () => page.getByTestId('mech-multi').check());
    expect(app.consoleErrors).toEqual([]);
  });

  it('edits, inserts, deletes and moves chips with the keyboard', async () => {
    const { page } = app;
    await typeText(page, 'one two three');
    // Edit: focus chip 2, Enter, type, Enter.
    await page.locator('.al-chip-text[data-index="1"]').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('chip-input').fill('TWO');
    await afterRecompute(page, () => page.keyboard.press('Enter'));
    expect(await chipTokens()).toEqual(['one', 'TWO', 'three']);
    // Move right with Alt+→ (focus stays on the moved chip), then insert after it.
    await afterRecompute(page, () => page.keyboard.press('Alt+ArrowRight'));
    expect(await chipTokens()).toEqual(['one', 'three', 'TWO']);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('TWO');
    await page.keyboard.press('Insert');
    await page.getByTestId('chip-input').fill('four');
    await afterRecompute(page, () => page.keyboard.press('Enter'));
    expect(await chipTokens()).toEqual(['one', 'three', 'TWO', 'four']);
    // Delete the first chip.
    await page.locator('.al-chip-text[data-index="0"]').focus();
    await afterRecompute(page, () => page.keyboard.press('Delete'));
    expect(await chipTokens()).toEqual(['three', 'TWO', 'four']);
    expect(await headHeatmap(page, 0).getAttribute('data-rows')).toBe('3');
    // An empty edit is refused with a message, and nothing changes.
    await page.locator('.al-chip-text[data-index="1"]').dblclick();
    await page.getByTestId('chip-input').fill('');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('chips-error').textContent()).toBe('Token 2: a token cannot be empty (use Delete to remove it)');
    await page.keyboard.press('Escape');
    expect(await chipTokens()).toEqual(['three', 'TWO', 'four']);
    // The text box follows the chips.
    expect(await page.getByTestId('text').inputValue()).toBe('three TWO four');
    expect(app.consoleErrors).toEqual([]);
  });

  it('reorders chips by drag and drop', async () => {
    const { page } = app;
    await typeText(page, 'alpha beta gamma delta');
    const chip = (i: number) => page.locator(`li[data-testid="chip"][data-index="${i}"]`);
    // Drop on the right half of "gamma": after it.
    const gamma = (await chip(2).boundingBox())!;
    await afterRecompute(page, () => chip(0).dragTo(chip(2), { targetPosition: { x: gamma.width - 6, y: gamma.height / 2 } }));
    expect(await chipTokens()).toEqual(['beta', 'gamma', 'alpha', 'delta']);
    // Drop "delta" on the left half of "beta": before it.
    await afterRecompute(page, () => chip(3).dragTo(chip(0), { targetPosition: { x: 6, y: 8 } }));
    const tokens = await chipTokens();
    expect(tokens).toEqual(['delta', 'beta', 'gamma', 'alpha']);
    const labels = await headHeatmap(page, 0)
      .locator('xpath=ancestor::figure')
      .locator('.al-axis-rows text')
      .evaluateAll((els) => els.map((e) => e.childNodes[0]?.textContent));
    expect(labels).toEqual(tokens);
    await app.shot('heads-dragged');
  });

  it('undoes and redoes with the buttons and Ctrl+Z / Ctrl+Shift+Z', async () => {
    const { page } = app;
    await typeText(page, 'red green blue');
    await afterRecompute(page, () => page.getByTestId('causal').check());
    await page.locator('.al-chip-text[data-index="2"]').focus();
    await afterRecompute(page, () => page.keyboard.press('Delete'));
    expect(await chipTokens()).toEqual(['red', 'green']);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await afterRecompute(page, () => page.keyboard.press('Control+z'));
    expect(await chipTokens()).toEqual(['red', 'green', 'blue']);
    await afterRecompute(page, () => page.getByTestId('undo').click());
    expect(await page.getByTestId('causal').isChecked()).toBe(false);
    await afterRecompute(page, () => page.keyboard.press('Control+Shift+Z'));
    expect(await page.getByTestId('causal').isChecked()).toBe(true);
    await afterRecompute(page, () => page.getByTestId('redo').click());
    expect(await chipTokens()).toEqual(['red', 'green']);
    expect(app.consoleErrors).toEqual([]);
  });
});
