// The whole document in the URL hash, as compact but readable key=value pairs:
//
//   #v=1&view=heads&mech=multi&conv=standard&h=4&d=16&seed=42&mode=words
//    &text=The%20animal%20didn't%20cross…   (tokens come from the text…)
//    &tok=The|animal|did|n't               (…unless chips were edited: "|"-separated, "\" escapes)
//    &dk=4  &causal=1  &win=2  &tile=2  &w=1,1,0,0.5  &pad=2,5  &ov=X.2.3:0.5,0.Wq.1.2:-1,Wo.0.1:0.25
//    &head=1  &cell=3.4  &step=2  &src=case&case=<base64url of the case JSON>
//    &src=case&cref=<id>   (a case too large for a link: kept in this browser under its id, see caseRef)
//    &src=model&model=brown-char  &layer=1          (a trained model; its text is read character by character)
//    &pair=It%20was%20tired.  &spec=hide  &lines=ab  (an encoder: sentence B, framing tokens hidden, A→B lines)
//    &corpus=stories&cseq=32&ctok=64&ctop=5          (the Corpus view: which corpus, its caps…)
//    &chead=2.4&cscore=self&csort=+induction&cfilter=induction%3E0.5   (…and how its results are looked at)
//    &cmp=<second text>  &shift=100                 (the second input, read 100 positions later)
//
// Defaults are left out (no causal, weights all 1, no padding, no overrides, head 0, no cell, step 0).
// encode/decode are pure. decode never throws: each bad field is reported ("Link: heads must be
// 1–16, got 40") and keeps the value it had before, so one typo never loses the rest of the link.
import type { CaseJson } from '../engine/types.ts';
import { admitCase, admitCaseText } from './caseImport.ts';
import { fromBase64Url, toBase64Url } from './b64.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import {
  DEFAULT_DOC,
  UI_LIMITS,
  MODEL_IDS,
  PAIR_LINES,
  SPECIAL_TOKENS,
  VIEWS,
  caseTokens,
  selectableHeads,
  formatOverridePath,
  intInRange,
  normalizeDoc,
  parseOverridePath,
  type DocState,
  isCheckpoint,
  type HeadRef,
  type ModelId,
  type Source,
} from './document.ts';
import { formatHubRef, parseHubRef } from '../engine/checkpoint/hubRef.ts';
import { hubErrorText } from '../i18n/hubErrorText.ts';
import { isFloat32Finite } from '../engine/caseError.ts';
import { sameTokens, tokenizeFor } from './tokens.ts';
import { CORPUS_KEYS, decodeCorpus, encodeCorpus } from './corpusLink.ts';

const URL_VERSION = 1;

const MECHANISMS = ['self', 'weighted', 'multi'] as const;
const CONVENTIONS = ['article', 'standard'] as const;
const MODES = ['words', 'chars'] as const;
/** Display preferences (state/prefs.ts reads them): allowed in a link, not part of the document. */
const PREF_KEYS = new Set(['lang', 'theme', 'contrast']);
const KNOWN = new Set(['v', 'view', 'mech', 'conv', 'h', 'd', 'dk', 'seed', 'causal', 'win', 'tile', 'mode', 'text', 'tok', 'w', 'pad', 'ov', 'head', 'cell', 'step', 'lesson', 'src', 'case', 'cref', 'model', 'layer', 'ablate', 'amode', 'target', 'cmp', 'shift', 'pair', 'spec', 'lines', ...CORPUS_KEYS]);
/** Query keys (before the hash) that are not part of the document: the hub mirror. */
const QUERY_KEYS = new Set(['hub']);

// ------------------------------------------------------------------------------------------------
// Escaping: percent-encode, then give back the punctuation that is safe in a fragment so links
// stay readable (",", ":", "|", "/", "?", "@", "[", "]" …). "&", "=", "#", "%", "+" stay encoded.

function enc(s: string): string {
  return encodeURIComponent(s).replace(/%(2C|3A|7C|2F|3F|40|5B|5D|24|3B)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function joinTokenList(tokens: readonly string[]): string {
  return tokens.map((tok) => tok.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).join('|');
}

export function splitTokenList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

function pathToUrl(path: string): string | null {
  const p = parseOverridePath(path);
  if (!p) return null;
  return p.head === null ? `${p.matrix}.${p.row}.${p.col}` : `${p.head}.${p.matrix}.${p.row}.${p.col}`;
}

function pathFromUrl(s: string): string | null {
  let m = /^(X|Wo)\.(\d+)\.(\d+)$/.exec(s);
  if (m) return formatOverridePath({ matrix: m[1] as 'X' | 'Wo', head: null, row: Number(m[2]), col: Number(m[3]) });
  m = /^(\d+)\.(Wq|Wk|Wv)\.(\d+)\.(\d+)$/.exec(s);
  if (m) return formatOverridePath({ matrix: m[2] as 'Wq', head: Number(m[1]), row: Number(m[3]), col: Number(m[4]) });
  return null;
}

// ------------------------------------------------------------------------------------------------

/** The hash (without "#") for a document. */
export function encodeState(doc: DocState): string {
  const parts: [string, string][] = [];
  const put = (k: string, v: string | number) => parts.push([k, typeof v === 'number' ? String(v) : v]);
  put('v', URL_VERSION);
  put('view', doc.view);
  put('mech', doc.mechanism);
  put('conv', doc.convention);
  put('h', doc.h);
  put('d', doc.d);
  if (doc.dk !== null) put('dk', doc.dk);
  put('seed', doc.seed);
  if (doc.causal) put('causal', 1);
  if (doc.window !== null) put('win', doc.window);
  if (doc.tile !== null) put('tile', doc.tile);
  put('mode', doc.mode);
  put('text', doc.text);
  // A checkpoint's tokens come from its tokenizer: the text says it all.
  const fromTokenizer = doc.source.kind === 'model' && isCheckpoint(doc.source.model);
  if (!fromTokenizer && !sameTokens(doc.tokens, tokenizeFor(doc.text, doc.mode, doc.source))) put('tok', joinTokenList(doc.tokens));
  if (doc.keyWeights.some((w) => w !== 1)) put('w', doc.keyWeights.map((w) => String(w)).join(','));
  const padded = doc.padding.flatMap((p, i) => (p ? [i] : []));
  if (padded.length) put('pad', padded.join(','));
  const ov = Object.entries(doc.overrides)
    .map(([path, v]) => {
      const u = pathToUrl(path);
      return u === null || !isFloat32Finite(v) ? null : `${u}:${v}`;
    })
    .filter((s): s is string => s !== null);
  if (ov.length) put('ov', ov.join(','));
  if (doc.layer !== 0) put('layer', doc.layer);
  if (doc.head !== 0) put('head', doc.head);
  if (doc.cell) put('cell', `${doc.cell.row}.${doc.cell.col}`);
  // With a lesson open, step is the lesson's step (both counted from 1): the lesson step sets the Steps view.
  if (doc.lesson) {
    put('lesson', doc.lesson.lesson + 1);
    put('step', doc.lesson.step + 1);
  } else if (doc.step !== 0) put('step', doc.step);
  if (doc.source.kind === 'case') {
    const json = JSON.stringify(doc.source.case);
    const b = toBase64Url(json);
    put('src', 'case');
    if (b.length <= UI_LIMITS.maxCaseLinkChars) put('case', b);
    else put('cref', caseRef(doc.source.case, json));
  } else if (doc.source.kind === 'model') {
    put('src', 'model');
    put('model', doc.source.model);
    if (doc.ablate.length) put('ablate', doc.ablate.map((r) => `${r.layer}.${r.head}`).join(','));
    if (doc.ablateMode !== 'zero') put('amode', doc.ablateMode);
    if (doc.target !== null) put('target', doc.target);
    if (doc.compare !== null) put('cmp', doc.compare);
    if (doc.pair !== null) put('pair', doc.pair);
    if (doc.shift !== 0) put('shift', doc.shift);
  }
  if (doc.specials !== 'show') put('spec', doc.specials);
  if (doc.pairLines !== 'all') put('lines', doc.pairLines);
  for (const [k, v] of encodeCorpus(doc)) put(k, v);
  return parts.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

const caseRefs = new WeakMap<CaseJson, string>();

/**
 * The id of a case too large for a link: a 64-bit hash of its JSON (16 hex digits). The browser keeps
 * the case under this id (state/persistence.ts) and the link names it, so every tab and every saved
 * document finds exactly its own case. Remembered per case object (cases are immutable in the document).
 */
export function caseRef(c: CaseJson, json = JSON.stringify(c)): string {
  const known = caseRefs.get(c);
  if (known) return known;
  // cyrb53's mixing, both halves kept.
  let h1 = 0xdeadbeef ^ json.length;
  let h2 = 0x41c6ce57 ^ json.length;
  for (let i = 0; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const id = (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  caseRefs.set(c, id);
  return id;
}

const CASE_REF = /^[0-9a-f]{16}$/;

/** Whether a case is too big to travel in a link (it then lives in localStorage only). */
export function caseTooBigForLink(c: CaseJson): boolean {
  return toBase64Url(JSON.stringify(c)).length > UI_LIMITS.maxCaseLinkChars;
}

/** A model id from a link: a built-in name or a Hub reference in its canonical form; else why not. */
function readModelId(s: string): ModelId | { key: MessageKey; why: string } {
  if ((MODEL_IDS as readonly string[]).includes(s)) return s as ModelId;
  if (s.startsWith('hf:')) {
    try {
      return formatHubRef(parseHubRef(s)) as ModelId;
    } catch (e) {
      return { key: 'link.model', why: ` (${hubErrorText(e)})` };
    }
  }
  if (s.startsWith('local:')) return { key: 'link.localModel', why: '' };
  return { key: 'link.model', why: '' };
}

/** Head references without repeats, in layer-then-head order. */
export function uniqueHeads(refs: readonly HeadRef[]): HeadRef[] {
  const seen = new Set<string>();
  return refs
    .filter((r) => (seen.has(`${r.layer}.${r.head}`) ? false : (seen.add(`${r.layer}.${r.head}`), true)))
    .sort((a, b) => a.layer - b.layer || a.head - b.head);
}

export interface DecodeOptions {
  /**
   * The JSON of a case this browser keeps, by its id (`cref`); null when it has none. `id` null: a
   * link written before cases had ids (the one case kept then), or null when there is none.
   */
  storedCase?: (id: string | null) => string | null;
}

export interface Decoded {
  /** The document the link describes, or null when the hash holds no state at all. */
  doc: DocState | null;
  /** One message per rejected field, e.g. "Link: heads must be 1–16, got 40". */
  errors: string[];
}

function shown(s: string): string {
  const chars = Array.from(s);
  return chars.length > 40 ? chars.slice(0, 39).join('') + '…' : s;
}

/**
 * Reads a hash ("#v=1&…" or "v=1&…"). Missing fields take their defaults (the encoder leaves
 * defaults out); fields that don't parse keep `base`'s value and add a message. Never throws: a link
 * that breaks the decoder anyway leaves `base` as it was, with one message saying so.
 */
export function decodeState(hash: string, base: DocState, options: DecodeOptions = {}): Decoded {
  try {
    return decodeFields(hash, base, options);
  } catch (e) {
    return { doc: null, errors: [t('link.broken', { why: shown(e instanceof Error ? e.message : 'unknown error') })] };
  }
}

function decodeFields(hash: string, base: DocState, options: DecodeOptions): Decoded {
  const raw = hash.replace(/^#/, '').trim();
  if (raw === '') return { doc: null, errors: [] };
  const params = new Map<string, string>();
  const errors: string[] = [];
  const err = (key: MessageKey, params: Record<string, string | number>) => errors.push(t(key, params));
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = dec(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : dec(part.slice(eq + 1));
    if (PREF_KEYS.has(k) || QUERY_KEYS.has(k)) continue;
    if (!KNOWN.has(k)) {
      err('link.unknown', { got: shown(k) });
      continue;
    }
    params.set(k, v);
  }
  if (params.size === 0) return { doc: null, errors };

  const version = params.get('v');
  if (version !== undefined && version !== String(URL_VERSION)) {
    err('link.version', { got: shown(version), expected: URL_VERSION });
  }

  const field = (k: string) => t(`param.${k}` as MessageKey);

  function int(k: string, lo: number, hi: number, fallback: number, missing: number): number {
    const s = params.get(k);
    if (s === undefined) return missing;
    const v = /^-?\d+$/.test(s.trim()) ? Number(s) : NaN;
    if (!intInRange(v, lo, hi)) {
      err('link.range', { field: field(k), lo, hi, got: shown(s) });
      return fallback;
    }
    return v;
  }

  function choice<T extends string>(k: string, options: readonly T[], fallback: T, missing: T): T {
    const s = params.get(k);
    if (s === undefined) return missing;
    if ((options as readonly string[]).includes(s)) return s as T;
    err('link.choice', { field: field(k), choices: options.join(', '), got: shown(s) });
    return fallback;
  }

  const doc: DocState = { ...base };
  doc.view = choice('view', VIEWS, base.view, DEFAULT_DOC.view);
  doc.mechanism = choice('mech', MECHANISMS, base.mechanism, DEFAULT_DOC.mechanism);
  doc.convention = choice('conv', CONVENTIONS, base.convention, DEFAULT_DOC.convention);
  doc.h = int('h', 1, UI_LIMITS.maxHeads, base.h, DEFAULT_DOC.h);
  doc.d = int('d', 1, UI_LIMITS.maxD, base.d, DEFAULT_DOC.d);
  {
    const s = params.get('dk');
    if (s === undefined || s === 'auto' || s === '') doc.dk = null;
    else {
      const v = int('dk', 1, UI_LIMITS.maxD, -1, -1);
      doc.dk = v === -1 ? base.dk : v;
    }
  }
  doc.seed = int('seed', 0, UI_LIMITS.maxSeed, base.seed, DEFAULT_DOC.seed);
  if (params.has('lesson')) {
    const lesson = int('lesson', 1, UI_LIMITS.maxLesson, 0, 0);
    const step = int('step', 1, UI_LIMITS.maxLesson, 1, 1);
    doc.lesson = lesson === 0 ? null : { lesson: lesson - 1, step: step - 1 };
    doc.step = 0;
  } else {
    doc.lesson = null;
    doc.step = int('step', 0, UI_LIMITS.maxStep, base.step, 0);
  }
  {
    /** An optional count of tokens (absent: none; out of range: the value it had). */
    const count = (k: string, fallback: number | null): number | null => {
      if (params.get(k) === undefined) return null;
      const v = int(k, 1, UI_LIMITS.maxTokens, -1, -1);
      return v === -1 ? fallback : v;
    };
    doc.window = count('win', base.window);
    doc.tile = count('tile', base.tile);
  }
  {
    const s = params.get('causal');
    if (s === undefined) doc.causal = false;
    else if (s === '1' || s === 'true') doc.causal = true;
    else if (s === '0' || s === 'false') doc.causal = false;
    else err('link.choice', { field: field('causal'), choices: '0, 1', got: shown(s) });
  }
  doc.mode = choice('mode', MODES, base.mode, DEFAULT_DOC.mode);

  // Source: a case embedded in the link, a trained model, or seeded.
  let source: Source = { kind: 'seeded' };
  const src = params.get('src');
  if (src !== undefined && src !== 'case' && src !== 'seeded' && src !== 'model') {
    err('link.choice', { field: field('src'), choices: 'seeded, case, model', got: shown(src) });
    source = base.source;
  } else if (src === 'model') {
    const m = params.get('model') ?? 'brown-char';
    const model = readModelId(m);
    if (typeof model === 'string') source = { kind: 'model', model };
    else {
      errors.push(t(model.key, { got: shown(m), why: model.why, choices: `${MODEL_IDS.join(', ')}, hf:owner/name@revision` }));
      source = { kind: 'model', model: 'brown-char' };
    }
  } else if (src === 'case') {
    const b = params.get('case');
    const ref = params.get('cref');
    if (b === undefined) {
      // Too big for a link: the case this browser keeps under the link's id (through the same gate).
      const id = ref !== undefined && CASE_REF.test(ref) ? ref : null;
      const text = ref === undefined || id !== null ? (options.storedCase?.(id) ?? null) : null;
      const admitted = text === null ? null : admitCaseText(text);
      if (ref !== undefined && id === null) err('link.caseRef', { got: shown(ref) });
      else if (admitted?.ok) source = { kind: 'case', case: admitted.case };
      else if (admitted) err('link.case', { error: admitted.problem });
      else err('link.caseMissing', {});
      if (!admitted?.ok) source = base.source;
    } else {
      let json: unknown;
      try {
        json = JSON.parse(fromBase64Url(b));
      } catch {
        json = undefined;
      }
      // The same checks as an imported file (engine validation, app limits, string token labels).
      const admitted = json === undefined ? null : admitCase(json);
      if (admitted?.ok) source = { kind: 'case', case: admitted.case };
      else {
        err('link.case', { error: admitted ? admitted.problem : t('link.caseNotJson') });
        source = base.source;
      }
    }
  }
  doc.source = source;

  // Tokens: from `tok`, else from `text`, else the case's labels.
  let tokens: string[] | null = null;
  const text = params.get('text');
  const tok = params.get('tok');
  if (tok !== undefined) tokens = splitTokenList(tok);
  else if (text !== undefined) tokens = tokenizeFor(text, doc.mode, source);
  if (source.kind === 'case' && (tokens === null || tokens.length !== source.case.X.length)) tokens = caseTokens(source.case);
  if (tokens !== null && tokens.length > UI_LIMITS.maxTokens) {
    err('link.tokens', { n: tokens.length, max: UI_LIMITS.maxTokens });
    tokens = null;
  } else if (tokens !== null && tokens.length === 0) {
    err('link.empty', {});
    tokens = null;
  }
  if (tokens !== null) {
    doc.tokens = tokens;
    doc.text = text ?? tokens.join(doc.mode === 'chars' ? '' : ' ');
  } else {
    doc.text = base.text;
    doc.tokens = base.tokens;
  }
  const n = doc.tokens.length;

  // Per-token weights and padding.
  {
    const s = params.get('w');
    if (s === undefined) doc.keyWeights = doc.tokens.map(() => 1);
    else {
      const ws = s.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
      // Any weight the engine accepts (an imported case may carry weights above the slider's range).
      if (ws.some((w) => !Number.isFinite(w) || w < 0)) {
        err('link.weights', { field: field('w'), got: shown(s) });
        doc.keyWeights = base.keyWeights;
      } else if (ws.length !== n) {
        err('link.count', { field: field('w'), got: ws.length, n });
        doc.keyWeights = base.keyWeights;
      } else doc.keyWeights = ws;
    }
  }
  {
    const s = params.get('pad');
    if (s === undefined || s === '') doc.padding = doc.tokens.map(() => false);
    else {
      const idx = s.split(',').map((x) => (/^\d+$/.test(x.trim()) ? Number(x) : NaN));
      if (idx.some((i) => !intInRange(i, 0, n - 1))) {
        err('link.indices', { field: field('pad'), max: n - 1, got: shown(s) });
        doc.padding = base.padding;
      } else {
        const set = new Set(idx);
        doc.padding = doc.tokens.map((_, i) => set.has(i));
      }
    }
  }

  // Overrides.
  {
    const s = params.get('ov');
    doc.overrides = {};
    if (s) {
      for (const item of s.split(',')) {
        const colon = item.lastIndexOf(':');
        const path = colon > 0 ? pathFromUrl(item.slice(0, colon)) : null;
        const value = colon > 0 && item.slice(colon + 1).trim() !== '' ? Number(item.slice(colon + 1)) : NaN;
        if (path === null || !Number.isFinite(value)) {
          err('link.override', { got: shown(item) });
          continue;
        }
        // The engine holds numbers in float32: the rule of every other door (imports, edits).
        if (!isFloat32Finite(value)) {
          err('link.overrideRange', { got: shown(item) });
          continue;
        }
        doc.overrides[path] = value;
      }
    }
  }

  // Ablation and comparison (model sources).
  if (source.kind === 'model') {
    const s = params.get('ablate');
    if (s) {
      const refs = s.split(',').map((x) => /^(\d+)\.(\d+)$/.exec(x.trim()));
      if (refs.some((r) => !r || !intInRange(Number(r[1]), 0, UI_LIMITS.maxLayer) || !intInRange(Number(r[2]), 0, UI_LIMITS.maxModelHeads - 1))) {
        err('link.ablate', { got: shown(s) });
      } else doc.ablate = uniqueHeads(refs.map((r) => ({ layer: Number(r![1]), head: Number(r![2]) })));
    } else doc.ablate = [];
    doc.ablateMode = choice('amode', ['zero', 'mean'] as const, base.ablateMode, 'zero');
    doc.target = params.get('target') ?? null;
    doc.compare = params.get('cmp') ?? null;
    doc.pair = params.get('pair') ?? null;
    doc.shift = int('shift', 0, UI_LIMITS.maxShift, base.shift, 0);
  }
  doc.specials = choice('spec', SPECIAL_TOKENS, base.specials, 'show');
  doc.pairLines = choice('lines', PAIR_LINES, base.pairLines, 'all');

  // What is looked at: checked against the shapes decided above.
  doc.layer = source.kind === 'model' ? int('layer', 0, UI_LIMITS.maxLayer, 0, 0) : 0;
  {
    const heads = selectableHeads(doc);
    const s = params.get('head');
    if (s === undefined) doc.head = 0;
    else {
      const v = /^\d+$/.test(s) ? Number(s) : NaN;
      if (!intInRange(v, 0, heads - 1)) {
        err('link.range', { field: field('head'), lo: 0, hi: heads - 1, got: shown(s) });
        doc.head = Math.min(base.head, heads - 1);
      } else doc.head = v;
    }
  }
  {
    const s = params.get('cell');
    if (s === undefined || s === '') doc.cell = null;
    else {
      const m = /^(\d+)\.(\d+)$/.exec(s);
      const row = m ? Number(m[1]) : NaN;
      const col = m ? Number(m[2]) : NaN;
      // A checkpoint's tokens are counted by its tokenizer, in the worker: the store clamps the cell to them.
      const max = source.kind === 'model' && isCheckpoint(source.model) ? UI_LIMITS.maxTokens - 1 : n - 1;
      if (!intInRange(row, 0, max) || !intInRange(col, 0, max)) {
        err('link.cell', { max, got: shown(s) });
        doc.cell = base.cell;
      } else doc.cell = { row, col };
    }
  }

  Object.assign(doc, decodeCorpus(params, base, (key, p) => err(key, { ...p, field: field(p.field), got: shown(p.got) })));

  return { doc: normalizeDoc(doc), errors };
}
