// Which tokens of a top example to show: the key and the query with a few tokens around each, as one
// stretch when they are close and as two (with a gap between) when they are far apart. Pure.

/** A stretch of tokens [from, to). */
export interface Stretch {
  from: number;
  to: number;
}

/**
 * The stretches of an n-token sequence shown for (query, key): `before` tokens before each and `after`
 * after each, merged when they touch.
 */
export function exampleStretches(n: number, query: number, key: number, before = 8, after = 3): Stretch[] {
  const marks = [...new Set([key, query])].sort((a, b) => a - b);
  const out: Stretch[] = [];
  for (const m of marks) {
    const s = { from: Math.max(0, m - before), to: Math.min(n, m + after + 1) };
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push(s);
  }
  return out;
}

/**
 * The tokens as they read in running text. Tokens that carry their own spaces (byte-level BPE's " cat",
 * SentencePiece's) or are single characters are written as they are; word-level tokens (WordPiece: "the",
 * "cat", "##s", none starting with a space) get a space before each word and "##" continuations are joined
 * to the word before, so "[CLS] the cats [SEP]" does not read "[CLS]thecat##s[SEP]".
 */
export function runningText(tokens: readonly string[]): string[] {
  const wordLevel = !tokens.some((tok) => /^\s/.test(tok)) && tokens.some((tok) => Array.from(tok).length > 1);
  if (!wordLevel) return tokens.slice();
  return tokens.map((tok, i) => (tok.startsWith('##') && tok.length > 2 ? tok.slice(2) : i === 0 ? tok : ` ${tok}`));
}
