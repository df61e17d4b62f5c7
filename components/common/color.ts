// Colour scales and the pure cell-colouring used by the heatmaps.
// Sequential (A ∈ [0, 1]): viridis. Diverging (signed values, centred on 0): RdBu reversed
// (blue = negative, red = positive), both colour-blind safe. The high-contrast palette swaps in
// inferno (widest luminance range) and PuOr (purple = negative, orange = positive).
import { rgb } from 'd3-color';
import { interpolateInferno, interpolatePuOr, interpolateRdBu, interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';
import type { Matrix } from '../../engine/types.ts';
import type { ColorKind } from './types.ts';

export type Palette = 'default' | 'high-contrast';

export type Interpolator = (t: number) => string;

/** Colour at t ∈ [0, 1] for a kind of scale. */
export function interpolator(kind: ColorKind, palette: Palette = 'default'): Interpolator {
  if (kind === 'sequential') return palette === 'high-contrast' ? interpolateInferno : interpolateViridis;
  // Reversed so that negative is blue/purple and positive is red/orange.
  return palette === 'high-contrast' ? (t) => interpolatePuOr(1 - t) : (t) => interpolateRdBu(1 - t);
}

/** The default colour domain: [0, 1] for sequential, ±max|x| for diverging (±1 when all zero). */
export function defaultDomain(kind: ColorKind, matrix: Matrix | null): [number, number] {
  if (kind === 'sequential') return [0, 1];
  let m = 0;
  if (matrix) {
    const d = matrix.data;
    for (let k = 0; k < d.length; k++) {
      const a = Math.abs(d[k]);
      if (a > m && Number.isFinite(a)) m = a;
    }
  }
  if (m === 0) m = 1;
  return [-m, m];
}

/**
 * Maps a value to t ∈ [0, 1]. Diverging domains that straddle 0 are split at 0
 * (0 → 0.5, the neutral colour) even when asymmetric. NaN stays NaN.
 */
export function normalizer(kind: ColorKind, domain: [number, number]): (v: number) => number {
  const [lo, hi] = domain;
  if (kind === 'diverging' && lo < 0 && hi > 0) {
    return (v) => {
      const t = v < 0 ? 0.5 - (0.5 * v) / lo : 0.5 + (0.5 * v) / hi;
      return t < 0 ? 0 : t > 1 ? 1 : t;
    };
  }
  const span = hi - lo;
  if (!(span > 0)) return (v) => (Number.isNaN(v) ? NaN : 0.5);
  return (v) => {
    const t = (v - lo) / span;
    return t < 0 ? 0 : t > 1 ? 1 : t;
  };
}

/** A lookup table of `size` RGBA colours sampled evenly from an interpolator. */
export function buildLut(interp: Interpolator, size: number = 256): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(size * 4);
  for (let k = 0; k < size; k++) {
    const c = rgb(interp(size === 1 ? 0.5 : k / (size - 1)));
    lut[4 * k] = c.r;
    lut[4 * k + 1] = c.g;
    lut[4 * k + 2] = c.b;
    lut[4 * k + 3] = 255;
  }
  return lut;
}

const lutCache = new Map<string, Uint8ClampedArray>();

/** Cached 256-entry LUT for a kind and palette. */
export function lutFor(kind: ColorKind, palette: Palette = 'default'): Uint8ClampedArray {
  const key = `${kind}:${palette}`;
  let lut = lutCache.get(key);
  if (!lut) {
    lut = buildLut(interpolator(kind, palette));
    lutCache.set(key, lut);
  }
  return lut;
}

/** RGBA used for non-finite values. */
export const NAN_RGBA: readonly [number, number, number, number] = [255, 0, 255, 255];
/** Grey that excluded columns are blended towards. */
export const EXCLUDED_RGBA: readonly [number, number, number] = [160, 160, 160];
/** How much of the excluded grey replaces the cell colour (0..1). */
export const EXCLUDED_MIX = 0.7;

export interface FillOptions {
  /** Columns blended towards grey (keys with weight 0). */
  excludedCols?: readonly boolean[] | null;
}

/**
 * Fills `out` (length rows·cols·4, row-major like the matrix) with one RGBA pixel per cell.
 * Pure: same inputs, same bytes. Returns `out`.
 */
export function fillRGBA(
  out: Uint8ClampedArray,
  matrix: Matrix,
  lut: Uint8ClampedArray,
  norm: (v: number) => number,
  options: FillOptions = {},
): Uint8ClampedArray {
  const { rows, cols, data } = matrix;
  const n = rows * cols;
  if (out.length < n * 4) throw new RangeError(`fillRGBA: buffer holds ${out.length / 4} pixels, matrix has ${n}`);
  const levels = lut.length / 4;
  const top = levels - 1;
  const excluded = options.excludedCols;
  const keep = 1 - EXCLUDED_MIX;
  const gr = EXCLUDED_RGBA[0] * EXCLUDED_MIX;
  const gg = EXCLUDED_RGBA[1] * EXCLUDED_MIX;
  const gb = EXCLUDED_RGBA[2] * EXCLUDED_MIX;
  for (let i = 0; i < rows; i++) {
    const rowBase = i * cols;
    for (let j = 0; j < cols; j++) {
      const p = (rowBase + j) * 4;
      const t = norm(data[rowBase + j]);
      if (Number.isNaN(t)) {
        out[p] = NAN_RGBA[0];
        out[p + 1] = NAN_RGBA[1];
        out[p + 2] = NAN_RGBA[2];
        out[p + 3] = NAN_RGBA[3];
        continue;
      }
      const q = ((t * top + 0.5) | 0) * 4;
      if (excluded && excluded[j]) {
        out[p] = lut[q] * keep + gr;
        out[p + 1] = lut[q + 1] * keep + gg;
        out[p + 2] = lut[q + 2] * keep + gb;
      } else {
        out[p] = lut[q];
        out[p + 1] = lut[q + 1];
        out[p + 2] = lut[q + 2];
      }
      out[p + 3] = 255;
    }
  }
  return out;
}

/** CSS colour of one value (for text colour decisions, legends and small SVG marks). */
export function colorOf(kind: ColorKind, domain: [number, number], value: number, palette: Palette = 'default'): string {
  const t = normalizer(kind, domain)(value);
  if (Number.isNaN(t)) return `rgb(${NAN_RGBA[0]}, ${NAN_RGBA[1]}, ${NAN_RGBA[2]})`;
  return rgb(interpolator(kind, palette)(t)).formatRgb();
}

/** WCAG relative luminance of an sRGB colour given as 0..255 channels. */
export function relativeLuminance(r: number, g: number, b: number): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever has the higher WCAG contrast on the given background. */
export function readableTextColor(background: string | { r: number; g: number; b: number }): '#000000' | '#ffffff' {
  const c = typeof background === 'string' ? rgb(background) : background;
  const L = relativeLuminance(c.r, c.g, c.b);
  const contrastWithBlack = (L + 0.05) / 0.05;
  const contrastWithWhite = 1.05 / (L + 0.05);
  return contrastWithBlack >= contrastWithWhite ? '#000000' : '#ffffff';
}

/** Categorical colour of a head (Tableau 10, designed to stay distinguishable for colour-vision deficiencies). */
export function headColor(head: number): string {
  return schemeTableau10[((head % schemeTableau10.length) + schemeTableau10.length) % schemeTableau10.length];
}
