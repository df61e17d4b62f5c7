// Corpus problems in the interface language: a corpus that cannot be read (engine/corpus/read.ts) and a
// corpus result that is not one (engine/corpus/runData.ts). The engine words both in English; these word
// their codes through the catalogs (in English, the same text). A model's own complaint about a sequence
// (`model`) and field paths stay as they are: code-like notation.
import type { CorpusErrorCode } from '../engine/corpus/read.ts';
import type { RunExpected } from '../engine/corpus/runData.ts';
import type { Described } from '../engine/caseError.ts';
import { describedText } from './caseErrorText.ts';
import { getLang, translate as tr, type Lang, type MessageKey } from './index.ts';

/** A CorpusError, or its data as the worker posts it. */
export interface CorpusErrorLike {
  sequence: number | null;
  line: number | null;
  code: CorpusErrorCode;
  params: { detail?: string; got?: Described; index?: number };
}

export function corpusErrorText(e: CorpusErrorLike, lang: Lang = getLang()): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => tr(lang, key, params);
  const got = e.params.got ? describedText(e.params.got, lang) : '';
  const problem = e.code === 'model' ? (e.params.detail ?? '') : t(`corpusError.${e.code}`, { detail: e.params.detail ?? '', got, index: e.params.index ?? 0 });
  if (e.sequence === null) return e.line === null ? problem : t('corpusError.atLine', { line: e.line, problem });
  return e.line === null ? t('corpusError.atSequence', { sequence: e.sequence, problem }) : t('corpusError.atSequenceLine', { sequence: e.sequence, line: e.line, problem });
}

/** A CorpusRunError: "result.heads[0][1].top: expected …, got …". */
export function corpusRunErrorText(e: { field: string; expected: RunExpected; got: Described }, lang: Lang = getLang()): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => tr(lang, key, params);
  return t('corpusRun.invalid', { field: e.field, expected: t(`corpusRun.expected.${e.expected}`), got: describedText(e.got, lang) });
}
