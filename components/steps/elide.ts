// Eliding the middle of long rows and vectors ("… 58 more terms …") for the written-out arithmetic.

export type Elided = { kind: 'item'; index: number } | { kind: 'gap'; from: number; count: number };

/**
 * Which indices of a list of `length` items to show: the first `head`, the last `tail`, and
 * `radius` items around each index in `around`; runs of hidden items become gaps.
 * When everything would fit in about the same space, nothing is hidden.
 */
export function elideIndices(length: number, options: { head?: number; tail?: number; around?: readonly number[]; radius?: number } = {}): Elided[] {
  const head = options.head ?? 4;
  const tail = options.tail ?? 2;
  const radius = options.radius ?? 1;
  const keep = new Uint8Array(length);
  for (let k = 0; k < Math.min(head, length); k++) keep[k] = 1;
  for (let k = Math.max(0, length - tail); k < length; k++) keep[k] = 1;
  for (const a of options.around ?? []) {
    for (let k = Math.max(0, a - radius); k <= Math.min(length - 1, a + radius); k++) keep[k] = 1;
  }
  const out: Elided[] = [];
  let k = 0;
  while (k < length) {
    if (keep[k]) {
      out.push({ kind: 'item', index: k });
      k++;
      continue;
    }
    let end = k;
    while (end < length && !keep[end]) end++;
    const count = end - k;
    // A gap of one item takes as much room as the item: show it instead.
    if (count === 1) out.push({ kind: 'item', index: k });
    else out.push({ kind: 'gap', from: k, count });
    k = end;
  }
  return out;
}
