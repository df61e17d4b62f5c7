// Tiny hooks for tests and the browser benchmark: after the heatmaps of a result are painted the
// app sets window.__alLastPaint / __alPaintId and dispatches "al:paint"; once the hover highlight
// of a new focus is in the DOM it sets window.__alLastHover and dispatches "al:hover".
// Nothing in the app reads them.
import { schedulePaint } from '../components/hooks.ts';

declare global {
  interface Window {
    __alLastPaint?: number;
    __alPaintId?: number;
    __alLastHover?: number;
  }
}

/** Call after a result is committed: runs after every queued heatmap paint, then the next frame. */
export function signalPainted(id: number): () => void {
  let raf = 0;
  const cancel = schedulePaint(() => {
    raf = requestAnimationFrame(() => {
      window.__alLastPaint = performance.now();
      window.__alPaintId = id;
      window.dispatchEvent(new CustomEvent('al:paint', { detail: { id } }));
    });
  });
  return () => {
    cancel();
    cancelAnimationFrame(raf);
  };
}

/** Call from a layout effect on the focus: every view's overlay has been updated in the DOM. */
export function signalHover(): void {
  window.__alLastHover = performance.now();
  window.dispatchEvent(new Event('al:hover'));
}
