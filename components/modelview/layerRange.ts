// Which layers the model view shows: a contiguous range, so a 30-layer model can be read a few layers at a time.

/** Layers `from` to `to`, 0-based and inclusive. */
export interface LayerRange {
  from: number;
  to: number;
}

/** The range clamped into 0…layers−1 and put in order; null (no filter yet) means every layer. */
export function clampRange(range: LayerRange | null, layers: number): LayerRange {
  const last = Math.max(0, layers - 1);
  if (!range) return { from: 0, to: last };
  const a = Math.min(Math.max(0, range.from), last);
  const b = Math.min(Math.max(0, range.to), last);
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

/** The layer indices in the range, in order. */
export function layersIn(range: LayerRange): number[] {
  return Array.from({ length: range.to - range.from + 1 }, (_, k) => range.from + k);
}
