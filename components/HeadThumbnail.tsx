// A tiny heatmap of one head's A, as a toggle button (for a layers×heads "model view" grid).
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Matrix } from '../engine/types.ts';
import type { Palette } from './color.ts';
import { heatmapLayout } from './geometry.ts';
import { schedulePaint, useDevicePixelRatio } from './hooks.ts';
import { paintCells } from './paint.ts';
import type { ColorKind } from './types.ts';
import './views.css';

export interface HeadThumbnailProps {
  matrix: Matrix;
  /** Accessible name and visible caption, e.g. "Layer 1, head 3". */
  title: string;
  /** Caption under the thumbnail (defaults to title). */
  caption?: string;
  size?: number;
  color?: ColorKind;
  palette?: Palette;
  excludedCols?: boolean[];
  selected?: boolean;
  onClick?: () => void;
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
}: HeadThumbnailProps) {
  const dpr = useDevicePixelRatio();
  const layout = useMemo(() => heatmapLayout(matrix.rows, matrix.cols, size, dpr), [matrix.rows, matrix.cols, size, dpr]);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const domain: [number, number] = color === 'sequential' ? [0, 1] : [-1, 1];
    return schedulePaint(() => paintCells(canvas, matrix, { kind: color, domain, palette, excludedCols, layout, dpr }));
  }, [matrix, color, palette, excludedCols, layout, dpr]);
  return (
    <button type="button" className="al-thumb" aria-pressed={selected} aria-label={title} title={title} onClick={onClick} data-testid="head-thumbnail">
      <canvas ref={ref} style={{ width: layout.width, height: layout.height }} aria-hidden="true" />
      <span aria-hidden="true">{caption ?? title}</span>
    </button>
  );
});
