// Text → tokens for the app. Words mode splits words (Chinese by Intl.Segmenter) and punctuation;
// chars mode keeps every character, whitespace included (shown as a visible marker by displayToken).
import { tokenize, tokenizeKeepSpace } from '../engine/tokenize.ts';
import { isCheckpoint, type Source, type TokenizeMode } from './document.ts';
import { EXAMPLES } from './examples.ts';

/** The built-in texts' words, segmented once in examples.ts: the same chips in every browser, Intl.Segmenter or not. */
const PRESEGMENTED = new Map(EXAMPLES.filter((e) => e.tokens).map((e) => [e.text, e.tokens!]));

export function tokenizeText(text: string, mode: TokenizeMode): string[] {
  if (mode === 'chars') return tokenizeKeepSpace(text);
  return PRESEGMENTED.get(text)?.slice() ?? tokenize(text, 'words');
}

/**
 * The tokens of a text for a source. A trained character model reads code points (as its tokenizer,
 * engine/model/tokenize.ts, does), so a combining accent is a token of its own there.
 */
export function tokenizeFor(text: string, mode: TokenizeMode, source: Source): string[] {
  if (source.kind !== 'model') return tokenizeText(text, mode);
  // A checkpoint's tokenizer runs in the worker: words stand in until its tokens arrive with the result.
  return isCheckpoint(source.model) ? tokenizeText(text, 'words') : Array.from(text);
}

// Chinese and Japanese are written without spaces, and their full-width punctuation needs none.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_PUNCT = /[\u3000-\u303f\uff00-\uffef]/u;

function glued(before: string, after: string): boolean {
  const a = before.at(-1) ?? '';
  const b = after[0] ?? '';
  return (CJK.test(a) && CJK.test(b)) || CJK_PUNCT.test(a) || CJK_PUNCT.test(b);
}

/** The text a token list reads as (for the text box after chip edits): words apart, Chinese together. */
export function joinTokens(tokens: readonly string[], mode: TokenizeMode): string {
  if (mode === 'chars') return tokens.join('');
  return tokens.reduce((text, tok, i) => (i === 0 ? tok : text + (glued(tokens[i - 1], tok) ? '' : ' ') + tok), '');
}

export function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
