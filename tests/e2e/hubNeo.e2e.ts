// A GPT-Neo checkpoint (model_type gpt_neo: a global and a local layer, window 3) opened through the Hub
// layout: the Model view names the local layer, and its heatmaps hold exactly 0 outside the window while
// the values inside equal GPT-Neo's forward pass written from the modeling code (test-gptNeo.ts), which
// shares nothing with the engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './harness.ts';
import { headHeatmap, hoverCell, waitComputed } from './page.ts';
import { startHubServer, type HubServer } from '../hub/server.ts';
import { writeCheckpoint } from '../../engine/checkpoint/test-checkpoints.ts';
import { NEO, NEO_CONFIG, NEO_IDS, neoForward, neoTensors } from '../../engine/checkpoint/test-gptNeo.ts';

const REPO = 'local/neo-tiny';

describe('a GPT-Neo model in the browser', () => {
  let server: HubServer;
  let app: AppPage;
  let dir: string;
  const tensors = neoTensors();
  const truth = neoForward(tensors, NEO_IDS);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'al-neo-'));
    writeCheckpoint(dir, NEO_CONFIG, tensors);
    server = await startHubServer({ repos: { [REPO]: [dir] } });
    app = await openApp(`/?hub=${encodeURIComponent(server.url)}#v=1&view=model&src=model&model=hf:${REPO}&text=${encodeURIComponent(NEO_IDS.join(' '))}`);
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks the local layer and its window in the Model view', async () => {
    const { page } = app;
    await waitComputed(page, 0);
    expect(await page.getByTestId('model-tile').count()).toBe(NEO.layers * NEO.heads);
    const legend = page.getByTestId('local-legend');
    expect(await legend.getAttribute('data-layers')).toBe('2');
    const badges = page.getByTestId('local-badge');
    expect(await badges.count()).toBe(1);
    expect(await badges.getAttribute('data-window')).toBe(String(NEO.window));
    // GPT-Neo does not scale its scores: the formula in use says so.
    const tex = await page.getByTestId('formula-in-use').locator('annotation').allTextContents();
    expect(tex[0]).toContain('QK^\\top + M');
    expect(tex[0]).not.toContain('sqrt');
    expect(await page.getByTestId('model-fixed').textContent()).toContain('not divided by √d_k');
    await app.shot('hub-neo-model');
    expect(app.consoleErrors).toEqual([]);
  });

  it("shows the local layer's heads: 0 outside the window, GPT-Neo's values inside", async () => {
    const { page } = app;
    await page.getByTestId('tab-heads').click();
    await page.getByTestId('panel-heads').waitFor();
    const before = Number(await page.getByTestId('status').getAttribute('data-computed-id'));
    await page.getByTestId('layer-picker').selectOption({ value: '1' });
    await waitComputed(page, before);
    const head = 2;
    const query = 8;
    const A = truth.attention[1][head];
    for (const key of [0, 5, 6, 7, 8]) {
      const { value } = await hoverCell(page, headHeatmap(page, head), query, key);
      if (query - key >= NEO.window) expect(value).toBe(0);
      else expect(Math.abs(value - A[query][key])).toBeLessThan(1e-4);
    }
    // The global layer sees the whole prefix: key 0 weighs something there.
    expect(truth.attention[0][head][query][0]).toBeGreaterThan(0);
    await app.shot('hub-neo-heads');
    expect(app.consoleErrors).toEqual([]);
  });
});
