// A tokenizer whose pattern backtracks for hours on a short text hangs the compute worker, which then
// hears nothing (Cancel included). The page's watchdog replaces the worker, says which step took too long
// and falls back to seeded weights; opening the same link again does not run that model by itself but asks.
// The pattern, (?:a|a)*$, passes the load-time check (it repeats a group of alternatives, not a repetition):
// only the watchdog can stop it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseUrl, openApp, type AppPage } from './harness.ts';
import { notices, waitComputed } from './page.ts';
import { CONFORMANCE_MODELS_DIR, HUB_FIXTURES_DIR, startHubServer, type HubServer } from '../hub/server.ts';

// 40 a's: (?:a|a)*$ tries 2^40 ways to split them before the "!" says no.
const TEXT = `${'a'.repeat(40)}!`;

describe('the watchdog in the browser', () => {
  let server: HubServer;
  let app: AppPage;
  let dir: string;
  let link: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'al-hang-'));
    const tokenizer = JSON.parse(readFileSync(join(HUB_FIXTURES_DIR, 'stories260K-hf', 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
    tokenizer.pre_tokenizer = { type: 'Split', pattern: { Regex: '(?:a|a)*$' }, behavior: 'Isolated', invert: false };
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    server = await startHubServer({ repos: { 'local/hangs': [join(CONFORMANCE_MODELS_DIR, 'stories260K-hf'), join(HUB_FIXTURES_DIR, 'stories260K-hf'), dir] } });
    link = `/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/hangs&mode=words&text=${encodeURIComponent(TEXT)}`;
    app = await openApp(link);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the stuck worker, names the step, and shows seeded weights with the text kept', async () => {
    const { page } = app;
    const stuck = 'stopped answering while tokenizing the text';
    await expect.poll(() => notices(page), { timeout: 120_000 }).toEqual(expect.arrayContaining([expect.stringContaining(stuck)]));
    // The fresh worker answers: the seeded picture of the same text.
    await waitComputed(page, 0, 60_000);
    expect(await page.getByTestId('text').inputValue()).toBe(TEXT);
    expect(await page.evaluate(() => location.hash)).not.toContain('src=model');
    await app.shot('watchdog-stopped');
    expect(app.consoleErrors).toEqual([]);
  });

  it('the same link again: the model is not run by itself; the page asks, and seeded weights are one click away', async () => {
    const { page } = app;
    await page.goto(baseUrl() + link);
    await page.reload(); // a hash-only navigation does not restart the app
    const question = page.getByTestId('model-halted');
    await question.waitFor({ timeout: 60_000 });
    expect(await question.textContent()).toContain('Last time, local/hangs stopped answering while tokenizing the text and was stopped.');
    expect(await page.getByTestId('compute-error').textContent()).toContain('It is not run again until you say so.');
    await expect.poll(() => page.getByTestId('status').getAttribute('data-busy')).toBe('0');
    await app.shot('watchdog-halted');
    await question.getByTestId('model-halted-seeded').click();
    await waitComputed(page, 0, 60_000);
    expect(await page.getByTestId('text').inputValue()).toBe(TEXT);
    expect(app.consoleErrors).toEqual([]);
  });
});
