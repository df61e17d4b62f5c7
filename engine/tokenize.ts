// Splitting text into tokens. The engine has no vocabulary: a token is just a piece of text whose
// embedding is derived from its characters (seeded.ts).
import type { TokenizeMode } from './scenario.ts';

export type { TokenizeMode };

const IDEO = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}`;
// A word letter: a letter, digit or combining mark that is not ideographic.
const LETTER = String.raw`(?:(?![${IDEO}])[\p{L}\p{N}\p{M}])`;
// A word: letters with apostrophes allowed inside ("didn't", "l’homme"). Ideographic scripts have no
// spaces between words: a run of Han/kana characters is split into words by Intl.Segmenter (or one
// token per character where it is missing). Any other non-space character (punctuation, symbol,
// emoji) is a token of its own. An emoji keeps its skin-tone modifier, variation selector and ZWJ sequence.
const EMOJI = String.raw`(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u20E3|\p{Regional_Indicator}|\u200D\p{Extended_Pictographic})*`;
const WORDS_RE = new RegExp(String.raw`${LETTER}+(?:['’]${LETTER}+)*|(?:[${IDEO}]\p{M}*)+|${EMOJI}|\S\p{M}*`, 'gu');
const IDEO_RUN = new RegExp(String.raw`^[${IDEO}]`, 'u');

interface Segmenter {
  segment(text: string): Iterable<{ segment: string }>;
}
type SegmenterCtor = new (locale?: string, opts?: { granularity: string }) => Segmenter;

// One segmenter per granularity, made again if Intl.Segmenter changes (tests stub it away).
const segmenters = new Map<string, { ctor: SegmenterCtor; seg: Segmenter }>();

/** Intl.Segmenter for `granularity` ('word' in Chinese), or null where the runtime has none. */
function segmenter(granularity: 'word' | 'grapheme'): Segmenter | null {
  const ctor = (Intl as unknown as { Segmenter?: SegmenterCtor }).Segmenter;
  if (!ctor) return null;
  const hit = segmenters.get(granularity);
  if (hit?.ctor === ctor) return hit.seg;
  const seg = new ctor(granularity === 'word' ? 'zh' : undefined, { granularity });
  segmenters.set(granularity, { ctor, seg });
  return seg;
}

function graphemes(text: string): string[] {
  const seg = segmenter('grapheme');
  if (seg) return Array.from(seg.segment(text), (s) => s.segment);
  // Without a segmenter: a character with its combining marks (emoji sequences may split).
  return text.match(/\P{M}\p{M}*|\p{M}+/gsu) ?? [];
}

/** A run of Han/kana characters as words (dictionary-based), or characters without Intl.Segmenter. */
function ideographicWords(run: string): string[] {
  const seg = segmenter('word');
  return seg ? Array.from(seg.segment(run), (s) => s.segment) : graphemes(run);
}

/**
 * 'words': words (Unicode letters/digits, apostrophes inside a word kept) and each punctuation mark or
 * symbol as its own token; Chinese (and other Han/kana text) split into words; whitespace dropped.
 * 'chars': every non-whitespace character (grapheme) is a token, e.g. for Chinese.
 */
export function tokenize(text: string, mode: TokenizeMode): string[] {
  if (mode === 'chars') return graphemes(text).filter((g) => !/^\s+$/u.test(g));
  return (text.match(WORDS_RE) ?? []).flatMap((w) => (IDEO_RUN.test(w) ? ideographicWords(w) : [w]));
}

/**
 * Like tokenize, but whitespace runs are tokens too (in order), so the text can be rebuilt exactly by
 * joining the tokens. The UI renders whitespace tokens with a visible marker.
 */
export function tokenizeKeepSpace(text: string, mode: TokenizeMode = 'chars'): string[] {
  const out: string[] = [];
  for (const part of text.split(/(\s+)/u)) {
    if (part === '') continue;
    if (/^\s+$/u.test(part)) out.push(part);
    else out.push(...tokenize(part, mode));
  }
  return out;
}

/** True for a token made only of whitespace (from tokenizeKeepSpace). */
export function isSpaceToken(token: string): boolean {
  return token.length > 0 && /^\s+$/u.test(token);
}
