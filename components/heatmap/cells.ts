import type { Cell } from '../common/types.ts';

export function sameCell(a: Cell | null, b: Cell | null): boolean {
  return a === b || (a !== null && b !== null && a.row === b.row && a.col === b.col);
}

/** The cell when it lies inside a rows × cols matrix, else null. */
export function inRange(c: Cell | null | undefined, rows: number, cols: number): Cell | null {
  return c && c.row >= 0 && c.col >= 0 && c.row < rows && c.col < cols ? c : null;
}
