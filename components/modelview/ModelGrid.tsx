// The model view (BertViz's): one thumbnail of A per head, layers down, heads across. A token strip
// focuses one query; every tile then outlines that row and names the key it looks at most, so a
// reader compares all heads on one token at a glance. The pieces live in ./modelview/.
import { useCallback, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { ColorLegend } from '../heatmap/ColorLegend.tsx';
import type { Palette } from '../common/color.ts';
import { clamp, heatmapLayout } from '../common/geometry.ts';
import { useDevicePixelRatio, useElementWidth, useStableFlags, useStableStrings } from '../common/hooks.ts';
import { measureText } from '../common/measure.ts';
import { blockMap } from '../../engine/analysis/pool.ts';
import { nextTile } from './gridNav.ts';
import { kvSharing } from './kvSharing.ts';
import { LayerFilter } from './LayerFilter.tsx';
import { clampRange, layersIn, type LayerRange } from './layerRange.ts';
import { ModelTile, TILE_CHROME } from './ModelTile.tsx';
import { RowHead } from './RowHead.tsx';
import { TokenStrip } from './TokenStrip.tsx';
import type { HeadRef, HeadScoreRow } from '../common/types.ts';
import '../views.css';
import './modelview.css';

/** The model view: a layers × heads grid of thumbnails (BertViz "model view"). */
export interface ModelGridProps {
  /** layers[l][h] = A of head h in layer l, n×n — or its max-pooled thumbnail (m×m, m < n) for long inputs. */
  layers: Matrix[][];
  /**
   * With thumbnails: the focused query's row of A in every head (rows[l][h], n numbers), fetched for the
   * query; null while on its way. Ignored with whole maps (their rows are read from `layers`).
   */
  focusRows?: readonly (readonly (Float32Array | Float64Array)[])[] | null;
  /** Token texts (displayed via components/common/format.ts displayToken). */
  tokens: string[];
  /** Keys drawn as excluded (weight 0). */
  excludedKeys: boolean[];
  /** scores[l][h]; null while not computed. */
  scores: HeadScoreRow[][] | null;
  /** The head opened in the other views (outlined). */
  selected: HeadRef;
  /** The query token under the pointer (from the token strip or any heatmap): every head shows its row. */
  focusQuery: number | null;
  /** A head was clicked or chosen. */
  onSelect: (ref: HeadRef) => void;
  /** The query in focus changed (null: none). */
  onFocusQuery: (query: number | null) => void;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** windows[l]: layer l's local-attention window (its queries see only the last `window` tokens); null or absent: none. */
  windows?: readonly (number | null)[] | null;
  /** kvHeadOfHead[h]: the key/value head query head h reads (grouped-query attention); null or absent: none shared. */
  kvHeadOfHead?: readonly number[] | null;
}

const UNIT: [number, number] = [0, 1];
const EMPTY: string[] = [];
const GAP = 6;
const MIN_THUMB = 64;
const MAX_THUMB = 96;
/** Below this width the tiles wrap under each layer's name (modelview.css, `@container al-mv`). */
const NARROW = 640;

function tileAt(target: EventTarget | null): HeadRef | null {
  const el = target instanceof Element ? target.closest('[data-testid="model-tile"]') : null;
  return el ? { layer: Number(el.getAttribute('data-layer')), head: Number(el.getAttribute('data-head')) } : null;
}

/** The model view: a layers × heads grid of attention thumbnails under a token strip (see ModelGridProps). */
export function ModelGrid({
  layers,
  tokens: tokensProp,
  excludedKeys: excludedProp,
  scores,
  selected,
  focusQuery,
  onSelect,
  onFocusQuery,
  palette = 'default',
  kvHeadOfHead = null,
  focusRows = null,
  windows = null,
}: ModelGridProps) {
  const t = useT();
  const ids = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const tokens = useStableStrings(tokensProp) ?? EMPTY;
  const excluded = useStableFlags(excludedProp);
  // null until measured: tiles wait for the real width, so thumbnails are not painted twice.
  const measured = useElementWidth(rootRef, null) ?? (typeof ResizeObserver === 'undefined' ? 960 : null);
  const dpr = useDevicePixelRatio();
  const L = layers.length;
  const H = layers.reduce((m, heads) => Math.max(m, heads.length), 0);
  const n = tokensProp.length;
  // The side of what was sent per head: n, or less for thumbnails of a long input.
  const side = Math.min(n, layers[0]?.[0]?.rows ?? 0);
  const thumbnails = side < n;
  const [rangeState, setRange] = useState<LayerRange | null>(null);
  const range = clampRange(rangeState, L);
  const shown = useMemo(() => layersIn(clampRange(rangeState, L)), [rangeState, L]);
  const sharing = useMemo(() => kvSharing(kvHeadOfHead), [kvHeadOfHead]);
  const localLayers = useMemo(() => (windows ?? []).flatMap((w, l) => (w !== null ? [l] : [])), [windows]);
  // Layers whose row has come near the viewport: only their thumbnails are painted (270 tiles of a 30-layer model cost what the visible ones cost).
  const [nearLayers, setNearLayers] = useState<ReadonlySet<number>>(() => new Set());
  const onNearLayer = useCallback((l: number) => setNearLayers((s) => (s.has(l) ? s : new Set(s).add(l))), []);

  const rowLabelWidth = Math.ceil(measureText(t('modelview.layer', { n: L }), 12)) + 12;
  // Wide: one row of H tiles beside the layer's name. Narrow: as many columns of the largest tile as fit
  // the full width at up to 96 pixels (the name has its own line): three ~90-pixel tiles a row at 360 px.
  const columns = measured !== null && measured < NARROW ? Math.max(1, Math.min(H, Math.ceil((measured + GAP) / (MAX_THUMB + TILE_CHROME + GAP)))) : 0;
  const fit =
    measured === null
      ? MAX_THUMB
      : columns > 0
        ? Math.floor((measured + GAP) / columns) - GAP - TILE_CHROME
        : Math.floor((measured - rowLabelWidth - GAP * H) / Math.max(1, H)) - TILE_CHROME;
  const size = clamp(fit, MIN_THUMB, MAX_THUMB);
  const layout = useMemo(() => heatmapLayout(side, side, size, dpr), [side, size, dpr]);
  const pooledK = n > 0 ? Math.ceil(n / Math.max(1, Math.round(layout.width * dpr)) - 1e-9) : 1;
  const query = focusQuery !== null && focusQuery >= 0 && focusQuery < n ? focusQuery : null;
  const highlight = query === null ? null : thumbnails ? blockMap(n, side)[query] : query;
  // The focused row of every head (stable objects, so tiles that did not change are not drawn again).
  const queryRows = useMemo(
    () => (query === null ? null : layers.map((heads, l) => heads.map((A, h) => (thumbnails ? (focusRows?.[l]?.[h] ?? null) : A.data.subarray(query * n, (query + 1) * n))))),
    [layers, query, n, thumbnails, focusRows],
  );

  const [activeTile, setActiveTile] = useState<HeadRef | null>(null);
  const onScreen = (ref: HeadRef | null): HeadRef | null => (ref && shown.includes(ref.layer) && ref.head >= 0 && ref.head < (layers[ref.layer]?.length ?? 0) ? ref : null);
  const tabStop = onScreen(activeTile) ?? onScreen(selected) ?? { layer: range.from, head: 0 };
  const keyboardQuery = useRef(false);

  const onGridKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tileAt(e.target);
    const next = at && nextTile(at, e.key, e.ctrlKey || e.metaKey, shown, (l) => layers[l]?.length ?? 0);
    if (!next) return;
    e.preventDefault();
    setActiveTile(next);
    gridRef.current?.querySelector<HTMLElement>(`[data-testid="model-tile"][data-layer="${next.layer}"][data-head="${next.head}"]`)?.focus();
  };

  if (L === 0 || H === 0 || side === 0) {
    return (
      <div className="al-mv" ref={rootRef} data-testid="model-grid">
        <p className="al-empty">{t('modelview.empty')}</p>
      </div>
    );
  }

  const cells = [<span key="corner" />];
  for (let h = 0; h < H; h++) {
    cells.push(
      <span key={`h${h}`} className="al-mv-colhead" aria-hidden="true">
        {t('modelview.head', { n: h + 1 })}
      </span>,
    );
  }
  for (const l of shown) {
    const heads = layers[l];
    cells.push(<RowHead key={`l${l}`} layer={l} window={windows?.[l] ?? null} onNear={onNearLayer} />);
    for (let h = 0; h < H; h++) {
      const A = heads[h];
      cells.push(
        A ? (
          <ModelTile
            key={`${l}:${h}`}
            matrix={A}
            layer={l}
            head={h}
            layout={layout}
            palette={palette}
            excluded={excluded}
            tokens={tokens}
            score={scores?.[l]?.[h]}
            kvHead={sharing?.kvOf[h] ?? null}
            selected={selected.layer === l && selected.head === h}
            tabbable={tabStop.layer === l && tabStop.head === h}
            paint={nearLayers.has(l)}
            query={query}
            queryRow={queryRows?.[l]?.[h] ?? null}
            highlight={highlight}
            onSelect={onSelect}
          />
        ) : (
          <span key={`${l}:${h}`} />
        ),
      );
    }
  }

  return (
    <div
      className="al-mv"
      ref={rootRef}
      data-testid="model-grid"
      onBlur={(e) => {
        // A query chosen from the keyboard stays while focus moves on to the tiles, so their
        // descriptions can be read; it ends when focus leaves the view.
        if (!keyboardQuery.current) return;
        if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
        keyboardQuery.current = false;
        onFocusQuery(null);
      }}
    >
      <div className="al-mv-top">
        <ColorLegend kind="sequential" domain={UNIT} palette={palette} width={200} label={t('grid.legend')} />
        {pooledK > 1 && <span className="al-mv-note">{t('heatmap.pooled', { k: pooledK })}</span>}
        {L > 1 && <LayerFilter layers={L} range={range} onRange={setRange} />}
      </div>
      {sharing && (
        <p className="al-mv-note" data-testid="kv-legend" data-heads={sharing.heads} data-kv-heads={sharing.kvHeads}>
          {t('modelview.kv.legend', { heads: sharing.heads, kv: sharing.kvHeads, per: sharing.heads / sharing.kvHeads })}
        </p>
      )}
      {localLayers.length > 0 && (
        <p className="al-mv-note" data-testid="local-legend" data-layers={localLayers.map((l) => l + 1).join(',')}>
          {t('modelview.local.legend', { layers: localLayers.map((l) => l + 1).join(', '), window: windows?.[localLayers[0]] ?? 0 })}
        </p>
      )}
      <TokenStrip
        tokens={tokens}
        excluded={excluded}
        focusQuery={query}
        onFocusQuery={onFocusQuery}
        onKeyboardQuery={(keyboard) => {
          keyboardQuery.current = keyboard;
        }}
      />
      {measured !== null && (
        <div className="al-mv-scroll">
          <div
            ref={gridRef}
            className="al-mv-grid"
            role="group"
            aria-label={t('modelview.grid.label')}
            aria-describedby={`${ids}-help`}
            style={{ gridTemplateColumns: `auto repeat(${H}, max-content)`, gap: GAP }}
            onKeyDown={onGridKeyDown}
            onFocus={(e) => {
              const at = tileAt(e.target);
              if (at) setActiveTile(at);
            }}
          >
            {cells}
          </div>
        </div>
      )}
      <span id={`${ids}-help`} className="al-sr-only">
        {t('modelview.tiles.help')}
      </span>
    </div>
  );
}
