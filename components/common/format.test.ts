import { describe, expect, it } from 'vitest';
import { displayToken, formatCompact, formatFull, formatTex, formatValue, parseEditValue, truncateLabel } from './format.ts';

describe('formatValue', () => {
  it('gives 4 significant digits with trailing zeros trimmed', () => {
    expect(formatValue(0.421337)).toBe('0.4213');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue(1)).toBe('1');
    expect(formatValue(-2.71828)).toBe('-2.718');
    expect(formatValue(123.456)).toBe('123.5');
    expect(formatValue(12345.6)).toBe('12350');
    expect(formatValue(0.001234567)).toBe('0.001235');
  });
  it('uses exponent form for tiny and huge magnitudes', () => {
    expect(formatValue(1.23456e-7)).toBe('1.235e-7');
    expect(formatValue(1e-5)).toBe('1e-5');
    expect(formatValue(-3.2e9)).toBe('-3.2e9');
  });
  it('handles zero, -0 and non-finite values', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('∞');
    expect(formatValue(-Infinity)).toBe('-∞');
  });
  it('round-trips to the value at the displayed precision', () => {
    for (const x of [0.123456, -9.87654, 4.2e-6, 77777.7, 0.0999999]) {
      expect(Number(formatValue(x))).toBeCloseTo(Number(x.toPrecision(4)), 12);
    }
  });
  it('honours a digits argument', () => {
    expect(formatValue(0.421337, 2)).toBe('0.42');
    expect(formatValue(0.421337, 6)).toBe('0.421337');
  });
});

describe('formatTex / formatFull', () => {
  it('writes exponents as ×10^k and keeps plain numbers', () => {
    expect(formatTex(1.5e-7)).toBe('1.5\\times10^{-7}');
    expect(formatTex(-0.25)).toBe('-0.25');
    expect(formatTex(Infinity)).toBe('\\infty');
  });
  it('formatFull round-trips exactly', () => {
    const x = Math.fround(0.1234567);
    expect(Number(formatFull(x))).toBe(x);
  });
});

describe('formatCompact', () => {
  it('prefers readable forms that fit', () => {
    expect(formatCompact(0.2213, 4)).toBe('0.22');
    expect(formatCompact(0.045, 4)).toBe('.045');
    expect(formatCompact(-0.096, 4)).toBe('-0.1');
    expect(formatCompact(1, 4)).toBe('1');
    expect(formatCompact(0.2213, 6)).toBe('0.221');
  });
  it('returns null when nothing fits', () => {
    expect(formatCompact(-1.5e-7, 3)).toBeNull();
  });
});

describe('parseEditValue', () => {
  it('accepts finite numbers in common spellings', () => {
    expect(parseEditValue('0.5')).toBe(0.5);
    expect(parseEditValue(' -1e-3 ')).toBe(-0.001);
    expect(parseEditValue('.25')).toBe(0.25);
    expect(parseEditValue('3.')).toBe(3);
    expect(parseEditValue('+2')).toBe(2);
    expect(parseEditValue('\u22121.5')).toBe(-1.5);
    expect(parseEditValue('1,5')).toBe(1.5);
  });
  it('rejects everything else', () => {
    for (const s of ['', '  ', 'abc', '1e', '--1', 'Infinity', 'NaN', '1e999', '0x10', '1 2', '1.2.3']) {
      expect(parseEditValue(s), s).toBeNull();
    }
  });
});

describe('labels', () => {
  it('makes whitespace and empty tokens visible', () => {
    expect(displayToken(' ')).toBe('␣');
    expect(displayToken('a\nb')).toBe('a↵b');
    expect(displayToken('')).toBe('∅');
    expect(displayToken('<b>x</b>')).toBe('<b>x</b>');
  });
  it('truncates by code points with an ellipsis', () => {
    expect(truncateLabel('abcdef', 4)).toBe('abc…');
    expect(truncateLabel('abc', 4)).toBe('abc');
    expect(truncateLabel('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncateLabel('abc', 1)).toBe('…');
  });
});
