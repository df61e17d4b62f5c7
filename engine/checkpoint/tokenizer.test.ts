import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayToken, loadTokenizer } from './tokenizer.ts';
import { memoryFiles } from './files.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'tokenizers', 'gpt2-tiny', 'tokenizer.json');

describe('display tokens', () => {
  it('byte-level BPE pieces become the text they stand for', () => {
    expect(displayToken('Ġupon', true)).toBe(' upon');
    expect(displayToken('Ċ', true)).toBe('\n');
    expect(displayToken('ĠÃ©t', true)).toBe(' ét');
    expect(displayToken('<|endoftext|>', true)).toBe('<|endoftext|>');
  });
  it('SentencePiece spaces and byte fallback', () => {
    expect(displayToken('▁time', false)).toBe(' time');
    expect(displayToken('<0x0A>', false)).toBe('\n');
    expect(displayToken('<0xE2>', false)).toBe('<0xE2>'); // part of a character: kept as the piece
  });
});

describe('loadTokenizer', () => {
  it('encodes and decodes with the fixture tokenizer.json (display tokens, ids)', async () => {
    const tok = await loadTokenizer(memoryFiles('fx', { 'tokenizer.json': readFileSync(FIXTURE, 'utf8') }));
    const { ids, tokens } = tok!.encode('Once upon a time, the cat sat.');
    expect(tokens).toEqual([' once', ' upon', ' a', ' time', ',', ' the', ' cat', ' sat', '.']);
    expect(Math.max(...ids)).toBeLessThan(101);
    expect(tok!.decode(ids)).toBe('once upon a time, the cat sat.');
    expect(tok!.token(ids[1])).toBe(' upon');
    expect(tok!.token(5000)).toBeNull();
  });
  it('no tokenizer.json → null; a broken one → a message naming the file', async () => {
    expect(await loadTokenizer(memoryFiles('fx', {}))).toBeNull();
    await expect(loadTokenizer(memoryFiles('fx', { 'tokenizer.json': '{"model": ' }))).rejects.toThrow(/^fx\/tokenizer\.json: not valid JSON/);
  });
  it('a pattern that repeats a repeating group (exponential backtracking) is refused by name before it is compiled', async () => {
    const json = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    json.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false }] };
    await expect(loadTokenizer(memoryFiles('fx', { 'tokenizer.json': JSON.stringify(json) }))).rejects.toThrow(
      'fx/tokenizer.json: pre_tokenizer.pretokenizers[0].pattern.Regex: "(a+)+" repeats a group that repeats itself: matching it can take hours on a short text, so this tokenizer is not used',
    );
  });
});
