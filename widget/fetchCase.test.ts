// fetchCaseJson against a real local HTTP server: errors are named for what they are.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCaseJson } from './fetchCase.ts';

let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/case.json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"X": [[1]]}');
    } else if (path === '/untyped') {
      res.writeHead(200);
      res.end('[1, 2]');
    } else if (path === '/spa') {
      // what an SPA fallback answers for a missing file
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>app</title>');
    } else if (path === '/declared-big') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2000) });
      res.end(' '.repeat(2000));
    } else if (path === '/streamed-big') {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      for (let i = 0; i < 20; i++) res.write(' '.repeat(100));
      res.end('1');
    } else if (path === '/broken') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"X": [[1]');
    } else {
      res.writeHead(404, 'Not Found', { 'content-type': 'text/html' });
      res.end('<h1>404</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failure = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);

describe('fetchCaseJson', () => {
  it('reads JSON (typed or untyped)', async () => {
    expect(await fetchCaseJson(`${base}/case.json`, 'en')).toEqual({ X: [[1]] });
    expect(await fetchCaseJson(`${base}/untyped`, 'en')).toEqual([1, 2]);
  });

  it('names a 404 as a 404, in the widget language', async () => {
    expect(await failure(fetchCaseJson(`${base}/missing.json`, 'en'))).toBe('HTTP 404 Not Found');
    expect(await failure(fetchCaseJson(`${base}/missing.json`, 'zh'))).toBe('HTTP 404 Not Found');
  });

  it('refuses an HTML page instead of calling it broken JSON', async () => {
    expect(await failure(fetchCaseJson(`${base}/spa`, 'en'))).toBe('expected a JSON file, got text/html (is the address right?)');
    expect(await failure(fetchCaseJson(`${base}/spa`, 'zh'))).toBe('应为 JSON 文件，实际为 text/html（地址是否正确？）');
  });

  it('caps the size, whether announced or streamed', async () => {
    const max = 1024 * 1024; // 1 MB cap, files of 2 kB are under it
    expect(await fetchCaseJson(`${base}/streamed-big`, 'en', max)).toBe(1);
    expect(await failure(fetchCaseJson(`${base}/declared-big`, 'en', 1000))).toBe('the file is larger than 0.00095 MB');
    expect(await failure(fetchCaseJson(`${base}/streamed-big`, 'en', 1000))).toBe('the file is larger than 0.00095 MB');
  });

  it('says when the JSON is broken', async () => {
    expect(await failure(fetchCaseJson(`${base}/broken`, 'en'))).toMatch(/^not valid JSON \(/);
  });
});
