// The stand-in tokenizer of stories260K (scripts/make-hub-fixture.ts), read by @huggingface/tokenizers as the
// engine will read it: fetched through the hub layout.
import { Tokenizer } from '@huggingface/tokenizers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contiguous, type FileBytes } from '../../engine/checkpoint/bytes.ts';
import { loadHubCheckpoint } from '../../compute/hub/checkpoint.ts';
import { HUB_FIXTURE_DIR, hubFixtureFiles } from '../../scripts/make-hub-fixture.ts';
import { type HubServer, startHubServer } from './server.ts';

const TEXT = 'Once upon a time, Lily saw a big red ball.';
const json = (bytes: FileBytes | null) => JSON.parse(new TextDecoder().decode(contiguous(bytes!))) as Record<string, unknown>;

let server: HubServer;
let tokenizer: Tokenizer;
let tokenizerJson: { model: { vocab: Record<string, number> } };
beforeAll(async () => {
  server = await startHubServer();
  const ckpt = await loadHubCheckpoint('hf:local/stories260K-hf', { hub: server.url });
  tokenizerJson = json(await ckpt.read('tokenizer.json')) as typeof tokenizerJson;
  tokenizer = new Tokenizer(tokenizerJson, json(await ckpt.read('tokenizer_config.json')));
});
afterAll(() => server.stop());

describe('the stories260K stand-in tokenizer', () => {
  it('is what scripts/make-hub-fixture.ts writes today', () => {
    for (const [name, text] of Object.entries(hubFixtureFiles())) expect(readFileSync(join(HUB_FIXTURE_DIR, name), 'utf8')).toBe(text);
  });

  it('has the llama2.c 512-piece layout', () => {
    const byId = Object.fromEntries(Object.entries(tokenizerJson.model.vocab).map(([piece, id]) => [id, piece]));
    expect(Object.keys(byId)).toHaveLength(512);
    expect([byId[0], byId[1], byId[2], byId[3], byId[258], byId[259]]).toEqual(['<unk>', '<s>', '</s>', '<0x00>', '<0xFF>', '▁']);
    const pieces = Array.from({ length: 253 }, (_, i) => byId[259 + i]);
    expect(pieces.every((p) => /^▁?[a-z.,!?'"]+$|^▁$/.test(p))).toBe(true);
  });

  it(`encodes ${JSON.stringify(TEXT)} to ids below 512 (after <s>) and decodes it back exactly`, () => {
    const { ids, tokens } = tokenizer.encode(TEXT);
    expect(ids[0]).toBe(1);
    expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < 512)).toBe(true);
    expect(tokens).toEqual(expect.arrayContaining(['▁a', '▁saw', '▁big'])); // common words are whole pieces
    expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe(TEXT);
    const plain = tokenizer.encode(TEXT, { add_special_tokens: false }).ids;
    expect(plain).toEqual(ids.slice(1));
    expect(tokenizer.decode(plain)).toBe(TEXT);
  });

  it('falls back to bytes for what the pieces lack, and still round-trips', () => {
    const text = 'Zoë ate 3 apples — 🍎!';
    const { ids } = tokenizer.encode(text, { add_special_tokens: false });
    expect(ids.some((id) => id >= 3 && id <= 258)).toBe(true);
    expect(ids).not.toContain(0);
    expect(tokenizer.decode(ids)).toBe(text);
  });
});
