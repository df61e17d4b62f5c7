// Serves the production build with `vite preview` on a free loopback port (browser tests and benchmarks).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export interface Preview {
  url: string;
  child: ChildProcess;
  stop: () => void;
}

/**
 * Starts `vite preview` in `cwd` on a free port and resolves once `probePath` answers 200. The port is free when
 * chosen but another process can take it before vite binds it (`--strictPort` then exits): then it tries another.
 * `timeoutMs` only catches a hang; on a loaded machine `npx vite` alone can take many seconds to start.
 */
export async function startPreview(cwd: string, probePath = '/', timeoutMs = 120_000): Promise<Preview> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPreviewOnce(cwd, probePath, timeoutMs);
    } catch (err) {
      if (!(err instanceof PreviewExited) || attempt === 3) throw err;
    }
  }
}

class PreviewExited extends Error {}

async function startPreviewOnce(cwd: string, probePath: string, timeoutMs: number): Promise<Preview> {
  const port = await freePort();
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new PreviewExited(`vite preview exited with code ${child.exitCode} (port ${port})`);
    try {
      if ((await fetch(url + probePath)).ok) return { url, child, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  stop();
  throw new Error(`vite preview did not answer at ${url}${probePath} within ${timeoutMs} ms`);
}
