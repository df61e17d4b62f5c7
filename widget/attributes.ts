// Attributes of <attention-lab> → the app's document. Pure: every bad attribute gives one message
// and leaves that field as it was, so one typo never hides the widget.
import type { CaseJson } from '../engine/types.ts';
import { admitCase } from '../state/caseImport.ts';
import { DEFAULT_TEXT, DEFAULT_TEXTS, UI_LIMITS, intInRange, normalizeDoc, selectableHeads, type DocState } from '../state/document.ts';
import { divisible } from '../engine/scenario.ts';
import { joinTokens, tokenizeFor } from '../state/tokens.ts';
import { splitTokenList } from '../state/urlState.ts';
import { getLang, type Lang } from '../i18n/index.ts';
import { wt as wtIn, type WidgetMessageKey } from '../i18n/widget.ts';


export type Theme = 'light' | 'dark' | 'auto';

/** The attributes the element observes. */
export const ATTRIBUTES = ['text', 'tokens', 'mechanism', 'convention', 'heads', 'd', 'seed', 'causal', 'window', 'tile', 'view', 'head', 'layer', 'height', 'theme', 'lang', 'src', 'source', 'corpus-src'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];
export type Attributes = Partial<Record<AttributeName, string | null>>;

export { WIDGET_VIEWS, TO_APP_VIEW, FROM_APP_VIEW, type WidgetView } from '../state/widgetViews.ts';
import { FROM_APP_VIEW, TO_APP_VIEW, WIDGET_VIEWS, type WidgetView } from '../state/widgetViews.ts';
const VIEW_ALIASES: Record<string, WidgetView> = { heads: 'heatmap' };

export interface Applied {
  doc: DocState;
  theme: Theme;
  /** CSS height of the widget, or null (its natural height). */
  height: string | null;
  lang: string | null;
  errors: string[];
}

/** wt() in a widget's own language (undefined: the page's). */
function messagesIn(lang: Lang | undefined) {
  const wt = (key: WidgetMessageKey, params: Record<string, string | number> = {}) => wtIn(key, params, lang);
  return { wt, invalid: (name: string, why: string) => wt('w.invalid', { name, why }) };
}

/** Reads a token list attribute: a JSON array of strings, or "a|b|c" (backslash escapes "|"). */
function parseTokenList(s: string): string[] | null {
  const v = s.trim();
  let tokens: unknown;
  if (v.startsWith('[')) {
    try {
      tokens = JSON.parse(v);
    } catch {
      return null;
    }
  } else tokens = splitTokenList(v).map((x) => x.trim());
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > UI_LIMITS.maxTokens) return null;
  if (tokens.some((x) => typeof x !== 'string' || x === '')) return null;
  return tokens as string[];
}

/** A CSS length: "320" (pixels), "320px", "20rem", "50vh"… */
export function parseHeight(s: string): string | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px|em|rem|vh|svh|dvh|%)?\s*$/.exec(s);
  if (!m) return null;
  return `${m[1]}${m[2] ?? 'px'}`;
}

/**
 * The document the attributes describe, on top of `base` (the widget's current document: what the
 * attributes don't say stays as it was). Defaults for a missing attribute come from `defaults`.
 */
export function applyAttributes(attrs: Attributes, base: DocState, defaults: DocState, lang?: Lang): Applied {
  const { wt, invalid } = messagesIn(lang);
  const errors: string[] = [];
  const doc: DocState = { ...base };
  const get = (k: AttributeName): string | null => {
    const v = attrs[k];
    return v === undefined || v === null ? null : v;
  };

  function choice<T extends string>(k: AttributeName, options: readonly T[], fallback: T, aliases: Record<string, T> = {}): T {
    const s = get(k);
    if (s === null) return fallback;
    const v = s.trim().toLowerCase();
    if ((options as readonly string[]).includes(v)) return v as T;
    if (v in aliases) return aliases[v];
    errors.push(invalid(k, wt('w.choice', { choices: options.join(', '), got: s })));
    return fallback;
  }
  function int(k: AttributeName, lo: number, hi: number, fallback: number): number {
    const s = get(k);
    if (s === null) return fallback;
    const v = /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
    if (!intInRange(v, lo, hi)) {
      errors.push(invalid(k, wt('w.int', { lo, hi, got: s })));
      return fallback;
    }
    return v;
  }

  // Source: seeded weights, or the shipped trained model (a case comes from `src` or the `case` property).
  const sourceAttr = choice('source', ['seeded', 'model'] as const, 'seeded');
  if (sourceAttr === 'model') doc.source = { kind: 'model', model: 'brown-char' };
  else if (doc.source.kind === 'model') doc.source = { kind: 'seeded' };
  const isModel = doc.source.kind === 'model';
  const mode = isModel ? 'chars' : 'words';

  // Tokens: `tokens` wins over `text`.
  const tokensAttr = get('tokens');
  const textAttr = get('text');
  let tokens: string[] | null = null;
  let text: string | null = null;
  if (tokensAttr !== null) {
    tokens = parseTokenList(tokensAttr);
    if (tokens === null) errors.push(invalid('tokens', wt('w.tokens', { max: UI_LIMITS.maxTokens })));
    else text = joinTokens(tokens, mode);
  }
  if (tokens === null && textAttr !== null) {
    const tk = tokenizeFor(textAttr, mode, doc.source);
    if (tk.length === 0 || tk.length > UI_LIMITS.maxTokens) errors.push(invalid('text', wt('w.tokens', { max: UI_LIMITS.maxTokens })));
    else {
      tokens = tk;
      text = textAttr;
    }
  }
  if (tokens === null && tokensAttr === null && textAttr === null) {
    // No text given: the default sentence is in the widget's language (as in the app).
    text = defaults.text === DEFAULT_TEXT ? DEFAULT_TEXTS[lang ?? getLang()] : defaults.text;
    tokens = tokenizeFor(text, mode, doc.source);
  }
  if (isModel && tokens !== null && tokens.some((x) => Array.from(x).length !== 1)) {
    // The model reads characters: a token list becomes its text.
    text = tokens.join(' ');
    tokens = tokenizeFor(text, mode, doc.source);
  }
  if (tokens !== null && text !== null && (doc.mode !== mode || tokens.length !== doc.tokens.length || tokens.some((x, i) => x !== doc.tokens[i]))) {
    doc.tokens = tokens;
    doc.text = text;
    doc.mode = mode;
    doc.keyWeights = tokens.map(() => 1);
    doc.padding = tokens.map(() => false);
    doc.overrides = {};
    doc.cell = null;
  }

  doc.mechanism = choice('mechanism', ['self', 'weighted', 'multi'] as const, get('mechanism') === null ? defaults.mechanism : base.mechanism);
  doc.convention = choice('convention', ['article', 'standard'] as const, get('convention') === null ? defaults.convention : base.convention);
  const h = int('heads', 1, UI_LIMITS.maxHeads, get('heads') === null ? defaults.h : base.h);
  const d = int('d', 1, UI_LIMITS.maxD, get('d') === null ? defaults.d : base.d);
  if (divisible({ ...doc, h, d, dk: null })) {
    doc.h = h;
    doc.d = d;
  } else {
    errors.push(invalid(get('heads') !== null ? 'heads' : 'd', wt('w.divisible', { d, h })));
  }
  doc.dk = null;
  doc.seed = int('seed', 0, UI_LIMITS.maxSeed, get('seed') === null ? defaults.seed : base.seed);
  if (isModel) doc.causal = true;
  else {
    const s = get('causal');
    if (s === null) doc.causal = false;
    else {
      const v = s.trim().toLowerCase();
      if (v === '' || v === 'true' || v === '1' || v === 'causal') doc.causal = true;
      else if (v === 'false' || v === '0') doc.causal = false;
      else errors.push(invalid('causal', wt('w.bool', { got: s })));
    }
  }
  // A local window (on the causal mask of a case or seeded weights; a model has its own) and the Steps view's tile size.
  // A bad value keeps the field as it was (int() falls back to 0, which no valid value equals).
  const count = (k: 'window' | 'tile', was: number | null) => (get(k) === null ? null : int(k, 1, UI_LIMITS.maxTokens, 0) || was);
  doc.window = isModel ? null : count('window', base.window);
  if (doc.window !== null && !doc.causal) {
    errors.push(invalid('window', wt('w.windowCausal')));
    doc.window = null;
  }
  doc.tile = count('tile', base.tile);
  const view = choice('view', WIDGET_VIEWS, get('view') === null ? 'heatmap' : FROM_APP_VIEW[base.view], VIEW_ALIASES);
  doc.view = TO_APP_VIEW[view];
  {
    const heads = selectableHeads(doc);
    doc.head = Math.min(int('head', 0, UI_LIMITS.maxHeads - 1, get('head') === null ? Math.min(base.head, heads - 1) : base.head), heads - 1);
    // The model's real layer and head counts are known once it is loaded; the store clamps them then.
    doc.layer = isModel ? int('layer', 0, UI_LIMITS.maxLayer, get('layer') === null ? 0 : base.layer) : 0;
  }
  const theme = choice('theme', ['light', 'dark', 'auto'] as const, 'auto');
  let height: string | null = null;
  const hs = get('height');
  if (hs !== null) {
    height = parseHeight(hs);
    if (height === null) errors.push(invalid('height', wt('w.length', { got: hs })));
  }
  return { doc: normalizeDoc(doc), theme, height, lang: get('lang'), errors };
}

/** Checks a case object (the `case` property or a `src` file) through the app's one gate for cases. */
export function checkCase(json: unknown, lang?: Lang): { case: CaseJson } | { error: string } {
  const { wt } = messagesIn(lang);
  const admitted = admitCase(json, lang);
  return admitted.ok ? { case: admitted.case } : { error: wt('w.case', { why: admitted.problem }) };
}
