// Presentation mode: full screen when the browser allows it, large type and high contrast
// (presentation.css, keyed on html[data-al-presenting]), the heatmaps in the high-contrast palette, and
// a clicker's keys: → ↓ PageDown / Space next, ← ↑ PageUp back, Esc ends.
import { useEffect } from 'react';
import { usePrefs } from '../state/prefs.ts';
import './presentation.css';

const NEXT = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ']);
const PREV = new Set(['ArrowLeft', 'ArrowUp', 'PageUp']);

/** Whether a key belongs to the control it was typed in (an option of the exercise, a text field). */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (key === 'PageDown' || key === 'PageUp') return false;
  // A button owns only Space (it presses it); a field or an option also owns the arrows.
  if (target.matches('button')) return key === ' ';
  return target.matches('input, textarea, select, [contenteditable="true"]');
}

export function usePresentation(on: boolean, go: { next: () => void; prev: () => void; end: () => void }): void {
  const { next, prev, end } = go;
  useEffect(() => {
    if (!on) return;
    const root = document.documentElement;
    root.dataset.alPresenting = '1';
    const { palette, setPrefs } = usePrefs.getState();
    setPrefs({ palette: 'high-contrast' });
    let entered = false;
    // Full screen needs a user gesture and may be refused (an iframe, a headless browser): the mode works without it.
    root.requestFullscreen?.().then(() => (entered = true), () => {});
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || ownsKey(e.target, e.key)) return;
      if (e.key === 'Escape') end();
      else if (NEXT.has(e.key)) next();
      else if (PREV.has(e.key)) prev();
      else return;
      e.preventDefault();
    };
    // Leaving full screen (Esc in the browser) ends the presentation.
    const onFullscreen = () => {
      if (entered && !document.fullscreenElement) end();
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
      delete root.dataset.alPresenting;
      usePrefs.getState().setPrefs({ palette });
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    };
  }, [on, next, prev, end]);
}
