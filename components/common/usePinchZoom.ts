// A two-finger pinch on an element steps its zoom (one of ZOOMS) up or down. One finger keeps
// scrolling and tapping; the element's CSS sets touch-action: pan-x pan-y so the browser leaves
// the pinch to us instead of zooming the whole page.
import { useRef, type PointerEvent } from 'react';
import { ZOOMS } from './ZoomControl.tsx';

/** The zoom step nearest to z (on a log scale: 1.5 is as far from 1 as 3 from 2). */
export function nearestZoom(z: number): number {
  let best: number = ZOOMS[0];
  for (const s of ZOOMS) if (Math.abs(Math.log(s / z)) < Math.abs(Math.log(best / z))) best = s;
  return best;
}

export function usePinchZoom(zoom: number, onZoom: (zoom: number) => void) {
  const points = useRef(new Map<number, { x: number; y: number }>());
  const start = useRef<{ dist: number; zoom: number } | null>(null);

  const spread = () => {
    const [a, b] = [...points.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const end = (e: PointerEvent<HTMLElement>) => {
    points.current.delete(e.pointerId);
    if (points.current.size < 2) start.current = null;
  };

  return {
    onPointerDown: (e: PointerEvent<HTMLElement>) => {
      if (e.pointerType !== 'touch') return;
      points.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (points.current.size === 2) start.current = { dist: spread(), zoom };
    },
    onPointerMove: (e: PointerEvent<HTMLElement>) => {
      if (!points.current.has(e.pointerId)) return;
      points.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      const s = start.current;
      if (!s || s.dist < 10) return;
      const next = nearestZoom(s.zoom * (spread() / s.dist));
      if (next !== zoom) onZoom(next);
    },
    onPointerUp: end,
    onPointerCancel: end,
  };
}
