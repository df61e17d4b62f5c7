// A static file server whose pages are cross-origin isolated (the two headers of vite.config.ts), so that
// SharedArrayBuffer and with it wasm threads work: URL prefixes mapped to folders, files streamed from disk.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isolationHeaders } from '../vite.config.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** Serves `roots` (URL prefix → folder; the longest matching prefix wins) on a free loopback port. */
export async function serveIsolated(roots: Record<string, string>): Promise<Served> {
  const prefixes = Object.keys(roots).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    const root = prefix === undefined ? null : path.resolve(roots[prefix]);
    const file = root && path.resolve(root, `.${pathname.slice(prefix!.length - 1).replace(/\/$/, '/index.html')}`);
    let size = -1;
    try {
      if (file && file.startsWith(root + path.sep)) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      // missing: 404 below
    }
    if (size < 0) {
      res.writeHead(404, isolationHeaders).end();
      return;
    }
    res.writeHead(200, { ...isolationHeaders, 'Content-Type': TYPES[path.extname(file!)] ?? 'application/octet-stream', 'Content-Length': size });
    createReadStream(file!).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
