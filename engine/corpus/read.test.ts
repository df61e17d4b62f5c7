// Reading corpora: the three formats, line numbers, and each error's sequence and wording.
import { describe, expect, it } from 'vitest';
import { CorpusError, corpusIds, parseCorpusFile, parseJsonlCorpus, parseTextCorpus } from './read.ts';

function error(fn: () => unknown): CorpusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CorpusError) return e;
    throw e;
  }
  throw new Error('expected a CorpusError');
}

describe('corpus files', () => {
  it('text: one sequence per non-empty line, \\n or \\r\\n, with its line number', () => {
    expect(parseTextCorpus('a b\r\n\n  \nc\n')).toEqual([
      { text: 'a b', line: 1 },
      { text: '  ', line: 3 }, // spaces are text (a character model reads them)
      { text: 'c', line: 4 },
    ]);
  });

  it('JSON Lines: strings, {"text"} objects and id lists', () => {
    expect(parseJsonlCorpus('"one"\n\n{"text": "two", "source": "x"}\n[4, 5]\n')).toEqual([
      { text: 'one', line: 1 },
      { text: 'two', line: 3 },
      { ids: [4, 5], line: 4 },
    ]);
    const e = error(() => parseJsonlCorpus('"one"\n{"body": 1}'));
    expect([e.sequence, e.line, e.code, e.message]).toEqual([1, 2, 'not-entry', 'sequence 1 (line 2): expected a string, {"text": "…"} or a list of token ids, got an object']);
    expect(error(() => parseJsonlCorpus('"a"\n[1, "x"]')).message).toBe('sequence 1 (line 2): ids[1]: expected a token id (a whole number ≥ 0), got the string "x"');
    expect(error(() => parseJsonlCorpus('"a"\n{oops')).message).toMatch(/^sequence 1 \(line 2\): not JSON \(/);
  });

  it('by name: .txt, .jsonl, anything else a JSON array of id lists', () => {
    expect(parseCorpusFile('c.TXT', '[[1]]')).toEqual([{ text: '[[1]]', line: 1 }]);
    expect(parseCorpusFile('c.jsonl', '[1]')).toEqual([{ ids: [1], line: 1 }]);
    expect(parseCorpusFile('c.json', '[[1, 2], [3]]')).toEqual([{ ids: [1, 2], line: null }, { ids: [3], line: null }]);
  });
});

describe('corpusIds', () => {
  const encode = (t: string) => Array.from(t, (c) => c.charCodeAt(0) - 96).filter((x) => x > 0);
  const check = (ids: number[]) => {
    if (ids.some((x) => x > 5)) throw new Error('an id above 5');
  };

  it('reads text with the tokenizer and checks every sequence, naming it', () => {
    expect(corpusIds([{ text: 'abc', line: 1 }, { ids: [2], line: null }], encode, check)).toEqual([[1, 2, 3], [2]]);
    expect(error(() => corpusIds([{ ids: [1], line: null }, { ids: [9], line: null }], encode, check)).message).toBe('sequence 1: an id above 5');
    expect(error(() => corpusIds([{ text: 'ab', line: 1 }, { text: '!?', line: 4 }], encode, check)).message).toBe('sequence 1 (line 4): no tokens');
    expect(error(() => corpusIds([{ text: 'ab', line: 1 }], null, check)).message).toBe("sequence 0 (line 1): text needs the model's tokenizer");
  });
});
