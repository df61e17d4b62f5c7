// The one gate for a case the app takes in: an imported file, pasted JSON, a link, localStorage.
// Whatever the door, the same checks run (the engine's validation, then the app's limits and token
// labels), so a link can never carry a document that an import would refuse — or the reverse.
import type { CaseJson } from '../engine/types.ts';
import { parseCase } from '../engine/validate.ts';
import { caseErrorText } from '../i18n/caseErrorText.ts';
import { getLang, translate, type Lang } from '../i18n/index.ts';
import { intInRange, UI_LIMITS } from './document.ts';

/** The largest case file the app reads (a file, a widget's src): 64 MB. */
export const MAX_CASE_BYTES = 64 * 1024 * 1024;

export type Admitted = { ok: true; case: CaseJson } | { ok: false; problem: string };

/** Checks a parsed JSON value as a case for the app; never throws. The problem is in `lang` (default: the current language). */
export function admitCase(json: unknown, lang: Lang = getLang()): Admitted {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
  try {
    parseCase(json);
  } catch (e) {
    return { ok: false, problem: caseErrorText(e, lang) };
  }
  const c = json as CaseJson;
  if (c.X.length > UI_LIMITS.maxTokens) return { ok: false, problem: t('case.tooManyTokens', { n: c.X.length, max: UI_LIMITS.maxTokens }) };
  if (c.heads.length > UI_LIMITS.maxHeads) return { ok: false, problem: t('case.tooManyHeads', { h: c.heads.length, max: UI_LIMITS.maxHeads }) };
  if (c.tokens !== undefined && (!Array.isArray(c.tokens) || c.tokens.length !== c.X.length || c.tokens.some((x) => typeof x !== 'string'))) {
    return { ok: false, problem: t('case.tokens', { n: c.X.length }) };
  }
  if (c.tile !== undefined && c.tile !== null && !intInRange(c.tile, 1, UI_LIMITS.maxTokens)) {
    return { ok: false, problem: t('case.tile', { max: UI_LIMITS.maxTokens, got: JSON.stringify(c.tile) ?? String(c.tile) }) };
  }
  return { ok: true, case: c };
}

/** Parses JSON text and admits it as a case; never throws. */
export function admitCaseText(text: string, lang: Lang = getLang()): Admitted {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: translate(lang, 'case.notJson', { why: e instanceof Error ? e.message : String(e) }) };
  }
  return admitCase(json, lang);
}
