// The worker's model loading, for what it tells the page: a Hub model that loads but cannot be kept for
// offline use (a full storage) is reported, not dropped. The Hub is the local stand-in (tests/hub/server.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../engine/backend.ts';
import { startHubServer, type HubServer } from '../tests/hub/server.ts';
import { createAppStore } from '../state/store.ts';
import { setLang } from '../i18n/index.ts';
import { getModel } from './models.ts';
import type { FromWorker } from './protocol.ts';

let server: HubServer;
beforeAll(async () => {
  await initBackend('wasm');
  server = await startHubServer();
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server?.stop();
});

/** Cache Storage whose every write fails as a full disk does (reads find nothing). */
const FULL_CACHES = {
  open: async () => ({
    match: async () => undefined,
    keys: async () => [],
    delete: async () => false,
    put: async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  }),
  delete: async () => true,
};

describe('a Hub model that cannot be stored for offline use', () => {
  it('still runs, and the page is told why it was not stored', async () => {
    vi.stubGlobal('caches', FULL_CACHES);
    const posted: FromWorker[] = [];
    const m = await getModel('hf:local/gpt2-tiny@main', { kind: 'hub', ref: 'hf:local/gpt2-tiny@main', hub: server.url, askAbove: null }, (msg) => posted.push(msg));
    try {
      expect(m.info.layers).toBeGreaterThan(0);
      const notStored = posted.filter((p) => p.type === 'model-not-stored');
      expect(notStored).toEqual([{ type: 'model-not-stored', key: 'hf:local/gpt2-tiny@main', why: expect.stringMatching(/not stored for offline use: The quota has been exceeded/) }]);
      // model-ready comes after it, so the page has said it before the model is shown.
      expect(posted.findIndex((p) => p.type === 'model-ready')).toBeGreaterThan(posted.indexOf(notStored[0]));
    } finally {
      m.model.dispose();
    }
  });

  it('the page says it in a notice, in English and Chinese', () => {
    const store = createAppStore();
    const why = 'local/gpt2-tiny@main was loaded but not stored for offline use: The quota has been exceeded.';
    store.getState().actions.modelNotStored(why);
    setLang('zh');
    try {
      store.getState().actions.modelNotStored(why);
    } finally {
      setLang('en');
    }
    expect(store.getState().notices.map((n) => [n.kind, n.area, n.text])).toEqual([
      ['warning', 'storage', `The model runs, but this browser would not keep it for offline use, so it will be downloaded again next time: ${why}`],
      ['warning', 'storage', `模型可以运行，但浏览器未能把它保存下来供离线使用，下次会重新下载：${why}`],
    ]);
  });
});
