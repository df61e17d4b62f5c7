// Why a model could not be downloaded or opened, in the interface language. The Hub code and the model
// loader word their errors in English (engine/checkpoint/hubErrors.ts: a reason and its parameters); the
// page words the same reason through the catalogs (hubError.*). Anything else keeps its own message.
import { HUB_WORDING, HubError, type HubParams, type HubReason } from '../engine/checkpoint/hubErrors.ts';
import { getLang, translate as tr, type Lang } from './index.ts';

/** A reason and its parameters: a HubError's, or what the worker posts of one. */
export interface HubProblemLike {
  reason: HubReason;
  params: HubParams;
}

/** The problem in `lang` (default: the current language). */
export function hubProblemText(p: HubProblemLike, lang: Lang = getLang()): string {
  return tr(lang, `hubError.${p.reason}`, { ...p.params });
}

/** Any thrown value as the page shows it: a HubError (or its posted data) through the catalogs, else its message. */
export function hubErrorText(e: unknown, lang: Lang = getLang()): string {
  if (e instanceof HubError) return hubProblemText(e, lang);
  if (typeof e === 'object' && e !== null && 'reason' in e && 'params' in e) {
    const { reason, params } = e as { reason: unknown; params: unknown };
    if (typeof reason === 'string' && reason in HUB_WORDING && typeof params === 'object' && params !== null) return hubProblemText({ reason: reason as HubReason, params: params as HubParams }, lang);
  }
  return e instanceof Error ? e.message : String(e);
}
