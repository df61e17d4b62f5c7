// The corpus client's pick: a pick overtaken by a newer one while it reads (a shipped corpus still being
// fetched when the user opens a file) must not report its corpus once its read ends.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../state/store.ts';
import { startCorpusClient } from './corpusClient.ts';
import { corpusCache } from './corpusCache.ts';
import { MemoryModelStore } from './hub/store.ts';
import type { WorkerPort } from './computeClient.ts';
import type { ModelInfo } from '../engine/model/info.ts';

afterEach(() => vi.unstubAllGlobals());

describe('corpus client', () => {
  it('a file opened while the shipped corpus is still read: the file is what the panel is told about', async () => {
    let answer: (text: string) => void = () => undefined;
    vi.stubGlobal('fetch', () => new Promise<Response>((ok) => (answer = (text) => ok(new Response(text)))));
    const store = createAppStore();
    const { actions } = store.getState();
    actions.useModel('brown-char');
    const info = { type: 'char', name: 'brown-char', layers: 2, heads: 4, context: 64 } as unknown as ModelInfo;
    actions.setModelState({ key: 'brown-char', status: 'ready', info, error: null });
    store.setState((s) => ({ doc: { ...s.doc, view: 'corpus' } }));
    const port: WorkerPort = { model: () => ({ key: 'brown-char', origin: { kind: 'page' } }), post: () => undefined, listen: () => () => undefined, onLost: () => () => undefined };
    const client = startCorpusClient(store, port, { base: 'http://example.invalid/', cache: corpusCache(new MemoryModelStore()) });
    try {
      await vi.waitFor(() => expect(store.getState().corpusSource).toMatchObject({ id: 'brown', status: 'loading' }));
      expect(actions.openCorpusFile('mine.txt', 'one\ntwo\nthree\n')).toBeNull();
      const id = store.getState().doc.corpus.source;
      expect(id).toMatch(/^file:/);
      await vi.waitFor(() => expect(store.getState().corpusSource).toMatchObject({ id, status: 'ready', name: 'mine.txt', sequences: 3 }));
      // The Brown text arrives last: the older pick's read ends, and says nothing.
      answer('The first sentence. The second one.');
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
      expect(store.getState().corpusSource).toMatchObject({ id, status: 'ready', name: 'mine.txt', sequences: 3 });
    } finally {
      client.stop();
    }
  });
});
