// Hub references (`hf:owner/name@revision`) and hub base URLs. Both arrive in links, so both are untrusted:
// parsing is strict and every rejection says which part is wrong.
import { HubReferenceError, quoted } from './hubErrors.ts';

/** A model repository on the Hub at one revision. */
export interface HubRef {
  owner: string;
  name: string;
  /** A branch or tag name, or a 40-hex commit. */
  revision: string;
}

export const DEFAULT_REVISION = 'main';
export const DEFAULT_HUB = 'https://huggingface.co';
const PREFIX = 'hf:';

// The Hub's own rule (huggingface_hub's validate_repo_id): word characters, '-' and '.', at most 96, starting and
// ending with a letter, digit or '_', no '--' or '..'.
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;
const REPO_PART_MAX = 96;
// Git ref names restricted to what the Hub's branches, tags and refs/pr/N use.
const REVISION_CHARS = /^[A-Za-z0-9._/-]+$/;
const REVISION_MAX = 128;

function checkRepoPart(kind: 'owner' | 'name', part: string, whole: string): void {
  const ref = quoted(whole);
  if (part === '') throw new HubReferenceError(`ref-${kind}-empty`, { ref });
  if (part.length > REPO_PART_MAX) throw new HubReferenceError(`ref-${kind}-long`, { ref, max: REPO_PART_MAX });
  const bad = [...part].find((c) => !/[A-Za-z0-9_.-]/.test(c));
  if (bad !== undefined) throw new HubReferenceError(`ref-${kind}-char`, { ref, char: quoted(bad) });
  if (part.includes('..') || part.includes('--')) throw new HubReferenceError(`ref-${kind}-dots`, { ref });
  if (!REPO_PART.test(part)) throw new HubReferenceError(`ref-${kind}-ends`, { ref });
  if (kind === 'name' && part.endsWith('.git')) throw new HubReferenceError('ref-name-git', { ref });
}

function checkRevision(revision: string, whole: string): void {
  const ref = quoted(whole);
  if (revision === '') throw new HubReferenceError('ref-revision-empty', { ref });
  if (revision.length > REVISION_MAX) throw new HubReferenceError('ref-revision-long', { ref, max: REVISION_MAX });
  if (!REVISION_CHARS.test(revision)) throw new HubReferenceError('ref-revision-chars', { ref });
  const parts = revision.split('/');
  if (parts.some((p) => p === '' || p.startsWith('.') || p.endsWith('.lock')) || revision.includes('..') || revision.endsWith('.')) {
    throw new HubReferenceError('ref-revision-invalid', { ref });
  }
}

/**
 * Parses `hf:owner/name@revision` (the `hf:` prefix and `@revision` are optional; the revision defaults to `main`).
 * Throws HubReferenceError naming the part that is wrong; never anything else.
 */
export function parseHubRef(text: string): HubRef {
  if (typeof text !== 'string') throw new HubReferenceError('ref-not-string');
  const body = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
  if (body.trim() === '') throw new HubReferenceError('ref-empty', { ref: quoted(text) });
  const at = body.indexOf('@');
  const repo = at < 0 ? body : body.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : body.slice(at + 1);
  const parts = repo.split('/');
  if (parts.length !== 2) throw new HubReferenceError('ref-slash', { ref: quoted(text) });
  const [owner, name] = parts;
  checkRepoPart('owner', owner, text);
  checkRepoPart('name', name, text);
  checkRevision(revision, text);
  return { owner, name, revision };
}

/** Formats a reference as `hf:owner/name` (revision main) or `hf:owner/name@revision`; the inverse of parseHubRef. */
export function formatHubRef(ref: HubRef): string {
  const repo = `${PREFIX}${ref.owner}/${ref.name}`;
  return ref.revision === DEFAULT_REVISION ? repo : `${repo}@${ref.revision}`;
}

/** "owner/name@revision": the label of a hub checkpoint in messages. */
export function hubRefLabel(ref: HubRef): string {
  return `${ref.owner}/${ref.name}@${ref.revision}`;
}

/**
 * Validates and normalises a hub base URL: http or https, no credentials, no query or fragment, no trailing slash.
 * A path is allowed (a mirror may live under one). Throws HubReferenceError.
 */
export function normalizeHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new HubReferenceError('url-invalid', { url: quoted(text) });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HubReferenceError('url-protocol', { url: quoted(text) });
  if (url.username || url.password) throw new HubReferenceError('url-credentials', { url: quoted(text) });
  if (url.search || url.hash) throw new HubReferenceError('url-query', { url: quoted(text) });
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The hub base URL a page's query string asks for (`?hub=URL`), normalised; null when there is none. Throws HubReferenceError on a bad one. */
export function hubFromQuery(search: string): string | null {
  const value = new URLSearchParams(search).get('hub');
  return value === null || value === '' ? null : normalizeHubUrl(value);
}

/** The directory URL of a revision's files: `{hub}/{owner}/{name}/resolve/{revision}/` (the revision encoded, as `refs/pr/1` has slashes). */
export function resolveBase(hub: string, ref: HubRef): string {
  return `${hub}/${ref.owner}/${ref.name}/resolve/${encodeURIComponent(ref.revision)}/`;
}

/** The URL a file is fetched from: `{hub}/{owner}/{name}/resolve/{revision}/{file}`. `file` must be a plain file name. */
export function resolveUrl(hub: string, ref: HubRef, file: string): string {
  return resolveBase(hub, ref) + encodeURIComponent(file);
}
