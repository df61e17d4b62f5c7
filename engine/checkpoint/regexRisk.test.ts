import { describe, expect, it } from 'vitest';
import { nestedRepetition, tokenizerPatterns } from './regexRisk.ts';

// The pre-tokenizer patterns of real tokenizers (as their tokenizer.json files spell them).
const REAL = {
  gpt2: "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
  llama3: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  qwen2: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  o200k: "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
  bloom: ' ?[^(\\s|[.,!?…。，、।۔،])]+',
  digits: '\\p{N}{1,3}(?=(?:\\p{N}{3})*(?:\\P{N}|$))',
};

describe('nestedRepetition', () => {
  it('finds a repeated group whose body repeats, as written', () => {
    expect(nestedRepetition('(a+)+$')).toBe('(a+)+');
    expect(nestedRepetition('^(?:\\s*x)*y')).toBe('(?:\\s*x)*');
    expect(nestedRepetition('((ab)*c)+')).toBe('((ab)*c)+');
    expect(nestedRepetition('(a{2,})*')).toBe('(a{2,})*');
    expect(nestedRepetition('((a+)?b){1,9}')).toBe('((a+)?b){1,9}');
    expect(nestedRepetition('(a?b?)+')).toBe('(a?b?)+');
  });

  it('passes what repeats only once per level, and the patterns of real tokenizers', () => {
    for (const p of ['a+b+', '(ab)+', '(a+)?', '(a+){1}', '[(a+)]+', '\\(a+\\)+', '(?i:x+)', 'x{1,3}y*']) expect(nestedRepetition(p), p).toBeNull();
    for (const [name, p] of Object.entries(REAL)) expect(nestedRepetition(p), name).toBeNull();
  });

  it('a repeated group of a fixed count ({3}) splits the text one way only: accepted; a varying count inside is not', () => {
    expect(nestedRepetition('(?:\\p{N}{3})*')).toBeNull();
    expect(nestedRepetition('(?:\\p{N}{2,3})*')).toBe('(?:\\p{N}{2,3})*');
  });
});

describe('tokenizerPatterns', () => {
  it('lists every Regex pattern with its path, and never walks the vocabulary', () => {
    const json = {
      normalizer: { type: 'Replace', pattern: { Regex: ' +' }, content: ' ' },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '(a+)+' } }, { type: 'Split', pattern: { String: ' ' } }] },
      model: { type: 'BPE', vocab: { Regex: 1 }, merges: [{ Regex: '(x+)+' }] },
      added_tokens: [{ content: 'x', Regex: '(y+)+' }],
    };
    expect(tokenizerPatterns(json)).toEqual([
      { path: 'normalizer.pattern.Regex', regex: ' +' },
      { path: 'pre_tokenizer.pretokenizers[0].pattern.Regex', regex: '(a+)+' },
    ]);
  });
});
