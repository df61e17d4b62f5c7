// Character tokenization for a loaded model. Every character of the text becomes exactly one token,
// in order: characters outside the vocabulary map to the unknown id but are kept (with their own
// text and an `unknown` flag), so nothing the user typed silently disappears.
import type { LoadedModel } from './load.ts';

export interface ModelTokens {
  /** Token ids, one per character (code point) of the text. */
  ids: Int32Array;
  /** The original character of each token (unknown ones included), so tokens.join('') is the text. */
  tokens: string[];
  /** Display labels: space → "␣", newline → "↵", tab → "⇥", other control characters as "U+XXXX"; unknown characters as themselves. */
  labels: string[];
  /** True where the character is not in the model's vocabulary (its id is the unknown id). */
  unknown: boolean[];
  /** Number of unknown tokens. */
  unknownCount: number;
}

/** A visible label for one character. */
export function charLabel(ch: string): string {
  if (ch === ' ') return '␣';
  if (ch === '\n') return '↵';
  if (ch === '\t') return '⇥';
  if (ch === '\r') return '␍';
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 32 || (cp >= 127 && cp < 160)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch;
}

/**
 * Splits text into the model's character tokens. Iterates by code point, so a character outside the
 * Basic Multilingual Plane (e.g. an emoji) is one unknown token, not two surrogate halves.
 */
export function tokenizeForModel(model: Pick<LoadedModel, 'charToId' | 'vocab'>, text: string): ModelTokens {
  const chars = Array.from(text);
  const ids = new Int32Array(chars.length);
  const labels: string[] = new Array(chars.length);
  const unknown: boolean[] = new Array(chars.length);
  let unknownCount = 0;
  chars.forEach((ch, i) => {
    const id = model.charToId.get(ch);
    unknown[i] = id === undefined;
    if (id === undefined) unknownCount++;
    ids[i] = id ?? model.vocab.unknownId;
    labels[i] = charLabel(ch);
  });
  return { ids, tokens: chars, labels, unknown, unknownCount };
}
