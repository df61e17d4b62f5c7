// A pretrained checkpoint opened by name through the Hub layout (a local static server stands in for the
// Hub: the same …/resolve/<revision>/<file> paths), explored in every view, then reopened from the
// browser's cache with the server stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { frames, waitComputed } from './page.ts';
import { startHubServer, type HubServer } from '../hub/server.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../engine/checkpoint/tokenizer.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';

const TEXT = 'Once upon a time, Lily saw a big red ball.';

describe('a Hub model in the browser', () => {
  let server: HubServer;
  let app: AppPage;

  beforeAll(async () => {
    server = await startHubServer();
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:local/stories260K-hf&mode=words&text=${encodeURIComponent(TEXT)}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop().catch(() => undefined); // the last test stops it already

  });

  it('opens stories260K-hf by name: 5 layers × 8 heads sharing 4 key/value heads, its tokens and its predictions', async () => {
    const { page } = app;
    await waitComputed(page, 0, 120_000);
    const info = page.getByTestId('model-info');
    await expect.poll(() => info.getAttribute('data-layers')).toBe('5');
    expect(await info.getAttribute('data-heads')).toBe('8');
    expect(await info.getAttribute('data-kv-heads')).toBe('4');
    expect(await page.locator('[data-testid="model-tile"]').count()).toBe(40);
    // The model's tokenizer made the chips (sub-word pieces, not the app's words): the same as in Node.
    const chips = await page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));
    const dir = join(import.meta.dirname, '../fixtures/hub/stories260K-hf');
    const tokenizer = await loadTokenizer(memoryFiles('fixture', { 'tokenizer.json': readFileSync(join(dir, 'tokenizer.json')), 'tokenizer_config.json': readFileSync(join(dir, 'tokenizer_config.json')) }));
    expect(chips).toEqual(tokenizer!.encode(TEXT).tokens);
    expect(await page.locator('[data-testid="predictions"] [data-testid="next-token"]').count()).toBe(10);
    expect(server.requests.some((r) => r.path.endsWith('/resolve/main/model.safetensors'))).toBe(true);
    await app.shot('hub-model-view');
    expect(app.consoleErrors).toEqual([]);
  });

  it('every view works on it: heads, steps (q and k around the rotation), flow, lens, ablation', async () => {
    const { page } = app;
    for (const tab of ['heads', 'lines', 'matrices', 'steps', 'flow', 'lens', 'ablate']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.getByTestId(`panel-${tab}`).waitFor();
      await frames(page);
    }
    await page.getByTestId('tab-lens').click();
    expect(await page.locator('[data-testid="lens-row"]').count()).toBe(5);
    await app.shot('hub-lens');
    expect(app.consoleErrors).toEqual([]);
  });

  it('reopens from the browser cache with the server stopped', async () => {
    const { page } = app;
    await server.stop();
    const before = server.requests.length;
    await page.reload();
    await waitComputed(page, 0, 120_000);
    await expect.poll(() => page.getByTestId('model-info').getAttribute('data-heads')).toBe('8');
    expect(await page.getByTestId('model-info').textContent()).toContain('cache');
    expect(server.requests.length).toBe(before);
    await app.shot('hub-from-cache');
  });
});
