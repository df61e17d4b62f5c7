// A model whose last run the watchdog stopped is remembered across visits: the link and the saved document
// still name it, and its files are cached, so without this a reload would hang the engine again. The
// compute client then waits for the user (ModelSource asks) instead of running it.
import type { AppStore, HaltedModel } from './store.ts';

export const KEY_HALTED = 'attention-lab:halted-model';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The stored record, or null when there is none or it is not one (a hand-edited value is dropped). */
export function readHalted(ls: Storage | null = storage()): HaltedModel | null {
  try {
    const v: unknown = JSON.parse(ls?.getItem(KEY_HALTED) ?? 'null');
    if (typeof v !== 'object' || v === null) return null;
    const { model, step } = v as Record<string, unknown>;
    return typeof model === 'string' && typeof step === 'string' ? { model, step } : null;
  } catch {
    return null;
  }
}

/** Puts the stored record into the store, then keeps storage in step with it. */
export function startHaltedMemory(store: AppStore, ls: Storage | null = storage()): () => void {
  store.getState().actions.setHalted(readHalted(ls));
  return store.subscribe((s, prev) => {
    if (s.halted === prev.halted || !ls) return;
    try {
      if (s.halted) ls.setItem(KEY_HALTED, JSON.stringify(s.halted));
      else ls.removeItem(KEY_HALTED);
    } catch {
      // Storage full or refused: the record lives for this visit only, which is what it is for first.
    }
  });
}
