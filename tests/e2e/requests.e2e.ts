// One edit, one compute request: the page's messages to its compute worker are counted (Worker.postMessage is
// wrapped before the app loads) while a model is edited. A checkpoint's tokenizer tokens come back in the result
// and stay there; if they went into the document, the compute client would see changed tokens and ask the worker
// a second time for every edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppPage } from './harness.ts';
import { afterRecompute, computedId, waitComputed } from './page.ts';
import { startHubServer, type HubServer } from '../hub/server.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer } from '../../engine/checkpoint/tokenizer.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/hub/stories260K-hf');

/** The checkpoint's tokens of a text, by its tokenizer in Node. */
async function piecesOf(text: string): Promise<string[]> {
  const read = (f: string) => readFileSync(join(FIXTURE, f));
  const tokenizer = await loadTokenizer(memoryFiles('fixture', { 'tokenizer.json': read('tokenizer.json'), 'tokenizer_config.json': read('tokenizer_config.json') }));
  return tokenizer!.encode(text).tokens;
}

/** Counts the compute requests the page posts to its workers (window.__alComputeRequests). */
const COUNT_REQUESTS = `
  window.__alComputeRequests = 0;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === 'compute') window.__alComputeRequests++;
    return post.call(this, message, ...rest);
  };
`;

const requests = (page: Page) => page.evaluate(() => (window as unknown as { __alComputeRequests: number }).__alComputeRequests);

/** The compute requests one edit makes, counted once its result is painted (and the page is idle again). */
async function requestsOf(page: Page, edit: () => Promise<unknown>): Promise<number> {
  const before = await requests(page);
  await afterRecompute(page, edit, 120_000);
  return (await requests(page)) - before;
}

const chips = (page: Page) => page.getByTestId('chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-token')));

describe('one compute request per edit', () => {
  let server: HubServer;
  const apps: AppPage[] = [];

  beforeAll(async () => {
    server = await startHubServer();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await server?.stop();
  });

  it('on the shipped character model: a new text, another layer, another text', async () => {
    const app = await openApp(`/#v=1&view=heads&src=model&model=brown-char&mode=chars&text=${encodeURIComponent('the cat')}`, { init: COUNT_REQUESTS });
    apps.push(app);
    const { page } = app;
    await waitComputed(page, 0, 120_000);
    expect(await requestsOf(page, () => page.getByTestId('text').fill('the cat sat'))).toBe(1);
    expect(await chips(page)).toEqual(Array.from('the cat sat'));
    expect(await requestsOf(page, () => page.getByTestId('layer-picker').selectOption({ value: '1' }))).toBe(1);
    expect(await requestsOf(page, () => page.getByTestId('text').fill('the dog sat'))).toBe(1);
    expect(app.consoleErrors).toEqual([]);
  });

  it("on a Hub checkpoint: its tokenizer's tokens are shown, not written back, and one request is made", async () => {
    const app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=heads&src=model&model=hf:local/stories260K-hf&mode=words&text=${encodeURIComponent('Once upon a time')}`, { init: COUNT_REQUESTS });
    apps.push(app);
    const { page } = app;
    await waitComputed(page, 0, 120_000);
    // A first picture may be painted while the checkpoint still loads; the checkpoint's result is the one whose
    // chips are its tokenizer's pieces. Count from there, once it is painted and the page is idle.
    const first = await piecesOf('Once upon a time');
    await expect.poll(() => chips(page), { timeout: 120_000 }).toEqual(first);
    await waitComputed(page, (await computedId(page)) - 1, 120_000);
    const text = 'Once upon a time, Lily saw a ball.';
    expect(await requestsOf(page, () => page.getByTestId('text').fill(text))).toBe(1);
    // The chips are the tokenizer's pieces, not the app's words.
    const pieces = await piecesOf(text);
    expect(pieces).not.toEqual(text.match(/\w+|[^\s\w]/g));
    expect(await chips(page)).toEqual(pieces);
    expect(await requestsOf(page, () => page.getByTestId('layer-picker').selectOption({ value: '2' }))).toBe(1);
    expect(await requestsOf(page, () => page.getByTestId('text').fill('Lily saw a big red ball.'))).toBe(1);
    expect(app.consoleErrors).toEqual([]);
  });
});
