import { describe, expect, it } from 'vitest';
import { splitInlineTex } from './inlineTex.ts';

describe('inline TeX in lesson prose', () => {
  it('splits $…$ into TeX and keeps the rest as text', () => {
    expect(splitInlineTex('so $e^{s-m} = e^{s}/e^{m}$ and A')).toEqual([{ text: 'so ' }, { tex: 'e^{s-m} = e^{s}/e^{m}' }, { text: ' and A' }]);
    expect(splitInlineTex('$x$')).toEqual([{ tex: 'x' }]);
  });

  it('leaves text without a pair of $ alone', () => {
    expect(splitInlineTex('costs $5')).toEqual([{ text: 'costs $5' }]);
    expect(splitInlineTex('')).toEqual([]);
  });
});
