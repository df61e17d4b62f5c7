// Under each tile: the focused query's attention row as a strip, and the key it looks at most.
import { memo, useEffect, useRef } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { fillRGBA, lutFor, normalizer, type Palette } from '../common/color.ts';
import { displayToken, formatFull, truncateLabel } from '../common/format.ts';
import { clamp } from '../common/geometry.ts';
import { formatScore } from './headBadges.ts';
import { useDevicePixelRatio } from '../common/hooks.ts';
import { poolExcluded, poolMatrix } from '../../engine/analysis/pool.ts';

const UNIT: [number, number] = [0, 1];
const STRIP_H = 8;
/** Width of one character of the strip's 10 px monospace text, for fitting "→ token 0.83" under a thumbnail. */
const MONO_CHAR_PX = 6.1;

/** The key a row of A weighs most, excluded keys skipped; -1 when none is left. */
function strongestKey(row: ArrayLike<number>, excluded: readonly boolean[] | undefined): number {
  const n = row.length;
  let best = -1;
  let bestValue = -Infinity;
  for (let j = 0; j < n; j++) {
    if (excluded?.[j]) continue;
    const v = row[j];
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * Paints A[query, ·] into `canvas` at one pixel per key (max-pooled to `devicePx` blocks, as the
 * thumbnail above is), stretched by CSS. Straight into the visible canvas: it runs for every tile
 * on every hover, so it skips paintCells' scratch canvas; excluded keys are greyed by fillRGBA.
 */
function paintRow(canvas: HTMLCanvasElement, values: Float32Array | Float64Array, devicePx: number, palette: Palette, excluded: readonly boolean[] | undefined): void {
  const n = values.length;
  const blocks = Math.max(1, Math.min(n, devicePx));
  const row: Matrix = { rows: 1, cols: n, data: values };
  const source = blocks < n ? poolMatrix(row, 1, blocks, 'max') : row;
  const sourceExcluded = excluded && blocks < n ? poolExcluded(excluded, n, blocks) : excluded;
  if (canvas.width !== blocks) canvas.width = blocks;
  if (canvas.height !== 1) canvas.height = 1;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(blocks, 1);
  fillRGBA(image.data, source, lutFor('sequential', palette), normalizer('sequential', UNIT), { excludedCols: sourceExcluded });
  ctx.putImageData(image, 0, 0);
}

/** What FocusRow draws. */
export interface FocusRowProps {
  /** Id of the text element, for the tile's aria-labelledby. */
  id: string;
  /** The query's row of the head's A (n numbers). */
  row: Float32Array | Float64Array;
  /** The query whose row is drawn. */
  query: number;
  /** CSS width: the thumbnail's, so key j sits under column j. */
  width: number;
  /** Keys drawn as excluded (weight 0). */
  excluded: boolean[] | undefined;
  /** The colour palette (default or high contrast). */
  palette: Palette;
  /** Token texts, naming the query and the strongest key. */
  tokens: string[];
}

/** A[query, ·] as a one-row strip in the heatmap's colours, and the strongest key named as text (element `id`). */
export const FocusRow = memo(function FocusRow({ id, row, query, width, excluded, palette, tokens }: FocusRowProps) {
  const t = useT();
  const dpr = useDevicePixelRatio();
  const ref = useRef<HTMLCanvasElement>(null);
  const devicePx = Math.max(1, Math.round(width * dpr));
  useEffect(() => {
    if (ref.current) paintRow(ref.current, row, devicePx, palette, excluded);
  }, [row, devicePx, palette, excluded]);

  const j = strongestKey(row, excluded);
  const value = j >= 0 ? row[j] : NaN;
  const queryName = displayToken(tokens[query] ?? String(query + 1));
  const keyName = j >= 0 ? displayToken(tokens[j] ?? String(j + 1)) : '';
  // The number always shows; the token gets what is left of the line ("→ " and " 0.83" take 7).
  const tokenChars = clamp(Math.floor(width / MONO_CHAR_PX) - 7, 2, 12);
  const shown =
    j >= 0 ? t('modelview.focus.top', { token: truncateLabel(keyName, tokenChars), value: formatScore(value) }) : t('modelview.focus.none', { query: queryName });
  return (
    <span
      className="al-mv-focusrow"
      data-testid="focus-row"
      data-query={query}
      data-key={j}
      data-value={j >= 0 ? formatFull(value) : undefined}
      title={j >= 0 ? t('modelview.focus.strip', { query: queryName, token: keyName, value: formatScore(value) }) : shown}
    >
      <canvas ref={ref} style={{ width, height: STRIP_H }} aria-hidden="true" />
      <span className="al-mv-focustext" id={id}>
        {shown}
      </span>
    </span>
  );
});
