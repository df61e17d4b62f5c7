// The highlights over the cells: the highlighted row and column bands, the hovered, selected and
// keyboard-active cells. A separate SVG layer, so a hover never repaints the cells.
import type { HeatmapLayout } from '../common/geometry.ts';
import type { Cell } from '../common/types.ts';

export interface HighlightOverlayProps {
  layout: HeatmapLayout;
  /** The highlighted row, or null. */
  row: number | null;
  /** The highlighted column, or null. */
  col: number | null;
  /** The cell under the pointer. */
  hover: Cell | null;
  /** The selected cell. */
  selected: Cell | null;
  /** The keyboard's active cell (while the cells have the focus). */
  active: Cell | null;
}

export function HighlightOverlay({ layout, row, col, hover, selected, active }: HighlightOverlayProps) {
  const c = layout.cell;
  const band = Math.max(c, 3);
  return (
    <svg className="al-heatmap-overlay" width={layout.width} height={layout.height} aria-hidden="true">
      {row !== null && <rect className="al-hl" x={0.75} y={row * c + c / 2 - band / 2} width={Math.max(0, layout.width - 1.5)} height={band} />}
      {col !== null && <rect className="al-hl" x={col * c + c / 2 - band / 2} y={0.75} width={band} height={Math.max(0, layout.height - 1.5)} />}
      {hover && <rect className="al-hover" x={hover.col * c} y={hover.row * c} width={Math.max(c, 3)} height={Math.max(c, 3)} />}
      {selected && <rect className="al-selected" x={selected.col * c + c / 2 - band / 2 - 1} y={selected.row * c + c / 2 - band / 2 - 1} width={band + 2} height={band + 2} />}
      {active && <rect className="al-active" x={active.col * c} y={active.row * c} width={Math.max(c, 3)} height={Math.max(c, 3)} />}
    </svg>
  );
}
