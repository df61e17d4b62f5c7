// Lesson prose with its math written between $…$ (our own TeX, never token text), split so the
// panel typesets the math with KaTeX instead of showing "e^(s − m)" as ASCII.

/** A piece of prose: plain text, or inline TeX. */
export type ProsePiece = { text: string } | { tex: string };

/** Splits at $…$; an unpaired $ stays text. */
export function splitInlineTex(s: string): ProsePiece[] {
  const out: ProsePiece[] = [];
  let last = 0;
  for (const m of s.matchAll(/\$([^$]+)\$/g)) {
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push({ tex: m[1] });
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  return out;
}
