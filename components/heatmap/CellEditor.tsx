// The in-place editor of one cell: opened by double-click, Enter or F2; Enter or leaving commits a
// valid number, Escape cancels; an invalid entry stays open with an error.
import { useState } from 'react';
import { useT } from '../../i18n/react.ts';
import { formatFull, formatValue, parseEditValue } from '../common/format.ts';
import type { Cell } from '../common/types.ts';

export interface EditState {
  cell: Cell;
  text: string;
  invalid: boolean;
}

export interface CellEditing {
  /** The open editor, or null. */
  edit: EditState | null;
  /** Opens the editor on a cell (nothing when the heatmap is not editable). */
  open(cell: Cell): void;
  setText(text: string): void;
  /** Commits a valid entry (false and marked invalid otherwise). */
  commit(refocus: boolean): boolean;
  close(refocus: boolean): void;
}

/**
 * The editor's state. `onEdit` absent: nothing opens. `refocus` returns the focus to the cells after
 * a keyboard commit or cancel; `say` announces the new value.
 */
export function useCellEditor(onEdit: ((cell: Cell, value: number) => void) | undefined, valueAt: (c: Cell) => number, refocus: () => void, say: (text: string) => void): CellEditing {
  const t = useT();
  const [edit, setEdit] = useState<EditState | null>(null);
  const close = (again: boolean) => {
    setEdit(null);
    if (again) refocus();
  };
  return {
    edit,
    open(cell) {
      if (!onEdit) return;
      setEdit({ cell, text: formatFull(valueAt(cell)), invalid: false });
    },
    setText(text) {
      if (edit) setEdit({ ...edit, text, invalid: false });
    },
    commit(again) {
      if (!edit) return false;
      const v = parseEditValue(edit.text);
      if (v === null) {
        setEdit({ ...edit, invalid: true });
        return false;
      }
      onEdit?.(edit.cell, v);
      say(t('heatmap.edited', { value: formatValue(v) }));
      close(again);
      return true;
    },
    close,
  };
}

export interface CellEditorProps {
  editing: CellEditing & { edit: EditState };
  /** Side of a cell in CSS pixels. */
  cell: number;
  /** Width of the cells in CSS pixels (the editor stays inside). */
  width: number;
  /** Accessible name of the input. */
  label: string;
  /** Id of the error message. */
  errorId: string;
}

export function CellEditor({ editing, cell: c, width, label, errorId }: CellEditorProps) {
  const t = useT();
  const { edit } = editing;
  return (
    <div
      className="al-heatmap-editor"
      style={{
        left: Math.min(edit.cell.col * c, Math.max(0, width - 96)),
        top: (edit.cell.row + 1) * c + 2,
      }}
    >
      <input
        type="text"
        inputMode="decimal"
        autoFocus
        aria-label={label}
        aria-invalid={edit.invalid}
        aria-describedby={edit.invalid ? errorId : undefined}
        value={edit.text}
        onChange={(e) => editing.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            editing.commit(true);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            editing.close(true);
          }
          e.stopPropagation();
        }}
        onBlur={() => {
          // An unreadable entry is dropped when the focus leaves; a valid one is kept.
          if (parseEditValue(edit.text) === null) editing.close(false);
          else editing.commit(false);
        }}
      />
      {edit.invalid && (
        <span className="al-heatmap-editor-error" id={errorId} role="alert">
          {t('heatmap.edit.invalid')}
        </span>
      )}
    </div>
  );
}
