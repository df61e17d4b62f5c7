// Writes tests/fixtures/hub/stories260K-hf/{tokenizer.json,tokenizer_config.json}: a stand-in for the 512-piece
// llama2.c SentencePiece vocabulary of stories260K, which we do not have. Same layout (0 <unk>, 1 <s>, 2 </s>,
// 3–258 byte fallback <0x00>…<0xFF>, then 253 pieces) in the Hugging Face Llama tokenizer.json form, with the
// pieces learned by a tiny byte-pair-encoding run over the TinyStories-like text below. The ids are NOT the real
// model's: good for exercising the loader and tokenizer, not for meaningful predictions.
//
//   npx tsx scripts/make-hub-fixture.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the stand-in tokenizer of stories260K lives. */
export const HUB_FIXTURE_DIR = join(import.meta.dirname, '..', 'tests', 'fixtures', 'hub', 'stories260K-hf');
const VOCAB_SIZE = 512;
const SPACE = '\u2581'; // ▁, SentencePiece's word-start marker
const SPECIAL = ['<unk>', '<s>', '</s>'];
const BYTES = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
// Single characters every piece is built from; anything else (capitals, digits) falls back to bytes.
const ALPHABET = [SPACE, ...'abcdefghijklmnopqrstuvwxyz', '.', ',', '!', '?', "'", '"'];

const CORPUS = `
once upon a time there was a little girl named lily. she loved to play outside in the park with her big red ball.
one day she saw a small dog. the dog was sad because he was lost. lily wanted to help him find his mom.
"do not be sad," said lily. "we will find your mom together!" the dog wagged his tail and they went to look.
they walked and walked. they saw a tree, a bird and a big blue car. then they heard a happy bark.
it was the mom dog! she was so happy to see her little puppy. she said thank you to lily and gave her a hug.
lily went home and told her mom about the dog. her mom smiled and said she was a very good girl.
once there was a boy named tim. tim had a toy car that he liked very much. he played with it every day.
one day the car broke. tim was very sad and he cried. his dad came and said, "do not cry, tim. we can fix it."
they worked together and the car was good again. tim was happy and he said, "thank you, dad!"
the sun was shining and the birds were singing. a cat saw a fish in the water. the cat wanted to eat the fish.
but the fish was fast and it swam away. the cat was not happy, but then it saw a mouse and ran after it.
sue and ben were friends. they liked to share their toys and play games in the garden with the flowers.
one day they found a shiny box under a tree. they opened the box and saw a lot of sweet candy inside.
they shared the candy and ate it all up. then they went home and had a nap. it was a fun day.
the little bear was hungry. he looked for honey in the big woods. he found a tree with a lot of bees.
the bees were angry and the bear ran away. he learned to be careful and to ask his mom for help.
`;

/** Words as SentencePiece sees them: runs of letters get the ▁ marker, punctuation stands alone. */
function words(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/[a-z]+|[^\sa-z]/g)) {
    const word = /^[a-z]/.test(match[0]) ? SPACE + match[0] : match[0];
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** Learns `count` merges: repeatedly joins the most frequent adjacent pair (ties broken by the pair's text). */
function learnMerges(corpus: Map<string, number>, alphabet: Set<string>, count: number): [string, string][] {
  const split = [...corpus].map(([word, n]) => ({ symbols: [...word], n }));
  const merges: [string, string][] = [];
  while (merges.length < count) {
    const pairs = new Map<string, number>();
    for (const { symbols, n } of split) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        if (!alphabet.has(symbols[i][0]) || !alphabet.has(symbols[i + 1][0])) continue;
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    const best = [...pairs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) throw new Error(`the corpus yields only ${merges.length} merges, ${count} needed`);
    const [left, right] = best[0].split(' ');
    merges.push([left, right]);
    for (const w of split) {
      const next: string[] = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (w.symbols[i] === left && w.symbols[i + 1] === right) {
          next.push(left + right);
          i++;
        } else {
          next.push(w.symbols[i]);
        }
      }
      w.symbols = next;
    }
  }
  return merges;
}

function tokenizerJson(): object {
  const mergeCount = VOCAB_SIZE - SPECIAL.length - BYTES.length - ALPHABET.length;
  const merges = learnMerges(words(CORPUS), new Set(ALPHABET), mergeCount);
  const pieces = [...SPECIAL, ...BYTES, ...ALPHABET, ...merges.map(([a, b]) => a + b)];
  if (new Set(pieces).size !== VOCAB_SIZE) throw new Error(`expected ${VOCAB_SIZE} distinct pieces, got ${new Set(pieces).size}`);
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    // The Llama (legacy SentencePiece) layout: a leading ▁ and every space as ▁, no pre-tokenizer.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: SPACE },
        { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: Object.fromEntries(pieces.map((p, id) => [p, id])),
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: 'LlamaTokenizer',
  bos_token: '<s>',
  eos_token: '</s>',
  unk_token: '<unk>',
  add_bos_token: true,
  add_eos_token: false,
  clean_up_tokenization_spaces: false,
  legacy: true,
  model_max_length: 512,
};

/** The fixture files by name, as this script writes them (a test checks the committed ones are current). */
export function hubFixtureFiles(): Record<string, string> {
  return {
    'tokenizer.json': `${JSON.stringify(tokenizerJson(), null, 1)}\n`,
    'tokenizer_config.json': `${JSON.stringify(TOKENIZER_CONFIG, null, 2)}\n`,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(HUB_FIXTURE_DIR, { recursive: true });
  for (const [name, text] of Object.entries(hubFixtureFiles())) writeFileSync(join(HUB_FIXTURE_DIR, name), text);
  console.log(`wrote ${Object.keys(hubFixtureFiles()).join(' and ')} in ${HUB_FIXTURE_DIR}`);
}
