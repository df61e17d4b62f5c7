// One tile of the model view: a head's thumbnail (painted once its row is near the viewport), the focused query's
// row, its pattern badges and, under grouped-query attention, the key/value head it reads.
import { Fragment, memo, useId, useMemo, useRef } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import type { Palette } from '../common/color.ts';
import type { HeatmapLayout } from '../common/geometry.ts';
import { formatScore, headBadges } from './headBadges.ts';
import { ThumbnailCanvas } from './HeadThumbnail.tsx';
import type { HeadRef, HeadScoreRow } from '../common/types.ts';
import { poolExcluded } from '../../engine/analysis/pool.ts';
import { FocusRow } from './FocusRow.tsx';
import { useNearViewport } from './useNearViewport.ts';

/** Padding and border around a tile's thumbnail, both sides together. */
export const TILE_CHROME = 10;

/** One head's tile. */
export interface ModelTileProps {
  /** A of the head, n×n, or its max-pooled thumbnail (long inputs). */
  matrix: Matrix;
  /** The head's layer (0-based). */
  layer: number;
  /** The head (0-based). */
  head: number;
  /** The thumbnail's size and cell size. */
  layout: HeatmapLayout;
  /** The colour palette (default or high contrast). */
  palette: Palette;
  /** Keys drawn as excluded (weight 0). */
  excluded: boolean[] | undefined;
  /** Token texts, naming the focused query's strongest key. */
  tokens: string[];
  /** The head's pattern scores (badges); undefined while not computed. */
  score: HeadScoreRow | undefined;
  /** The key/value head this query head reads (0-based), when heads share them; null otherwise. */
  kvHead: number | null;
  /** The head opened in the other views. */
  selected: boolean;
  /** The grid's one tab stop. */
  tabbable: boolean;
  /** Paint the thumbnail (its row is near the viewport); until then the tile holds its place. It also paints once the tile itself comes near (tiles wrapped far below their layer's name on a phone). */
  paint: boolean;
  /** The query in focus (its row outlined and drawn as a strip), or null. */
  query: number | null;
  /** The focused query's row of A (n numbers); null while it is on its way (or nothing is focused). */
  queryRow: Float32Array | Float64Array | null;
  /** The row of `matrix` to outline: the query, or the thumbnail row holding it. */
  highlight: number | null;
  /** The tile was clicked or chosen with the keyboard. */
  onSelect: (ref: HeadRef) => void;
}

/** One head: thumbnail with the focused row outlined, that row as a strip, and its badges. */
export const ModelTile = memo(function ModelTile({ matrix, layer, head, layout, palette, excluded, tokens, score, kvHead, selected, tabbable, paint, query, queryRow, highlight, onSelect }: ModelTileProps) {
  const t = useT();
  const id = useId();
  const ref = useRef<HTMLButtonElement>(null);
  const near = useNearViewport(ref);
  const badges = useMemo(() => (score ? headBadges(score) : []), [score]);
  // A thumbnail's columns are blocks of keys: a block is excluded when all its keys are.
  const thumbExcluded = useMemo(() => (excluded && matrix.cols < excluded.length ? poolExcluded(excluded, excluded.length, matrix.cols) : excluded), [excluded, matrix.cols]);
  // The name is "Layer 1, head 2" followed by the text the tile shows, so what is seen is also what is
  // heard (and a screen reader hears the focused key and the badges while moving between tiles).
  const hasBadges = badges.length > 0 || kvHead !== null;
  const shownRow = query !== null && queryRow !== null;
  const labelledBy = [`${id}-n`, shownRow ? `${id}-f` : '', hasBadges ? `${id}-b` : ''].filter(Boolean).join(' ');
  return (
    <button
      ref={ref}
      type="button"
      className="al-mv-tile"
      style={{ width: layout.width + TILE_CHROME }}
      data-testid="model-tile"
      data-layer={layer}
      data-head={head}
      data-selected={selected ? '1' : '0'}
      data-kv={kvHead ?? undefined}
      aria-pressed={selected}
      aria-labelledby={labelledBy}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect({ layer, head })}
    >
      <span id={`${id}-n`} className="al-sr-only">
        {t('modelview.tile', { layer: layer + 1, head: head + 1 })}
      </span>
      <ThumbnailCanvas matrix={matrix} layout={layout} palette={palette} excludedCols={thumbExcluded} highlightRow={highlight} paint={paint || near} />
      {shownRow ? (
        <FocusRow id={`${id}-f`} row={queryRow} query={query} width={layout.width} excluded={excluded} palette={palette} tokens={tokens} />
      ) : (
        // Holds the strip's place, so focusing a token does not shift the grid under the pointer.
        <span className="al-mv-focusrow" aria-hidden="true" />
      )}
      {' ' /* keeps "1.00" and the first badge apart in the tile's text (and its name) */}
      {hasBadges && (
        <span className="al-mv-badges" id={`${id}-b`}>
          {kvHead !== null && (
            <span className="al-mv-badge al-mv-kv" data-testid="kv-badge" data-kv={kvHead} title={t('modelview.kv.title', { kv: kvHead + 1 })}>
              {t('modelview.kv.badge', { kv: kvHead + 1 })}
            </span>
          )}
          {badges.map((b, k) => {
            const value = formatScore(b.value);
            return (
              <Fragment key={b.kind}>
                {(k > 0 || kvHead !== null) && ' '}
                <span className="al-mv-badge" data-testid="head-badge" data-kind={b.kind} title={t(`modelview.badge.${b.kind}.title`, { value })}>
                  {t(`modelview.badge.${b.kind}`, { value })}
                </span>
              </Fragment>
            );
          })}
        </span>
      )}
    </button>
  );
});
