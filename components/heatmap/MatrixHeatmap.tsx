// One labelled matrix heatmap. Cells: a canvas painted through ImageData (1 px per cell, scaled
// with drawImage). Labels, on-cell values and highlight outlines: SVG, in separate layers, so a
// hover only re-renders the small overlay and never repaints the cells. The parts live in heatmap/.
import { memo, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import '../views.css';
import { useT } from '../../i18n/react.ts';
import { ColorLegend } from './ColorLegend.tsx';
import { defaultDomain, type Palette } from '../common/color.ts';
import { formatValue } from '../common/format.ts';
import { defaultHeatmapSize, heatmapLayout } from '../common/geometry.ts';
import { boolKey, useDevicePixelRatio, useStableFlags, useStableStrings } from '../common/hooks.ts';
import type { Matrix } from '../../engine/types.ts';
import type { Cell, ColorKind } from '../common/types.ts';
import { CellEditor, useCellEditor } from './CellEditor.tsx';
import { CellTooltip } from './Tooltip.tsx';
import { CellValues } from './CellValues.tsx';
import { HighlightOverlay } from './HighlightOverlay.tsx';
import { AxisLabels, LabelMark, labelText, useLabelBands } from './labels.tsx';
import { inRange, sameCell } from './cells.ts';
import { useCellPainting } from './useCellPainting.ts';
import { useCellPointer } from './useCellPointer.ts';

/** One labelled matrix heatmap (cells on canvas via ImageData, labels in SVG). */
export interface MatrixHeatmapProps {
  /** The matrix drawn, one cell per entry. */
  matrix: Matrix;
  /** Labels of the rows (tokens), left of the cells; indices when absent. */
  rowLabels?: string[];
  /** Labels of the columns (tokens), above the cells; indices when absent. */
  colLabels?: string[];
  /** Accessible name and caption, e.g. "Head 2 — A". */
  title: string;
  /** Shape written beside the matrix, e.g. "n×d = 5×8". */
  shape?: string;
  /** Sequential colours (attention, 0…1) or diverging ones (signed values). */
  color: ColorKind;
  /** Colour domain; defaults to [0, 1] for sequential and ±max|x| for diverging. */
  domain?: [number, number];
  /** Columns drawn as excluded (hatched/greyed): keys with weight 0. */
  excludedCols?: boolean[];
  /** A row and/or column drawn highlighted; when absent, the hovered or active cell's. */
  highlight?: { row: number | null; col: number | null };
  /** The cell outlined as selected. */
  selected?: Cell | null;
  /** Largest side in CSS pixels. */
  size?: number;
  /** The cell under the pointer or the keyboard changed (null: none). */
  onHover?: (cell: Cell | null) => void;
  /** A cell was clicked, or chosen with Enter or Space. */
  onSelect?: (cell: Cell) => void;
  /** When given, cells are editable (double-click / Enter opens an input). */
  onEdit?: (cell: Cell, value: number) => void;
  /** Visible caption (e.g. KaTeX); `title` stays the accessible name. */
  caption?: ReactNode;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Show the colour legend under the matrix (default true). */
  legend?: boolean;
  /** Numbers on cells: default when cells are ≥ 28 px. */
  showValues?: boolean;
  /** Tooltip / announcement text of a cell; default "row → col: value". */
  describeCell?: (cell: Cell, value: number) => string;
  /** Hide the caption row (the parent shows its own). */
  hideCaption?: boolean;
  /** Extra class names of the figure. */
  className?: string;
}

const VALUE_MIN_CELL = 28;
const MAX_VALUE_CELLS = 4096;

function MatrixHeatmapImpl(props: MatrixHeatmapProps) {
  const t = useT();
  const {
    matrix,
    rowLabels: rowLabelsProp,
    colLabels: colLabelsProp,
    title,
    shape,
    color,
    domain,
    excludedCols: excludedColsProp,
    highlight,
    selected,
    size,
    onHover,
    onSelect,
    onEdit,
    caption,
    palette = 'default',
    legend = true,
    showValues,
    describeCell,
    hideCaption = false,
    className,
  } = props;
  const { rows, cols } = matrix;
  const dpr = useDevicePixelRatio();
  const cssSize = size ?? defaultHeatmapSize(rows, cols);
  const layout = useMemo(() => heatmapLayout(rows, cols, cssSize, dpr), [rows, cols, cssSize, dpr]);
  const domainLo = domain?.[0];
  const domainHi = domain?.[1];
  const [lo, hi] = useMemo<[number, number]>(
    () => (domainLo !== undefined && domainHi !== undefined ? [domainLo, domainHi] : defaultDomain(color, matrix)),
    [domainLo, domainHi, color, matrix],
  );
  const dom = useMemo<[number, number]>(() => [lo, hi], [lo, hi]);
  // Keyed by content, so a parent passing a fresh but equal array never triggers a repaint.
  const excludedCols = useStableFlags(excludedColsProp);
  const rowLabels = useStableStrings(rowLabelsProp);
  const colLabels = useStableStrings(colLabelsProp);

  const canvasRef = useCellPainting(matrix, { kind: color, domain: dom, palette, excludedCols, layout, dpr });
  const bands = useLabelBands(rowLabels, colLabels, layout.cell);

  // --- screen-reader announcements ---
  const [announcement, setAnnouncement] = useState('');
  const valueAt = (c: Cell) => matrix.data[c.row * cols + c.col];
  const describe = (c: Cell): string => {
    const v = valueAt(c);
    if (describeCell) return describeCell(c, v);
    return t('heatmap.cell', { row: labelText(rowLabels, c.row), col: labelText(colLabels, c.col), value: formatValue(v) });
  };
  const announce = (c: Cell) => {
    const v = valueAt(c);
    setAnnouncement(
      describeCell ? describeCell(c, v) : t('heatmap.announce', { row: labelText(rowLabels, c.row), col: labelText(colLabels, c.col), value: formatValue(v) }),
    );
  };

  const wrapperRef = useRef<HTMLDivElement>(null);
  const ids = useId();
  const editing = useCellEditor(onEdit, valueAt, () => wrapperRef.current?.focus(), setAnnouncement);
  const { edit } = editing;
  const pointer = useCellPointer({ rows, cols, layout, selected, editing: edit !== null, onHover, onSelect, openEditor: editing.open, announce });

  // What the overlay shows.
  const { hover: hoverCell, active: activeCell } = pointer;
  const selectedCell = inRange(selected, rows, cols);
  const hl = highlight ?? (hoverCell ? { row: hoverCell.row, col: hoverCell.col } : activeCell ? { row: activeCell.row, col: activeCell.col } : null);
  const hlRow = hl && hl.row !== null && hl.row >= 0 && hl.row < rows ? hl.row : null;
  const hlCol = hl && hl.col !== null && hl.col >= 0 && hl.col < cols ? hl.col : null;
  const tipCell = hoverCell ?? activeCell;
  const c = layout.cell;
  const pooledK = Math.ceil(Math.max(rows / Math.max(1, Math.round(layout.height * dpr)), cols / Math.max(1, Math.round(layout.width * dpr))) - 1e-9);
  const values = (showValues ?? c >= VALUE_MIN_CELL) && rows * cols <= MAX_VALUE_CELLS && c >= 12;

  return (
    <figure className={`al-heatmap${className ? ` ${className}` : ''}`}>
      {!hideCaption && (
        <figcaption className="al-heatmap-caption">
          <span className="al-heatmap-title">{caption ?? title}</span>
          {shape && <span className="al-heatmap-shape">{shape}</span>}
          {pooledK > 1 && <span className="al-heatmap-note">{t('heatmap.pooled', { k: pooledK })}</span>}
        </figcaption>
      )}
      <div
        className="al-heatmap-frame"
        style={{
          gridTemplateColumns: `${bands.rowWidth}px ${layout.width}px`,
          gridTemplateRows: `${bands.colExtent}px ${layout.height}px`,
          paddingRight: bands.rightOverflow,
        }}
      >
        <div className="al-heatmap-corner" />
        <div className="al-heatmap-collabels">
          {colLabels && (
            <AxisLabels
              axis="cols"
              labels={colLabels}
              cell={c}
              step={bands.colStep}
              extent={bands.colExtent}
              length={layout.width}
              rotated={bands.rotated}
              excluded={excludedCols}
            />
          )}
          {colLabels && hlCol !== null && (
            <LabelMark axis="cols" index={hlCol} text={labelText(colLabels, hlCol)} cell={c} extent={bands.colExtent} length={layout.width} rotated={bands.rotated} />
          )}
        </div>
        <div className="al-heatmap-rowlabels">
          {rowLabels && <AxisLabels axis="rows" labels={rowLabels} cell={c} step={bands.rowStep} extent={bands.rowWidth} length={layout.height} rotated={false} />}
          {rowLabels && hlRow !== null && (
            <LabelMark axis="rows" index={hlRow} text={labelText(rowLabels, hlRow)} cell={c} extent={bands.rowWidth} length={layout.height} rotated={false} />
          )}
        </div>
        <div
          ref={wrapperRef}
          className="al-heatmap-cells"
          data-testid="heatmap"
          data-rows={rows}
          data-cols={cols}
          data-title={title}
          tabIndex={0}
          role="img"
          aria-label={title}
          aria-roledescription={t('heatmap.roledescription')}
          aria-describedby={`${ids}-help`}
          style={{ width: layout.width, height: layout.height }}
          {...pointer.handlers}
        >
          <canvas ref={canvasRef} className="al-heatmap-canvas" style={{ width: layout.width, height: layout.height }} />
          {values && <CellValues matrix={matrix} layout={layout} kind={color} domain={dom} palette={palette} />}
          <HighlightOverlay layout={layout} row={hlRow} col={hlCol} hover={hoverCell} selected={selectedCell} active={activeCell} />
          {tipCell && !edit && <CellTooltip cell={tipCell} value={valueAt(tipCell)} text={describe(tipCell)} id={`${ids}-tip`} layout={layout} />}
          {edit && (
            <CellEditor
              editing={{ ...editing, edit }}
              cell={c}
              width={layout.width}
              label={t('heatmap.edit.label', { row: labelText(rowLabels, edit.cell.row), col: labelText(colLabels, edit.cell.col) })}
              errorId={`${ids}-err`}
            />
          )}
        </div>
      </div>
      {legend && <ColorLegend kind={color} domain={dom} palette={palette} width={Math.max(120, Math.min(240, layout.width + bands.rowWidth))} />}
      <span id={`${ids}-help`} className="al-sr-only">
        {t(onEdit ? 'heatmap.help.editable' : 'heatmap.help')}
      </span>
      <span className="al-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </figure>
  );
}

function sameHighlight(a: MatrixHeatmapProps['highlight'], b: MatrixHeatmapProps['highlight']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.row === b.row && a.col === b.col;
}

function propsEqual(a: MatrixHeatmapProps, b: MatrixHeatmapProps): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof MatrixHeatmapProps>;
  for (const k of keys) {
    if (k === 'highlight') {
      if (!sameHighlight(a.highlight, b.highlight)) return false;
    } else if (k === 'selected') {
      if (!sameCell(a.selected ?? null, b.selected ?? null)) return false;
    } else if (k === 'excludedCols') {
      if (a.excludedCols !== b.excludedCols && boolKey(a.excludedCols) !== boolKey(b.excludedCols)) return false;
    } else if (k === 'domain') {
      if (a.domain?.[0] !== b.domain?.[0] || a.domain?.[1] !== b.domain?.[1]) return false;
    } else if (a[k] !== b[k]) return false;
  }
  return true;
}

/** A labelled matrix heatmap (see MatrixHeatmapProps). Re-renders only when props change by value. */
export const MatrixHeatmap = memo(MatrixHeatmapImpl, propsEqual);
