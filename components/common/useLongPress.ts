// A long press on a button (a finger, or a mouse held down): runs `onLong` and swallows the click
// that follows, so the button's ordinary click stays what a short tap does.
import { useEffect, useRef, type MouseEvent, type PointerEvent } from 'react';

/** How long a finger rests on a button or a cell before it counts as a long press. */
export const LONG_PRESS_MS = 500;
const SLOP_PX = 10;

export function useLongPress(onLong: () => void) {
  const press = useRef<{ x: number; y: number; timer: number } | null>(null);
  const fired = useRef(false);
  const cancel = () => {
    if (press.current) window.clearTimeout(press.current.timer);
    press.current = null;
  };
  useEffect(() => cancel, []);
  return {
    onPointerDown: (e: PointerEvent<HTMLElement>) => {
      cancel();
      fired.current = false;
      const timer = window.setTimeout(() => {
        press.current = null;
        fired.current = true;
        onLong();
      }, LONG_PRESS_MS);
      press.current = { x: e.clientX, y: e.clientY, timer };
    },
    onPointerMove: (e: PointerEvent<HTMLElement>) => {
      const p = press.current;
      if (p && Math.hypot(e.clientX - p.x, e.clientY - p.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
    onContextMenu: (e: MouseEvent<HTMLElement>) => {
      if (fired.current || press.current) e.preventDefault();
    },
    /** True once: the click after a long press is not a click. */
    swallowClick: (): boolean => {
      const f = fired.current;
      fired.current = false;
      return f;
    },
  };
}
