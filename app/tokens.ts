// Text → tokens for the app. Words mode splits words and punctuation; chars mode keeps every
// character, whitespace included (shown as a visible marker by displayToken).
import { tokenize, tokenizeKeepSpace } from '../engine/tokenize.ts';
import type { TokenizeMode } from './model.ts';

export function tokenizeText(text: string, mode: TokenizeMode): string[] {
  return mode === 'chars' ? tokenizeKeepSpace(text) : tokenize(text, 'words');
}

/** The text a token list reads as (for the text box after chip edits). */
export function joinTokens(tokens: readonly string[], mode: TokenizeMode): string {
  return mode === 'chars' ? tokens.join('') : tokens.join(' ');
}

export function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
