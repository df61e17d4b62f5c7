import { describe, expect, it } from 'vitest';
import { LARGE_DOWNLOAD_BYTES, askAboveFromQuery } from './askAbove.ts';

describe('askAboveFromQuery', () => {
  it('lowers the 300 MB threshold, never raises it; anything malformed leaves it as it is', () => {
    expect(askAboveFromQuery('')).toBe(LARGE_DOWNLOAD_BYTES);
    expect(askAboveFromQuery('?askAbove=100000')).toBe(100_000);
    expect(askAboveFromQuery('?hub=x&askAbove=0')).toBe(0);
    expect(askAboveFromQuery('?askAbove=999999999999')).toBe(LARGE_DOWNLOAD_BYTES);
    for (const bad of ['?askAbove=', '?askAbove=-1', '?askAbove=1e12', '?askAbove=Infinity', '?askAbove=12MB', '?askAbove=9999999999999999']) {
      expect(askAboveFromQuery(bad), bad).toBe(LARGE_DOWNLOAD_BYTES);
    }
  });
});
