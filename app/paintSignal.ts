// Tiny hooks for tests and the browser benchmark: after the heatmaps of a result are painted (drawn
// into their canvases and the frame showing them painted) the app sets window.__alLastPaint /
// __alPaintId and dispatches "al:paint"; once the hover highlight
// of a new focus is in the DOM it sets window.__alLastHover and dispatches "al:hover".
// Nothing in the app reads them.
import { pendingPaints, schedulePaint } from '../components/common/hooks.ts';

declare global {
  interface Window {
    __alLastPaint?: number;
    __alPaintId?: number;
    __alLastHover?: number;
  }
}

/**
 * Call after a result is committed (from an effect: the views' own paint effects have run by then).
 * Once every queued heatmap paint has run, waits for the next frame and signals right after it, when
 * the browser has laid out and painted that frame (a task posted from requestAnimationFrame runs
 * after the frame's rendering). Small heatmaps paint in their effects; with none queued the frame is
 * requested at once (a hop through the paint queue can let that frame go by first).
 */
export function signalPainted(id: number): () => void {
  let raf = 0;
  let cancelled = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (cancelled) return;
    window.__alLastPaint = performance.now();
    window.__alPaintId = id;
    window.dispatchEvent(new CustomEvent('al:paint', { detail: { id } }));
  };
  const afterNextFrame = () => {
    raf = requestAnimationFrame(() => channel.port2.postMessage(null));
  };
  const cancelJob = pendingPaints() === 0 ? (afterNextFrame(), () => {}) : schedulePaint(afterNextFrame);
  return () => {
    cancelled = true;
    cancelJob();
    cancelAnimationFrame(raf);
    channel.port1.close();
  };
}

/** Call from a layout effect on the focus: every view's overlay has been updated in the DOM. */
export function signalHover(): void {
  window.__alLastHover = performance.now();
  window.dispatchEvent(new Event('al:hover'));
}
