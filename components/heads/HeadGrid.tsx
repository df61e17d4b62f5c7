// One heatmap of A per head in a responsive grid. Hovering a cell reports {head, query, key};
// every head then highlights that query row and key column.
import { memo, useContext, useMemo, useRef, useState } from 'react';
import { ViewHeightContext } from '../common/viewBox.ts';
import '../views.css';
import { useT } from '../../i18n/react.ts';
import { ColorLegend } from '../heatmap/ColorLegend.tsx';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import { ZoomControl } from '../common/ZoomControl.tsx';
import { usePinchZoom } from '../common/usePinchZoom.ts';
import type { Palette } from '../common/color.ts';
import { displayToken } from '../common/format.ts';
import { labelBandWidth } from '../common/geometry.ts';
import { useElementWidth, useStableFlags, useStableStrings } from '../common/hooks.ts';
import { measureText } from '../common/measure.ts';
import type { Matrix } from '../../engine/types.ts';
import type { Cell, Focus } from '../common/types.ts';

/** One heatmap of A per head, in a grid. */
export interface HeadGridProps {
  /** A of every head, n×n each. */
  heads: Matrix[];
  /** The tokens, labelling rows (queries) and columns (keys). */
  tokens: string[];
  /** Keys drawn as excluded (weight 0). */
  excludedKeys: boolean[];
  /** The query/key pair under the pointer, shown in every head. */
  focus: Focus;
  /** The head opened in the other views (outlined). */
  selectedHead: number;
  /** The selected cell of the selected head. */
  selectedCell: Cell | null;
  /** The pointer or keyboard moved to a head's cell (null: left the grid). */
  onFocus: (focus: Focus | null) => void;
  /** A head's cell was clicked or chosen. */
  onSelect: (head: number, cell: Cell) => void;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Force a number of grid columns (default: chosen from the number of heads). */
  columns?: number;
  /** Largest heatmap side in CSS pixels (default: fitted to the container). */
  maxSize?: number;
}

const GAP = 12;
const UNIT: [number, number] = [0, 1];
const EMPTY: string[] = [];
const LABEL_FONT = 11;
/** Narrower tiles than this and the grid drops a column (one column on a phone). */
const MIN_TILE = 240;

/** Grid columns for h heads: 12 heads → 4×3. */
function gridColumns(h: number): number {
  if (h <= 3) return Math.max(1, h);
  if (h <= 4) return 2;
  if (h <= 9) return 3;
  return 4;
}

/** Memoised: a parent re-rendering with the same result (a busy flag, a deferred pass) skips the grid. */
export const HeadGrid = memo(function HeadGrid({
  heads,
  tokens: tokensProp,
  excludedKeys: excludedKeysProp,
  focus,
  selectedHead,
  selectedCell,
  onFocus,
  onSelect,
  palette = 'default',
  columns,
  maxSize = 360,
}: HeadGridProps) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const tokens = useStableStrings(tokensProp) ?? EMPTY;
  const excludedKeys = useStableFlags(excludedKeysProp);
  // null until measured: the tiles wait for the real width (ResizeObserver reports before the
  // first paint), so large heatmaps are not painted twice.
  const measured = useElementWidth(ref, null) ?? (typeof ResizeObserver === 'undefined' ? 960 : null);
  const width = measured ?? 960;
  const count = heads.length;
  const cols = columns ?? Math.max(1, Math.min(gridColumns(count), Math.floor((width + GAP) / (MIN_TILE + GAP))));
  const [zoom, setZoom] = useState(1);
  const pinch = usePinchZoom(zoom, setZoom);
  const labelW = useMemo(() => labelBandWidth(tokens, LABEL_FONT, 10, displayToken, measureText), [tokens]);
  const tileW = Math.floor((width - GAP * (cols - 1)) / cols);
  // Room for row labels on the left and the overhang of rotated column labels on the right.
  // A fixed height (the widget's `height`): one heatmap with its labels, caption and the legend row fits in it.
  const boxH = useContext(ViewHeightContext);
  const byHeight = boxH === null ? Infinity : boxH - Math.ceil((labelW - 8) * 0.72) - 24 - 96;
  const fitted = Math.max(64, Math.min(maxSize, byHeight, tileW - labelW - Math.ceil((labelW - 8) * 0.72) - 16));
  // Zoomed heatmaps grow past their tile and scroll inside it.
  const size = Math.round(fitted * zoom);

  const handlers = useMemo(
    () =>
      Array.from({ length: count }, (_, h) => ({
        hover: (c: Cell | null) => onFocus(c ? { head: h, query: c.row, key: c.col } : null),
        select: (c: Cell) => onSelect(h, c),
      })),
    [count, onFocus, onSelect],
  );
  const highlight = useMemo(() => ({ row: focus.query, col: focus.key }), [focus.query, focus.key]);

  return (
    <div className="al-headgrid" ref={ref} data-testid="head-grid">
      <div className="al-headgrid-legend">
        <ColorLegend kind="sequential" domain={UNIT} palette={palette} width={220} label={t('grid.legend')} />
      </div>
      <div className="al-headgrid-zoom">
        <ZoomControl zoom={zoom} onZoom={setZoom} />
      </div>
      {measured !== null && (
        <div className={`al-headgrid-tiles${zoom > 1 ? ' al-zoomed' : ''}`} {...pinch} style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gap: GAP }}>
          {heads.map((A, h) => (
            <div
              key={h}
              className={`al-headgrid-tile${h === selectedHead ? ' al-selected-tile' : ''}`}
              data-head={h}
              aria-current={h === selectedHead ? 'true' : undefined}
            >
              <MatrixHeatmap
                matrix={A}
                rowLabels={tokens}
                colLabels={tokens}
                title={t('grid.head', { n: h + 1 })}
                color="sequential"
                domain={UNIT}
                palette={palette}
                excludedCols={excludedKeys}
                highlight={highlight}
                selected={h === selectedHead ? selectedCell : null}
                size={size}
                legend={false}
                onHover={handlers[h]?.hover}
                onSelect={handlers[h]?.select}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
