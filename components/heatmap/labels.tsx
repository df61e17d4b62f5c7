// The axis labels of a heatmap: thinned to fit, rotated when the columns are narrow, with the
// highlighted row or column drawn over them. Tokens are untrusted: text nodes only.
import { memo, useMemo } from 'react';
import { displayToken, truncateLabel } from '../common/format.ts';
import { labelBandWidth, labelStep, thinnedIndices } from '../common/geometry.ts';
import { measureText } from '../common/measure.ts';

const LABEL_FONT = 11;
const MAX_LABEL_CHARS = 10;

export function labelText(labels: string[] | undefined, k: number): string {
  const s = labels?.[k];
  return s === undefined ? String(k) : displayToken(s);
}

/** The sizes of the label bands around cells of side `cell`. */
export interface LabelBands {
  /** Width of the row label column (0 without row labels). */
  rowWidth: number;
  /** Height of the column label band. */
  colExtent: number;
  /** Column labels are rotated by 45°. */
  rotated: boolean;
  /** Every rowStep-th row label is shown. */
  rowStep: number;
  /** Every colStep-th column label is shown. */
  colStep: number;
  /** Room the rotated labels need right of the cells. */
  rightOverflow: number;
}

export function useLabelBands(rowLabels: string[] | undefined, colLabels: string[] | undefined, cell: number): LabelBands {
  const rowWidth = useMemo(() => (rowLabels ? labelBandWidth(rowLabels, LABEL_FONT, MAX_LABEL_CHARS, displayToken, measureText) : 0), [rowLabels]);
  const colLabelInfo = useMemo(() => {
    if (!colLabels) return { extent: 0, rotated: false, maxWidth: 0 };
    const w = labelBandWidth(colLabels, LABEL_FONT, MAX_LABEL_CHARS, displayToken, measureText) - 8;
    const rotated = w > cell - 3;
    return { extent: rotated ? Math.ceil(w * 0.72 + LABEL_FONT) + 4 : LABEL_FONT + 8, rotated, maxWidth: w };
  }, [colLabels, cell]);
  return {
    rowWidth,
    colExtent: colLabelInfo.extent,
    rotated: colLabelInfo.rotated,
    rowStep: labelStep(cell, LABEL_FONT + 2),
    colStep: colLabelInfo.rotated ? labelStep(cell, LABEL_FONT * 1.5 + 1) : labelStep(cell, colLabelInfo.maxWidth + 6),
    rightOverflow: colLabelInfo.rotated ? Math.ceil(colLabelInfo.maxWidth * 0.72) : 0,
  };
}

interface AxisLabelsProps {
  /** Row labels (left) or column labels (top). */
  axis: 'rows' | 'cols';
  /** The labels (tokens). */
  labels: string[];
  /** Side of a cell in CSS pixels. */
  cell: number;
  /** Every step-th label is shown. */
  step: number;
  /** Rows: the label column width. Cols: the label band height. */
  extent: number;
  /** Length of the axis in CSS pixels. */
  length: number;
  /** Column labels rotated by 45°. */
  rotated: boolean;
  /** Columns drawn as excluded. */
  excluded?: readonly boolean[];
}

/** Thinned axis labels (text nodes only: tokens are untrusted). Memoised: unaffected by hover. */
export const AxisLabels = memo(function AxisLabels({ axis, labels, cell, step, extent, length, rotated, excluded }: AxisLabelsProps) {
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

interface LabelMarkProps {
  /** Row label (left) or column label (top). */
  axis: 'rows' | 'cols';
  /** The highlighted row or column. */
  index: number;
  /** Its label. */
  text: string;
  /** Side of a cell in CSS pixels. */
  cell: number;
  /** Rows: the label column width. Cols: the label band height. */
  extent: number;
  /** Length of the axis in CSS pixels. */
  length: number;
  /** Column labels rotated by 45°. */
  rotated: boolean;
}

/** The highlighted row/column label, drawn over the thinned labels with a halo. */
export function LabelMark({ axis, index, text, cell, extent, length, rotated }: LabelMarkProps) {
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

