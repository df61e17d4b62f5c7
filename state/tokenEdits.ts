// Token list edits that carry per-token settings with their tokens: weights, padding, X-row edits and
// the selected cell follow a token when it moves, and disappear with it.
import { remapTokenRows, type CellRef, type DocState } from './document.ts';
import { joinTokens } from './tokens.ts';

/** Where each old token went when the token list changed from `a` to `b` (common prefix and suffix kept). */
export function alignTokens(a: readonly string[], b: readonly string[]): (i: number) => number | null {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return (i) => (i < pre ? i : i >= a.length - suf ? i - a.length + b.length : null);
}

function carry<T>(values: readonly T[], map: (i: number) => number | null, n: number, fill: T): T[] {
  const out = Array.from({ length: n }, () => fill);
  values.forEach((v, i) => {
    const j = map(i);
    if (j !== null && j >= 0 && j < n) out[j] = v;
  });
  return out;
}

/** The document with new tokens; per-token settings and X-row edits follow their tokens. */
export function withTokens(doc: DocState, tokens: string[], map: (i: number) => number | null, text?: string): DocState {
  const n = tokens.length;
  const cellMap = (c: CellRef | null): CellRef | null => {
    if (!c) return null;
    const row = map(c.row);
    const col = map(c.col);
    return row === null || col === null ? null : { row, col };
  };
  return {
    ...doc,
    tokens,
    text: text ?? joinTokens(tokens, doc.mode),
    keyWeights: carry(doc.keyWeights, map, n, 1),
    padding: carry(doc.padding, map, n, false),
    overrides: remapTokenRows(doc.overrides, map),
    cell: cellMap(doc.cell),
  };
}
