// Share → Embed: the custom-element snippet and the iframe snippet for the current view, with a live
// preview (an iframe of /embed). Strings come from the widget's small catalog (i18n/widget.ts).
import { useRef, useState } from 'react';
import './embedDialog.css';
import { wt } from '../i18n/widget.ts';
import { copyText } from '../state/download.ts';
import type { DocState } from '../state/document.ts';
import { useStore } from '../state/store.ts';
import { encodeState } from '../state/urlState.ts';
import { attr, elementSnippet } from './embedSnippet.ts';

/** Where the app is served from (the /embed route and dist/widget/ sit next to it). */
function appBase(): string {
  return new URL('./', window.location.href).href;
}

function embedUrl(doc: DocState): string {
  return `${appBase()}embed?${encodeState(doc)}`;
}

function iframeSnippet(doc: DocState): string {
  // width 100%: the embed fits any column from 300 px wide (phones included).
  return `<!-- fits any column from 300 px wide, and works by touch -->\n<iframe src="${attr(embedUrl(doc))}" title="Attention Lab" width="100%" height="460" style="border:0" loading="lazy"></iframe>`;
}

interface SnippetProps {
  /** What the snippet is. */
  label: string;
  /** The code, shown and copied. */
  text: string;
  /** Test id of the code box. */
  testId: string;
}

function Snippet({ label, text, testId }: SnippetProps) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="al-embed-snippet">
      <div className="al-embed-snippet-head">
        <span>{label}</span>
        <button
          type="button"
          className="al-button"
          onClick={async () => {
            const ok = await copyText(text);
            setCopied(ok);
            if (ok) setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? wt('e.copied') : wt('e.copy')}
        </button>
      </div>
      <textarea readOnly value={text} rows={4} data-testid={testId} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
    </div>
  );
}

/** The dialog's content: mounted only while the dialog is open, so editing the document does not re-render the header. */
function EmbedContent() {
  const doc = useStore((s) => s.doc);
  return (
    <>
      <h2 id="al-embed-title">{wt('e.title')}</h2>
      <Snippet label={wt('e.element')} text={elementSnippet(doc)} testId="embed-element" />
      <Snippet label={wt('e.iframe')} text={iframeSnippet(doc)} testId="embed-iframe" />
      <p className="al-embed-label">{wt('e.preview')}</p>
      <iframe className="al-embed-preview" src={embedUrl(doc)} title={wt('e.preview')} data-testid="embed-preview" />
      <form method="dialog">
        <button type="submit" className="al-button">
          {wt('e.close')}
        </button>
      </form>
    </>
  );
}

export function EmbedButton() {
  const ref = useRef<HTMLDialogElement | null>(null);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="al-button"
        data-testid="embed"
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
          ref.current?.showModal();
        }}
      >
        {wt('e.button')}
      </button>
      <dialog ref={ref} className="al-embed-dialog" data-testid="embed-dialog" aria-labelledby="al-embed-title" onClose={() => setOpen(false)}>
        {open && <EmbedContent />}
      </dialog>
    </>
  );
}
