// Which cell the pointer and the keyboard are on. Arrow keys (Ctrl: to the edge, PageUp/Down: by an
// eighth) move the active cell, Enter/Space select it (Enter also opens the editor), F2 edits,
// Escape leaves; every move is announced. Touch has no hover: a tap does what hovering does
// (highlight, tooltip, announcement), a second tap on the cell or a tap elsewhere clears it, and a
// long press selects (pins) the cell, like a click with a mouse.
import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent as ReactMouseEvent, type PointerEvent } from 'react';
import { cellAt, moveCell, type HeatmapLayout } from '../common/geometry.ts';
import type { Cell } from '../common/types.ts';
import { inRange, sameCell } from './cells.ts';
import { LONG_PRESS_MS } from '../common/useLongPress.ts';

export interface CellPointerOptions {
  rows: number;
  cols: number;
  layout: HeatmapLayout;
  /** Where the keyboard starts when no cell is active. */
  selected: Cell | null | undefined;
  /** An editor is open: the keys are its own. */
  editing: boolean;
  onHover: ((cell: Cell | null) => void) | undefined;
  onSelect: ((cell: Cell) => void) | undefined;
  openEditor: (cell: Cell) => void;
  announce: (cell: Cell) => void;
}

/** A finger that moves further than this is scrolling, not pressing. */
const SLOP_PX = 10;

export function useCellPointer({ rows, cols, layout, selected, editing, onHover, onSelect, openEditor, announce }: CellPointerOptions) {
  const [hover, setHover] = useState<Cell | null>(null);
  const [active, setActive] = useState<Cell | null>(null);
  const [focused, setFocused] = useState(false);
  const hoverRef = useRef<Cell | null>(null);
  const elRef = useRef<HTMLDivElement | null>(null);
  // The touch in progress: where it started and its long-press timer.
  const press = useRef<{ x: number; y: number; timer: number; long: boolean } | null>(null);
  const lastPointer = useRef<string>('mouse');
  const [tapped, setTapped] = useState(false);

  const pointerCell = (e: PointerEvent<HTMLDivElement> | ReactMouseEvent<HTMLDivElement>): Cell | null => {
    const r = e.currentTarget.getBoundingClientRect();
    return cellAt(e.clientX - r.left, e.clientY - r.top, layout);
  };
  const setHoverCell = (c: Cell | null) => {
    if (sameCell(hoverRef.current, c)) return;
    hoverRef.current = c;
    setHover(c);
    onHover?.(c);
  };

  // A tap elsewhere on the page clears a tapped cell.
  useEffect(() => {
    if (!tapped) return;
    const onDown = (e: globalThis.PointerEvent) => {
      if (e.target instanceof Node && elRef.current?.contains(e.target)) return;
      setTapped(false);
      setHoverCell(null);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  });
  useEffect(() => () => window.clearTimeout(press.current?.timer), []);

  const cancelPress = () => {
    if (press.current) window.clearTimeout(press.current.timer);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || editing) return;
    const current = inRange(active, rows, cols) ?? inRange(selected, rows, cols);
    const next = moveCell(current, e.key, rows, cols, { ctrl: e.ctrlKey || e.metaKey, page: Math.max(1, Math.floor(rows / 8)) });
    if (next) {
      e.preventDefault();
      setActive(next);
      hoverRef.current = next;
      setHover(null);
      onHover?.(next);
      announce(next);
      return;
    }
    if ((e.key === 'Enter' || e.key === ' ') && current) {
      e.preventDefault();
      setActive(current);
      onSelect?.(current);
      announce(current);
      if (e.key === 'Enter') openEditor(current);
      return;
    }
    if (e.key === 'F2' && current) {
      e.preventDefault();
      openEditor(current);
      return;
    }
    if (e.key === 'Escape') {
      setActive(null);
      hoverRef.current = null;
      onHover?.(null);
    }
  };

  /** Event handlers for the cells' element. */
  const handlers = {
    onPointerDown: (e: PointerEvent<HTMLDivElement>) => {
      lastPointer.current = e.pointerType;
      elRef.current = e.currentTarget;
      if (e.pointerType !== 'touch') return;
      const cell = pointerCell(e);
      cancelPress();
      if (!cell) return;
      const timer = window.setTimeout(() => {
        if (!press.current) return;
        press.current.long = true;
        setActive(cell);
        setTapped(true);
        setHoverCell(cell);
        onSelect?.(cell);
        announce(cell);
      }, LONG_PRESS_MS);
      press.current = { x: e.clientX, y: e.clientY, timer, long: false };
    },
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => {
      if (e.pointerType !== 'touch') {
        setHoverCell(pointerCell(e));
        return;
      }
      const p = press.current;
      if (p && Math.hypot(e.clientX - p.x, e.clientY - p.y) > SLOP_PX) {
        cancelPress();
        press.current = null;
      }
    },
    onPointerUp: (e: PointerEvent<HTMLDivElement>) => {
      if (e.pointerType !== 'touch') return;
      const p = press.current;
      cancelPress();
      press.current = null;
      if (!p || p.long) return;
      const cell = pointerCell(e);
      if (!cell || sameCell(hoverRef.current, cell)) {
        setTapped(false);
        setHoverCell(null);
        return;
      }
      setTapped(true);
      setHoverCell(cell);
      announce(cell);
    },
    onPointerCancel: () => {
      cancelPress();
      press.current = null;
    },
    // A finger lifting leaves the element too: the tapped cell stays until the next tap.
    onPointerLeave: (e: PointerEvent<HTMLDivElement>) => {
      if (e.pointerType !== 'touch') setHoverCell(null);
    },
    // The long press is ours, not the browser's menu.
    onContextMenu: (e: ReactMouseEvent<HTMLDivElement>) => {
      if (lastPointer.current === 'touch') e.preventDefault();
    },
    onClick: (e: ReactMouseEvent<HTMLDivElement>) => {
      // A tap's click: the tap already did what it does (a long press selects).
      if (lastPointer.current === 'touch') return;
      const cell = pointerCell(e);
      if (!cell) return;
      setActive(cell);
      onSelect?.(cell);
    },
    onDoubleClick: (e: ReactMouseEvent<HTMLDivElement>) => {
      const cell = pointerCell(e);
      if (cell) openEditor(cell);
    },
    onKeyDown,
    onFocus: (e: FocusEvent<HTMLDivElement>) => {
      if (e.target === e.currentTarget) setFocused(true);
    },
    onBlur: (e: FocusEvent<HTMLDivElement>) => {
      if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
      setFocused(false);
    },
  };

  return {
    /** The cell under the pointer (inside the matrix). */
    hover: inRange(hover, rows, cols),
    /** The keyboard's active cell, while the cells have the focus. */
    active: focused ? inRange(active, rows, cols) : null,
    handlers,
  };
}
