// Numbers written on the cells of a heatmap, in a colour readable on each cell.
import { memo, type ReactNode } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { colorOf, readableTextColor, type Palette } from '../common/color.ts';
import { formatCompact } from '../common/format.ts';
import type { HeatmapLayout } from '../common/geometry.ts';
import type { ColorKind } from '../common/types.ts';

interface CellValuesProps {
  /** The matrix whose values are written. */
  matrix: Matrix;
  /** Cell size and extent. */
  layout: HeatmapLayout;
  /** Its colours, for a readable text colour on each cell. */
  kind: ColorKind;
  /** Its colour domain. */
  domain: [number, number];
  /** Its palette. */
  palette: Palette;
}

/** Numbers written on cells (only when cells are large). Memoised: unaffected by hover. */
export const CellValues = memo(function CellValues({ matrix, layout, kind, domain, palette }: CellValuesProps) {
  const { rows, cols, data } = matrix;
  const c = layout.cell;
  const fontSize = Math.min(12, Math.max(9, c / 3));
  const maxChars = Math.floor((c - 4) / (0.6 * fontSize));
  const items: ReactNode[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      // When no form fits, allow two more characters at a proportionally smaller size.
      let text = formatCompact(v, maxChars);
      let size = fontSize;
      if (text === null) {
        text = formatCompact(v, maxChars + 2);
        if (text === null) continue;
        size = Math.max(6, (fontSize * maxChars) / text.length);
      }
      items.push(
        <text
          key={i * cols + j}
          x={(j + 0.5) * c}
          y={(i + 0.5) * c}
          dy="0.35em"
          textAnchor="middle"
          fontSize={size}
          fill={readableTextColor(colorOf(kind, domain, v, palette))}
        >
          {text}
        </text>,
      );
    }
  }
  return (
    <svg className="al-heatmap-values" width={layout.width} height={layout.height} aria-hidden="true">
      {items}
    </svg>
  );
});

