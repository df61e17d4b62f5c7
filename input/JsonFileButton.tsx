// A button that opens a JSON file and hands its text on; too large or unreadable files become a notice.
import { useRef } from 'react';
import { t, type MessageKey } from '../i18n/index.ts';
import { useActions } from '../state/store.ts';
import { MAX_CASE_BYTES } from '../state/caseImport.ts';


export interface JsonFileButtonProps {
  /** The button's text. */
  label: string;
  /** The button's tooltip. */
  title?: string;
  /** Test id of the button. */
  testId: string;
  /** Test id of the hidden file input (tests set files on it). */
  inputTestId: string;
  /** Message for a file over 64 MB ({name}, {mb}). */
  tooBig: MessageKey;
  /** A file was read: its text and name. */
  onText: (text: string, fileName: string) => void;
}

export function JsonFileButton({ label, title, testId, inputTestId, tooBig, onText }: JsonFileButtonProps) {
  const actions = useActions();
  const ref = useRef<HTMLInputElement>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    if (ref.current) ref.current.value = ''; // the same file can be chosen again
    if (file.size > MAX_CASE_BYTES) {
      actions.notify('error', 'file', t(tooBig, { name: file.name, mb: Math.round(file.size / 1e6) }));
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (e) {
      actions.notify('error', 'file', t('case.fileUnreadable', { name: file.name, why: e instanceof Error ? e.message : String(e) }));
      return;
    }
    onText(text, file.name);
  };
  return (
    <>
      <button type="button" className="al-button" data-testid={testId} title={title} onClick={() => ref.current?.click()}>
        {label}
      </button>
      <input
        ref={ref}
        type="file"
        accept="application/json,.json"
        className="al-sr-only"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={inputTestId}
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
    </>
  );
}
