// Fetches the JSON a widget's `src` points to, as a careful client would: an HTTP error is named as
// such (a missing file answered by an SPA fallback page is "HTTP 404" or "got text/html", never "not
// valid JSON"), the size is capped while reading, and nothing but JSON is parsed.
import { MAX_CASE_BYTES } from '../state/caseImport.ts';
import type { Lang } from '../i18n/index.ts';
import { wt } from '../i18n/widget.ts';

export class FetchCaseError extends Error {}

/** Content types that may hold JSON: application/json, text/json, anything+json, and untyped or plain text. */
function jsonish(type: string): boolean {
  const t = type.split(';')[0].trim().toLowerCase();
  return t === '' || t === 'application/json' || t === 'text/json' || t.endsWith('+json') || t === 'text/plain' || t === 'application/octet-stream';
}

/** Reads a response body as text, failing as soon as it passes `max` bytes. */
async function readCapped(res: Response, max: number, tooBig: () => never): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) tooBig();
  if (!res.body) return res.text();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      tooBig();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The parsed JSON at `url`, or a FetchCaseError whose message (in `lang`) says what went wrong. */
export async function fetchCaseJson(url: URL | string, lang: Lang, maxBytes = MAX_CASE_BYTES, signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new FetchCaseError(wt('w.http', { status: res.status, statusText: res.statusText }, lang).trim());
  const type = res.headers.get('content-type') ?? '';
  if (!jsonish(type)) {
    await res.body?.cancel();
    throw new FetchCaseError(wt('w.notJsonType', { type: type.split(';')[0].trim() }, lang));
  }
  const text = await readCapped(res, maxBytes, () => {
    throw new FetchCaseError(wt('w.tooBig', { max: Number((maxBytes / (1024 * 1024)).toPrecision(2)) }, lang));
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FetchCaseError(wt('w.notJson', { why: e instanceof Error ? e.message : String(e) }, lang));
  }
}
