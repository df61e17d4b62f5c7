// A tiny heatmap of one head's A, as a toggle button (for a layers×heads "model view" grid).
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Matrix } from '../../engine/types.ts';
import type { Palette } from '../common/color.ts';
import { clamp, heatmapLayout, type HeatmapLayout } from '../common/geometry.ts';
import { schedulePaint, useDevicePixelRatio } from '../common/hooks.ts';
import { paintCells } from '../common/paint.ts';
import type { ColorKind } from '../common/types.ts';
import '../views.css';
import './modelview.css';

export interface ThumbnailCanvasProps {
  /** The matrix painted. */
  matrix: Matrix;
  /** CSS pixels per cell and size, e.g. from heatmapLayout(rows, cols, size, dpr). */
  layout: HeatmapLayout;
  /** Sequential (default) or diverging colours. */
  color?: ColorKind;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Columns drawn as excluded (weight 0). */
  excludedCols?: boolean[];
  /** A row outlined over the cells (the query in focus); changing it never repaints the cells. */
  highlightRow?: number | null;
  /** False: not painted yet (the model view waits until the tile is near the viewport). Default true. */
  paint?: boolean;
}

const SEQUENTIAL: [number, number] = [0, 1];
const DIVERGING: [number, number] = [-1, 1];

/** The cells of a thumbnail (canvas, pooled when there are more cells than pixels) and a row overlay. */
export const ThumbnailCanvas = memo(function ThumbnailCanvas({
  matrix,
  layout,
  color = 'sequential',
  palette = 'default',
  excludedCols,
  highlightRow = null,
  paint = true,
}: ThumbnailCanvasProps) {
  const dpr = useDevicePixelRatio();
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !paint) return;
    const domain = color === 'sequential' ? SEQUENTIAL : DIVERGING;
    // data-painted tells tests and the benchmark which thumbnails show the current matrix.
    canvas.dataset.painted = '0';
    return schedulePaint(() => {
      paintCells(canvas, matrix, { kind: color, domain, palette, excludedCols, layout, dpr });
      canvas.dataset.painted = '1';
    });
  }, [matrix, color, palette, excludedCols, layout, dpr, paint]);
  const row = highlightRow !== null && highlightRow >= 0 && highlightRow < matrix.rows ? highlightRow : null;
  // At least 2 px tall, so the row stays visible when a thousand rows share 80 pixels.
  const band = Math.max(layout.cell, 2);
  const y = clamp(((row ?? 0) + 0.5) * layout.cell - band / 2, 0, Math.max(0, layout.height - band));
  return (
    <span className="al-thumb-cells" style={{ position: 'relative', display: 'block', width: layout.width, height: layout.height }}>
      <canvas ref={ref} style={{ width: layout.width, height: layout.height }} aria-hidden="true" />
      {row !== null && (
        <svg className="al-thumb-overlay" width={layout.width} height={layout.height} aria-hidden="true">
          <rect className="al-thumb-row-halo" x={0.5} y={y} width={Math.max(0, layout.width - 1)} height={band} />
          <rect className="al-thumb-row" x={0.5} y={y} width={Math.max(0, layout.width - 1)} height={band} />
        </svg>
      )}
    </span>
  );
});

export interface HeadThumbnailProps {
  /** The matrix painted (A of one head). */
  matrix: Matrix;
  /** Accessible name and visible caption, e.g. "Layer 1, head 3". */
  title: string;
  /** Caption under the thumbnail (defaults to title). */
  caption?: string;
  /** Side in CSS pixels (default 64). */
  size?: number;
  /** Sequential (default) or diverging colours. */
  color?: ColorKind;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Columns drawn as excluded (weight 0). */
  excludedCols?: boolean[];
  /** Outlined as the head opened in the other views. */
  selected?: boolean;
  /** The thumbnail was clicked or chosen with the keyboard. */
  onClick?: () => void;
  /** A row outlined over the cells (e.g. the query under the pointer). */
  highlightRow?: number | null;
}

export const HeadThumbnail = memo(function HeadThumbnail({
  matrix,
  title,
  caption,
  size = 64,
  color = 'sequential',
  palette = 'default',
  excludedCols,
  selected = false,
  onClick,
  highlightRow = null,
}: HeadThumbnailProps) {
  const dpr = useDevicePixelRatio();
  const layout = useMemo(() => heatmapLayout(matrix.rows, matrix.cols, size, dpr), [matrix.rows, matrix.cols, size, dpr]);
  return (
    <button type="button" className="al-thumb" aria-pressed={selected} aria-label={title} title={title} onClick={onClick} data-testid="head-thumbnail">
      <ThumbnailCanvas matrix={matrix} layout={layout} color={color} palette={palette} excludedCols={excludedCols} highlightRow={highlightRow} />
      <span aria-hidden="true">{caption ?? title}</span>
    </button>
  );
});
