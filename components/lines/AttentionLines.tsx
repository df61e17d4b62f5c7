// BertViz-style view: queries on the left, keys on the right, a line from query i to key j with
// opacity ∝ A_ij, one colour per head. Lines are drawn on canvas (two layers: all lines, and the
// isolated lines of the hovered token, so hovering never redraws the full set). Light lines are
// culled (A_ij < threshold, and at most topK per query for long inputs).
import { memo, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import '../views.css';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { headColor } from '../common/color.ts';
import { LinesHeadToggle } from './LinesHeadToggle.tsx';
import { displayToken, formatValue, truncateLabel } from '../common/format.ts';
import { bandAt, clamp, labelBandWidth, labelStep, thinnedIndices } from '../common/geometry.ts';
import { useDevicePixelRatio, useStableFlags, useStableStrings } from '../common/hooks.ts';
import { measureText } from '../common/measure.ts';
import { DEFAULT_LINE_THRESHOLD, defaultTopK, opacityBucket, selectLines, type LineSet } from './lines.ts';
import type { Focus } from '../common/types.ts';

/** BertViz-style lines from queries (left) to keys (right), one colour per head. */
export interface AttentionLinesProps {
  /** A of every head. */
  heads: Matrix[];
  /** The tokens, in both columns. */
  tokens: string[];
  /** Keys drawn as excluded (weight 0). */
  excludedKeys: boolean[];
  /** Which heads draw their lines. */
  enabledHeads: boolean[];
  /** The query or key under the pointer: its lines are isolated. */
  focus: Focus;
  /** A head's toggle was pressed. */
  onToggleHead: (head: number) => void;
  /** The pointer or keyboard moved to a token (null: left). */
  onFocus: (focus: Focus | null) => void;
  /** Lines with A_ij below this are not drawn (default 0.02). */
  threshold?: number;
  /** At most this many lines per query when nothing is isolated (default: all for n ≤ 64, fewer beyond). */
  topK?: number;
  /** Width of the line area in CSS pixels. */
  width?: number;
  /** Total height the token columns may take, in CSS pixels. */
  maxHeight?: number;
}

const ROW_MAX = 22;
const EMPTY: string[] = [];
const LABEL_FONT = 12;
const MAX_LABEL_CHARS = 14;
const BUCKETS = 12;
const LINKED_LABELS = 8;

interface Geometry {
  n: number;
  rowH: number;
  height: number;
  width: number;
}

/**
 * Strokes the line sets (one per head, null = hidden). Opacity ∝ A_ij / `norm`: 1 for the full
 * view (absolute weights); the strongest drawn weight when isolating one token, so its lines stay
 * readable even when its attention is spread thinly.
 */
function drawLines(canvas: HTMLCanvasElement | null, sets: (LineSet | null)[], g: Geometry, dpr: number, lineWidth: number, normalise = false): void {
  if (!canvas) return;
  const w = Math.max(1, Math.round(g.width * dpr));
  const h = Math.max(1, Math.round(g.height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  const x0 = 2;
  const x1 = g.width - 2;
  const y = (k: number) => (k + 0.5) * g.rowH;
  let norm = 1;
  if (normalise) {
    let top = 0;
    for (const set of sets) if (set) for (let k = 0; k < set.count; k++) top = Math.max(top, set.weight[k]);
    if (top > 0) norm = top;
  }
  sets.forEach((set, head) => {
    if (!set || set.count === 0) return;
    ctx.strokeStyle = headColor(head);
    // One path per opacity bucket: a few strokes instead of one per line.
    const paths: Path2D[] = Array.from({ length: BUCKETS }, () => new Path2D());
    const used = new Uint8Array(BUCKETS);
    for (let k = 0; k < set.count; k++) {
      const b = opacityBucket(set.weight[k] / norm, BUCKETS);
      const p = paths[b];
      p.moveTo(x0, y(set.query[k]));
      p.lineTo(x1, y(set.key[k]));
      used[b] = 1;
    }
    for (let b = 0; b < BUCKETS; b++) {
      if (!used[b]) continue;
      ctx.globalAlpha = Math.min(1, 0.08 + ((b + 1) / BUCKETS) * 0.92);
      ctx.stroke(paths[b]);
    }
  });
  ctx.globalAlpha = 1;
}

interface TokenColumnProps {
  /** Queries (left) or keys (right). */
  side: 'query' | 'key';
  /** The tokens. */
  tokens: string[];
  /** Height of one token's row in CSS pixels. */
  rowH: number;
  /** Height of the column in CSS pixels. */
  height: number;
  /** Width of the column in CSS pixels. */
  width: number;
  /** Every step-th token is labelled. */
  step: number;
  /** The token in focus, if any. */
  focused: number | null;
  /** Keys drawn as excluded. */
  excluded?: readonly boolean[];
  /** Tokens linked to the isolated one: always labelled, emphasised. */
  linked?: readonly number[];
}

/** Token labels of one side (text nodes only; tokens are untrusted). Thinned when rows are dense. */
const TokenColumn = memo(function TokenColumn({ side, tokens, rowH, height, width, step, focused, excluded, linked }: TokenColumnProps) {
  const linkedSet = new Set(linked ?? []);
  const extra = [...linkedSet];
  if (focused !== null) extra.push(focused);
  const shown = thinnedIndices(tokens.length, step);
  if (extra.length > 0) {
    // Thinned labels that would collide with a linked or focused label give way to it.
    const near = (k: number) => extra.some((e) => e !== k && Math.abs(e - k) * rowH < LABEL_FONT);
    const kept = shown.filter((k) => !near(k) || extra.includes(k));
    shown.length = 0;
    shown.push(...new Set([...kept, ...extra.filter((e) => e >= 0 && e < tokens.length)]));
  }
  return (
    <div className={`al-lines-tokens al-lines-${side}`} style={{ height, width }} aria-hidden="true">
      {shown.map((k) => {
        const cls = ['al-lines-token'];
        if (k === focused) cls.push('al-focused');
        else if (linkedSet.has(k)) cls.push('al-linked');
        if (side === 'key' && excluded?.[k]) cls.push('al-excluded');
        return (
          <div key={k} className={cls.join(' ')} style={{ top: (k + 0.5) * rowH }} title={displayToken(tokens[k])}>
            {truncateLabel(displayToken(tokens[k]), MAX_LABEL_CHARS)}
          </div>
        );
      })}
    </div>
  );
});

function strongest(A: Matrix | undefined, index: number, side: 'query' | 'key'): { k: number; a: number } | null {
  if (!A) return null;
  let best: { k: number; a: number } | null = null;
  const len = side === 'query' ? A.cols : A.rows;
  for (let m = 0; m < len; m++) {
    const a = side === 'query' ? A.data[index * A.cols + m] : A.data[m * A.cols + index];
    if (!best || a > best.a) best = { k: m, a };
  }
  return best;
}

export function AttentionLines({
  heads,
  tokens: tokensProp,
  excludedKeys: excludedKeysProp,
  enabledHeads,
  focus,
  onToggleHead,
  onFocus,
  threshold = DEFAULT_LINE_THRESHOLD,
  topK,
  width = 260,
  maxHeight = 720,
}: AttentionLinesProps) {
  const t = useT();
  const tokens = useStableStrings(tokensProp) ?? EMPTY;
  const n = tokens.length;
  const dpr = useDevicePixelRatio();
  const ids = useId();
  const rowH = n <= 0 ? ROW_MAX : clamp(maxHeight / n, 0.25, ROW_MAX);
  const g: Geometry = useMemo(() => ({ n, rowH, height: Math.max(1, n * rowH), width }), [n, rowH, width]);
  const step = labelStep(rowH, LABEL_FONT + 2);
  const labelW = useMemo(() => Math.min(160, labelBandWidth(tokens, LABEL_FONT, MAX_LABEL_CHARS, displayToken, measureText)), [tokens]);
  const k = topK ?? defaultTopK(n);
  const lineWidth = n > 200 ? 0.75 : n > 60 ? 1 : 1.75;

  const excludedKeys = useStableFlags(excludedKeysProp);
  const enabledKey = heads.map((_, h) => (enabledHeads[h] === false ? '0' : '1')).join('');
  const baseSets = useMemo(() => heads.map((A) => selectLines(A, { threshold, topK: k })), [heads, threshold, k]);
  const fq = focus.query !== null && focus.query >= 0 && focus.query < n ? focus.query : null;
  const fk = focus.key !== null && focus.key >= 0 && focus.key < n ? focus.key : null;
  const isolating = fq !== null || fk !== null;
  const focusSets = useMemo(
    () => (isolating ? heads.map((A) => (fq !== null ? selectLines(A, { threshold, topK: Infinity, query: fq }) : selectLines(A, { threshold, topK: Infinity, key: fk }))) : null),
    [heads, threshold, fq, fk, isolating],
  );

  // The strongest partners of the isolated token (over the enabled heads), labelled even when thinned.
  const linked = useMemo(() => {
    if (!focusSets) return null;
    const best = new Map<number, number>();
    focusSets.forEach((set, h) => {
      if (enabledKey[h] !== '1') return;
      for (let k = 0; k < set.count; k++) {
        const other = fq !== null ? set.key[k] : set.query[k];
        best.set(other, Math.max(best.get(other) ?? 0, set.weight[k]));
      }
    });
    return [...best.entries()].sort((a, b) => b[1] - a[1]).slice(0, LINKED_LABELS).map(([k]) => k);
  }, [focusSets, enabledKey, fq]);

  const baseRef = useRef<HTMLCanvasElement>(null);
  const focusRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    drawLines(baseRef.current, baseSets.map((s, h) => (enabledKey[h] === '1' ? s : null)), g, dpr, lineWidth);
  }, [baseSets, enabledKey, g, dpr, lineWidth]);
  useEffect(() => {
    drawLines(focusRef.current, focusSets ? focusSets.map((s, h) => (enabledKey[h] === '1' ? s : null)) : [], g, dpr, Math.max(1.25, lineWidth), true);
  }, [focusSets, enabledKey, g, dpr, lineWidth]);

  // Keyboard cursor of each token column.
  const [cursor, setCursor] = useState<{ query: number; key: number }>({ query: 0, key: 0 });
  const [announcement, setAnnouncement] = useState('');
  const firstEnabled = heads.findIndex((_, h) => enabledHeads[h] !== false);
  const describe = (side: 'query' | 'key', index: number): string => {
    const best = strongest(heads[firstEnabled], index, side);
    const token = displayToken(tokens[index] ?? '');
    if (!best) return token;
    return t(side === 'query' ? 'lines.announce.query' : 'lines.announce.key', {
      token,
      other: displayToken(tokens[best.k] ?? ''),
      value: formatValue(best.a),
      head: firstEnabled + 1,
    });
  };

  const hoverAt = (side: 'query' | 'key') => (e: PointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'touch') return; // a finger moving is scrolling the page
    const r = e.currentTarget.getBoundingClientRect();
    const index = bandAt(e.clientY - r.top, rowH, n);
    const current = side === 'query' ? fq : fk;
    if (index === current && (side === 'query' ? fk === null : fq === null)) return;
    if (index === null) onFocus(null);
    else onFocus(side === 'query' ? { head: null, query: index, key: null } : { head: null, query: null, key: index });
  };
  // Touch has no hover: a tap isolates a token's lines (and announces them), a second tap clears.
  const tapAt = (side: 'query' | 'key') => (e: PointerEvent<HTMLDivElement>) => {
    if (e.pointerType !== 'touch') return;
    const r = e.currentTarget.getBoundingClientRect();
    const index = bandAt(e.clientY - r.top, rowH, n);
    const current = side === 'query' ? fq : fk;
    if (index === null || index === current) {
      onFocus(null);
      return;
    }
    // The column takes the focus after the finger lifts; its focus handler then starts from here.
    setCursor({ ...cursor, [side]: index });
    onFocus(side === 'query' ? { head: null, query: index, key: null } : { head: null, query: null, key: index });
    setAnnouncement(describe(side, index));
  };
  const leave = (e: PointerEvent<HTMLDivElement>) => {
    if (e.pointerType !== 'touch') onFocus(null);
  };
  const onKey = (side: 'query' | 'key') => (e: KeyboardEvent<HTMLDivElement>) => {
    if (n === 0) return;
    const cur = side === 'query' ? (fq ?? cursor.query) : (fk ?? cursor.key);
    let next: number | null = null;
    if (e.key === 'ArrowUp') next = cur - 1;
    else if (e.key === 'ArrowDown') next = cur + 1;
    else if (e.key === 'PageUp') next = cur - 10;
    else if (e.key === 'PageDown') next = cur + 10;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Escape') {
      onFocus(null);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    next = clamp(next, 0, n - 1);
    setCursor({ ...cursor, [side]: next });
    onFocus(side === 'query' ? { head: null, query: next, key: null } : { head: null, query: null, key: next });
    setAnnouncement(describe(side, next));
  };
  const onColumnFocus = (side: 'query' | 'key') => () => {
    const index = side === 'query' ? cursor.query : cursor.key;
    if (index >= n) return;
    onFocus(side === 'query' ? { head: null, query: index, key: null } : { head: null, query: null, key: index });
    setAnnouncement(describe(side, index));
  };

  // One head alone (a long press on its toggle); the lone head's long press brings back every head.
  const solo = (only: number) => {
    const alone = heads.every((_, h) => (enabledHeads[h] !== false) === (h === only));
    heads.forEach((_, h) => {
      if ((enabledHeads[h] !== false) !== (alone || h === only)) onToggleHead(h);
    });
  };

  const capText = Number.isFinite(k) ? t('lines.cullTopK', { threshold: formatValue(threshold), k }) : t('lines.cull', { threshold: formatValue(threshold) });

  return (
    <div className="al-lines" data-testid="attention-lines" data-tokens={n}>
      <div className="al-lines-heads" role="group" aria-label={t('lines.heads')}>
        {heads.map((_, h) => (
          <LinesHeadToggle key={h} head={h} on={enabledHeads[h] !== false} onToggle={onToggleHead} onSolo={solo} />
        ))}
      </div>
      <p className="al-lines-note">{capText}</p>
      <div className="al-lines-body" style={{ gridTemplateColumns: `${labelW}px ${width}px ${labelW}px` }}>
        <div className="al-lines-head-label">{t('lines.queries')}</div>
        <div />
        <div className="al-lines-head-label">{t('lines.keys')}</div>
        <div
          className="al-lines-col al-focusable"
          tabIndex={0}
          role="group"
          aria-label={t('lines.queries')}
          aria-describedby={`${ids}-help`}
          data-testid="lines-queries"
          onPointerMove={hoverAt('query')}
          onPointerUp={tapAt('query')}
          onPointerLeave={leave}
          onKeyDown={onKey('query')}
          onFocus={onColumnFocus('query')}
        >
          <TokenColumn side="query" tokens={tokens} rowH={rowH} height={g.height} width={labelW} step={step} focused={fq} linked={fq === null && fk !== null ? (linked ?? undefined) : undefined} />
        </div>
        <div className={`al-lines-canvas${isolating ? ' al-isolating' : ''}`} style={{ width, height: g.height }} role="img" aria-label={t('lines.aria', { n })}>
          <canvas ref={baseRef} className="al-lines-base" style={{ width, height: g.height }} />
          <canvas ref={focusRef} className="al-lines-focus" style={{ width, height: g.height }} />
        </div>
        <div
          className="al-lines-col al-focusable"
          tabIndex={0}
          role="group"
          aria-label={t('lines.keys')}
          aria-describedby={`${ids}-help`}
          data-testid="lines-keys"
          onPointerMove={hoverAt('key')}
          onPointerUp={tapAt('key')}
          onPointerLeave={leave}
          onKeyDown={onKey('key')}
          onFocus={onColumnFocus('key')}
        >
          <TokenColumn side="key" tokens={tokens} rowH={rowH} height={g.height} width={labelW} step={step} focused={fk} excluded={excludedKeys} linked={fq !== null ? (linked ?? undefined) : undefined} />
        </div>
      </div>
      <span id={`${ids}-help`} className="al-sr-only">
        {t('lines.help')}
      </span>
      <span className="al-sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </div>
  );
}
