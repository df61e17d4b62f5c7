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
  | 'model' // a model file that is not what it should be (the shipped character model's)
  | 'confirm' // the download is larger than the user agreed to without asking (ConfirmNeeded)
  | 'aborted'; // the caller cancelled

/**
 * Each reason's English wording, filled from its parameters ({name}). The app's catalogs word the same
 * reasons in every language (i18n/hubErrorText.ts: English is this table); the command line and the
 * tests read `message`. Quoted parameters (model and file names from outside) are quoted by the thrower.
 */
export const HUB_WORDING = {
  http: '{file}: HTTP {status}{statusText} from {url}',
  cancelled: '{file}: download cancelled',
  'cancelled-all': 'Download cancelled',
  confirm: "{bytes} bytes to download need the user's go-ahead",
  'confirm-at-least': "at least {bytes} bytes to download need the user's go-ahead",
  unreachable: '{file}: cannot reach {url} ({why})',
  retries: '{file}: download failed after {attempts} attempts ({why}) from {url}',
  'no-weights': '{model} has no {weights} and no {index} (HTTP 404 for both at {url})',
  'no-weights-pickle':
    '{model} has no {weights} and no {index} (HTTP 404 for both at {url}); it has only {pickle} (PyTorch), which cannot be read here: look for a safetensors revision, e.g. a conversion pull request (@refs/pr/N)',
  'too-large': '{file}: {bytes} bytes is larger than the {max}-byte limit',
  'over-limit': '{file}: larger than the {max}-byte limit',
  'more-than-announced': '{file}: the server sent more than the {bytes} bytes it announced',
  'announce-changed': '{file}: the server announced {announced} bytes before the download, then sends {total}',
  'local-no-config': '{folder} has no {config}. Found: {found}',
  'local-no-shard': '{folder} has no shard {shards} named in {index}. Found: {found}',
  'local-no-weights': '{folder} has no weights ({weights} or {index}). Found: {found}',
  'index-json': '{file}: not valid JSON ({why})',
  'index-no-map': '{file}: has no "weight_map" object',
  'index-bad-file': '{file}: tensor {tensor} maps to {shard}, not a plain .safetensors file name',
  'index-empty': '{file}: "weight_map" is empty',
  'index-too-many': '{file}: more than {max} shard files',
  'ref-not-string': 'Hub reference: expected a string',
  'ref-empty': 'Hub reference {ref} is empty (expected hf:owner/name@revision)',
  'ref-slash': "Hub reference {ref}: expected owner/name with exactly one '/'",
  'ref-owner-empty': 'Hub reference {ref}: the owner is empty (expected hf:owner/name@revision)',
  'ref-name-empty': 'Hub reference {ref}: the name is empty (expected hf:owner/name@revision)',
  'ref-owner-long': 'Hub reference {ref}: the owner is longer than {max} characters',
  'ref-name-long': 'Hub reference {ref}: the name is longer than {max} characters',
  'ref-owner-char': "Hub reference {ref}: the owner has the character {char}; only letters, digits, '-', '_' and '.' are allowed",
  'ref-name-char': "Hub reference {ref}: the name has the character {char}; only letters, digits, '-', '_' and '.' are allowed",
  'ref-owner-dots': "Hub reference {ref}: the owner must not contain '..' or '--'",
  'ref-name-dots': "Hub reference {ref}: the name must not contain '..' or '--'",
  'ref-owner-ends': "Hub reference {ref}: the owner must start and end with a letter, a digit or '_'",
  'ref-name-ends': "Hub reference {ref}: the name must start and end with a letter, a digit or '_'",
  'ref-name-git': "Hub reference {ref}: the name must not end with '.git'",
  'ref-revision-empty': "Hub reference {ref}: the revision after '@' is empty",
  'ref-revision-long': 'Hub reference {ref}: the revision is longer than {max} characters',
  'ref-revision-chars': "Hub reference {ref}: the revision may only have letters, digits, '.', '_', '-' and '/'",
  'ref-revision-invalid': 'Hub reference {ref}: the revision is not a valid branch, tag or commit name',
  'url-invalid': 'Hub URL {url} is not a URL',
  'url-protocol': 'Hub URL {url}: only http and https are allowed',
  'url-credentials': 'Hub URL {url}: must not contain a user name or password',
  'url-query': 'Hub URL {url}: must not have a query or fragment',
  'fetch-failed': '{file}: could not be fetched ({why})',
  'fetch-http': '{file}: HTTP {status}{statusText}',
  'fetch-html': '{file}: the server sent a web page instead (is the file missing?)',
  'no-body': '{file}: the response has no body',
  'more-bytes': '{file}: weights: expected {bytes} bytes (manifest.weights.byteLength), got more — wrong file?',
  'model-file': '{file}: {why}',
  gone: 'model {key}: not available in this browser any more — load it again',
  'no-tokenizer': 'this checkpoint has no tokenizer.json: type token ids 0…{max} separated by spaces (got “{got}”)',
} as const;

/** Why a download or an opening failed, one wording each (HUB_WORDING). */
export type HubReason = keyof typeof HUB_WORDING;
export type HubParams = Readonly<Record<string, string | number>>;

/** A reason's English wording with its parameters filled in. */
export function hubWording(reason: HubReason, params: HubParams): string {
  return HUB_WORDING[reason].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Base class of every error this folder throws on purpose. */
export class HubError extends Error {
  override name = 'HubError';
  readonly code: HubErrorCode;
  /** The checkpoint file the error is about, when there is one. */
  readonly file: string | null;

  constructor(
    code: HubErrorCode,
    /** Which wording (HUB_WORDING), for the UI's catalogs. */
    readonly reason: HubReason,
    readonly params: HubParams = {},
    file: string | null = null,
    options?: ErrorOptions,
  ) {
    super(hubWording(reason, params), options);
    this.code = code;
    this.file = file;
  }
}

/** A hub reference (`hf:owner/name@revision`) or a hub base URL that is not acceptable. */
export class HubReferenceError extends HubError {
  override name = 'HubReferenceError';
  constructor(reason: HubReason, params: HubParams = {}) {
    super('bad-reference', reason, params);
  }
}

/** The server answered a file request with an error status: "model.safetensors: HTTP 404 Not Found from <url>". */
export class HubHttpError extends HubError {
  override name = 'HubHttpError';
  readonly status: number;
  readonly url: string;
  constructor(file: string, status: number, statusText: string, url: string) {
    super('http', 'http', { file, status, statusText: statusText ? ` ${statusText}` : '', url }, file);
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
    super('aborted', file ? 'cancelled' : 'cancelled-all', file ? { file } : {}, file);
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
    super('confirm', atLeast ? 'confirm-at-least' : 'confirm', { bytes });
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
  /** The wording and its parameters, for the page's catalogs; null for errors that are not ours. */
  reason: HubReason | null;
  params: HubParams;
}

/** Describes any thrown value as HubErrorInfo (code `unexpected` for errors that are not ours). */
export function hubErrorInfo(err: unknown): HubErrorInfo {
  if (err instanceof HubError) {
    return { name: err.name, code: err.code, message: err.message, file: err.file, status: err instanceof HubHttpError ? err.status : null, reason: err.reason, params: { ...err.params } };
  }
  if (isAbortError(err)) return { name: 'AbortError', code: 'aborted', message: HUB_WORDING['cancelled-all'], file: null, status: null, reason: 'cancelled-all', params: {} };
  return { name: err instanceof Error ? err.name : 'Error', code: 'unexpected', message: err instanceof Error ? err.message : String(err), file: null, status: null, reason: null, params: {} };
}
