// Inline messages (bad links, files, edits, engine warnings, storage), at most six, the newest last.
import type { SliceContext } from './context.ts';

export type NoticeArea = 'link' | 'file' | 'edit' | 'engine' | 'storage' | 'clipboard';

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  area: NoticeArea;
  text: string;
  /** Buttons offered with the message (e.g. download broken data, then discard it). */
  actions?: NoticeAction[];
}

export interface NoticeAction {
  label: string;
  /** Stable test id of the button. */
  id: string;
  run: () => void;
  /** Whether running it also dismisses the notice. */
  dismisses?: boolean;
}

export interface NoticeActions {
  notify(kind: Notice['kind'], area: NoticeArea, text: string, actions?: NoticeAction[]): void;
  dismiss(id: number): void;
  clearNotices(area?: NoticeArea): void;
}

let noticeId = 0;

export function noticesSlice({ set }: SliceContext): NoticeActions {
  return {
    notify(kind, area, text, actions) {
      set((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { id: ++noticeId, kind, area, text, actions }].slice(-6) }));
    },
    dismiss(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },
    clearNotices(area) {
      set((s) => ({ notices: area ? s.notices.filter((n) => n.area !== area) : [] }));
    },
  };
}
