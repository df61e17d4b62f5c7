// The static hub server itself: the HTTP behaviour the loader and browser tests rely on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubServer, CONFORMANCE_MODELS_DIR, startHubServer } from './server.ts';

let server: HubServer;
let base: string;
const weights = new Uint8Array(readFileSync(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny', 'model.safetensors')));
beforeAll(async () => {
  server = await startHubServer();
  base = `${server.url}/local/gpt2-tiny/resolve/main`;
});
afterAll(() => server.stop());

describe('the static hub server', () => {
  it('binds 127.0.0.1 on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves GET and HEAD with the length, CORS headers and exposed headers', async () => {
    const head = await fetch(`${base}/model.safetensors`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(weights.byteLength));
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    expect(head.headers.get('access-control-expose-headers')).toMatch(/Content-Length.*Content-Range.*X-Linked-Size/);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const get = await fetch(`${base}/model.safetensors`);
    expect(Buffer.compare(new Uint8Array(await get.arrayBuffer()), weights)).toBe(0);
  });

  it('hides a size when asked: no Content-Length on HEAD or GET, the same bytes', async () => {
    server.hideSize('local/gpt2-tiny', 'model.safetensors');
    try {
      expect((await fetch(`${base}/model.safetensors`, { method: 'HEAD' })).headers.get('content-length')).toBeNull();
      const get = await fetch(`${base}/model.safetensors`);
      expect(get.headers.get('content-length')).toBeNull();
      expect(Buffer.compare(new Uint8Array(await get.arrayBuffer()), weights)).toBe(0);
    } finally {
      server.reset();
    }
  });

  it('answers ranges with 206, and unsatisfiable ones with 416', async () => {
    const part = await fetch(`${base}/model.safetensors`, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${weights.byteLength}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(weights.subarray(100, 200));
    const tail = await fetch(`${base}/model.safetensors`, { headers: { Range: `bytes=${weights.byteLength - 10}-` } });
    expect((await tail.arrayBuffer()).byteLength).toBe(10);
    const bad = await fetch(`${base}/model.safetensors`, { headers: { Range: `bytes=${weights.byteLength}-` } });
    expect(bad.status).toBe(416);
    await bad.arrayBuffer();
  });

  it('404s missing files, unknown repos, paths outside the layout and non-plain names', async () => {
    for (const path of [`${base}/nothing.json`, `${server.url}/local/unknown/resolve/main/config.json`, `${server.url}/config.json`, `${base}/..%2Fgpt2-tiny%2Fconfig.json`]) {
      const res = await fetch(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('answers a CORS preflight that asks for Range', async () => {
    const res = await fetch(`${base}/model.safetensors`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe('Range');
  });

  it('records every request and injects failures once', async () => {
    const before = server.requests.length;
    server.failWith('config.json', 503);
    expect((await fetch(`${base}/config.json`)).status).toBe(503);
    expect((await fetch(`${base}/config.json`)).status).toBe(200);
    server.dropAfter('model.safetensors', 1000);
    await expect(fetch(`${base}/model.safetensors`).then((r) => r.arrayBuffer())).rejects.toThrow();
    expect((await (await fetch(`${base}/model.safetensors`)).arrayBuffer()).byteLength).toBe(weights.byteLength);
    expect(server.requests.slice(before).map((r) => [r.method, r.repo, r.revision, r.file, r.status])).toEqual([
      ['GET', 'local/gpt2-tiny', 'main', 'config.json', 503],
      ['GET', 'local/gpt2-tiny', 'main', 'config.json', 200],
      ['GET', 'local/gpt2-tiny', 'main', 'model.safetensors', 200],
      ['GET', 'local/gpt2-tiny', 'main', 'model.safetensors', 200],
    ]);
  });
});
