// One labelled matrix heatmap. Cells: a canvas painted through ImageData (1 px per cell, scaled
// with drawImage). Labels, on-cell values and highlight outlines: SVG, in separate layers, so a
// hover only re-renders the small overlay and never repaints the cells.
import {
  memo,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent as ReactMouseEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import type { Matrix } from '../engine/types.ts';
import './views.css';
import { useT } from '../i18n/react.ts';
import { ColorLegend } from './ColorLegend.tsx';
import { colorOf, defaultDomain, readableTextColor, type Palette } from './color.ts';
import { displayToken, formatCompact, formatFull, formatValue, parseEditValue, truncateLabel } from './format.ts';
import {
  cellAt,
  defaultHeatmapSize,
  heatmapLayout,
  labelBandWidth,
  labelStep,
  moveCell,
  thinnedIndices,
  type HeatmapLayout,
} from './geometry.ts';
import { boolKey, schedulePaint, useDevicePixelRatio, useStableFlags, useStableStrings } from './hooks.ts';
import { measureText } from './measure.ts';
import { paintCells } from './paint.ts';
import type { Cell, ColorKind, MatrixHeatmapProps } from './types.ts';

export interface MatrixHeatmapExtraProps {
  /** Visible caption (e.g. KaTeX); `title` stays the accessible name. */
  caption?: ReactNode;
  palette?: Palette;
  /** Show the colour legend under the matrix (default true). */
  legend?: boolean;
  /** Numbers on cells: default when cells are ≥ 28 px. */
  showValues?: boolean;
  /** Tooltip / announcement text of a cell; default "row → col: value". */
  describeCell?: (cell: Cell, value: number) => string;
  /** Hide the caption row (the parent shows its own). */
  hideCaption?: boolean;
  className?: string;
}

export type MatrixHeatmapAllProps = MatrixHeatmapProps & MatrixHeatmapExtraProps;

const LABEL_FONT = 11;
const MAX_LABEL_CHARS = 10;
const VALUE_MIN_CELL = 28;
const MAX_VALUE_CELLS = 4096;
/** Matrices up to this many cells paint synchronously; larger ones go through the paint queue. */
const IMMEDIATE_CELLS = 256 * 256;

function sameCell(a: Cell | null, b: Cell | null): boolean {
  return a === b || (a !== null && b !== null && a.row === b.row && a.col === b.col);
}

function inRange(c: Cell | null | undefined, rows: number, cols: number): Cell | null {
  return c && c.row >= 0 && c.col >= 0 && c.row < rows && c.col < cols ? c : null;
}

function labelText(labels: string[] | undefined, k: number): string {
  const s = labels?.[k];
  return s === undefined ? String(k) : displayToken(s);
}

interface AxisLabelsProps {
  axis: 'rows' | 'cols';
  labels: string[];
  cell: number;
  step: number;
  /** Rows: the label column width. Cols: the label band height. */
  extent: number;
  length: number;
  rotated: boolean;
  excluded?: readonly boolean[];
}

/** Thinned axis labels (text nodes only: tokens are untrusted). Memoised: unaffected by hover. */
const AxisLabels = memo(function AxisLabels({ axis, labels, cell, step, extent, length, rotated, excluded }: AxisLabelsProps) {
  const shown = thinnedIndices(labels.length, step);
  if (axis === 'rows') {
    return (
      <svg className="al-axis al-axis-rows" width={extent} height={length} aria-hidden="true">
        {shown.map((i) => (
          <text key={i} x={extent - 4} y={(i + 0.5) * cell} dy="0.35em" textAnchor="end">
            {truncateLabel(labelText(labels, i), MAX_LABEL_CHARS)}
            <title>{labelText(labels, i)}</title>
          </text>
        ))}
      </svg>
    );
  }
  return (
    <svg className="al-axis al-axis-cols" width={length} height={extent} aria-hidden="true">
      {shown.map((j) => {
        const x = (j + 0.5) * cell;
        const cls = excluded?.[j] ? 'al-excluded' : undefined;
        const text = truncateLabel(labelText(labels, j), MAX_LABEL_CHARS);
        return rotated ? (
          <text key={j} className={cls} transform={`translate(${x},${extent - 4}) rotate(-45)`} dy="0.35em">
            {text}
            <title>{labelText(labels, j)}</title>
          </text>
        ) : (
          <text key={j} className={cls} x={x} y={extent - 4} textAnchor="middle">
            {text}
            <title>{labelText(labels, j)}</title>
          </text>
        );
      })}
    </svg>
  );
});

interface CellValuesProps {
  matrix: Matrix;
  layout: HeatmapLayout;
  kind: ColorKind;
  domain: [number, number];
  palette: Palette;
}

/** Numbers written on cells (only when cells are large). Memoised: unaffected by hover. */
const CellValues = memo(function CellValues({ matrix, layout, kind, domain, palette }: CellValuesProps) {
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

interface EditState {
  cell: Cell;
  text: string;
  invalid: boolean;
}

function MatrixHeatmapImpl(props: MatrixHeatmapAllProps) {
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

  // --- cells (canvas): repainted only when data, colours or size change ---
  const canvasRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const paint = () => paintCells(canvas, matrix, { kind: color, domain: dom, palette, excludedCols, layout, dpr });
    if (rows * cols <= IMMEDIATE_CELLS) {
      paint();
      return;
    }
    return schedulePaint(paint);
  }, [matrix, color, dom, palette, excludedCols, layout, dpr, rows, cols]);

  // --- labels ---
  const rowLabelWidth = useMemo(() => (rowLabels ? labelBandWidth(rowLabels, LABEL_FONT, MAX_LABEL_CHARS, displayToken, measureText) : 0), [rowLabels]);
  const colLabelInfo = useMemo(() => {
    if (!colLabels) return { extent: 0, rotated: false, maxWidth: 0 };
    const w = labelBandWidth(colLabels, LABEL_FONT, MAX_LABEL_CHARS, displayToken, measureText) - 8;
    const rotated = w > layout.cell - 3;
    return { extent: rotated ? Math.ceil(w * 0.72 + LABEL_FONT) + 4 : LABEL_FONT + 8, rotated, maxWidth: w };
  }, [colLabels, layout.cell]);
  const rowStep = labelStep(layout.cell, LABEL_FONT + 2);
  const colStep = colLabelInfo.rotated ? labelStep(layout.cell, LABEL_FONT * 1.5 + 1) : labelStep(layout.cell, colLabelInfo.maxWidth + 6);
  const rightOverflow = colLabelInfo.rotated ? Math.ceil(colLabelInfo.maxWidth * 0.72) : 0;

  // --- interaction state ---
  const [hover, setHover] = useState<Cell | null>(null);
  const [active, setActive] = useState<Cell | null>(null);
  const [focused, setFocused] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [edit, setEdit] = useState<EditState | null>(null);
  const hoverRef = useRef<Cell | null>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const ids = useId();

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
  const openEditor = (c: Cell) => {
    if (!onEdit) return;
    setEdit({ cell: c, text: formatFull(valueAt(c)), invalid: false });
  };
  const closeEditor = (refocus: boolean) => {
    setEdit(null);
    if (refocus) wrapperRef.current?.focus();
  };
  const commitEdit = (state: EditState, refocus: boolean): boolean => {
    const v = parseEditValue(state.text);
    if (v === null) {
      setEdit({ ...state, invalid: true });
      return false;
    }
    onEdit?.(state.cell, v);
    setAnnouncement(t('heatmap.edited', { value: formatValue(v) }));
    closeEditor(refocus);
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || edit) return;
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

  // What the overlay shows.
  const hoverCell = inRange(hover, rows, cols);
  const activeCell = focused ? inRange(active, rows, cols) : null;
  const selectedCell = inRange(selected, rows, cols);
  const hl = highlight ?? (hoverCell ? { row: hoverCell.row, col: hoverCell.col } : activeCell ? { row: activeCell.row, col: activeCell.col } : null);
  const hlRow = hl && hl.row !== null && hl.row >= 0 && hl.row < rows ? hl.row : null;
  const hlCol = hl && hl.col !== null && hl.col >= 0 && hl.col < cols ? hl.col : null;
  const tipCell = hoverCell ?? activeCell;
  const c = layout.cell;
  const band = Math.max(c, 3);
  const pooledK = Math.ceil(Math.max(rows / Math.max(1, Math.round(layout.height * dpr)), cols / Math.max(1, Math.round(layout.width * dpr))) - 1e-9);
  const values = (showValues ?? c >= VALUE_MIN_CELL) && rows * cols <= MAX_VALUE_CELLS && c >= 12;

  const tip =
    tipCell && !edit ? (
      <div
        className="al-heatmap-tooltip"
        data-testid="heatmap-tooltip"
        data-value={formatFull(valueAt(tipCell))}
        data-row={tipCell.row}
        data-col={tipCell.col}
        role="tooltip"
        id={`${ids}-tip`}
        style={tooltipStyle(tipCell, layout)}
      >
        {describe(tipCell)}
      </div>
    ) : null;

  const editor = edit ? (
    <div
      className="al-heatmap-editor"
      style={{
        left: Math.min(edit.cell.col * c, Math.max(0, layout.width - 96)),
        top: (edit.cell.row + 1) * c + 2,
      }}
    >
      <input
        type="text"
        inputMode="decimal"
        autoFocus
        aria-label={t('heatmap.edit.label', { row: labelText(rowLabels, edit.cell.row), col: labelText(colLabels, edit.cell.col) })}
        aria-invalid={edit.invalid}
        aria-describedby={edit.invalid ? `${ids}-err` : undefined}
        value={edit.text}
        onChange={(e) => setEdit({ ...edit, text: e.target.value, invalid: false })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commitEdit(edit, true);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            closeEditor(true);
          }
          e.stopPropagation();
        }}
        onBlur={() => {
          if (parseEditValue(edit.text) === null) setEdit(null);
          else commitEdit(edit, false);
        }}
      />
      {edit.invalid && (
        <span className="al-heatmap-editor-error" id={`${ids}-err`} role="alert">
          {t('heatmap.edit.invalid')}
        </span>
      )}
    </div>
  ) : null;

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
          gridTemplateColumns: `${rowLabelWidth}px ${layout.width}px`,
          gridTemplateRows: `${colLabelInfo.extent}px ${layout.height}px`,
          paddingRight: rightOverflow,
        }}
      >
        <div className="al-heatmap-corner" />
        <div className="al-heatmap-collabels">
          {colLabels && (
            <AxisLabels
              axis="cols"
              labels={colLabels}
              cell={c}
              step={colStep}
              extent={colLabelInfo.extent}
              length={layout.width}
              rotated={colLabelInfo.rotated}
              excluded={excludedCols}
            />
          )}
          {colLabels && hlCol !== null && (
            <LabelMark axis="cols" index={hlCol} text={labelText(colLabels, hlCol)} cell={c} extent={colLabelInfo.extent} length={layout.width} rotated={colLabelInfo.rotated} />
          )}
        </div>
        <div className="al-heatmap-rowlabels">
          {rowLabels && <AxisLabels axis="rows" labels={rowLabels} cell={c} step={rowStep} extent={rowLabelWidth} length={layout.height} rotated={false} />}
          {rowLabels && hlRow !== null && (
            <LabelMark axis="rows" index={hlRow} text={labelText(rowLabels, hlRow)} cell={c} extent={rowLabelWidth} length={layout.height} rotated={false} />
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
          onPointerMove={(e) => setHoverCell(pointerCell(e))}
          onPointerLeave={() => setHoverCell(null)}
          onClick={(e) => {
            const cell = pointerCell(e);
            if (!cell) return;
            setActive(cell);
            onSelect?.(cell);
          }}
          onDoubleClick={(e) => {
            const cell = pointerCell(e);
            if (cell) openEditor(cell);
          }}
          onKeyDown={onKeyDown}
          onFocus={(e) => {
            if (e.target === e.currentTarget) setFocused(true);
          }}
          onBlur={(e) => {
            if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
            setFocused(false);
          }}
        >
          <canvas ref={canvasRef} className="al-heatmap-canvas" style={{ width: layout.width, height: layout.height }} />
          {values && <CellValues matrix={matrix} layout={layout} kind={color} domain={dom} palette={palette} />}
          <svg className="al-heatmap-overlay" width={layout.width} height={layout.height} aria-hidden="true">
            {hlRow !== null && <rect className="al-hl" x={0.75} y={hlRow * c + c / 2 - band / 2} width={Math.max(0, layout.width - 1.5)} height={band} />}
            {hlCol !== null && <rect className="al-hl" x={hlCol * c + c / 2 - band / 2} y={0.75} width={band} height={Math.max(0, layout.height - 1.5)} />}
            {hoverCell && <rect className="al-hover" x={hoverCell.col * c} y={hoverCell.row * c} width={Math.max(c, 3)} height={Math.max(c, 3)} />}
            {selectedCell && (
              <rect className="al-selected" x={selectedCell.col * c + c / 2 - band / 2 - 1} y={selectedCell.row * c + c / 2 - band / 2 - 1} width={band + 2} height={band + 2} />
            )}
            {activeCell && <rect className="al-active" x={activeCell.col * c} y={activeCell.row * c} width={Math.max(c, 3)} height={Math.max(c, 3)} />}
          </svg>
          {tip}
          {editor}
        </div>
      </div>
      {legend && <ColorLegend kind={color} domain={dom} palette={palette} width={Math.max(120, Math.min(240, layout.width + rowLabelWidth))} />}
      <span id={`${ids}-help`} className="al-sr-only">
        {t(onEdit ? 'heatmap.help.editable' : 'heatmap.help')}
      </span>
      <span className="al-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </figure>
  );
}

interface LabelMarkProps {
  axis: 'rows' | 'cols';
  index: number;
  text: string;
  cell: number;
  extent: number;
  length: number;
  rotated: boolean;
}

/** The highlighted row/column label, drawn over the thinned labels with a halo. */
function LabelMark({ axis, index, text, cell, extent, length, rotated }: LabelMarkProps) {
  const label = truncateLabel(text, MAX_LABEL_CHARS);
  if (axis === 'rows') {
    return (
      <svg className="al-axis al-axis-mark" width={extent} height={length} aria-hidden="true">
        <text x={extent - 4} y={(index + 0.5) * cell} dy="0.35em" textAnchor="end">
          {label}
        </text>
      </svg>
    );
  }
  const x = (index + 0.5) * cell;
  return (
    <svg className="al-axis al-axis-mark" width={length} height={extent} aria-hidden="true">
      {rotated ? (
        <text transform={`translate(${x},${extent - 4}) rotate(-45)`} dy="0.35em">
          {label}
        </text>
      ) : (
        <text x={x} y={extent - 4} textAnchor="middle">
          {label}
        </text>
      )}
    </svg>
  );
}

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

function sameHighlight(a: MatrixHeatmapProps['highlight'], b: MatrixHeatmapProps['highlight']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.row === b.row && a.col === b.col;
}

function propsEqual(a: MatrixHeatmapAllProps, b: MatrixHeatmapAllProps): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof MatrixHeatmapAllProps>;
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
