// CaseErrors (engine/caseError.ts) in the interface language. The engine words them in English only
// (the command line prints `message`); the app renders `code`, `params` and `got` through the catalogs.
// The field path ("heads[1].Wk", "X[1][0]") is kept as is: it is code-like notation, the same in every
// language. In English the result equals the engine's message exactly (i18n/caseErrorText.test.ts).
import { CaseError, type CaseErrorCode, type CaseErrorData, type Described, type ShapeReason } from '../engine/caseError.ts';
import type { EngineWarning } from '../engine/types.ts';
import type { MessageKey } from './en.ts';
import { getLang, t, translate, type Lang } from './index.ts';

/** A CaseError, or the plain data of one (what the compute worker posts back). */
export type CaseErrorLike = Pick<CaseErrorData, 'field' | 'caseIndex' | 'code' | 'params'> & { got: Described | null };

const SHAPE_REASONS: readonly ShapeReason[] = ['rows-d', 'heads-dk', 'wk-like-wq', 'heads-dv', 'wo-rows'];

/** "got …" in `lang` (default: the current language). */
export function describedText(d: Described, lang: Lang = getLang()): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  switch (d.kind) {
    case 'nothing':
      return t('caseError.got.nothing');
    case 'string':
      return t('caseError.got.string', { value: d.value });
    case 'empty-array':
      return t('caseError.got.emptyArray');
    case 'array':
      return t('caseError.got.array', { n: d.value });
    case 'object':
      return t('caseError.got.object');
    default:
      return d.value; // null, NaN, numbers, booleans, a typeof: code-like, the same in every language
  }
}

/** The problem alone (no field), in `lang` (default: the current language). */
function caseProblemText(e: CaseErrorLike, lang: Lang = getLang()): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  const p: Record<string, string | number> = { ...e.params };
  if (e.got) p.got = describedText(e.got, lang);
  const code: CaseErrorCode = e.code;
  switch (code) {
    case 'ragged':
      return t(p.cols === 1 ? 'caseError.ragged.one' : 'caseError.ragged', p);
    case 'head-out-of-range':
      return t(p.heads === 1 ? 'caseError.head-out-of-range.one' : 'caseError.head-out-of-range', p);
    case 'shape': {
      const shape = t('caseError.shape', p);
      const reason = SHAPE_REASONS.find((r) => r === p.reason);
      return reason ? t('caseError.shapeWhy', { shape, why: t(`caseError.shape.${reason}`, p) }) : shape;
    }
    default: {
      const key: MessageKey = `caseError.${code}`;
      return t(key, p);
    }
  }
}

function isCaseErrorLike(e: unknown): e is CaseErrorLike {
  if (e instanceof CaseError) return true;
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.field === 'string' && typeof o.code === 'string' && typeof o.params === 'object' && o.params !== null;
}

/**
 * A CaseError (or its data) as the app shows it, in `lang` (default: the current language):
 * "heads[1].Wk：形状应为 8×4，…". Anything else: its message (other errors are not produced by
 * validation), or String(e).
 */
export function caseErrorText(e: unknown, lang: Lang = getLang()): string {
  if (!isCaseErrorLike(e)) return e instanceof Error ? e.message : String(e);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  const problem = caseProblemText(e, lang);
  const located = e.field ? t('caseError.at', { field: e.field, problem }) : problem;
  if (e.caseIndex !== null) return t('caseError.inCase', { i: e.caseIndex, text: located });
  return e.field ? located : t('caseError.case', { problem });
}

/** An engine warning in the interface language (the engine words it in English). */
export function warningText(w: EngineWarning): string {
  if (w.code !== 'empty-rows') return w.message;
  const { rows } = w;
  const list = rows.length > 12 ? t('engine.emptyRows.more', { list: rows.slice(0, 12).join(', '), n: rows.length }) : rows.join(', ');
  return t(rows.length === 1 ? 'engine.emptyRows.one' : 'engine.emptyRows', { rows: list });
}
