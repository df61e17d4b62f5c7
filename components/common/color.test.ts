import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../engine/types.ts';
import {
  buildLut,
  colorOf,
  defaultDomain,
  EXCLUDED_MIX,
  EXCLUDED_RGBA,
  fillRGBA,
  headColor,
  interpolator,
  lutFor,
  NAN_RGBA,
  normalizer,
  readableTextColor,
  relativeLuminance,
} from './color.ts';

const m = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float32Array.from(values) });

describe('normalizer', () => {
  it('maps a sequential domain linearly and clamps', () => {
    const f = normalizer('sequential', [0, 1]);
    expect(f(0)).toBe(0);
    expect(f(0.25)).toBe(0.25);
    expect(f(1)).toBe(1);
    expect(f(-3)).toBe(0);
    expect(f(7)).toBe(1);
    expect(Number.isNaN(f(NaN))).toBe(true);
  });
  it('centres a diverging domain on 0, even when asymmetric', () => {
    const f = normalizer('diverging', [-2, 4]);
    expect(f(0)).toBe(0.5);
    expect(f(-2)).toBe(0);
    expect(f(4)).toBe(1);
    expect(f(-1)).toBe(0.25);
    expect(f(2)).toBe(0.75);
  });
  it('survives an empty domain', () => {
    expect(normalizer('sequential', [1, 1])(1)).toBe(0.5);
  });
});

describe('defaultDomain', () => {
  it('is [0, 1] for sequential and ±max|x| for diverging', () => {
    const x = m(2, 2, [0.5, -3, 2, 1]);
    expect(defaultDomain('sequential', x)).toEqual([0, 1]);
    expect(defaultDomain('diverging', x)).toEqual([-3, 3]);
    expect(defaultDomain('diverging', m(1, 2, [0, 0]))).toEqual([-1, 1]);
    expect(defaultDomain('diverging', m(1, 3, [NaN, Infinity, -2]))).toEqual([-2, 2]);
  });
});

describe('buildLut / lutFor', () => {
  it('samples the interpolator end to end, opaque', () => {
    const lut = buildLut(() => 'rgb(10, 20, 30)', 4);
    expect(Array.from(lut.slice(0, 4))).toEqual([10, 20, 30, 255]);
    const v = lutFor('sequential');
    expect(v.length).toBe(256 * 4);
    // viridis: dark purple at 0, yellow at 1.
    expect(v[0]).toBeLessThan(100);
    expect(v[255 * 4 + 1]).toBeGreaterThan(200);
    expect(lutFor('sequential')).toBe(v); // cached
  });
  it('diverging is near-white in the middle, blue for negative, red for positive', () => {
    const lut = lutFor('diverging');
    const at = (k: number) => Array.from(lut.slice(4 * k, 4 * k + 3));
    const [r0, , b0] = at(0);
    const [r1, , b1] = at(255);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
    const mid = at(128);
    expect(Math.min(...mid)).toBeGreaterThan(220);
  });
});

describe('fillRGBA', () => {
  const identity = (t: number) => t;
  // A 3-level grey LUT so expected bytes are easy to state.
  const lut = Uint8ClampedArray.from([0, 0, 0, 255, 100, 100, 100, 255, 200, 200, 200, 255]);

  it('writes one opaque pixel per cell, row-major, quantised to the nearest LUT entry', () => {
    const out = new Uint8ClampedArray(2 * 3 * 4);
    fillRGBA(out, m(2, 3, [0, 0.5, 1, 0.2, 0.3, 0.8]), lut, identity);
    const px = (k: number) => Array.from(out.slice(4 * k, 4 * k + 4));
    expect(px(0)).toEqual([0, 0, 0, 255]);
    expect(px(1)).toEqual([100, 100, 100, 255]);
    expect(px(2)).toEqual([200, 200, 200, 255]);
    expect(px(3)).toEqual([0, 0, 0, 255]); // 0.2·2 = 0.4 → 0
    expect(px(4)).toEqual([100, 100, 100, 255]); // 0.6 → 1
    expect(px(5)).toEqual([200, 200, 200, 255]); // 1.6 → 2
  });

  it('paints NaN in the NaN colour', () => {
    const out = new Uint8ClampedArray(4);
    fillRGBA(out, m(1, 1, [NaN]), lut, normalizer('sequential', [0, 1]));
    expect(Array.from(out)).toEqual([...NAN_RGBA]);
  });

  it('blends excluded columns towards grey and leaves the others alone', () => {
    const out = new Uint8ClampedArray(2 * 2 * 4);
    fillRGBA(out, m(2, 2, [1, 1, 0, 0]), lut, identity, { excludedCols: [false, true] });
    const expected = (c: number, g: number) => Math.round(c * (1 - EXCLUDED_MIX) + g * EXCLUDED_MIX);
    expect(Array.from(out.slice(0, 3))).toEqual([200, 200, 200]);
    expect(out[4]).toBe(expected(200, EXCLUDED_RGBA[0]));
    expect(out[12]).toBe(expected(0, EXCLUDED_RGBA[0]));
    expect(out[8]).toBe(0);
  });

  it('is pure: same input, same bytes; works on Float64 data', () => {
    const x: Matrix = { rows: 3, cols: 3, data: Float64Array.from([0.1, -0.4, 0.9, 0, 0.33, -1, 1, 0.5, -0.5]) };
    const f = normalizer('diverging', defaultDomain('diverging', x));
    const a = fillRGBA(new Uint8ClampedArray(36), x, lutFor('diverging'), f);
    const b = fillRGBA(new Uint8ClampedArray(36), x, lutFor('diverging'), f);
    expect(a).toEqual(b);
  });

  it('rejects a buffer that is too small', () => {
    expect(() => fillRGBA(new Uint8ClampedArray(4), m(1, 2, [0, 1]), lut, identity)).toThrow(RangeError);
  });
});

describe('text colour and luminance', () => {
  it('picks black on light and white on dark backgrounds', () => {
    expect(readableTextColor('#ffffff')).toBe('#000000');
    expect(readableTextColor('#000000')).toBe('#ffffff');
    expect(readableTextColor(interpolator('sequential')(0))).toBe('#ffffff'); // viridis dark purple
    expect(readableTextColor(interpolator('sequential')(1))).toBe('#000000'); // viridis yellow
    expect(readableTextColor(colorOf('diverging', [-1, 1], 0))).toBe('#000000');
    expect(readableTextColor({ r: 0, g: 0, b: 139 })).toBe('#ffffff');
  });
  it('relative luminance spans 0..1', () => {
    expect(relativeLuminance(0, 0, 0)).toBe(0);
    expect(relativeLuminance(255, 255, 255)).toBeCloseTo(1, 10);
  });
});

describe('headColor', () => {
  it('cycles through 10 distinct categorical colours', () => {
    const c = Array.from({ length: 10 }, (_, h) => headColor(h));
    expect(new Set(c).size).toBe(10);
    expect(headColor(10)).toBe(headColor(0));
  });
});

describe('high contrast palette', () => {
  it('uses different interpolators', () => {
    expect(interpolator('sequential', 'high-contrast')(0.5)).not.toBe(interpolator('sequential')(0.5));
    expect(interpolator('diverging', 'high-contrast')(0.1)).not.toBe(interpolator('diverging')(0.1));
  });
});
