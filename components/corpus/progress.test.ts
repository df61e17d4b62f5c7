import { describe, expect, it } from 'vitest';
import { progressFigures } from './progress.ts';

describe('progressFigures', () => {
  it('tokens per second so far, and the time the tokens left take at that rate', () => {
    expect(progressFigures({ done: 3, total: 10, tokens: 600, totalTokens: 2000, elapsedMs: 2000 })).toEqual({ rate: 300, leftS: 1400 / 300 });
    expect(progressFigures({ done: 10, total: 10, tokens: 2000, totalTokens: 2000, elapsedMs: 4000 })).toEqual({ rate: 500, leftS: 0 });
  });
  it('nothing to say before the first sequence', () => {
    expect(progressFigures({ done: 0, total: 10, tokens: 0, totalTokens: 2000, elapsedMs: 0 })).toBeNull();
  });
});
