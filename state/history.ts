// Undo history of the document: edits are committed with a tag, consecutive edits of the same tag
// within a moment merge into one undo step (typing, slider drags), and view-only changes are not undoable.
import type { StoreApi } from 'zustand';
import { contentOf, normalizeDoc, type Content, type DocState } from './document.ts';

const HISTORY_LIMIT = 200;
/** Edits of the same kind closer than this merge into one undo step (typing, slider drags). */
const COALESCE_MS = 700;

interface HistoryState {
  doc: DocState;
  past: Content[];
  future: Content[];
  revision: number;
}

export interface History {
  /** Applies an edit to the document, recording one undo step (merged with the previous edit of the same tag). */
  commit(next: DocState, tag: string): void;
  /** View-only changes (selection, tab, step): not undoable. */
  look(patch: Partial<DocState>): void;
  undo(): void;
  redo(): void;
  /** Replaces the document (a link, localStorage); `undoable` says whether it can be undone. */
  replace(doc: DocState, undoable: boolean): void;
  /** The tag of the last edit, until undo, redo or a replacement. */
  lastTag(): string | null;
}

/** The history of one store. */
export function createHistory<S extends HistoryState>(set: StoreApi<S>['setState'], get: () => S): History {
  let lastTag: string | null = null;
  let lastAt = 0;
  const put = (patch: (s: S) => Partial<HistoryState>) => set((s) => patch(s) as Partial<S>);
  return {
    commit(next, tag) {
      const prev = get().doc;
      const doc = normalizeDoc(next);
      if (doc === prev) return;
      const now = Date.now();
      const merge = tag === lastTag && now - lastAt < COALESCE_MS && get().past.length > 0;
      lastTag = tag;
      lastAt = now;
      put((s) => ({ doc, past: merge ? s.past : [...s.past, contentOf(prev)].slice(-HISTORY_LIMIT), future: [] }));
    },
    look(patch) {
      put((s) => ({ doc: normalizeDoc({ ...s.doc, ...patch }) }));
    },
    undo() {
      const { past, future, doc } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      lastTag = null;
      put((s) => ({ doc: normalizeDoc({ ...doc, ...prev }), past: past.slice(0, -1), future: [...future, contentOf(doc)], revision: s.revision + 1 }));
    },
    redo() {
      const { past, future, doc } = get();
      const next = future[future.length - 1];
      if (!next) return;
      lastTag = null;
      put((s) => ({ doc: normalizeDoc({ ...doc, ...next }), future: future.slice(0, -1), past: [...past, contentOf(doc)].slice(-HISTORY_LIMIT), revision: s.revision + 1 }));
    },
    replace(doc, undoable) {
      const prev = get().doc;
      lastTag = null;
      put((s) => ({
        doc: normalizeDoc(doc),
        past: undoable ? [...s.past, contentOf(prev)].slice(-HISTORY_LIMIT) : s.past,
        future: undoable ? [] : s.future,
        revision: s.revision + 1,
      }));
    },
    lastTag: () => lastTag,
  };
}
