// Long token lists render a window of chips, not all of them: laying out a thousand buttons costs
// more than the views. Used by the token editor (input/TokenChips.tsx) and the model view's strip.
import { clamp } from './geometry.ts';

/** The chips [start, end) to render. */
export interface ChipWindow {
  start: number;
  end: number;
}

/** `size` of the n chips from `start` (kept inside the list), stretched to show every index in `keep`. */
export function chipWindow(n: number, size: number, start = 0, keep: readonly number[] = []): ChipWindow {
  const s = clamp(start, 0, Math.max(0, n - size));
  let end = Math.min(n, s + size);
  for (const k of keep) if (k >= end) end = Math.min(n, k + 1);
  return { start: s, end };
}

/** The first index of a window of `size` chips that shows `index`, moved as little as possible from `start`. */
export function windowStartFor(index: number, start: number, n: number, size: number): number {
  const last = Math.max(0, n - size);
  let s = clamp(start, 0, last);
  if (index < s) s = index;
  else if (index >= s + size) s = index - size + 1;
  return clamp(s, 0, last);
}
