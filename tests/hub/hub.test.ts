// The hub loader against the local static hub server, over Node's real fetch.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteCachedModel, listCachedModels } from '../../compute/hub/cache.ts';
import { type CheckpointProgress, loadHubCheckpoint } from '../../compute/hub/checkpoint.ts';
import { ConfirmNeeded, HubAbortError, HubError, HubHttpError, HubReferenceError } from '../../engine/checkpoint/hubErrors.ts';
import { CheckpointError } from '../../engine/checkpoint/errors.ts';
import { contiguous, type FileBytes } from '../../engine/checkpoint/bytes.ts';
import { LARGE_DOWNLOAD_BYTES, preflightHub } from '../../compute/hub/preflight.ts';
import { MemoryModelStore, type ModelStore } from '../../compute/hub/store.ts';
import { type HubServer, HUB_FIXTURES_DIR, CONFORMANCE_MODELS_DIR, repoCommit, startHubServer } from './server.ts';
import { tensorsOf, writeShardedCopy } from './shard.ts';

const STORIES = 'hf:local/stories260K-hf';
const storiesDirs = [join(CONFORMANCE_MODELS_DIR, 'stories260K-hf'), join(HUB_FIXTURES_DIR, 'stories260K-hf')];
const onDisk = (dir: string, file: string) => new Uint8Array(readFileSync(join(dir, file)));
const storiesFile = (file: string) => onDisk(file.startsWith('tokenizer') ? storiesDirs[1] : storiesDirs[0], file);
const STORIES_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

/** Byte equality without vitest's element-by-element diffing (seconds for a megabyte). */
function expectBytes(actual: FileBytes | null, expected: Uint8Array): void {
  expect(actual).not.toBeNull();
  expect(actual!.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(contiguous(actual!), expected)).toBe(0);
}

/** A fetch whose answers lack the named headers (a server or proxy that does not send them, or hides them cross-origin). */
function withoutHeaders(...names: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const headers = new Headers(res.headers);
    for (const name of names) headers.delete(name);
    return new Response(init?.method === 'HEAD' ? null : res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** A fetch that counts its calls (to prove a cached load makes none). */
function countingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  return { calls, fetch: (input, init) => (calls.push(String(input)), fetch(input, init)) };
}

/** A fetch that counts the body bytes the client actually read, per file name (the last path segment). */
function bodyCounter(inner: typeof fetch = fetch): { fetch: typeof fetch; read: Map<string, number> } {
  const read = new Map<string, number>();
  return {
    read,
    fetch: async (input, init) => {
      const res = await inner(input, init);
      if (!res.body) return res;
      const file = decodeURIComponent(String(input).split('/').pop()!);
      const counted = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            read.set(file, (read.get(file) ?? 0) + chunk.byteLength);
            out.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
    },
  };
}

let server: HubServer;
let tmp: string;
beforeAll(async () => {
  server = await startHubServer();
  tmp = mkdtempSync(join(tmpdir(), 'hub-test-'));
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});
const gets = (file: string) => server.requests.filter((r) => r.method === 'GET' && r.file === file);

describe('loadHubCheckpoint', () => {
  it('downloads stories260K-hf through the hub layout, byte-identical', async () => {
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url });
    expect(ckpt.label).toBe('local/stories260K-hf@main');
    expect(ckpt.files.map((f) => f.name)).toEqual(STORIES_FILES);
    expect(ckpt.absent).toEqual([]);
    expect(ckpt.fromCache).toBe(false);
    expect(ckpt.commit).toBe(repoCommit('local/stories260K-hf', 'main'));
    for (const name of STORIES_FILES) expectBytes(await ckpt.read(name), storiesFile(name));
    expect(await ckpt.read('model.safetensors.index.json')).toBeNull();
    // Streamed into one buffer of the announced size: no slack, no second copy.
    expect(contiguous((await ckpt.read('model.safetensors'))!).buffer.byteLength).toBe(storiesFile('model.safetensors').byteLength);
  });

  it('reports a missing tokenizer as absent instead of failing', async () => {
    const ckpt = await loadHubCheckpoint('hf:local/gpt2-tiny', { hub: server.url });
    expect(ckpt.absent).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    expect(await ckpt.read('tokenizer.json')).toBeNull();
    expectBytes(await ckpt.read('model.safetensors'), onDisk(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny'), 'model.safetensors'));
  });

  it('reports monotonic progress per file and overall, ending at 100 %', async () => {
    server.throttle('model.safetensors', 128 * 1024, 1);
    const events: CheckpointProgress[] = [];
    await loadHubCheckpoint(STORIES, { hub: server.url, progressEveryMs: 0, onProgress: (p) => events.push(structuredClone(p)) });
    const total = STORIES_FILES.reduce((s, f) => s + storiesFile(f).byteLength, 0);
    expect(events.length).toBeGreaterThan(STORIES_FILES.length);
    for (let i = 1; i < events.length; i++) {
      expect(events[i].overall.received).toBeGreaterThanOrEqual(events[i - 1].overall.received);
      if (events[i].file.file === events[i - 1].file.file) expect(events[i].file.received).toBeGreaterThanOrEqual(events[i - 1].file.received);
    }
    expect(events.every((e) => e.overall.total === total && e.source === 'network')).toBe(true);
    expect(events.at(-1)!.overall).toEqual({ received: total, total, percent: 100 });
    for (const name of STORIES_FILES) expect(events.filter((e) => e.file.file === name).at(-1)!.file.percent).toBe(100);
    expect(events.filter((e) => e.file.file === 'model.safetensors').length).toBeGreaterThan(5);
  });

  it('throttles progress within a file but always reports its start and end', async () => {
    server.throttle('model.safetensors', 64 * 1024, 2);
    const events: CheckpointProgress[] = [];
    // An interval no download here lasts: what is left is what is always reported (a second's interval would
    // let a busy machine's slow download add events in between).
    await loadHubCheckpoint(STORIES, { hub: server.url, progressEveryMs: 3_600_000, onProgress: (p) => events.push(structuredClone(p)) });
    const weights = events.filter((e) => e.file.file === 'model.safetensors').map((e) => e.file.percent);
    expect(weights).toEqual([0, 100]);
    expect(events.at(-1)!.overall.percent).toBe(100);
  });

  it('cancels mid-file with an AbortError, even though the server never finishes the file, and stores nothing', async () => {
    // The server sends a little and then nothing: only the abort can end this load (the idle timeout is an hour).
    // How soon it ends is measured by bench/responsive.ts.
    server.stallAfter('model.safetensors', 64 * 1024);
    const store = new MemoryModelStore();
    const controller = new AbortController();
    let aborted = false;
    const load = loadHubCheckpoint(STORIES, {
      hub: server.url,
      store,
      signal: controller.signal,
      idleTimeoutMs: 3_600_000,
      progressEveryMs: 0,
      onProgress: (p) => {
        if (p.file.file === 'model.safetensors' && p.file.received > 0 && !aborted) {
          aborted = true;
          controller.abort();
        }
      },
    });
    const err = await load.catch((e: unknown) => e);
    expect(aborted).toBe(true);
    expect(err).toBeInstanceOf(HubAbortError);
    expect((err as Error).name).toBe('AbortError');
    expect((err as HubAbortError).file).toBe('model.safetensors');
    expect(gets('model.safetensors').at(-1)!.range).toBeNull(); // no retry after the abort
    expect(await store.entries()).toEqual([]);
    expect(await listCachedModels(store)).toEqual([]);
  });

  it('an already aborted signal rejects before any request', async () => {
    const before = server.requests.length;
    const err = await loadHubCheckpoint(STORIES, { hub: server.url, signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(server.requests.length).toBe(before);
  });

  it('resumes a dropped connection with a Range request, byte-identical', async () => {
    const dropAt = 300_000;
    server.dropAfter('model.safetensors', dropAt);
    const before = gets('model.safetensors').length;
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, retryDelayMs: 5 });
    const attempts = gets('model.safetensors').slice(before);
    expect(attempts.map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${dropAt}-`, 206],
    ]);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('gives up on a stalled connection after the idle timeout and resumes with a Range request', async () => {
    server.stallAfter('model.safetensors', 100_000);
    const before = gets('model.safetensors').length;
    // Two seconds of silence: long enough that a busy machine's pauses in the healthy resumed attempt never
    // pass for a stall (which would add attempts), short enough that the stalled one ends soon.
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, retryDelayMs: 5, idleTimeoutMs: 2_000 });
    const attempts = gets('model.safetensors').slice(before);
    expect(attempts.map((r) => r.range)).toEqual([null, expect.stringMatching(/^bytes=\d+-$/)]);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('a stalled last attempt fails naming the idle timeout it was given', async () => {
    server.stallAfter('model.safetensors', 100_000);
    const err = await loadHubCheckpoint(STORIES, { hub: server.url, retries: 0, idleTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('network');
    expect((err as Error).message).toContain('(model.safetensors: no data for 300 ms)');
  });

  it('restarts from zero when the server ignores the Range (200)', async () => {
    server.dropAfter('model.safetensors', 200_000);
    const before = gets('model.safetensors').length;
    const noRange: typeof fetch = (input, init) => fetch(input, { ...init, headers: {} });
    const events: CheckpointProgress[] = [];
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, fetch: noRange, retryDelayMs: 5, onProgress: (p) => events.push(structuredClone(p)) });
    expect(gets('model.safetensors').slice(before).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [null, 200],
    ]);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
    expect(events.at(-1)!.overall.percent).toBe(100);
  });

  it('restarts from zero when a 206 does not continue where the received bytes end', async () => {
    server.dropAfter('model.safetensors', 200_000);
    const before = gets('model.safetensors').length;
    // A confused proxy: answers every resume from the start of the file.
    const wrongRange: typeof fetch = (input, init) => {
      const range = new Headers(init?.headers).get('range');
      return fetch(input, range ? { ...init, headers: { Range: 'bytes=0-' } } : init);
    };
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, fetch: wrongRange, retryDelayMs: 5 });
    expect(gets('model.safetensors').slice(before).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      ['bytes=0-', 206],
      [null, 200],
    ]);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('retries a server error (503), then succeeds', async () => {
    const preflight = await preflightHub(STORIES, { hub: server.url });
    server.failWith('model.safetensors', 503);
    const before = gets('model.safetensors').length;
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, retryDelayMs: 5, preflight });
    expect(gets('model.safetensors').slice(before).map((r) => r.status)).toEqual([503, 200]);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('gives up after the retries with a named network error', async () => {
    server.dropAfter('model.safetensors', 0, 3);
    const err = await loadHubCheckpoint(STORIES, { hub: server.url, retries: 2, retryDelayMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('network');
    expect((err as Error).message).toMatch(/^model\.safetensors: download failed after 3 attempts/);
  });

  it('accepts a gzip-encoded text file whose Content-Encoding the browser hides (Content-Length = compressed size)', async () => {
    // Cross-origin, the Hub's Content-Encoding is not exposed: the body arrives decoded, Content-Length is smaller.
    const hidden = withoutHeaders('content-encoding');
    server.addRepo('local/gzip', storiesDirs);
    server.gzip('local/gzip', 'tokenizer.json');
    const ckpt = await loadHubCheckpoint('hf:local/gzip', { hub: server.url, fetch: hidden });
    expectBytes(await ckpt.read('tokenizer.json'), storiesFile('tokenizer.json'));
    const head = server.requests.find((r) => r.repo === 'local/gzip' && r.method === 'HEAD' && r.file === 'tokenizer.json');
    expect(head).toBeDefined();
  });

  it('enforces the per-file cap before downloading, and while streaming a file of unknown size', async () => {
    const announced = await loadHubCheckpoint(STORIES, { hub: server.url, maxBytes: 1_000_000 }).catch((e: unknown) => e);
    expect((announced as HubError).code).toBe('size');
    expect((announced as Error).message).toBe('model.safetensors: 1176136 bytes is larger than the 1000000-byte limit');
    const noLength = withoutHeaders('content-length');
    const streamed = await loadHubCheckpoint(STORIES, { hub: server.url, fetch: noLength, maxBytes: 1_000_000 }).catch((e: unknown) => e);
    expect((streamed as Error).message).toBe('model.safetensors: larger than the 1000000-byte limit');
  });

  it('fetches every shard of a sharded checkpoint', async () => {
    const dir = join(tmp, 'sharded');
    mkdirSync(dir);
    const shards = writeShardedCopy(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny'), dir, 2);
    server.addRepo('local/gpt2-tiny-sharded', [dir]);
    const ckpt = await loadHubCheckpoint('hf:local/gpt2-tiny-sharded', { hub: server.url });
    expect(ckpt.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors.index.json', ...shards]);
    expect(await ckpt.read('model.safetensors')).toBeNull();
    const read = await Promise.all(shards.map(async (s) => contiguous((await ckpt.read(s))!)));
    for (const [i, s] of shards.entries()) expectBytes(read[i], onDisk(dir, s));
    const original = tensorsOf([onDisk(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny'), 'model.safetensors')]);
    expect(tensorsOf(read)).toEqual(original);
  });

  it('rejects a shard index that names a path', async () => {
    const dir = join(tmp, 'evil');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), readFileSync(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny', 'config.json')));
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { w: '../../etc/passwd.safetensors' } }));
    server.addRepo('local/evil', [dir]);
    const err = await loadHubCheckpoint('hf:local/evil', { hub: server.url }).catch((e: unknown) => e);
    expect((err as HubError).code).toBe('index');
    expect((err as Error).message).toContain('not a plain .safetensors file name');
  });

  it('names the file, status and URL of a 404', async () => {
    const err = await loadHubCheckpoint('hf:local/nothing-here', { hub: server.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubHttpError);
    expect((err as Error).message).toBe(`config.json: HTTP 404 Not Found from ${server.url}/local/nothing-here/resolve/main/config.json`);
  });

  it('says so when a repo has no weights', async () => {
    const dir = join(tmp, 'config-only');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), readFileSync(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny', 'config.json')));
    server.addRepo('local/config-only', [dir]);
    const err = await loadHubCheckpoint('hf:local/config-only', { hub: server.url }).catch((e: unknown) => e);
    expect((err as HubError).code).toBe('missing');
    expect((err as Error).message).toContain('has no model.safetensors and no model.safetensors.index.json');
    expect((err as Error).message).not.toContain('pytorch_model.bin');
    writeFileSync(join(dir, 'pytorch_model.bin'), 'pickle');
    const pickled = await loadHubCheckpoint('hf:local/config-only', { hub: server.url }).catch((e: unknown) => e);
    expect((pickled as Error).message).toMatch(/it has only pytorch_model\.bin \(PyTorch\), which cannot be read here: .*@refs\/pr\/N/);
  });

  it('rejects a bad hub URL or reference before any request', async () => {
    const before = server.requests.length;
    await expect(loadHubCheckpoint(STORIES, { hub: 'ftp://example.com' })).rejects.toBeInstanceOf(HubReferenceError);
    await expect(loadHubCheckpoint('hf:../etc', { hub: server.url })).rejects.toBeInstanceOf(HubReferenceError);
    expect(server.requests.length).toBe(before);
  });

  it('encodes a revision with slashes as one path segment', async () => {
    const before = server.requests.length;
    await loadHubCheckpoint('hf:local/gpt2-tiny@refs/pr/1', { hub: `${server.url}/` });
    const seen = server.requests.slice(before);
    expect(seen[0].path).toBe('/local/gpt2-tiny/resolve/refs%2Fpr%2F1/config.json');
    expect(seen.every((r) => r.revision === 'refs/pr/1')).toBe(true);
  });
});

describe('a download never takes more than was announced or agreed to', () => {
  const weightsSize = storiesFile('model.safetensors').byteLength;

  // 700,000 bytes: enough for the parameters config.json describes as 16-bit floats (less is refused before
  // the download, see below), less than the 1.2 MB the server then sends.
  it('X-Linked-Size 700000 and a 1.2 MB answer: refused from its Content-Length, before any of its bytes are read', async () => {
    server.addRepo('local/liar', storiesDirs);
    server.setHeaders('local/liar', 'model.safetensors', { 'X-Linked-Size': '700000' });
    const store = new MemoryModelStore();
    const counter = bodyCounter();
    const err = await loadHubCheckpoint('hf:local/liar', { hub: server.url, store, fetch: counter.fetch }).catch((e: unknown) => e);
    expect((err as HubError).code).toBe('size');
    expect((err as Error).message).toBe(`model.safetensors: the server announced 700000 bytes before the download, then sends ${weightsSize}`);
    expect(counter.read.get('model.safetensors') ?? 0).toBe(0);
    expect(await store.entries()).toEqual([]);
  });

  it('X-Linked-Size 700000 and a body without a length: stopped at the announced size while streaming', async () => {
    server.addRepo('local/liar', storiesDirs);
    server.setHeaders('local/liar', 'model.safetensors', { 'X-Linked-Size': '700000' });
    server.throttle('model.safetensors', 4096, 1);
    const store = new MemoryModelStore();
    const counter = bodyCounter(withoutHeaders('content-length'));
    const err = await loadHubCheckpoint('hf:local/liar', { hub: server.url, store, fetch: counter.fetch }).catch((e: unknown) => e);
    expect((err as HubError).code).toBe('size');
    expect((err as Error).message).toBe('model.safetensors: the server sent more than the 700000 bytes it announced');
    // The chunk that passed the announcement is the last one read (the server sends 4,096-byte pieces).
    expect(counter.read.get('model.safetensors')).toBeLessThanOrEqual(700_000 + 4096);
    expect(await store.entries()).toEqual([]);
  });

  it('sizes unknown: asks (ConfirmNeeded, at least) once the bytes received pass the threshold; agreed, it loads', async () => {
    server.throttle('model.safetensors', 16 * 1024, 1);
    const noLength = withoutHeaders('content-length');
    const store = new MemoryModelStore();
    const counter = bodyCounter(noLength);
    const askAbove = 300_000;
    const err = await loadHubCheckpoint(STORIES, { hub: server.url, store, fetch: counter.fetch, askAbove }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfirmNeeded);
    expect((err as ConfirmNeeded).atLeast).toBe(true);
    expect((err as ConfirmNeeded).bytes).toBeGreaterThan(askAbove);
    const config = storiesFile('config.json').byteLength;
    // Nothing past the threshold was kept: the refused chunk is the last one read.
    expect(counter.read.get('model.safetensors')).toBeLessThanOrEqual(askAbove - config + 16 * 1024);
    expect(await store.entries()).toEqual([]);
    const agreed = await loadHubCheckpoint(STORIES, { hub: server.url, store, fetch: noLength, askAbove: null });
    expectBytes(await agreed.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('sizes known and over the threshold: asks before the first weight is requested', async () => {
    const before = server.requests.length;
    const err = await loadHubCheckpoint(STORIES, { hub: server.url, askAbove: 500_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfirmNeeded);
    const total = STORIES_FILES.reduce((n, f) => n + storiesFile(f).byteLength, 0);
    expect([(err as ConfirmNeeded).bytes, (err as ConfirmNeeded).atLeast]).toEqual([total, false]);
    expect(server.requests.slice(before).filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['config.json']);
  });

  it('tokenizer.json has a cap of its own (64 MB): refused before anything is downloaded', async () => {
    server.addRepo('local/big-tokenizer', storiesDirs);
    server.setHeaders('local/big-tokenizer', 'tokenizer.json', { 'X-Linked-Size': '70000000' });
    const before = server.requests.length;
    const err = await loadHubCheckpoint('hf:local/big-tokenizer', { hub: server.url }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('tokenizer.json: 70000000 bytes is larger than the 67108864-byte limit');
    expect(server.requests.slice(before).filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['config.json']);
  });
});

describe('config.json is checked before any weight is asked for', () => {
  /** A repo of gpt2-tiny's files with config.json replaced. */
  function repoWithConfig(name: string, config: unknown): string {
    const dir = join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.safetensors'), readFileSync(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny', 'model.safetensors')));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    server.addRepo(`local/${name}`, [dir]);
    return `hf:local/${name}`;
  }
  const gpt2Tiny = () => JSON.parse(readFileSync(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny', 'config.json'), 'utf8')) as Record<string, unknown>;

  async function refusedEarly(ref: string): Promise<string> {
    const store = new MemoryModelStore();
    const before = server.requests.length;
    const err = await loadHubCheckpoint(ref, { hub: server.url, store }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    const weights = server.requests.slice(before).filter((r) => r.file === 'model.safetensors' && r.method === 'GET');
    expect(weights).toEqual([]);
    expect(await store.entries()).toEqual([]);
    return (err as Error).message;
  }

  it('an unsupported family: refused, no weight fetched, nothing cached', async () => {
    const ref = repoWithConfig('t5', { model_type: 't5', d_model: 32, num_heads: 4, num_layers: 2 });
    const before = server.requests.length;
    expect(await refusedEarly(ref)).toBe('local/t5@main/config.json: model_type: "t5" is not supported (supported: gpt2, llama, qwen2, gpt_neox, gpt_neo, bert, roberta, distilbert)');
    // Not even asked for its size.
    expect(server.requests.slice(before).map((r) => `${r.method} ${r.file}`)).toEqual(['GET config.json']);
  });

  it('sizes beyond the limits, or more parameters than the announced weights can hold: refused before downloading', async () => {
    expect(await refusedEarly(repoWithConfig('huge-vocab', { ...gpt2Tiny(), vocab_size: 1e8 }))).toBe(
      'local/huge-vocab@main/config.json: vocab_size: 100000000 is more than this app loads (at most 1,048,576 vocabulary entries)',
    );
    // 200 layers of gpt2-tiny: 200 × 12,704 + wte 3,232 + wpe 2,048 + ln_f 64 = 2,546,144 parameters.
    const file = onDisk(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny'), 'model.safetensors').byteLength;
    expect(await refusedEarly(repoWithConfig('deep', { ...gpt2Tiny(), n_layer: 200 }))).toBe(
      `local/deep@main/config.json: describes 2,546,144 parameters (at least 5,092,288 bytes as 16-bit floats), but the weights the server announces are ${file.toLocaleString('en-US')} bytes`,
    );
  });
});

describe('preflightHub', () => {
  it('sums the sizes from HEAD requests and fetches only the small JSON files', async () => {
    const before = server.requests.length;
    const plan = await preflightHub(STORIES, { hub: server.url });
    const sizes = STORIES_FILES.map((f) => storiesFile(f).byteLength);
    expect(plan.files).toEqual(STORIES_FILES.map((name, i) => ({ name, size: sizes[i] })));
    expect(plan.knownBytes).toBe(sizes.reduce((a, b) => a + b));
    expect(plan.unknownSizes).toEqual([]);
    expect(plan.large).toBe(false);
    expect(plan.cached).toBe(false);
    expect((plan.config as { model_type: string }).model_type).toBe('llama');
    const seen = server.requests.slice(before);
    expect(seen.filter((r) => r.method === 'GET').map((r) => r.file)).toEqual(['config.json']);
    expect(seen.filter((r) => r.method === 'HEAD').map((r) => r.file).sort()).toEqual(['model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('takes the Hub X-Linked-Size and flags downloads over 300 MB', async () => {
    server.addRepo('local/big', storiesDirs);
    server.setHeaders('local/big', 'model.safetensors', { 'X-Linked-Size': '400000000' });
    const plan = await preflightHub('hf:local/big', { hub: server.url });
    expect(plan.files.find((f) => f.name === 'model.safetensors')!.size).toBe(400_000_000);
    expect(plan.knownBytes).toBeGreaterThan(LARGE_DOWNLOAD_BYTES);
    expect(plan.large).toBe(true);
    expect(plan.tooLarge).toEqual([]);
    server.setHeaders('local/big', 'model.safetensors', { 'X-Linked-Size': String(5 * 1024 ** 3) });
    expect((await preflightHub('hf:local/big', { hub: server.url })).tooLarge).toEqual(['model.safetensors']);
  });

  it('reports unknown sizes as unknown; the load then ends at 100 % all the same', async () => {
    const noLength = withoutHeaders('content-length');
    const plan = await preflightHub(STORIES, { hub: server.url, fetch: noLength });
    expect(plan.unknownSizes).toEqual(['model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect(plan.knownBytes).toBe(storiesFile('config.json').byteLength);
    const events: CheckpointProgress[] = [];
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, fetch: noLength, preflight: plan, onProgress: (p) => events.push(structuredClone(p)) });
    expect(events.slice(0, -1).every((e) => e.overall.total === null && e.overall.percent === null)).toBe(true);
    expect(events.at(-1)!.overall.percent).toBe(100);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });
});

describe('the model cache', () => {
  it('a second load is served entirely from the cache, with the server stopped', async () => {
    const own = await startHubServer();
    const store = new MemoryModelStore();
    const first = await loadHubCheckpoint(STORIES, { hub: own.url, store });
    expect((await store.entries()).length).toBe(STORIES_FILES.length + 1); // the files and the manifest
    expect(first.fromCache).toBe(false);
    expect(first.cacheError).toBeNull();
    await own.stop();

    const { fetch: counted, calls } = countingFetch();
    const plan = await preflightHub(STORIES, { hub: own.url, store, fetch: counted });
    expect(plan.cached).toBe(true);
    expect(plan.commit).toBe(repoCommit('local/stories260K-hf', 'main'));
    expect([...plan.fetched.keys()]).toEqual(['config.json']); // showing the size does not read the weights
    expect(plan.knownBytes).toBe(STORIES_FILES.reduce((s, f) => s + storiesFile(f).byteLength, 0));
    const events: CheckpointProgress[] = [];
    const second = await loadHubCheckpoint(STORIES, { hub: own.url, store, fetch: counted, onProgress: (p) => events.push(p) });
    expect(calls).toEqual([]);
    expect(second.fromCache).toBe(true);
    for (const name of STORIES_FILES) expectBytes(await second.read(name), storiesFile(name));
    expect(await second.read('model.safetensors.index.json')).toBeNull();
    expect(calls).toEqual([]);
    expect(events.every((e) => e.source === 'cache')).toBe(true);
    expect(events.at(-1)!.overall.percent).toBe(100);
  });

  it('a cached file that went missing is downloaded again and the model stored again', async () => {
    const store = new MemoryModelStore();
    await loadHubCheckpoint(STORIES, { hub: server.url, store });
    const weightsKey = `${server.url}/local/stories260K-hf/resolve/main/model.safetensors`;
    expect(await store.delete(weightsKey)).toBe(true);
    const before = gets('model.safetensors').length;
    const again = await loadHubCheckpoint(STORIES, { hub: server.url, store });
    expect(again.fromCache).toBe(false);
    expect(gets('model.safetensors').length).toBe(before + 1);
    expectBytes(await again.read('model.safetensors'), storiesFile('model.safetensors'));
    expect(await store.get(weightsKey)).not.toBeNull();
  });

  it('refuses a preflight made for another model', async () => {
    const plan = await preflightHub('hf:local/gpt2-tiny', { hub: server.url });
    await expect(loadHubCheckpoint(STORIES, { hub: server.url, preflight: plan })).rejects.toThrow(/the preflight is for local\/gpt2-tiny@main/);
  });

  it('a store that cannot be used at all (private mode) still loads, and says why nothing was stored', async () => {
    const refuse = async () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    const broken: ModelStore = { get: refuse, put: refuse, delete: refuse, entries: refuse, clear: refuse };
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, store: broken });
    expect(ckpt.fromCache).toBe(false);
    expect(ckpt.cacheError).toMatch(/not stored for offline use: The operation is insecure/);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
  });

  it('lists cached models with their sizes and deletes one', async () => {
    const store = new MemoryModelStore();
    await loadHubCheckpoint(STORIES, { hub: server.url, store });
    await loadHubCheckpoint('hf:local/gpt2-tiny', { hub: server.url, store });
    const listed = await listCachedModels(store);
    expect(listed.map((m) => m.label)).toEqual(['local/stories260K-hf@main', 'local/gpt2-tiny@main']);
    expect(listed[0].totalBytes).toBe(STORIES_FILES.reduce((s, f) => s + storiesFile(f).byteLength, 0));
    expect(listed[0].files.map((f) => f.name)).toEqual(STORIES_FILES);
    expect(listed[0].hub).toBe(server.url);
    expect(listed[0].commit).toBe(repoCommit('local/stories260K-hf', 'main'));

    expect(await deleteCachedModel(store, server.url, listed[0].ref)).toBe(true);
    expect((await listCachedModels(store)).map((m) => m.label)).toEqual(['local/gpt2-tiny@main']);
    expect((await store.entries()).every((e) => e.key.includes('/gpt2-tiny/'))).toBe(true);
    expect(await deleteCachedModel(store, server.url, listed[0].ref)).toBe(false);
  });

  it('a storage quota failure is reported, the load still succeeds, nothing half-stored remains', async () => {
    const store = new MemoryModelStore(100_000);
    const ckpt = await loadHubCheckpoint(STORIES, { hub: server.url, store });
    expect(ckpt.cacheError).toMatch(/not stored for offline use: .*quota/);
    expectBytes(await ckpt.read('model.safetensors'), storiesFile('model.safetensors'));
    expect(await store.entries()).toEqual([]);
  });
});
