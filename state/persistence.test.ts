// state/persistence.ts as tabs of one browser use it: each test tab is a fresh copy of the module with
// its own window (address, listeners) over ONE shared localStorage and one set of Web Locks, the way
// two tabs of the app share them. Quota is a Storage that refuses writes beyond a size.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ModelManifest } from '../engine/model/format.ts';
import type { CaseJson } from '../engine/types.ts';
import type { AppStore } from './store.ts';

/** localStorage with a quota in characters (keys and values), failing like a full browser store. */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  /** Writes refused so far (to see that nothing was written). */
  refused = 0;
  constructor(public quota = Infinity) {}
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    let used = 0;
    for (const [key, value] of this.map) if (key !== k) used += key.length + value.length;
    if (used + k.length + String(v).length > this.quota) {
      this.refused++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    this.map.set(k, String(v));
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/** Web Locks shared by the tabs; a closed tab's locks go away with it (as in a browser). */
class Locks {
  private held: { name: string; owner: number }[] = [];
  forTab(owner: number) {
    return {
      request: (name: string, _opts: unknown, cb: () => Promise<void>) => {
        const lock = { name, owner };
        this.held.push(lock);
        return cb().then(() => {
          this.held = this.held.filter((l) => l !== lock);
        });
      },
      query: async () => ({ held: this.held.map(({ name }) => ({ name, mode: 'shared' })), pending: [] }),
    };
  }
  close(owner: number): void {
    this.held = this.held.filter((l) => l.owner !== owner);
  }
}

interface Tab {
  store: AppStore;
  /** Writes the link and localStorage now (the app's flush event). */
  flush: () => void;
  /** The address bar's hash. */
  hash: () => string;
  /** Notices other than the import's own "Case loaded" line. */
  notices: () => string[];
  /** Makes this tab the one the globals belong to (before acting on it). */
  activate: () => void;
  close: () => void;
}

let tabs = 0;

async function openTab(ls: MemoryStorage, locks: Locks, hash = ''): Promise<Tab> {
  const owner = ++tabs;
  const location = { hash, search: '', origin: 'http://app.test', pathname: '/' };
  const listeners = new Map<string, Set<() => void>>();
  const win = {
    localStorage: ls,
    location,
    addEventListener: (type: string, f: () => void) => listeners.set(type, (listeners.get(type) ?? new Set()).add(f)),
    removeEventListener: (type: string, f: () => void) => listeners.get(type)?.delete(f),
  };
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (location.hash = url) };
  const activate = () => {
    vi.stubGlobal('window', win);
    vi.stubGlobal('history', history);
    vi.stubGlobal('navigator', { locks: locks.forTab(owner) });
  };
  activate();
  vi.resetModules();
  const { loadInitialState, startPersistence } = await import('./persistence.ts');
  const { createAppStore } = await import('./store.ts');
  const store = createAppStore();
  loadInitialState(store);
  const stop = startPersistence(store);
  return {
    store,
    flush: () => {
      activate();
      for (const f of listeners.get('attention-lab:flush-link') ?? []) f();
    },
    hash: () => location.hash,
    notices: () => store.getState().notices.filter((n) => n.area !== 'file').map((n) => n.text),
    activate,
    close: () => {
      stop();
      locks.close(owner);
    },
  };
}

/** A case whose link form is over the 200,000-character limit (130 × 64 numbers with 17 digits). */
function bigCase(seed: number, rows = 130): CaseJson {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const m = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, r));
  return { X: m(rows, 64), heads: [{ Wq: m(64, 4), Wk: m(64, 4), Wv: m(64, 4) }], tokens: Array.from({ length: rows }, (_, i) => `t${seed}.${i}`) };
}

const SMALL: CaseJson = { X: [[1], [2]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }], tokens: ['small', 'case'] };

function importCase(tab: Tab, c: CaseJson): void {
  tab.activate();
  expect(tab.store.getState().actions.importCase(JSON.stringify(c), 'paste')).toBe(true);
  tab.flush();
}

const shownCase = (tab: Tab) => {
  const src = tab.store.getState().doc.source;
  return src.kind === 'case' ? src.case : null;
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('two tabs share one localStorage', () => {
  it('a large case survives another tab opening and saving its own work; a reload finds it', async () => {
    const ls = new MemoryStorage();
    const locks = new Locks();
    const A = bigCase(1);
    const first = await openTab(ls, locks);
    importCase(first, A);
    expect(first.hash()).not.toContain('case=');

    // A second tab opens (and writes at start), then works on something else and saves it.
    const second = await openTab(ls, locks);
    second.activate();
    second.store.getState().actions.useSeeded();
    second.store.getState().actions.setText('another tab’s text');
    second.flush();

    // The first tab is reloaded: its link finds its case, with no message.
    const reloaded = await openTab(ls, locks, first.hash());
    expect(reloaded.notices()).toEqual([]);
    expect(shownCase(reloaded)).toEqual(A);

    // Each tab with its own large case: neither overwrites the other.
    const B = bigCase(2);
    importCase(second, B);
    expect(shownCase(await openTab(ls, locks, first.hash()))).toEqual(A);
    expect(shownCase(await openTab(ls, locks, second.hash()))).toEqual(B);
    // A new tab opens with the latest saved document, with its own case.
    expect(shownCase(await openTab(ls, locks))).toEqual(B);
  });

  it('a link that names a case this browser does not keep says so and keeps the document it had', async () => {
    const ls = new MemoryStorage();
    const locks = new Locks();
    const tab = await openTab(ls, locks);
    importCase(tab, bigCase(3));
    const elsewhere = await openTab(new MemoryStorage(), new Locks(), tab.hash());
    expect(elsewhere.notices()).toEqual(['Link: the case was too large for the link and is not stored in this browser']);
    expect(elsewhere.store.getState().doc.source.kind).toBe('seeded');
  });

  it('a document saved before cases had ids still opens with the case kept then', async () => {
    const ls = new MemoryStorage();
    ls.setItem('attention-lab:case', JSON.stringify(SMALL));
    ls.setItem('attention-lab:doc', 'v=1&view=heads&mode=words&text=small%20case&src=case');
    const tab = await openTab(ls, new Locks());
    expect(tab.notices()).toEqual([]);
    expect(shownCase(tab)).toEqual(SMALL);
  });
});

describe('storage full', () => {
  it('a case that does not fit: neither it nor the document is saved, the notice says so, and a reload finds the last saved pair', async () => {
    const ls = new MemoryStorage(100_000);
    const locks = new Locks();
    const tab = await openTab(ls, locks);
    importCase(tab, SMALL);
    const saved = ls.getItem('attention-lab:doc');
    expect(saved).toContain('src=case');

    importCase(tab, bigCase(4));
    expect(ls.refused).toBeGreaterThan(0);
    expect(ls.getItem('attention-lab:doc')).toBe(saved);
    expect(tab.notices()).toEqual([
      'This case is too large for the link, and this browser’s storage is full: the case and your latest changes are not saved here, so a reload would not find them. Download the case to keep it.',
    ]);
    const notice = tab.store.getState().notices.find((n) => n.area === 'storage')!;
    expect(notice.actions?.map((a) => a.id)).toEqual(['download-case', 'free-space']);

    // A new tab (or a reload without the link) opens the last saved document with its own case.
    const reopened = await openTab(ls, locks);
    expect(reopened.notices()).toEqual([]);
    expect(shownCase(reopened)).toEqual(SMALL);
    expect(reopened.store.getState().doc.tokens).toEqual(['small', 'case']);
    // A reload of the tab (its link names the unsaved case): said, not replaced by another case.
    const reloaded = await openTab(ls, locks, tab.hash());
    expect(reloaded.notices()).toEqual(['Link: the case was too large for the link and is not stored in this browser']);
    expect(shownCase(reloaded)).toEqual(SMALL);
  });

  it('a document that cannot be saved at all: the notice says the link still holds it (true: no case outside the link)', async () => {
    const ls = new MemoryStorage(0);
    const tab = await openTab(ls, new Locks());
    tab.activate();
    tab.store.getState().actions.setText('kept in the link');
    tab.flush();
    expect(tab.notices()).toEqual(['This browser would not save the state (storage full or blocked); the link still holds it.']);
    expect(tab.hash()).toContain('text=kept%20in%20the%20link');
  });

  it('a model that does not fit: the notice says a reload would lose it (the link does not hold models) and offers the file', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../public/models/brown-char.json', import.meta.url), 'utf8')) as ModelManifest;
    const bytes = new Uint8Array(readFileSync(new URL('../public/models/brown-char.bin', import.meta.url)));
    const ls = new MemoryStorage(200_000);
    const tab = await openTab(ls, new Locks());
    tab.activate();
    tab.store.getState().actions.keepUserModel(manifest, bytes, 'my model');
    expect(tab.notices()).toEqual(['This browser’s storage is full: the model you trained or loaded is not saved, and a reload would lose it. Download it to keep it.']);
    expect(tab.store.getState().notices[0].actions?.map((a) => a.id)).toEqual(['download-model']);
  });

  it('“remove saved cases no open tab shows” frees the space of closed tabs’ cases only, then saves', async () => {
    const locks = new Locks();
    const size = JSON.stringify(bigCase(5)).length;
    const ls = new MemoryStorage(Math.round(size * 2.6));
    const closed = await openTab(ls, locks);
    importCase(closed, bigCase(5));
    closed.close();
    const open = await openTab(ls, locks);
    importCase(open, bigCase(6));
    const third = await openTab(ls, locks);
    importCase(third, bigCase(7));
    expect(third.notices()[0]).toMatch(/^This case is too large for the link, and this browser’s storage is full/);
    const free = third.store.getState().notices.find((n) => n.area === 'storage')!.actions!.find((a) => a.id === 'free-space')!;
    free.run();
    await vi.waitFor(() => expect(third.notices().some((n) => n.startsWith('Removed 1 saved case(s)'))).toBe(true));
    const cases = ls.keys().filter((k) => k.startsWith('attention-lab:case:'));
    expect(cases).toHaveLength(2);
    // The new case is saved with its document; the open tab's case is kept.
    expect(shownCase(await openTab(ls, locks))).toEqual(bigCase(7));
    expect(shownCase(await openTab(ls, locks, open.hash()))).toEqual(bigCase(6));
  });
});
