import { describe, expect, it } from 'vitest';
import { exampleStretches, runningText } from './exampleWindow.ts';

describe('exampleStretches', () => {
  it('one stretch around a key and query close together, cut at the ends of the sequence', () => {
    expect(exampleStretches(20, 10, 7)).toEqual([{ from: 0, to: 14 }]);
    expect(exampleStretches(12, 11, 10)).toEqual([{ from: 2, to: 12 }]);
    expect(exampleStretches(5, 3, 3)).toEqual([{ from: 0, to: 5 }]);
  });

  it('two stretches when they are far apart; touching ones merge', () => {
    expect(exampleStretches(100, 90, 5)).toEqual([
      { from: 0, to: 9 },
      { from: 82, to: 94 },
    ]);
    // key's stretch ends at 17, query's starts at 17: one
    expect(exampleStretches(40, 25, 13)).toEqual([{ from: 5, to: 29 }]);
  });
});

describe('runningText', () => {
  it('spaces word-level tokens (WordPiece) and joins their ## continuations to the word before', () => {
    expect(runningText(['[CLS]', 'the', 'cat', '##s', 'sat', '.', '[SEP]']).join('')).toBe('[CLS] the cats sat . [SEP]');
    expect(runningText(['[CLS]', 'un', '##believ', '##able'])).toEqual(['[CLS]', ' un', 'believ', 'able']);
  });

  it('leaves tokens that carry their own spaces, and characters, as they are', () => {
    expect(runningText(['Hello', ' world', ','])).toEqual(['Hello', ' world', ',']);
    expect(runningText(['<s>', 'The', ' cat', '</s>'])).toEqual(['<s>', 'The', ' cat', '</s>']);
    expect(runningText(['t', 'h', 'e', ' ', 'c'])).toEqual(['t', 'h', 'e', ' ', 'c']);
  });
});
