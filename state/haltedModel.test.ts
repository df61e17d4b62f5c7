import { describe, expect, it } from 'vitest';
import { KEY_HALTED, readHalted, startHaltedMemory } from './haltedModel.ts';
import { createAppStore } from './store.ts';

/** A Storage over a Map (what localStorage offers the module). */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('the halted model across visits', () => {
  it('is written when the watchdog holds a model, read by the next visit, removed when the user runs it', () => {
    const ls = memoryStorage();
    const first = createAppStore();
    startHaltedMemory(first, ls);
    first.getState().actions.setHalted({ model: 'hf:a/b@main', step: 'tokenize' });
    expect(JSON.parse(ls.getItem(KEY_HALTED)!)).toEqual({ model: 'hf:a/b@main', step: 'tokenize' });

    const next = createAppStore();
    startHaltedMemory(next, ls);
    expect(next.getState().halted).toEqual({ model: 'hf:a/b@main', step: 'tokenize' });
    next.getState().actions.setHalted(null);
    expect(ls.getItem(KEY_HALTED)).toBeNull();
  });

  it('a value that is not a record is ignored', () => {
    const ls = memoryStorage();
    for (const bad of ['{', '"x"', '{"model":1,"step":"tokenize"}', 'null', '[]']) {
      ls.setItem(KEY_HALTED, bad);
      expect(readHalted(ls), bad).toBeNull();
    }
  });
});
