// Pure geometry of the heatmaps: cell size, pointer → cell, label thinning, keyboard moves.
// No per-cell DOM anywhere: everything a pointer or a key needs is arithmetic.
import type { Cell } from './types.ts';

export interface HeatmapLayout {
  rows: number;
  cols: number;
  /** CSS pixels per cell (square cells). */
  cell: number;
  /** CSS size of the cell area. */
  width: number;
  height: number;
}

/**
 * Square cells so that the longer side is at most `size` CSS pixels. When a cell covers at
 * least one device pixel its size is snapped to whole device pixels, so edges stay crisp.
 */
export function heatmapLayout(rows: number, cols: number, size: number, dpr: number = 1): HeatmapLayout {
  const r = Math.max(1, rows);
  const c = Math.max(1, cols);
  const longest = Math.max(r, c);
  let cell = size / longest;
  const devicePx = cell * dpr;
  if (devicePx >= 1) cell = Math.floor(devicePx) / dpr;
  return { rows, cols, cell, width: cell * c, height: cell * r };
}

/** The cell under a point given in CSS pixels relative to the cell area's top-left corner, or null outside. */
export function cellAt(x: number, y: number, layout: HeatmapLayout): Cell | null {
  if (!(x >= 0 && y >= 0) || x >= layout.width || y >= layout.height) return null;
  const col = Math.min(layout.cols - 1, Math.floor(x / layout.cell));
  const row = Math.min(layout.rows - 1, Math.floor(y / layout.cell));
  if (row < 0 || col < 0) return null;
  return { row, col };
}

/** Show every k-th label so that shown labels are at least `minSpacing` pixels apart. */
export function labelStep(cellPx: number, minSpacing: number): number {
  if (!(cellPx > 0)) return Number.MAX_SAFE_INTEGER;
  return Math.max(1, Math.ceil(minSpacing / cellPx - 1e-9));
}

/** Indices 0, k, 2k, … below count. */
export function thinnedIndices(count: number, step: number): number[] {
  const out: number[] = [];
  const k = Math.max(1, Math.floor(step));
  for (let i = 0; i < count; i += k) out.push(i);
  return out;
}

/**
 * The cell a navigation key moves to (arrows, Home/End on the row, Ctrl+Home/End,
 * PageUp/PageDown by `page` rows), clamped to the matrix; null when the key is not a move.
 */
export function moveCell(
  from: Cell | null,
  key: string,
  rows: number,
  cols: number,
  options: { ctrl?: boolean; page?: number } = {},
): Cell | null {
  if (rows <= 0 || cols <= 0) return null;
  const cur = from ?? { row: 0, col: 0 };
  const page = Math.max(1, options.page ?? 10);
  let { row, col } = cur;
  switch (key) {
    case 'ArrowUp':
      row -= 1;
      break;
    case 'ArrowDown':
      row += 1;
      break;
    case 'ArrowLeft':
      col -= 1;
      break;
    case 'ArrowRight':
      col += 1;
      break;
    case 'PageUp':
      row -= page;
      break;
    case 'PageDown':
      row += page;
      break;
    case 'Home':
      col = 0;
      if (options.ctrl) row = 0;
      break;
    case 'End':
      col = cols - 1;
      if (options.ctrl) row = rows - 1;
      break;
    default:
      return null;
  }
  if (!from && key.startsWith('Arrow')) return { row: 0, col: 0 };
  return { row: clamp(row, 0, rows - 1), col: clamp(col, 0, cols - 1) };
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Index of the row band under y for bands of height `band` starting at 0, or null outside. */
export function bandAt(y: number, band: number, count: number): number | null {
  if (!(y >= 0) || !(band > 0)) return null;
  const k = Math.floor(y / band);
  return k < count ? k : null;
}

/** Rough rendered width of a label in a proportional UI font (wide CJK/emoji ≈ 1em, others ≈ 0.62em). */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    em += cp >= 0x2e80 ? 1 : 0.62;
  }
  return em * fontSize;
}

/** Default largest side of a heatmap: ~32 px per cell for small matrices, capped for large ones. */
export function defaultHeatmapSize(rows: number, cols: number): number {
  const longest = Math.max(1, rows, cols);
  return clamp(longest * 32, 96, 480);
}

/** Width of a row-label band for these labels (after truncation to maxChars), in CSS pixels. */
export function labelBandWidth(
  labels: readonly string[],
  fontSize: number,
  maxChars: number,
  show: (s: string) => string = (s) => s,
  measure: (text: string, fontSize: number) => number = estimateTextWidth,
): number {
  let w = 0;
  for (const s of labels) {
    const shown = Array.from(show(s));
    const text = shown.length > maxChars ? shown.slice(0, maxChars - 1).join('') + '…' : shown.join('');
    w = Math.max(w, measure(text, fontSize));
  }
  return Math.ceil(w) + 8;
}
