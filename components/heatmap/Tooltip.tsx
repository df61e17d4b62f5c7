// The tooltip of the cell under the pointer (or the keyboard's active cell).
import type { CSSProperties } from 'react';
import type { HeatmapLayout } from '../common/geometry.ts';
import { formatFull } from '../common/format.ts';
import type { Cell } from '../common/types.ts';

/** Tooltip above the cell (below it near the top), sliding horizontally so it stays over the matrix. */
function tooltipStyle(cell: Cell, layout: HeatmapLayout): CSSProperties {
  const c = layout.cell;
  const x = (cell.col + 0.5) * c;
  const frac = layout.width > 0 ? x / layout.width : 0.5;
  const above = cell.row * c > 28;
  return {
    left: x,
    top: above ? cell.row * c - 4 : (cell.row + 1) * c + 4,
    transform: `translate(${(-frac * 100).toFixed(1)}%, ${above ? '-100%' : '0'})`,
  };
}

export interface CellTooltipProps {
  /** The cell described. */
  cell: Cell;
  /** Its value (full precision in data-value). */
  value: number;
  /** The text shown. */
  text: string;
  /** The element id (the cells point at it). */
  id: string;
  layout: HeatmapLayout;
}

export function CellTooltip({ cell, value, text, id, layout }: CellTooltipProps) {
  return (
    <div
      className="al-heatmap-tooltip"
      data-testid="heatmap-tooltip"
      data-value={formatFull(value)}
      data-row={cell.row}
      data-col={cell.col}
      role="tooltip"
      id={id}
      style={tooltipStyle(cell, layout)}
    >
      {text}
    </div>
  );
}
