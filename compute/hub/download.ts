// Downloads one file with progress, cancellation and resumption: when the connection drops mid-file the download
// continues with `Range: bytes=N-` from the bytes already received (a 200 answer restarts it from zero).
import { PieceBuffer, type FileBytes } from '../../engine/checkpoint/bytes.ts';
import { HubAbortError, HubError, HubHttpError, isAbortError } from '../../engine/checkpoint/hubErrors.ts';

/** Largest file accepted (4 GiB; kept in 1 GiB pieces, see engine/checkpoint/bytes.ts): no model the app shows needs more. */
export const MAX_FILE_BYTES = 4 * 1024 ** 3;

/** The global fetch, called unbound (a fetch stored on another object throws "Illegal invocation" in browsers). */
export const defaultFetch: typeof fetch = (input, init) => fetch(input, init);

/** Progress of one file. */
export interface FileProgress {
  file: string;
  /** Bytes so far; back to 0 if the server answers a resume with the whole file again (the restart is real). */
  received: number;
  /** Null while the server has not said how large the file is. */
  total: number | null;
  /** 0–100, or null when the total is unknown. */
  percent: number | null;
}

export interface DownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: FileProgress) => void;
  /** Reject files larger than this (default MAX_FILE_BYTES). */
  maxBytes?: number;
  /**
   * The size announced before the download (the preflight's HEAD answer): a body that grows past it is stopped
   * there, whatever its own Content-Length says. Leave it out for files a server may send compressed.
   */
  announced?: number | null;
  /** Called with the file's byte count before each chunk is kept; throw (a HubError) to stop the download. */
  admit?: (received: number) => void;
  /** Consecutive failed attempts (without new bytes) before giving up (default 4). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one (default 300 ms). */
  retryDelayMs?: number;
  /** Resolve null on 404 instead of throwing. */
  missingOk?: boolean;
  /** Give up on an attempt (and resume) when no byte arrives for this long (default 30 s): a stalled connection never errors. */
  idleTimeoutMs?: number;
}

/**
 * The bytes received so far: preallocated pieces when the size is known (no second copy), else growing ones.
 * A `lenient` sink (a full 200 answer) that receives more than announced stops checking instead of failing: the
 * announced length was the compressed size of a content-encoded body whose Content-Encoding a cross-origin
 * response hides (the Hub gzips small text files). HTTP framing makes that the only way a body outgrows it.
 */
class ByteSink {
  private readonly buffer: PieceBuffer;
  constructor(
    public expected: number | null,
    private readonly file: string,
    public lenient: boolean,
  ) {
    this.buffer = new PieceBuffer(expected);
  }

  get length(): number {
    return this.buffer.length;
  }

  /** A full answer again: start from zero in the same memory. */
  restart(): void {
    this.buffer.restart();
    this.lenient = true;
  }

  write(chunk: Uint8Array, maxBytes: number): void {
    const end = this.length + chunk.byteLength;
    if (this.expected !== null && end > this.expected) {
      if (!this.lenient) throw new HubError('size', 'more-than-announced', { file: this.file, bytes: this.expected }, this.file);
      this.expected = null;
      this.buffer.expected = null;
    }
    if (end > maxBytes) throw new HubError('size', 'over-limit', { file: this.file, max: maxBytes }, this.file);
    this.buffer.write(chunk);
  }

  bytes(): FileBytes {
    return this.buffer.bytes();
  }
}

/** A body size we can check against: Content-Length, unless the body is content-encoded (then it is the encoded size). */
function announcedLength(res: Response): number | null {
  const encoding = res.headers.get('content-encoding');
  if (encoding && encoding !== 'identity') return null;
  return parseLength(res.headers.get('content-length'));
}

/** A non-negative integer header value, or null. */
export function parseLength(value: string | null): number | null {
  if (value === null || !/^\d{1,16}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** `bytes start-end/total` → its start and total (total null for `*`). */
function parseContentRange(value: string | null): { start: number; total: number | null } | null {
  const m = value?.match(/^bytes (\d+)-(\d+)\/(\d+|\*)$/);
  return m ? { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) } : null;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A failure worth another attempt: the connection, or a server that may recover. */
class RetryableError extends Error {}

/**
 * The signal of one attempt: aborted by the caller's signal, or by a watchdog when no byte arrives for `idleMs`.
 * `kick` restarts the watchdog; `dispose` stops it.
 */
function attemptSignal(user: AbortSignal | undefined, idleMs: number) {
  const controller = new AbortController();
  let stalled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const kick = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort(new DOMException(`no data for ${idleMs} ms`, 'TimeoutError'));
    }, idleMs);
  };
  const onUserAbort = () => controller.abort(user!.reason);
  user?.addEventListener('abort', onUserAbort, { once: true });
  kick();
  return {
    signal: controller.signal,
    kick,
    stalled: () => stalled,
    dispose: () => {
      clearTimeout(timer);
      user?.removeEventListener('abort', onUserAbort);
    },
  };
}

/**
 * Downloads `url` (the checkpoint file `file`, named in errors) into one Uint8Array, or pieces above PIECE_BYTES.
 * Resumes after a dropped connection with a Range request, checks the size against Content-Length, enforces
 * `maxBytes`, and rejects with HubAbortError promptly when `signal` aborts. 404 resolves null when `missingOk`;
 * any other error status throws HubHttpError.
 */
export async function downloadFile(url: string, file: string, options: DownloadOptions = {}): Promise<FileBytes | null> {
  const { signal, onProgress, missingOk = false } = options;
  const fetchFn = options.fetch ?? defaultFetch;
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const retries = options.retries ?? 4;
  const baseDelay = options.retryDelayMs ?? 300;
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const announced = options.announced ?? null;
  const guard = (end: number) => {
    if (announced !== null && end > announced) throw new HubError('size', 'more-than-announced', { file, bytes: announced }, file);
    options.admit?.(end);
  };
  let sink: ByteSink | null = null;
  let failures = 0;
  const report = () => {
    if (!onProgress || !sink) return;
    const total = sink.expected;
    onProgress({ file, received: sink.length, total, percent: total === null ? null : total === 0 ? 100 : (100 * sink.length) / total });
  };

  for (;;) {
    if (signal?.aborted) throw new HubAbortError(file);
    const before = sink?.length ?? 0;
    const attempt = attemptSignal(signal, idleMs);
    try {
      const resuming = sink !== null && sink.length > 0;
      // no-store: the model store is the cache; the browser's HTTP cache would hold a second copy of every
      // weight file, and its partial entries turn one resume into extra validation requests.
      const headers: Record<string, string> = resuming ? { Range: `bytes=${sink!.length}-` } : {};
      const res = await fetchFn(url, { signal: attempt.signal, headers, cache: 'no-store' });
      if (res.status === 404 && !resuming) {
        await res.body?.cancel();
        if (missingOk) return null;
        throw new HubHttpError(file, res.status, res.statusText, url);
      }
      if (res.status === 416 && resuming) {
        // The file changed size under us: start over without a range.
        await res.body?.cancel();
        sink = null;
        continue;
      }
      if (res.status >= 500 || res.status === 429) {
        await res.body?.cancel();
        throw new RetryableError(`${file}: HTTP ${res.status} ${res.statusText} from ${url}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new HubHttpError(file, res.status, res.statusText, url);
      }
      const next = acceptResponse(res, sink, file, maxBytes, announced);
      if (!next) {
        // The server resumed somewhere else or the file changed: start over (this counts as a failed attempt).
        await res.body?.cancel();
        sink = null;
        throw new RetryableError(`${file}: the resumed answer does not continue the ${before} bytes received`);
      }
      sink = next;
      report();
      if (!res.body) {
        if (sink.expected === 0) return sink.bytes();
        throw new RetryableError(`${file}: empty response body`);
      }
      await pump(res.body, sink, maxBytes, guard, () => {
        attempt.kick();
        report();
      });
      if (sink.expected === null || sink.length === sink.expected) return sink.bytes();
      throw new RetryableError(`${file}: the connection closed after ${sink.length} of ${sink.expected} bytes`);
    } catch (thrown) {
      if (signal?.aborted || (isAbortError(thrown) && !attempt.stalled())) throw new HubAbortError(file);
      if (thrown instanceof HubError) throw thrown;
      const err = attempt.stalled() ? new RetryableError(`${file}: no data for ${idleMs} ms`) : thrown;
      // A network error (fetch's TypeError) or a retryable status: try again, counting only attempts that made no progress.
      failures = (sink?.length ?? 0) > before ? 1 : failures + 1;
      if (failures > retries) {
        throw new HubError('network', 'retries', { file, attempts: retries + 1, why: (err as Error).message, url }, file, { cause: err });
      }
      try {
        await sleep(baseDelay * 2 ** (failures - 1), signal);
      } catch {
        throw new HubAbortError(file);
      }
    } finally {
      attempt.dispose();
    }
  }
}

/**
 * Checks a 200/206 answer against what we asked for: the sink to continue into (a fresh one on a restart), or null
 * when a 206 does not continue the bytes received (another offset, or the file's total changed).
 */
function acceptResponse(res: Response, sink: ByteSink | null, file: string, maxBytes: number, announced: number | null): ByteSink | null {
  if (res.status === 206 && sink !== null) {
    const range = parseContentRange(res.headers.get('content-range'));
    if (!range || range.start !== sink.length) return null;
    if (range.total !== null && sink.expected !== null && range.total !== sink.expected) return null;
    sink.lenient = false;
    return sink;
  }
  if (res.status !== 200) throw new HubHttpError(file, res.status, res.statusText, res.url);
  // A full answer: start from zero. Reuse the buffer when the size is unchanged, so a restart costs no memory.
  const total = announcedLength(res);
  if (total !== null && total > maxBytes) throw new HubError('size', 'too-large', { file, bytes: total, max: maxBytes }, file);
  if (total !== null && announced !== null && total > announced) throw new HubError('size', 'announce-changed', { file, announced, total }, file);
  if (sink !== null && sink.expected !== null && sink.expected === total) {
    sink.restart();
    return sink;
  }
  return new ByteSink(total, file, true);
}

/** Reads a body into the sink: `guard` sees each chunk's end before it is kept, `onChunk` runs after. */
async function pump(body: ReadableStream<Uint8Array>, sink: ByteSink, maxBytes: number, guard: (end: number) => void, onChunk: () => void): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      guard(sink.length + value.byteLength);
      sink.write(value, maxBytes);
      onChunk();
    }
  } catch (err) {
    // Stop the transfer (an oversized body keeps coming otherwise); a broken connection may refuse to cancel.
    await reader.cancel().catch(() => undefined);
    throw err;
  }
}
