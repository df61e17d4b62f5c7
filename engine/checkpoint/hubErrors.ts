// The errors of checkpoint loading. Each has a stable `name` and `code` so the worker can pass them over
// postMessage (which keeps neither the class nor extra fields) and the UI can pick a message by code.
// Messages quote untrusted strings (model and file names, URLs) as plain text: the UI must render them as text.

/** What went wrong, for the UI's message catalog. */
export type HubErrorCode =
  | 'bad-reference' // a hub reference or hub URL that does not parse
  | 'http' // the server answered with an error status
  | 'network' // the connection failed and retries did not help
  | 'size' // a file's size does not match what the server announced, or exceeds the cap
  | 'index' // a bad model.safetensors.index.json
  | 'missing' // a required file is absent (hub or local folder)
  | 'confirm' // the download is larger than the user agreed to without asking (ConfirmNeeded)
  | 'aborted'; // the caller cancelled

/** Base class of every error this folder throws on purpose. */
export class HubError extends Error {
  override name = 'HubError';
  readonly code: HubErrorCode;
  /** The checkpoint file the error is about, when there is one. */
  readonly file: string | null;

  constructor(code: HubErrorCode, message: string, file: string | null = null, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.file = file;
  }
}

/** A hub reference (`hf:owner/name@revision`) or a hub base URL that is not acceptable. */
export class HubReferenceError extends HubError {
  override name = 'HubReferenceError';
  constructor(message: string) {
    super('bad-reference', message);
  }
}

/** The server answered a file request with an error status: "model.safetensors: HTTP 404 Not Found from <url>". */
export class HubHttpError extends HubError {
  override name = 'HubHttpError';
  readonly status: number;
  readonly url: string;
  constructor(file: string, status: number, statusText: string, url: string) {
    super('http', `${file}: HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${url}`, file);
    this.status = status;
    this.url = url;
  }
}

/**
 * The caller cancelled. Named `AbortError` like the DOMException fetch throws, so code that already checks
 * `err.name === 'AbortError'` treats both alike.
 */
export class HubAbortError extends HubError {
  override name = 'AbortError';
  constructor(file: string | null = null) {
    super('aborted', file ? `${file}: download cancelled` : 'Download cancelled', file);
  }
}

/**
 * A download larger than the threshold the user has not agreed to: before it starts when the sizes are known,
 * or as soon as the bytes received pass the threshold when the server did not say (or said less).
 */
export class ConfirmNeeded extends HubError {
  override name = 'ConfirmNeeded';
  constructor(
    /** The download's size, or the bytes received so far when `atLeast`. */
    readonly bytes: number,
    /** The size is not known: the download is at least `bytes`. */
    readonly atLeast: boolean,
  ) {
    super('confirm', `${atLeast ? 'at least ' : ''}${bytes} bytes to download need the user's go-ahead`);
  }
}

/** Whether `err` is a cancellation (ours or the platform's). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Clips an untrusted string for a message, so a hostile link cannot fill the screen. */
export function quoted(text: string, max = 80): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(clipped);
}

/** An error as plain data, for postMessage (which keeps neither an Error's class nor its extra fields). */
export interface HubErrorInfo {
  name: string;
  code: HubErrorCode | 'unexpected';
  message: string;
  file: string | null;
  /** The HTTP status of a HubHttpError, else null. */
  status: number | null;
}

/** Describes any thrown value as HubErrorInfo (code `unexpected` for errors that are not ours). */
export function hubErrorInfo(err: unknown): HubErrorInfo {
  if (err instanceof HubError) {
    return { name: err.name, code: err.code, message: err.message, file: err.file, status: err instanceof HubHttpError ? err.status : null };
  }
  if (isAbortError(err)) return { name: 'AbortError', code: 'aborted', message: 'Download cancelled', file: null, status: null };
  return { name: err instanceof Error ? err.name : 'Error', code: 'unexpected', message: err instanceof Error ? err.message : String(err), file: null, status: null };
}
