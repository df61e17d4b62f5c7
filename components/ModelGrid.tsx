// The model view (BertViz's): one thumbnail of A per head, layers down, heads across. A token strip
// focuses one query; every tile then outlines that row and names the key it looks at most, so a
// reader compares all heads on one token at a glance.
import { Fragment, memo, useEffect, useId, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent } from 'react';
import type { Matrix } from '../engine/types.ts';
import { useT } from '../i18n/react.ts';
import { chipWindow, windowStartFor } from './chipWindow.ts';
import { ColorLegend } from './ColorLegend.tsx';
import { ThumbnailCanvas } from './HeadThumbnail.tsx';
import { fillRGBA, lutFor, normalizer, type Palette } from './color.ts';
import { displayToken, formatFull, truncateLabel } from './format.ts';
import { clamp, heatmapLayout, type HeatmapLayout } from './geometry.ts';
import { formatScore, headBadges } from './headBadges.ts';
import { useDevicePixelRatio, useElementWidth, useStableFlags, useStableStrings } from './hooks.ts';
import { measureText } from './measure.ts';
import { poolExcluded, poolMatrix } from './pool.ts';
import type { HeadRef, HeadScoreRow } from './types.ts';
import './views.css';
import './modelview.css';

/** The model view: a layers × heads grid of thumbnails (BertViz "model view"). */
export interface ModelGridProps {
  /** layers[l][h] = A of head h in layer l, n×n. */
  layers: Matrix[][];
  /** Token texts (displayed via components/format.ts displayToken). */
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
}

const UNIT: [number, number] = [0, 1];
const EMPTY: string[] = [];
const GAP = 6;
const MIN_THUMB = 64;
const MAX_THUMB = 96;
/** Padding and border around a tile's thumbnail, both sides together. */
const TILE_CHROME = 10;
const STRIP_H = 8;
/** Chips rendered at once: a thousand buttons cost more to lay out than the whole grid. */
const CHIP_WINDOW = 128;
const CHIP_CHARS = 12;
/** Width of one character of the strip's 10 px monospace text, for fitting "→ token 0.83" under a thumbnail. */
const MONO_CHAR_PX = 6.1;

/** The key query i attends to most, excluded keys skipped; -1 when none is left. */
function strongestKey(A: Matrix, i: number, excluded: readonly boolean[] | undefined): number {
  const n = A.cols;
  let best = -1;
  let bestValue = -Infinity;
  for (let j = 0; j < n; j++) {
    if (excluded?.[j]) continue;
    const v = A.data[i * n + j];
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
function paintRow(canvas: HTMLCanvasElement, A: Matrix, query: number, devicePx: number, palette: Palette, excluded: readonly boolean[] | undefined): void {
  const n = A.cols;
  const blocks = Math.max(1, Math.min(n, devicePx));
  const row: Matrix = { rows: 1, cols: n, data: A.data.subarray(query * n, (query + 1) * n) };
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

function chipIndex(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const v = target.closest('[data-index]')?.getAttribute('data-index');
  return v == null ? null : Number(v);
}

// ------------------------------------------------------------------------------------------------

interface TokenStripProps {
  tokens: string[];
  excluded: boolean[] | undefined;
  focusQuery: number | null;
  onFocusQuery: (query: number | null) => void;
  /** Whether the query in focus was set from the keyboard (kept while focus stays in the grid). */
  onKeyboardQuery: (keyboard: boolean) => void;
}

/** One chip per query token, windowed for long inputs; one tab stop, arrows move. */
function TokenStrip({ tokens, excluded, focusQuery, onFocusQuery, onKeyboardQuery }: TokenStripProps) {
  const t = useT();
  const n = tokens.length;
  const size = Math.min(n, CHIP_WINDOW);
  const [startState, setStart] = useState(0);
  const [activeState, setActive] = useState(0);
  const { start, end } = chipWindow(n, CHIP_WINDOW, startState);
  // The tab stop stays inside the window.
  const active = clamp(activeState, start, Math.max(start, end - 1));
  const listRef = useRef<HTMLDivElement>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  const earlierRef = useRef<HTMLButtonElement>(null);
  // What to focus after the next render (a chip that was outside the window, or a button that replaces one that left).
  const pendingFocus = useRef<number | 'more' | 'earlier' | null>(null);

  useEffect(() => {
    const k = pendingFocus.current;
    if (k === null) return;
    pendingFocus.current = null;
    if (k === 'more') moreRef.current?.focus();
    else if (k === 'earlier') earlierRef.current?.focus();
    else listRef.current?.querySelector<HTMLElement>(`[data-index="${k}"]`)?.focus();
  });

  if (n === 0) return null;

  const moveTo = (k: number) => {
    const next = clamp(k, 0, n - 1);
    setStart((s) => windowStartFor(next, s, n, size));
    setActive(next);
    pendingFocus.current = next;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = chipIndex(e.target);
    if (i === null) return;
    const moves: Record<string, number> = { ArrowLeft: i - 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: n - 1 };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]);
    } else if (e.key === 'Escape') {
      onKeyboardQuery(false);
      onFocusQuery(null);
    }
  };
  const onPointerOver = (e: PointerEvent<HTMLDivElement>) => {
    const i = chipIndex(e.target);
    onKeyboardQuery(false);
    if (i !== focusQuery) onFocusQuery(i);
  };
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const i = chipIndex(e.target);
    if (i === null) return;
    setActive(i);
    onKeyboardQuery(true);
    if (i !== focusQuery) onFocusQuery(i);
  };

  const chips = [];
  for (let i = start; i < end; i++) {
    const shown = displayToken(tokens[i]);
    const label = truncateLabel(shown, CHIP_CHARS);
    const cls = ['al-mv-chip'];
    if (excluded?.[i]) cls.push('al-excluded');
    if (i === focusQuery) cls.push('al-mv-focused');
    chips.push(
      <button
        key={i}
        type="button"
        className={cls.join(' ')}
        data-testid="model-token"
        data-index={i}
        tabIndex={i === active ? 0 : -1}
        // The name holds the visible (possibly shortened) text; the title, read as the description, the whole token.
        aria-label={t('modelview.token.aria', { i: i + 1, token: label })}
        title={excluded?.[i] ? `${shown} — ${t('chips.excluded')}` : label !== shown ? shown : undefined}
      >
        {label}
      </button>,
    );
  }

  return (
    <div className="al-mv-strip">
      {start > 0 && (
        <button
          ref={earlierRef}
          type="button"
          className="al-button al-mv-more"
          data-testid="model-tokens-earlier"
          title={t('modelview.tokens.earlier.title', { n: start })}
          onClick={() => {
            const s = Math.max(0, start - size);
            setStart(s);
            if (s === 0) pendingFocus.current = 'more';
          }}
        >
          {t('modelview.tokens.earlier', { n: start })}
        </button>
      )}
      <div
        ref={listRef}
        className="al-mv-chips"
        role="toolbar"
        aria-label={t('modelview.tokens.label')}
        onKeyDown={onKeyDown}
        onPointerOver={onPointerOver}
        onPointerLeave={() => onFocusQuery(null)}
        onFocus={onFocus}
        onClick={(e) => {
          // Touch has no hover: a tap shows the query.
          const i = chipIndex(e.target);
          if (i !== null && i !== focusQuery) onFocusQuery(i);
        }}
      >
        {chips}
      </div>
      {end < n && (
        <button
          ref={moreRef}
          type="button"
          className="al-button al-mv-more"
          data-testid="model-tokens-more"
          title={t('modelview.tokens.more.title', { n: n - end })}
          onClick={() => {
            const s = Math.min(n - size, start + size);
            setStart(s);
            if (s === n - size) pendingFocus.current = 'earlier';
          }}
        >
          {t('modelview.tokens.more', { n: n - end })}
        </button>
      )}
    </div>
  );
}

// ------------------------------------------------------------------------------------------------

interface FocusRowProps {
  id: string;
  matrix: Matrix;
  query: number;
  /** CSS width: the thumbnail's, so key j sits under column j. */
  width: number;
  excluded: boolean[] | undefined;
  palette: Palette;
  tokens: string[];
}

/** A[query, ·] as a one-row strip in the heatmap's colours, and the strongest key named as text (element `id`). */
const FocusRow = memo(function FocusRow({ id, matrix, query, width, excluded, palette, tokens }: FocusRowProps) {
  const t = useT();
  const dpr = useDevicePixelRatio();
  const ref = useRef<HTMLCanvasElement>(null);
  const n = matrix.cols;
  const devicePx = Math.max(1, Math.round(width * dpr));
  useEffect(() => {
    if (ref.current) paintRow(ref.current, matrix, query, devicePx, palette, excluded);
  }, [matrix, query, devicePx, palette, excluded]);

  const j = strongestKey(matrix, query, excluded);
  const value = j >= 0 ? matrix.data[query * n + j] : NaN;
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

// ------------------------------------------------------------------------------------------------

interface ModelTileProps {
  matrix: Matrix;
  layer: number;
  head: number;
  layout: HeatmapLayout;
  palette: Palette;
  excluded: boolean[] | undefined;
  tokens: string[];
  score: HeadScoreRow | undefined;
  selected: boolean;
  tabbable: boolean;
  query: number | null;
  onSelect: (ref: HeadRef) => void;
}

/** One head: thumbnail with the focused row outlined, that row as a strip, and its pattern badges. */
const ModelTile = memo(function ModelTile({ matrix, layer, head, layout, palette, excluded, tokens, score, selected, tabbable, query, onSelect }: ModelTileProps) {
  const t = useT();
  const id = useId();
  const badges = useMemo(() => (score ? headBadges(score) : []), [score]);
  // The name is "Layer 1, head 2" followed by the text the tile shows, so what is seen is also what is
  // heard (and a screen reader hears the focused key and the badges while moving between tiles).
  const labelledBy = [`${id}-n`, query !== null ? `${id}-f` : '', badges.length > 0 ? `${id}-b` : ''].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className="al-mv-tile"
      style={{ width: layout.width + TILE_CHROME }}
      data-testid="model-tile"
      data-layer={layer}
      data-head={head}
      data-selected={selected ? '1' : '0'}
      aria-pressed={selected}
      aria-labelledby={labelledBy}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect({ layer, head })}
    >
      <span id={`${id}-n`} className="al-sr-only">
        {t('modelview.tile', { layer: layer + 1, head: head + 1 })}
      </span>
      <ThumbnailCanvas matrix={matrix} layout={layout} palette={palette} excludedCols={excluded} highlightRow={query} />
      {query !== null ? (
        <FocusRow id={`${id}-f`} matrix={matrix} query={query} width={layout.width} excluded={excluded} palette={palette} tokens={tokens} />
      ) : (
        // Holds the strip's place, so focusing a token does not shift the grid under the pointer.
        <span className="al-mv-focusrow" aria-hidden="true" />
      )}
      {' ' /* keeps "1.00" and the first badge apart in the tile's text (and its name) */}
      {badges.length > 0 && (
        <span className="al-mv-badges" id={`${id}-b`}>
          {badges.map((b, k) => {
            const value = formatScore(b.value);
            return (
              <Fragment key={b.kind}>
                {k > 0 && ' '}
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

// ------------------------------------------------------------------------------------------------

function validRef(ref: HeadRef | null, layers: Matrix[][]): HeadRef | null {
  return ref && ref.layer >= 0 && ref.head >= 0 && ref.head < (layers[ref.layer]?.length ?? 0) ? ref : null;
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
  const n = layers[0]?.[0]?.rows ?? 0;

  const rowLabelWidth = Math.ceil(measureText(t('modelview.layer', { n: L }), 12)) + 12;
  const fit = measured === null ? MAX_THUMB : Math.floor((measured - rowLabelWidth - GAP * H) / Math.max(1, H)) - TILE_CHROME;
  const size = clamp(fit, MIN_THUMB, MAX_THUMB);
  const layout = useMemo(() => heatmapLayout(n, n, size, dpr), [n, size, dpr]);
  const pooledK = n > 0 ? Math.ceil(n / Math.max(1, Math.round(layout.width * dpr)) - 1e-9) : 1;
  const query = focusQuery !== null && focusQuery >= 0 && focusQuery < n ? focusQuery : null;

  const [activeTile, setActiveTile] = useState<HeadRef | null>(null);
  const tabStop = validRef(activeTile, layers) ?? validRef(selected, layers) ?? { layer: 0, head: 0 };
  const keyboardQuery = useRef(false);

  const tileAt = (target: EventTarget | null): HeadRef | null => {
    const el = target instanceof Element ? target.closest('[data-testid="model-tile"]') : null;
    return el ? { layer: Number(el.getAttribute('data-layer')), head: Number(el.getAttribute('data-head')) } : null;
  };
  const onGridKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tileAt(e.target);
    if (!at) return;
    let { layer, head } = at;
    const ctrl = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case 'ArrowLeft':
        head -= 1;
        break;
      case 'ArrowRight':
        head += 1;
        break;
      case 'ArrowUp':
        layer -= 1;
        break;
      case 'ArrowDown':
        layer += 1;
        break;
      case 'Home':
        head = 0;
        if (ctrl) layer = 0;
        break;
      case 'End':
        head = H - 1;
        if (ctrl) layer = L - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    layer = clamp(layer, 0, L - 1);
    head = clamp(head, 0, Math.max(0, (layers[layer]?.length ?? 1) - 1));
    setActiveTile({ layer, head });
    gridRef.current?.querySelector<HTMLElement>(`[data-testid="model-tile"][data-layer="${layer}"][data-head="${head}"]`)?.focus();
  };

  if (L === 0 || H === 0 || n === 0) {
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
  layers.forEach((heads, l) => {
    cells.push(
      <span key={`l${l}`} className="al-mv-rowhead" aria-hidden="true">
        {t('modelview.layer', { n: l + 1 })}
      </span>,
    );
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
            selected={selected.layer === l && selected.head === h}
            tabbable={tabStop.layer === l && tabStop.head === h}
            query={query}
            onSelect={onSelect}
          />
        ) : (
          <span key={`${l}:${h}`} />
        ),
      );
    }
  });

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
      </div>
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
