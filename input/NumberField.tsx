// A labelled integer field that commits valid values as you type and explains invalid ones inline.
// The store is the truth: when its value changes (undo, a link), the field follows.
import { useId, useState } from 'react';
import { t } from '../i18n/index.ts';

export interface NumberFieldProps {
  /** The field's label. */
  label: string;
  /** The value shown while not editing. */
  value: number;
  /** Applies a value; returns an error message to show, or null. */
  onCommit: (v: number) => string | null;
  /** Smallest value accepted. */
  min?: number;
  /** Largest value accepted. */
  max?: number;
  /** Step of the arrows (default 1). */
  step?: number;
  /** Not editable. */
  disabled?: boolean;
  /** Help written under the field. */
  hint?: string;
  /** Test id of the input. */
  testId?: string;
  /** Accepts non-integers (weights). */
  decimal?: boolean;
  /** Extra class names of the field. */
  className?: string;
}

export function NumberField({ label, value, onCommit, min, max, step = 1, disabled, hint, testId, decimal = false, className }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const [synced, setSynced] = useState(value);
  // Follow the store (undo, links) unless the user is mid-way through an invalid entry.
  if (synced !== value) {
    setSynced(value);
    setText(String(value));
    setError(null);
  }
  const commit = (s: string) => {
    const trimmed = s.trim();
    if (trimmed === '') {
      setError(t('input.required', { field: label }));
      return;
    }
    setError(onCommit(Number(trimmed)));
  };
  return (
    <div className={`al-field${error ? ' al-field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={decimal ? 'decimal' : 'numeric'}
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        data-testid={testId}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-err` : hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          commit(e.target.value);
        }}
        onBlur={() => {
          if (!error) setText(String(value));
        }}
      />
      {hint && !error && (
        <span id={`${id}-hint`} className="al-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-err`} className="al-field-error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </span>
      )}
    </div>
  );
}
