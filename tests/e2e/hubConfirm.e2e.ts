// The question before a large Hub download, in the browser: asked before any weight is requested when the
// sizes are known, asked mid-download when the server does not say how large the files are, answered with
// Download (the model opens) or Cancel (the document stays as it was); a server that sends more than it
// announced is stopped with a message naming the file. The threshold is lowered with ?askAbove= (a page can
// only lower it), so a 1.2 MB checkpoint stands in for a 300 MB one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openApp, launchBrowser, type AppPage } from './harness.ts';
import { notices, waitComputed } from './page.ts';
import { CONFORMANCE_MODELS_DIR, HUB_FIXTURES_DIR, startHubServer, type HubServer } from '../hub/server.ts';
import type { Browser } from 'playwright-core';

const STORIES = [join(CONFORMANCE_MODELS_DIR, 'stories260K-hf'), join(HUB_FIXTURES_DIR, 'stories260K-hf')];
const TEXT = 'Once upon a time';
const ASK_ABOVE = 500_000;

describe('the large-download question', () => {
  let server: HubServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startHubServer({ repos: { 'local/known': STORIES, 'local/sizeless': STORIES, 'local/liar': STORIES } });
    server.hideSize('local/sizeless', 'model.safetensors');
    server.throttle('model.safetensors', 64 * 1024, 5);
    server.setHeaders('local/liar', 'model.safetensors', { 'X-Linked-Size': '700000' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = (repo: string) =>
    openApp(`/?hub=${encodeURIComponent(server.url)}&askAbove=${ASK_ABOVE}#v=1&view=model&src=model&model=hf:${repo}&mode=words&text=${encodeURIComponent(TEXT)}`, { browser });
  const weightGets = (repo: string) => server.requests.filter((r) => r.repo === repo && r.file === 'model.safetensors' && r.method === 'GET');

  it('sizes known: asks with the size before any weight is requested; Download opens the model', async () => {
    const app: AppPage = await open('local/known');
    try {
      const { page } = app;
      const question = page.getByTestId('model-confirm');
      await question.waitFor();
      expect(await question.textContent()).toContain('This download is 1.2 MB. Download it?');
      expect(weightGets('local/known')).toEqual([]);
      await app.shot('hub-confirm-known');
      await page.getByTestId('model-confirm-yes').click();
      await waitComputed(page, 0, 120_000);
      await expect.poll(() => page.getByTestId('model-info').getAttribute('data-layers')).toBe('5');
      expect(weightGets('local/known').length).toBe(1);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('size unknown: the download stops once it passes the threshold and asks; Cancel keeps the document', async () => {
    const app = await open('local/sizeless');
    try {
      const { page } = app;
      const question = page.getByTestId('model-confirm');
      await question.waitFor({ timeout: 120_000 });
      // The question came mid-download: the weights were requested, and nothing past the threshold was kept.
      expect(weightGets('local/sizeless').length).toBe(1);
      const said = /The server did not say how large this download is, and it has passed ([\d.]+) (kB|MB)\. Download all of it\?/.exec((await question.textContent()) ?? '');
      expect(said).not.toBeNull();
      // Past the threshold, short of the whole file (network chunks may merge: the size is what had arrived).
      const passed = Number(said![1]) * (said![2] === 'MB' ? 1e6 : 1e3);
      expect(passed).toBeGreaterThan(ASK_ABOVE);
      expect(passed).toBeLessThan(1_176_136);
      await app.shot('hub-confirm-unknown');
      await question.getByRole('button', { name: 'Cancel' }).click();
      // Back to the seeded weights, the text as it was.
      await expect.poll(() => page.getByTestId('model-confirm').count()).toBe(0);
      await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('src=model');
      expect(await page.getByTestId('text').inputValue()).toBe(TEXT);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('size unknown, agreed: Download fetches all of it and opens the model', async () => {
    const app = await open('local/sizeless');
    try {
      const { page } = app;
      await page.getByTestId('model-confirm').waitFor({ timeout: 120_000 });
      await page.getByTestId('model-confirm-yes').click();
      await waitComputed(page, 0, 120_000);
      await expect.poll(() => page.getByTestId('model-info').getAttribute('data-heads')).toBe('8');
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a server that sends more than it announced: stopped, with a message naming the file', async () => {
    const app = await open('local/liar');
    try {
      const { page } = app;
      // 700,000 announced bytes are over the threshold: agreed to, the download then meets the real 1.2 MB.
      await page.getByTestId('model-confirm').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('model-confirm').textContent()).toContain('This download is');
      await page.getByTestId('model-confirm-yes').click();
      await expect.poll(() => notices(page), { timeout: 120_000 }).toEqual(expect.arrayContaining([expect.stringContaining('model.safetensors: the server announced 700000 bytes before the download')]));
      expect(await page.getByTestId('model-info').count()).toBe(0);
      await app.shot('hub-announced-more');
    } finally {
      await app.close();
    }
  });
});
