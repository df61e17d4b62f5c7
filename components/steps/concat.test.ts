import { describe, expect, it } from 'vitest';
import { concatTex } from './steps.ts';

describe('the concat formula', () => {
  it('lists every head without an ellipsis when there are at most three (two heads: no “Z² | ⋯ | Z²”)', () => {
    expect(concatTex(1)).toBe('\\big[\\, Z^{1} \\,\\big]');
    expect(concatTex(2)).toBe('\\big[\\, Z^{1} \\mid Z^{2} \\,\\big]');
    expect(concatTex(3)).not.toContain('\\cdots');
    expect(concatTex(3).match(/Z\^/g)).toHaveLength(3);
  });

  it('elides the middle heads from four on, ending at the last head', () => {
    expect(concatTex(4)).toBe('\\big[\\, Z^{1} \\mid Z^{2} \\mid \\cdots \\mid Z^{4} \\,\\big]');
    expect(concatTex(12)).toContain('Z^{12}');
  });
});
