// Token chips: edit (double-click, Enter or F2), insert (Insert or "+"), delete (Delete, Backspace
// or ×), reorder (drag and drop, or Alt+←/→), toggle padding (P). One roving tab stop; events are
// delegated to the list so a thousand chips stay cheap. Token text is rendered as text only.
import { memo, useDeferredValue, useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { chipWindow } from '../components/common/chipWindow.ts';
import { displayToken } from '../components/common/format.ts';
import { t } from '../i18n/index.ts';
import { effectiveKeyWeights, isCheckpoint } from '../state/document.ts';
import { useActions, useStore } from '../state/store.ts';
import './tokenInput.css';

/** Chips rendered before "show all" (a thousand chips cost a few hundred ms to lay out). */
const CHIP_WINDOW = 256;

interface Editing {
  /** Index being edited, or where a new token goes. */
  index: number;
  insert: boolean;
  text: string;
}

interface ChipProps {
  /** The token's position. */
  index: number;
  /** The token. */
  token: string;
  /** Marked as padding. */
  padded: boolean;
  /** Its key is excluded (weight 0). */
  excluded: boolean;
  /** Holds the list's one tab stop. */
  tabbable: boolean;
  /** A dragged chip would land before it. */
  dropBefore: boolean;
  /** A dragged chip would land after it. */
  dropAfter: boolean;
  /** The order is fixed (a loaded case): no dragging or deleting. */
  readOnlyOrder: boolean;
  /** Not in the trained model's vocabulary. */
  unknown: boolean;
}

const Chip = memo(function Chip({ index, token, padded, excluded, tabbable, dropBefore, dropAfter, readOnlyOrder, unknown }: ChipProps) {
  const shown = displayToken(token);
  const cls = ['al-chip'];
  if (unknown) cls.push('al-chip-unknown');
  if (padded) cls.push('al-chip-pad');
  else if (excluded) cls.push('al-chip-excluded');
  if (token.trim() === '') cls.push('al-chip-space');
  if (dropBefore) cls.push('al-drop-before');
  if (dropAfter) cls.push('al-drop-after');
  return (
    <li className={cls.join(' ')} data-index={index} draggable={!readOnlyOrder} data-testid="chip" data-token={token} data-unknown={unknown ? '1' : undefined}>
      <span
        className="al-chip-text"
        role="button"
        tabIndex={tabbable ? 0 : -1}
        data-index={index}
        aria-label={t('chips.chipLabel', { i: index + 1, token: shown })}
        aria-keyshortcuts="Enter Delete Alt+ArrowLeft Alt+ArrowRight Insert"
        title={unknown ? t('model.unknownToken') : padded ? t('chips.padded') : excluded ? t('chips.excluded') : undefined}
      >
        {shown}
      </span>
      {!readOnlyOrder && (
        <button type="button" className="al-chip-x" data-action="delete" data-index={index} tabIndex={-1} aria-label={t('chips.delete', { token: shown })}>
          ×
        </button>
      )}
    </li>
  );
});

function chipIndex(el: EventTarget | null): number | null {
  if (!(el instanceof Element)) return null;
  const host = el.closest('[data-index]');
  const v = host?.getAttribute('data-index');
  return v == null ? null : Number(v);
}

export function TokenChips() {
  // Deferred: a paste of a thousand tokens renders the chips in interruptible slices.
  const tokens = useDeferredValue(useStore((s) => s.doc.tokens));
  const padding = useStore((s) => s.doc.padding);
  // A case fixes its tokens; a checkpoint's tokenizer makes them from the text.
  const checkpoint = useStore((s) => s.doc.source.kind === 'model' && isCheckpoint(s.doc.source.model));
  const isCase = useStore((s) => s.doc.source.kind === 'case') || checkpoint;
  const weights = useStore((s) => s.doc.keyWeights);
  const mechanism = useStore((s) => s.doc.mechanism);
  const source = useStore((s) => s.doc.source);
  // Unknown characters of the last model result (only while the chips still show those tokens).
  const unknown = useStore((s) => s.computed?.unknown ?? null);
  const computedTokens = useStore((s) => s.computed?.tokens ?? null);
  const actions = useActions();
  const [active, setActive] = useState(0);
  const [editing, setEditingState] = useState<Editing | null>(null);
  // The editor can be closed by Enter and then blur in the same tick: the ref makes it close once.
  const editingRef = useRef<Editing | null>(null);
  const setEditing = (e: Editing | null) => {
    editingRef.current = e;
    setEditingState(e);
  };
  const [error, setError] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ from: number; over: number | null; after: boolean } | null>(null);
  const [showAll, setShowAll] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const focusNext = useRef<number | null>(null);
  const effective = effectiveKeyWeights({ source, mechanism, keyWeights: weights, padding, tokens });

  const activeIndex = Math.min(active, Math.max(0, tokens.length - 1));

  // Move DOM focus after a reorder/delete re-render.
  useEffect(() => {
    const k = focusNext.current;
    if (k === null || editing) return;
    focusNext.current = null;
    const el = listRef.current?.querySelector<HTMLElement>(`.al-chip-text[data-index="${k}"]`);
    el?.focus();
  });

  const report = (err: string | null) => setError(err);

  const focusChip = (i: number) => {
    const k = Math.max(0, Math.min(tokens.length - 1, i));
    setActive(k);
    focusNext.current = k;
  };

  const startEdit = (index: number, insert: boolean) => {
    if (insert && isCase) {
      report(t('edit.caseFixed'));
      return;
    }
    setEditing({ index, insert, text: insert ? '' : tokens[index] ?? '' });
    setError(null);
  };

  const finishEdit = (commit: boolean) => {
    const e = editingRef.current;
    if (!e) return;
    if (!commit) {
      setEditing(null);
      focusChip(e.insert ? Math.max(0, e.index - 1) : e.index);
      return;
    }
    if (e.insert && e.text === '') {
      setEditing(null);
      focusChip(Math.max(0, e.index - 1));
      return;
    }
    const err = e.insert ? actions.insertToken(e.index, e.text) : actions.editToken(e.index, e.text);
    report(err);
    if (err) return; // keep the editor open with the message
    editingRef.current = null;
    setEditing(null);
    focusChip(e.index);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (editing) return;
    const i = chipIndex(e.target);
    if (i === null) return;
    const n = tokens.length;
    let handled = true;
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      const to = e.key === 'ArrowLeft' ? i - 1 : i + 1;
      if (to >= 0 && to < n) {
        const err = actions.moveToken(i, to);
        report(err);
        if (!err) focusChip(to);
      }
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') focusChip(i - 1);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') focusChip(i + 1);
    else if (e.key === 'Home') focusChip(0);
    else if (e.key === 'End') focusChip(n - 1);
    else if (e.key === 'Enter' || e.key === 'F2') startEdit(i, false);
    else if (e.key === 'Insert' || e.key === '+') startEdit(i + 1, true);
    else if (e.key === 'Delete' || e.key === 'Backspace') {
      const err = actions.deleteToken(i);
      report(err);
      if (!err) focusChip(Math.min(i, n - 2));
    } else if ((e.key === 'p' || e.key === 'P') && source.kind !== 'model') actions.togglePadding(i);
    else handled = false;
    if (handled) e.preventDefault();
  };

  const onDragStart = (e: DragEvent<HTMLOListElement>) => {
    const i = chipIndex(e.target);
    if (i === null || isCase) return;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', tokens[i] ?? '');
    setDrag({ from: i, over: null, after: false });
  };
  const onDragOver = (e: DragEvent<HTMLOListElement>) => {
    if (!drag) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const i = chipIndex(e.target);
    if (i === null) return;
    const li = (e.target as Element).closest('li');
    const r = li?.getBoundingClientRect();
    const after = r ? e.clientX > r.left + r.width / 2 : false;
    if (drag.over !== i || drag.after !== after) setDrag({ ...drag, over: i, after });
  };
  const onDrop = (e: DragEvent<HTMLOListElement>) => {
    if (!drag) return;
    e.preventDefault();
    if (drag.over !== null) {
      const slot = drag.over + (drag.after ? 1 : 0); // insert before this slot
      const to = drag.from < slot ? slot - 1 : slot;
      const err = actions.moveToken(drag.from, to);
      report(err);
      if (!err) focusChip(to);
    }
    setDrag(null);
  };

  const editor = (e: Editing) => (
    <li className="al-chip al-chip-editing" key={`edit-${e.index}-${e.insert}`}>
      <input
        autoFocus
        className="al-chip-input"
        data-testid="chip-input"
        aria-label={e.insert ? t('chips.newLabel', { i: e.index + 1 }) : t('chips.editLabel', { i: e.index + 1 })}
        value={e.text}
        size={Math.max(3, Array.from(e.text).length + 1)}
        onChange={(ev) => {
          setEditing({ ...e, text: ev.target.value });
          setError(null);
        }}
        onKeyDown={(ev) => {
          ev.stopPropagation();
          if (ev.key === 'Enter') {
            ev.preventDefault();
            finishEdit(true);
          } else if (ev.key === 'Escape') {
            ev.preventDefault();
            finishEdit(false);
          }
        }}
        onBlur={() => finishEdit(true)}
      />
    </li>
  );

  const items = [];
  // Long inputs show the first chips and a button for the rest (chips in view, or being edited, always show).
  const shown = chipWindow(tokens.length, showAll ? tokens.length : CHIP_WINDOW, 0, [activeIndex, editing?.index ?? 0]).end;
  for (let i = 0; i < shown; i++) {
    if (editing?.insert && editing.index === i) items.push(editor(editing));
    if (editing && !editing.insert && editing.index === i) {
      items.push(editor(editing));
      continue;
    }
    items.push(
      <Chip
        key={i}
        index={i}
        token={tokens[i]}
        padded={padding[i] ?? false}
        excluded={effective[i] === 0}
        tabbable={i === activeIndex}
        dropBefore={drag?.over === i && !drag.after}
        dropAfter={drag?.over === i && drag.after}
        readOnlyOrder={isCase}
        unknown={unknown?.[i] === true && computedTokens?.[i] === tokens[i]}
      />,
    );
  }
  if (editing?.insert && editing.index >= tokens.length) items.push(editor(editing));
  const hidden = tokens.length - shown;

  return (
    <div className="al-chips-wrap">
      <ol
        ref={listRef}
        className="al-chips"
        aria-label={t('chips.label')}
        data-testid="chips"
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const i = chipIndex(e.target);
          if (i !== null && !editing) setActive(i);
        }}
        onDoubleClick={(e) => {
          const i = chipIndex(e.target);
          if (i !== null && !(e.target as Element).closest('button')) startEdit(i, false);
        }}
        onClick={(e) => {
          const btn = (e.target as Element).closest('button[data-action="delete"]');
          const i = chipIndex(btn);
          if (btn && i !== null) report(actions.deleteToken(i));
        }}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragLeave={(e) => {
          if (drag && e.target === listRef.current) setDrag({ ...drag, over: null });
        }}
        onDrop={onDrop}
        onDragEnd={() => setDrag(null)}
      >
        {items}
        {hidden > 0 && (
          <li className="al-chip-add-wrap">
            <button type="button" className="al-chip-add" data-testid="chips-show-all" onClick={() => setShowAll(true)}>
              {t('chips.showAll', { n: hidden })}
            </button>
          </li>
        )}
        {!isCase && hidden === 0 && (
          <li className="al-chip-add-wrap">
            <button type="button" className="al-chip-add" data-testid="chip-add" onClick={() => startEdit(tokens.length, true)}>
              {t('chips.add')}
            </button>
          </li>
        )}
      </ol>
      <p className="al-hint">{checkpoint ? t('hub.chipsHelp') : isCase ? t('chips.helpCase') : source.kind === 'model' ? t('model.chipsHelp') : t('chips.help')}</p>
      {error && (
        <p className="al-field-error" role="alert" data-testid="chips-error">
          {error}
        </p>
      )}
    </div>
  );
}
