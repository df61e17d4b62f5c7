import { useEffect, useRef, type RefObject } from 'react';
import type { Matrix } from '../../engine/types.ts';
import type { Palette } from '../common/color.ts';
import type { HeatmapLayout } from '../common/geometry.ts';
import { schedulePaint } from '../common/hooks.ts';
import { paintCells } from '../common/paint.ts';
import type { ColorKind } from '../common/types.ts';

/** Matrices up to this many cells paint synchronously; larger ones go through the paint queue. */
const IMMEDIATE_CELLS = 256 * 256;

export interface CellPaint {
  kind: ColorKind;
  domain: [number, number];
  palette: Palette;
  excludedCols: boolean[] | undefined;
  layout: HeatmapLayout;
  dpr: number;
}

/**
 * The canvas of the cells, repainted only when the data, colours or size change (never on hover:
 * the highlights are a separate SVG layer).
 */
export function useCellPainting(matrix: Matrix, { kind, domain, palette, excludedCols, layout, dpr }: CellPaint): RefObject<HTMLCanvasElement | null> {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { rows, cols } = matrix;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const paint = () => paintCells(canvas, matrix, { kind, domain, palette, excludedCols, layout, dpr });
    if (rows * cols <= IMMEDIATE_CELLS) {
      paint();
      return;
    }
    return schedulePaint(paint);
  }, [matrix, kind, domain, palette, excludedCols, layout, dpr, rows, cols]);
  return canvasRef;
}
