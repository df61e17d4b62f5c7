// Which cell the pointer and the keyboard are on. Arrow keys (Ctrl: to the edge, PageUp/Down: by an
// eighth) move the active cell, Enter/Space select it (Enter also opens the editor), F2 edits,
// Escape leaves; every move is announced.
import { useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent as ReactMouseEvent, type PointerEvent } from 'react';
import { cellAt, moveCell, type HeatmapLayout } from '../geometry.ts';
import type { Cell } from '../types.ts';
import { inRange, sameCell } from './cells.ts';

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

export function useCellPointer({ rows, cols, layout, selected, editing, onHover, onSelect, openEditor, announce }: CellPointerOptions) {
  const [hover, setHover] = useState<Cell | null>(null);
  const [active, setActive] = useState<Cell | null>(null);
  const [focused, setFocused] = useState(false);
  const hoverRef = useRef<Cell | null>(null);

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
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => setHoverCell(pointerCell(e)),
    onPointerLeave: () => setHoverCell(null),
    onClick: (e: ReactMouseEvent<HTMLDivElement>) => {
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
