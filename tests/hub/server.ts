// A static stand-in for the Hugging Face Hub, for tests: serves `/{owner}/{name}/resolve/{revision}/{file}` from
// local folders with GET, HEAD, Range (206), CORS, and failure injection (dropped connections, error statuses,
// slow bodies, extra headers, hidden sizes). Every request is recorded so a test can assert what went over the network.
//
// As a script: `npx tsx tests/hub/server.ts [--port N] [owner/name=folder[,folder…] …]` prints its URL and serves
// until interrupted (without repo arguments it serves DEFAULT_REPOS).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPlainFileName } from '../../compute/hub/layout.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** The conformance checkpoints the repository carries (origin and licences in its README). */
export const CONFORMANCE_MODELS_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'models');
/** Fixture files overlaid on the conformance checkpoints (the tokenizer stories260K lacks). */
export const HUB_FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'hub');
/** Tokenizer fixtures (tests/fixtures/tokenizers/README.md). */
export const TOKENIZER_FIXTURES_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'tokenizers');

/** "owner/name" → folders; a file is taken from the last folder that has it. */
export type RepoMap = Record<string, string[]>;

export const DEFAULT_REPOS: RepoMap = {
  'local/stories260K-hf': [join(CONFORMANCE_MODELS_DIR, 'stories260K-hf'), join(HUB_FIXTURES_DIR, 'stories260K-hf')],
  'local/gpt2-tiny': [join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny')],
  // A BertForMaskedLM with random weights (scripts/make-encoder-fixture.ts) and the bert-tiny WordPiece tokenizer.
  'local/bert-tiny': [join(TOKENIZER_FIXTURES_DIR, 'bert-tiny'), join(HUB_FIXTURES_DIR, 'bert-tiny')],
};

/** One request the server saw. */
export interface RecordedRequest {
  method: string;
  /** The request path as sent. */
  path: string;
  /** "owner/name", or null for a path outside the resolve layout. */
  repo: string | null;
  file: string | null;
  revision: string | null;
  /** The Range header, or null. */
  range: string | null;
  status: number;
}

export interface HubServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 (use it as the hub URL). */
  url: string;
  requests: RecordedRequest[];
  /** Close the connection after `afterBytes` body bytes of the next `times` GETs of `file` (any repo). */
  dropAfter(file: string, afterBytes: number, times?: number): void;
  /** Send `afterBytes` body bytes of the next `times` GETs of `file`, then nothing more (the connection stays open). */
  stallAfter(file: string, afterBytes: number, times?: number): void;
  /** Answer the next `times` requests (any method) for `file` with `status`. */
  failWith(file: string, status: number, times?: number): void;
  /** Send bodies of `file` in `chunkBytes` pieces `delayMs` apart (to cancel mid-file). */
  throttle(file: string, chunkBytes: number, delayMs: number): void;
  /** Send `file` of `repo` gzip-encoded (Content-Length then counts the compressed bytes, as the Hub does for text files). */
  gzip(repo: string, file: string): void;
  /** Extra response headers for `file` in `repo` (e.g. a fake X-Linked-Size). */
  setHeaders(repo: string, file: string, headers: Record<string, string>): void;
  /** Send `file` of `repo` without Content-Length (HEAD says no size, GET is chunked): a server that does not say how large. */
  hideSize(repo: string, file: string): void;
  /** Forget every injected failure, pace, encoding and header (the request log stays). */
  reset(): void;
  /** Serve another repo (or replace one). */
  addRepo(repo: string, folders: string[]): void;
  stop(): Promise<void>;
}

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, ETag, X-Linked-Size, X-Repo-Commit',
};

async function findFile(folders: readonly string[], file: string): Promise<string | null> {
  for (const folder of [...folders].reverse()) {
    const path = join(folder, file);
    if (await stat(path).then((s) => s.isFile(), () => false)) return path;
  }
  return null;
}

/** The commit the server claims a revision is at (X-Repo-Commit, as the Hub sends): fixed per repo and revision. */
export function repoCommit(repo: string, revision: string): string {
  return createHash('sha1').update(`${repo}@${revision}`).digest('hex');
}

/** `bytes=a-b` / `bytes=a-` → [start, end] inclusive, null when absent or unsatisfiable. */
function parseRange(header: string | undefined, size: number): [number, number] | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (!m) return 'bad';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start < size && start <= end ? [start, end] : 'bad';
}

/** Starts the server on 127.0.0.1 (a free port unless `port` is given). */
export async function startHubServer(options: { repos?: RepoMap; port?: number } = {}): Promise<HubServer> {
  const repos: RepoMap = { ...(options.repos ?? DEFAULT_REPOS) };
  const requests: RecordedRequest[] = [];
  const drops = new Map<string, { afterBytes: number; times: number }>();
  const stalls = new Map<string, { afterBytes: number; times: number }>();
  const failures = new Map<string, { status: number; times: number }>();
  const slow = new Map<string, { chunkBytes: number; delayMs: number }>();
  const gzipped = new Set<string>();
  const extraHeaders = new Map<string, Record<string, string>>();
  const sizeless = new Set<string>();

  /** Takes one use of an injected failure for `file`, if any is left. */
  function take<T extends { times: number }>(map: Map<string, T>, file: string): T | null {
    const rule = map.get(file);
    if (!rule) return null;
    if (--rule.times <= 0) map.delete(file);
    return rule;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const parts = path.split('/').map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return '\0';
      }
    });
    const layout = parts.length === 6 && parts[0] === '' && parts[3] === 'resolve';
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      repo: layout ? `${parts[1]}/${parts[2]}` : null,
      revision: layout ? parts[4] : null,
      file: layout ? parts[5] : null,
      range: req.headers.range ?? null,
      status: 0,
    };
    requests.push(record);
    const send = (status: number, headers: Record<string, string> = {}, body?: Uint8Array) => {
      record.status = status;
      res.writeHead(status, { ...CORS_HEADERS, ...headers });
      res.end(body);
    };

    if (req.method === 'OPTIONS') {
      // CORS preflight: Range is not a simple header, so browsers ask before a resume.
      return send(204, { 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Max-Age': '600' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { Allow: 'GET, HEAD, OPTIONS' });
    const folders = record.repo ? repos[record.repo] : undefined;
    const file = record.file;
    if (!folders || !file || !isPlainFileName(file)) return send(404, { 'Content-Type': 'text/plain' }, Buffer.from('Entry not found'));
    const failure = take(failures, file);
    if (failure) return send(failure.status, { 'Content-Type': 'text/plain' }, Buffer.from('injected failure'));
    const found = await findFile(folders, file);
    if (!found) return send(404, { 'Content-Type': 'text/plain' }, Buffer.from('Entry not found'));

    const encoded = gzipped.has(`${record.repo}/${file}`) && !req.headers.range;
    const gzip = encoded ? gzipSync(await readFile(found)) : null;
    const rawSize = (await stat(found)).size;
    const size = gzip ? gzip.byteLength : rawSize;
    const range = parseRange(req.headers.range, size);
    if (range === 'bad') return send(416, { 'Content-Range': `bytes */${size}` });
    const [start, end] = range ?? [0, size - 1];
    const headers: Record<string, string> = {
      'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Content-Length': String(end + 1 - start),
      'Accept-Ranges': 'bytes',
      ETag: `"${rawSize}-${file}"`,
      'X-Repo-Commit': repoCommit(record.repo!, record.revision!),
      ...(encoded ? { 'Content-Encoding': 'gzip' } : {}),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      ...extraHeaders.get(`${record.repo}/${file}`),
    };
    if (sizeless.has(`${record.repo}/${file}`)) delete headers['Content-Length'];
    record.status = range ? 206 : 200;
    res.writeHead(record.status, { ...CORS_HEADERS, ...headers });
    if (req.method === 'HEAD') return void res.end();

    const drop = take(drops, file);
    const stall = drop ? null : take(stalls, file);
    const pace = slow.get(file);
    if (!gzip && !drop && !stall && !pace) {
      // A plain answer streams from disk: a 1B-class checkpoint's 2.5 GB is more than one Buffer may hold.
      if (size === 0) return void res.end(); // createReadStream's inclusive `end` cannot say "no bytes"
      const stream = createReadStream(found, { start, end });
      stream.on('error', () => res.destroy());
      res.on('close', () => stream.destroy());
      stream.pipe(res);
      return;
    }
    // Injected failures and encodings work on the bytes in memory (small fixtures).
    const body = (gzip ?? (await readFile(found))).subarray(start, end + 1);
    if (drop) {
      // Send part of the body, then close the connection as a flaky network would. The pause lets the client
      // read what arrived: an erroring stream discards chunks not yet read, and the test wants them counted.
      res.write(body.subarray(0, drop.afterBytes), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    if (stall) {
      // A stalled connection: part of the body, then silence until the client gives up (or stop() closes it).
      res.write(body.subarray(0, stall.afterBytes));
      return;
    }
    if (!pace) return void res.end(body);
    for (let at = 0; at < body.byteLength && !res.destroyed; at += pace.chunkBytes) {
      res.write(body.subarray(at, at + pace.chunkBytes));
      await new Promise((r) => setTimeout(r, pace.delayMs));
    }
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, CORS_HEADERS);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    dropAfter: (file, afterBytes, times = 1) => void drops.set(file, { afterBytes, times }),
    stallAfter: (file, afterBytes, times = 1) => void stalls.set(file, { afterBytes, times }),
    failWith: (file, status, times = 1) => void failures.set(file, { status, times }),
    throttle: (file, chunkBytes, delayMs) => void slow.set(file, { chunkBytes, delayMs }),
    gzip: (repo, file) => void gzipped.add(`${repo}/${file}`),
    setHeaders: (repo, file, headers) => void extraHeaders.set(`${repo}/${file}`, headers),
    hideSize: (repo, file) => void sizeless.add(`${repo}/${file}`),
    reset: () => {
      for (const injected of [drops, stalls, failures, slow, extraHeaders]) injected.clear();
      gzipped.clear();
      sizeless.clear();
    },
    addRepo: (repo, folders) => void (repos[repo] = folders),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Command-line arguments → port and repos. */
function parseArgs(args: string[]): { port: number; repos: RepoMap } {
  let port = 0;
  const repos: RepoMap = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port') port = Number(args[++i]);
    else {
      const [repo, folders] = args[i].split('=');
      if (!repo || !folders) throw new Error(`expected owner/name=folder[,folder…], got ${JSON.stringify(args[i])}`);
      repos[repo] = folders.split(',');
    }
  }
  return { port, repos: Object.keys(repos).length ? repos : DEFAULT_REPOS };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startHubServer(parseArgs(process.argv.slice(2)));
  console.log(server.url);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
