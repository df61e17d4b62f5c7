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

export interface Segmenter {
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

/** Characters read at once by a segmenter (see segmentWindowed). */
const SEGMENT_WINDOW = 2048;

/**
 * `seg.segment(text)` read a window at a time, with the same segments. V8's segmenter takes time
 * quadratic in the length of the string it is given (20k characters: 0.5 s, 80k: 12 s in Node 20),
 * so a long paste would freeze the tab. A boundary is decided by the characters next to it, so every
 * segment of a window but the last is final; the last is read again at the start of the next window.
 */
export function segmentWindowed(seg: Segmenter, text: string, window = SEGMENT_WINDOW): string[] {
  const out: string[] = [];
  let start = 0;
  let size = Math.max(2, window);
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    // Never cut a surrogate pair.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const parts = Array.from(seg.segment(text.slice(start, end)), (s) => s.segment);
    if (parts.length === 1 && end < text.length && size < window * 32) {
      // One segment fills the window: read a wider one (a base with thousands of marks is cut at 32 windows).
      size *= 2;
      continue;
    }
    const keep = end === text.length || parts.length === 1 ? parts.length : parts.length - 1;
    for (let k = 0; k < keep; k++) {
      out.push(parts[k]);
      start += parts[k].length;
    }
    size = Math.max(2, window);
  }
  return out;
}

function graphemes(text: string): string[] {
  const seg = segmenter('grapheme');
  if (seg) return segmentWindowed(seg, text);
  // Without a segmenter: a character with its combining marks (emoji sequences may split).
  return text.match(/\P{M}\p{M}*|\p{M}+/gsu) ?? [];
}

/** A run of Han/kana characters as words (dictionary-based), or characters without Intl.Segmenter. */
function ideographicWords(run: string): string[] {
  const seg = segmenter('word');
  return seg ? segmentWindowed(seg, run) : graphemes(run);
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
    // A loop, not push(...tokens): spreading 130k tokens as arguments overflows the stack.
    else for (const tok of tokenize(part, mode)) out.push(tok);
  }
  return out;
}

/** True for a token made only of whitespace (from tokenizeKeepSpace). */
export function isSpaceToken(token: string): boolean {
  return token.length > 0 && /^\s+$/u.test(token);
}
