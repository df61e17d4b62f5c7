// All the cores and the GPU (issue 25). The suite's preview serves the app cross-origin isolated
// (vite.config.ts), so wasm runs its threaded build on every core; the same build served without the
// headers (as a host page would embed it) runs one thread and says why; both give the same numbers.
// WebGPU: the suite's Chromium has no adapter (the status names that); one launched with SwiftShader's
// WebGPU adapter runs the probe and, asked for webgpu, computes on it within the probe's tolerance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import path from 'node:path';
import { ARTIFACTS, CHROMIUM_ARGS, openApp, type AppPage } from './harness.ts';
import { afterRecompute, exportResult, stateHash, waitComputed, wordsText } from './page.ts';
import { freePort } from '../../scripts/preview.ts';
import type { ResultJson } from '../../engine/types.ts';

type M = number[][];

function maxDiff(a: M, b: M): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((x, j) => (m = Math.max(m, Math.abs(x - b[i][j])))));
  return m;
}

function maxResultDiff(a: ResultJson, b: ResultJson): { A: number; Z: number } {
  return { A: Math.max(...a.heads.map((h, k) => maxDiff(h.A, b.heads[k].A))), Z: maxDiff(a.Z, b.Z) };
}

/** 256 tokens, d = 64, 4 heads: large enough that the matrix products are split across threads. */
const DOC = stateHash({ text: wordsText(256), d: 64, h: 4, causal: true });

async function backendState(page: Page): Promise<{ backend: string; threads: string; gpuWhy: string; text: string }> {
  const el = page.getByTestId('backend-active');
  await expect.poll(() => el.getAttribute('data-backend')).not.toBe('');
  return {
    backend: (await el.getAttribute('data-backend')) ?? '',
    threads: (await el.getAttribute('data-threads')) ?? '',
    gpuWhy: (await el.getAttribute('data-gpu-why')) ?? '',
    text: (await el.textContent()) ?? '',
  };
}

describe('threads', () => {
  let plain: PreviewServer;
  let isolated: AppPage;
  let single: AppPage;

  beforeAll(async () => {
    // dist/ served without COOP/COEP: what a page that cannot be isolated gets.
    const port = await freePort();
    plain = await preview({ configFile: false, root: process.cwd(), logLevel: 'error', preview: { host: '127.0.0.1', port, strictPort: true } });
  });

  afterAll(async () => {
    await isolated?.close();
    await single?.close();
    await plain?.close();
  });

  it('the preview is cross-origin isolated and wasm runs on every core (2 here)', async () => {
    isolated = await openApp(`/${DOC}`);
    const { page } = isolated;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const st = await backendState(page);
    expect(st.backend).toBe('wasm');
    expect(Number(st.threads)).toBe(cores);
    expect(Number(st.threads)).toBeGreaterThan(1);
    expect(st.text).toContain(`running on wasm, ${cores} threads`);
    // No WebGPU adapter in the suite's Chromium (--disable-gpu, no SwiftShader WebGPU): the reason is shown.
    expect(st.gpuWhy).toBe('no-adapter');
    expect(st.text).toContain('WebGPU not used: no WebGPU adapter');
    await waitComputed(page);
    await isolated.shot('threads-isolated');
    expect(isolated.consoleErrors).toEqual([]);
  });

  it('without the headers: one thread, the reason shown, and the same numbers as the threaded build', async () => {
    single = await openApp(`/${DOC}`, { base: plain.resolvedUrls!.local[0].replace(/\/$/, '') });
    const { page } = single;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const st = await backendState(page);
    expect(st).toMatchObject({ backend: 'wasm', threads: '1' });
    expect(st.text).toContain('running on wasm, 1 thread: page not cross-origin isolated');
    await waitComputed(page);
    const one = await exportResult(page);
    const many = await exportResult(isolated.page);
    expect(one.heads).toHaveLength(4);
    expect(one.heads[0].A).toHaveLength(256);
    const diff = maxResultDiff(many, one);
    expect(diff.A).toBeLessThan(1e-5);
    expect(diff.Z).toBeLessThan(1e-5);
    expect(single.consoleErrors).toEqual([]);
  });

  it('中文: the status says the thread count and the reason', async () => {
    const page = await single.newPage(`/?lang=zh${DOC}`);
    await expect.poll(() => page.getByTestId('backend-active').textContent()).toContain('1 个线程：页面未启用跨源隔离');
    await page.screenshot({ path: path.join(ARTIFACTS, 'threads-single-zh.png') });
    await page.close();
  });
});

describe('WebGPU on SwiftShader', () => {
  let browser: Browser;
  let app: AppPage;

  beforeAll(async () => {
    // Chromium exposes a software (SwiftShader) WebGPU adapter with these two flags, even with --disable-gpu.
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'] });
  });

  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });

  it("'auto' leaves a software adapter alone; asked for, webgpu passes the probe and agrees with wasm", async () => {
    app = await openApp(`/${stateHash({ text: wordsText(48), d: 32, h: 4, causal: true })}`, { browser });
    const { page } = app;
    const auto = await backendState(page);
    expect(auto).toMatchObject({ backend: 'wasm', gpuWhy: 'software' });
    expect(auto.text).toContain('WebGPU not used: only a software adapter');
    await waitComputed(page);
    const onWasm = await exportResult(page);

    await afterRecompute(page, () => page.getByTestId('backend').selectOption('webgpu'));
    await expect.poll(() => page.getByTestId('backend-active').getAttribute('data-backend')).toBe('webgpu');
    const st = await backendState(page);
    expect(st).toMatchObject({ backend: 'webgpu', threads: '', gpuWhy: '' });
    expect(await page.getByTestId('timing').textContent()).toContain('on webgpu');
    const onGpu = await exportResult(page);
    const diff = maxResultDiff(onGpu, onWasm);
    expect(diff.A).toBeLessThan(1e-4);
    await app.shot('webgpu-swiftshader');
    expect(app.consoleErrors).toEqual([]);
  });
});
