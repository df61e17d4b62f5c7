// Checks the hub loader in real Chromium, inside a module worker with Cache Storage, against the static hub
// server on another origin (so CORS, the Range preflight and the Cache API are the browser's own):
//   npx tsx tests/hub/browser/check.ts
// Prints one line per check and exits 1 on the first failure. Not part of `npm test`: it needs /usr/bin/chromium.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';
import { freePort } from '../../../scripts/preview.ts';
import { launchBrowser } from '../../e2e/harness.ts';
import { DEFAULT_REPOS, repoCommit, startHubServer } from '../server.ts';
import type { CheckRequest } from './check.worker.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REF = 'hf:local/stories260K-hf';

/** SHA-256 of each file of stories260K as the hub server serves it (the last folder that has it wins). */
function expectedHashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']) {
    for (const folder of DEFAULT_REPOS['local/stories260K-hf']) {
      try {
        out[name] = createHash('sha256').update(readFileSync(join(folder, name))).digest('hex');
      } catch {
        // not in this folder
      }
    }
  }
  return out;
}

interface LoadResult {
  ok: boolean;
  fromCache?: boolean;
  commit?: string | null;
  cacheError?: string | null;
  hashes?: Record<string, string>;
  lastPercent?: number | null;
  events?: number;
  error?: { name: string; code: string; message: string };
  abortLatencyMs?: number | null;
}

const hub = await startHubServer();
const vite = await createServer({ root: ROOT, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
await vite.listen();
const pageOrigin = vite.resolvedUrls!.local[0].replace(/\/$/, '');
const browser = await launchBrowser();
let failed = false;
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${pageOrigin}/tests/hub/browser/check.html`);
  await page.evaluate(() => {
    const w = new Worker('/tests/hub/browser/check.worker.ts', { type: 'module' });
    (window as unknown as { call: (req: unknown) => Promise<unknown> }).call = (req) =>
      new Promise((resolve) => {
        w.onmessage = (e) => resolve(e.data);
        w.postMessage(req);
      });
  });
  const call = async <T>(req: CheckRequest): Promise<T> => {
    const answer = (await page.evaluate((r) => (window as unknown as { call: (req: unknown) => Promise<unknown> }).call(r), req)) as { result?: T; error?: unknown };
    if (answer.error) throw new Error(`worker: ${JSON.stringify(answer.error)}`);
    return answer.result as T;
  };
  const check = async (name: string, fn: () => Promise<void>) => {
    await fn();
    console.log(`ok   ${name}`);
  };
  const hashes = expectedHashes();
  const load = () => call<LoadResult>({ op: 'load', ref: REF, hub: hub.url });

  await call({ op: 'clear' });
  await check('a first load downloads every file byte-identical and stores the model', async () => {
    const r = await load();
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.deepEqual(r.hashes, hashes);
    assert.equal(r.fromCache, false);
    assert.equal(r.commit, repoCommit('local/stories260K-hf', 'main')); // X-Repo-Commit is readable cross-origin
    assert.equal(r.cacheError, null);
    assert.equal(r.lastPercent, 100);
  });
  await check('a second load comes from Cache Storage with no request at all', async () => {
    const before = hub.requests.length;
    const r = await load();
    assert.ok(r.ok && r.fromCache);
    assert.deepEqual(r.hashes, hashes);
    assert.equal(hub.requests.length, before);
  });
  await check('the cache lists the model with its size; delete removes it', async () => {
    const listed = await call<{ label: string; totalBytes: number }[]>({ op: 'list' });
    assert.equal(listed.length, 1);
    assert.equal(listed[0].label, 'local/stories260K-hf@main');
    assert.equal(listed[0].totalBytes, 1176136 + 382 + readFileSync(join(DEFAULT_REPOS['local/stories260K-hf'][1], 'tokenizer.json')).byteLength + readFileSync(join(DEFAULT_REPOS['local/stories260K-hf'][1], 'tokenizer_config.json')).byteLength);
    assert.equal(await call({ op: 'delete', ref: REF, hub: hub.url }), true);
    assert.deepEqual(await call({ op: 'list' }), []);
  });
  await check('a dropped connection resumes with a cross-origin Range request', async () => {
    hub.dropAfter('model.safetensors', 300_000);
    const before = hub.requests.length;
    const r = await load();
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.deepEqual(r.hashes, hashes);
    // Chromium safelists a single `bytes=N-` range (no CORS preflight), and may hand JS fewer bytes than the
    // server wrote before the cut: the resume starts exactly where the received bytes end.
    const gets = hub.requests.slice(before).filter((q) => q.file === 'model.safetensors' && q.method === 'GET');
    assert.equal(gets.length, 2, JSON.stringify(gets.map((q) => [q.range, q.status])));
    assert.deepEqual([gets[0].range, gets[0].status], [null, 200]);
    const start = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
    assert.ok(start > 0 && start <= 300_000, `resumed at ${gets[1].range}: ${JSON.stringify(gets.map((q) => [q.range, q.status]))}`);
    assert.equal(gets[1].status, 206);
    console.log(`     (resumed at byte ${start})`);
  });
  await check('cancelling mid-file ends a download the server never finishes, with AbortError, storing nothing', async () => {
    await call({ op: 'clear' });
    hub.stallAfter('model.safetensors', 64 * 1024);
    const r = await call<LoadResult>({ op: 'load', ref: REF, hub: hub.url, abortAfterBytes: 1 });
    hub.reset();
    assert.equal(r.ok, false);
    assert.equal(r.error?.name, 'AbortError');
    assert.notEqual(r.abortLatencyMs ?? null, null, 'the load ended without being aborted');
    assert.deepEqual(await call({ op: 'list' }), []);
    console.log(`     (rejected ${r.abortLatencyMs!.toFixed(0)} ms after the abort; bench/responsive.ts has the target)`);
  });
  await check('a missing repo is a named HTTP error', async () => {
    const r = await call<LoadResult>({ op: 'load', ref: 'hf:local/absent', hub: hub.url });
    assert.equal(r.ok, false);
    assert.equal(r.error?.message, `config.json: HTTP 404 Not Found from ${hub.url}/local/absent/resolve/main/config.json`);
  });
  assert.deepEqual(errors, []);
} catch (err) {
  failed = true;
  console.error(`FAIL ${(err as Error).message}`);
} finally {
  await browser.close();
  await vite.close();
  await hub.stop();
}
process.exit(failed ? 1 : 0);
