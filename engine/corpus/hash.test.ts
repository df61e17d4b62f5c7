import { describe, expect, it } from 'vitest';
import { contentHash } from './hash.ts';

describe('contentHash', () => {
  it('is cyrb53: its published values, 14 hex digits, the same for text and its code units as bytes', () => {
    // Reference values of cyrb53 (bryc/code, MIT) for these inputs with seed 0.
    expect(contentHash('a')).toBe(Number(7929297801672961).toString(16).padStart(14, '0'));
    expect(contentHash('b')).toBe(Number(8684336938537663).toString(16).padStart(14, '0'));
    expect(contentHash('revenge')).toBe(Number(4051478007546757).toString(16).padStart(14, '0'));
    expect(contentHash('revenue')).toBe(Number(8309097637345594).toString(16).padStart(14, '0'));
    expect(contentHash('abc')).toMatch(/^[0-9a-f]{14}$/);
    expect(contentHash(new TextEncoder().encode('abc'))).toBe(contentHash('abc'));
  });

  it('tells apart texts that differ in one character, or by a line ending', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 2000; k++) seen.add(contentHash(`line ${k}\n`));
    expect(seen.size).toBe(2000);
    expect(contentHash('a\nb')).not.toBe(contentHash('a\r\nb'));
  });
});
