import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayToken, loadTokenizer, typesForModel } from './tokenizer.ts';
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

describe('encoder tokenizers (tests/fixtures/tokenizers: WordPiece and byte-level BPE written for these tests)', () => {
  const fixture = (name: string) => {
    const dir = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'tokenizers', name);
    return memoryFiles(name, { 'tokenizer.json': readFileSync(join(dir, 'tokenizer.json'), 'utf8'), 'tokenizer_config.json': readFileSync(join(dir, 'tokenizer_config.json'), 'utf8') });
  };

  it('BERT (WordPiece, lower case): the post-processor adds [CLS] … [SEP]; punctuation and sub-words split as BertPreTokenizer and WordPiece do', async () => {
    const tok = (await loadTokenizer(fixture('bert-tiny')))!;
    const e = tok.encode("The animal didn't cross the street because it was too tired.");
    expect(e.tokens).toEqual(['[CLS]', 'the', 'animal', 'didn', "'", 't', 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired', '.', '[SEP]']);
    expect(e.ids).toEqual([2, 5, 6, 7, 8, 9, 10, 5, 11, 12, 13, 14, 15, 16, 17, 3]);
    expect(e.types.every((t) => t === 0)).toBe(true);
    expect(e.special).toEqual(e.ids.map((id) => id === 2 || id === 3));
    // Accents are stripped with lower case; a word without pieces in the vocabulary is one [UNK].
    expect(tok.encode('Walking UNBELIEVABLE Café').tokens).toEqual(['[CLS]', 'walk', '##ing', 'un', '##believ', '##able', '[UNK]', '[SEP]']);
    expect(tok.mask).toEqual({ token: '[MASK]', id: 4 });
    expect(tok.isSpecial(4)).toBe(true);
    expect(tok.isSpecial(5)).toBe(false);
  });

  it('BERT: [MASK] in the text stays one token; a sentence pair gets [SEP] between and types 0 … 0 1 … 1', async () => {
    const tok = (await loadTokenizer(fixture('bert-tiny')))!;
    expect(tok.encode('The cat sat on the [MASK].').tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', '[MASK]', '.', '[SEP]']);
    const pair = tok.encode('The cat sat.', 'It was tired!');
    expect(pair.tokens).toEqual(['[CLS]', 'the', 'cat', 'sat', '.', '[SEP]', 'it', 'was', 'tired', '!', '[SEP]']);
    expect(pair.types).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // The frame is what the post-processor added: [CLS] and the [SEP]s, not [MASK] nor [UNK] (special tokens too).
    const masked = tok.encode('The [MASK] sat on the Café.', 'It was.');
    expect(masked.tokens).toEqual(['[CLS]', 'the', '[MASK]', 'sat', 'on', 'the', '[UNK]', '.', '[SEP]', 'it', 'was', '.', '[SEP]']);
    expect(masked.special.map((s, i) => (s ? i : -1)).filter((i) => i >= 0)).toEqual([0, 2, 6, 8, 12]);
    expect(masked.frame.map((f, i) => (f ? i : -1)).filter((i) => i >= 0)).toEqual([0, 8, 12]);
  });

  it('Chinese BERT: every Chinese character is its own word, also beyond the BMP (where @huggingface/tokenizers 0.2 alone glues it to its neighbours)', async () => {
    const tok = (await loadTokenizer(fixture('bert-chinese-tiny')))!;
    expect(tok.encode('今天天气很好。').tokens).toEqual(['[CLS]', '今', '天', '天', '气', '很', '好', '。', '[SEP]']);
    expect(tok.encode('ab中国人').tokens).toEqual(['[CLS]', 'a', '##b', '中', '国', '人', '[SEP]']);
    // U+20000 (Extension B) is not in the vocabulary: [UNK] on its own, with a and b around it.
    expect(tok.encode('a\u{20000}b 它太累了').tokens).toEqual(['[CLS]', 'a', '[UNK]', 'b', '它', '太', '累', '了', '[SEP]']);
    expect(tok.encode('它太累了', '我很好').types).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('RoBERTa (byte-level BPE): <s> … </s>, <mask> takes the space before it (lstrip), pairs as <s> A </s></s> B </s>', async () => {
    const tok = (await loadTokenizer(fixture('roberta-tiny')))!;
    const e = tok.encode('The cat sat on the <mask>.');
    expect(e.tokens).toEqual(['<s>', 'The', ' cat', ' sat', ' on', ' the', '<mask>', '.', '</s>']);
    expect(e.ids.at(6)).toBe(47);
    expect(tok.mask).toEqual({ token: '<mask>', id: 47 });
    const pair = tok.encode('The cat sat.', 'It was tired.');
    expect(pair.tokens).toEqual(['<s>', 'The', ' cat', ' sat', '.', '</s>', '</s>', 'It', ' was', ' tired', '.', '</s>']);
    expect(pair.special.filter(Boolean)).toHaveLength(4);
    expect(pair.frame).toEqual(pair.special);
    // "[MASK]" stands for the model's mask token: <mask> here (lstrip takes the space before it).
    expect(tok.encode('The cat sat on the [MASK].').ids).toEqual(e.ids);
    // RoBERTa has one token type: the model gets zeros whatever the post-processor's segments.
    expect(typesForModel(pair.types, 1).every((t) => t === 0)).toBe(true);
    expect(typesForModel([0, 0, 1, 1], 2)).toEqual([0, 0, 1, 1]);
  });

  it('a decoder tokenizer has no mask token', async () => {
    const tok = await loadTokenizer(memoryFiles('fx', { 'tokenizer.json': readFileSync(FIXTURE, 'utf8') }));
    expect(tok!.mask).toBeNull();
  });
});
