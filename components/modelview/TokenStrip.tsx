// The model view's token strip: one chip per query token, windowed for long inputs; hovering or focusing one
// puts that query in focus in every tile.
import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useT } from '../../i18n/react.ts';
import { chipWindow, windowStartFor } from '../common/chipWindow.ts';
import { displayToken, truncateLabel } from '../common/format.ts';
import { clamp } from '../common/geometry.ts';

/** Chips rendered at once: a thousand buttons cost more to lay out than the whole grid. */
const CHIP_WINDOW = 128;
const CHIP_CHARS = 12;

function chipIndex(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const v = target.closest('[data-index]')?.getAttribute('data-index');
  return v == null ? null : Number(v);
}

/** The query tokens as chips (see the component). */
export interface TokenStripProps {
  /** Token texts, one chip each. */
  tokens: string[];
  /** Keys drawn as excluded (weight 0). */
  excluded: boolean[] | undefined;
  /** The query in focus (null: none). */
  focusQuery: number | null;
  /** The query in focus changed (null: none). */
  onFocusQuery: (query: number | null) => void;
  /** Whether the query in focus was set from the keyboard (kept while focus stays in the grid). */
  onKeyboardQuery: (keyboard: boolean) => void;
}

/** One chip per query token, windowed for long inputs; one tab stop, arrows move. */
export function TokenStrip({ tokens, excluded, focusQuery, onFocusQuery, onKeyboardQuery }: TokenStripProps) {
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
