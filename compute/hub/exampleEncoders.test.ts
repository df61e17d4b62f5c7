import { describe, expect, it } from 'vitest';
import { saveModel } from './cache.ts';
import { cachedEncoders, curatedEncoders, encoderFor } from './exampleEncoders.ts';
import { MemoryModelStore } from './store.ts';

const HUB = 'http://127.0.0.1:9/hub';
const enc = new TextEncoder();

async function keep(store: MemoryModelStore, hub: string, owner: string, name: string, config: unknown, weights = 10) {
  const files = new Map<string, Uint8Array>([
    ['config.json', enc.encode(typeof config === 'string' ? config : JSON.stringify(config))],
    ['model.safetensors', new Uint8Array(weights)],
  ]);
  await saveModel(store, hub, { owner, name, revision: 'main' }, files, []);
}

describe('the encoders the teaching examples run on', () => {
  it('lists the cached encoders of the Hub in use, from their config.json, smallest first', async () => {
    const store = new MemoryModelStore();
    await keep(store, HUB, 'local', 'bert-tiny', { model_type: 'bert', architectures: ['BertForMaskedLM'] }, 3000);
    await keep(store, HUB, 'google-bert', 'bert-base-chinese', { model_type: 'bert' }, 2000);
    await keep(store, HUB, 'sentence-transformers', 'all-MiniLM-L6-v2', { model_type: 'bert', architectures: ['BertModel'] }, 1000);
    await keep(store, HUB, 'openai-community', 'gpt2', { model_type: 'gpt2' });
    await keep(store, HUB, 'broken', 'config', '{not json');
    await keep(store, 'https://elsewhere.example', 'FacebookAI', 'roberta-base', { model_type: 'roberta' });
    const list = await cachedEncoders(store, HUB);
    expect(list.map((e) => [e.id, e.masked, e.chinese, e.cached])).toEqual([
      ['hf:sentence-transformers/all-MiniLM-L6-v2', false, false, true],
      ['hf:google-bert/bert-base-chinese', true, true, true],
      ['hf:local/bert-tiny', true, false, true],
    ]);
    // The language's own first; a masked example needs a head; any cached encoder before a download.
    expect(encoderFor(list, 'en')?.id).toBe('hf:sentence-transformers/all-MiniLM-L6-v2');
    expect(encoderFor(list, 'en', true)?.id).toBe('hf:local/bert-tiny');
    expect(encoderFor(list, 'zh')?.id).toBe('hf:google-bert/bert-base-chinese');
    expect(encoderFor(list.filter((e) => !e.chinese), 'zh')?.id).toBe('hf:sentence-transformers/all-MiniLM-L6-v2');
  });

  it('offers the smallest curated encoder for the language when none is cached', () => {
    const curated = curatedEncoders();
    expect(curated.every((e) => !e.cached && e.bytes !== null)).toBe(true);
    expect(encoderFor([], 'en')?.id).toBe('hf:sentence-transformers/all-MiniLM-L6-v2');
    expect(encoderFor([], 'en', true)?.id).toBe('hf:distilbert/distilbert-base-uncased');
    expect(encoderFor([], 'zh', true)?.id).toBe('hf:google-bert/bert-base-chinese');
  });
});
