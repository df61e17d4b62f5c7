// Share → Embed: the custom-element snippet and the iframe snippet for the current view, with a live
// preview (an iframe of /embed). Strings come from the widget's small catalog (i18n/widget.ts).
import { useRef, useState } from 'react';
import './embedDialog.css';
import { wt } from '../i18n/widget.ts';
import { FROM_APP_VIEW } from '../state/widgetViews.ts';
import { copyText } from '../state/download.ts';
import { effectiveHeads, type DocState } from '../state/document.ts';
import { useStore } from '../state/store.ts';
import { tokenizeText, sameTokens } from '../state/tokens.ts';
import { encodeState, joinTokenList } from '../state/urlState.ts';

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Where the app is served from (the /embed route and dist/widget/ sit next to it). */
function appBase(): string {
  return new URL('./', window.location.href).href;
}

function embedUrl(doc: DocState): string {
  return `${appBase()}embed?${encodeState(doc)}`;
}

/** The <attention-lab> snippet for a document. */
function elementSnippet(doc: DocState): string {
  const a: [string, string][] = [];
  if (doc.source.kind === 'case') a.push(['src', 'case.json']);
  else if (doc.source.kind === 'model') a.push(['source', 'model'], ['text', doc.text]);
  else if (sameTokens(doc.tokens, tokenizeText(doc.text, 'words'))) a.push(['text', doc.text]);
  else a.push(['tokens', joinTokenList(doc.tokens)]);
  if (doc.source.kind === 'seeded') {
    a.push(['mechanism', doc.mechanism], ['convention', doc.convention]);
    if (doc.mechanism === 'multi') a.push(['heads', String(doc.h)]);
    a.push(['d', String(doc.d)], ['seed', String(doc.seed)]);
  }
  if (doc.causal && doc.source.kind !== 'model') a.push(['causal', '']);
  if (doc.source.kind === 'model' && doc.layer !== 0) a.push(['layer', String(doc.layer)]);
  a.push(['view', FROM_APP_VIEW[doc.view]]);
  if (doc.head !== 0 && doc.head < effectiveHeads(doc)) a.push(['head', String(doc.head)]);
  const attrs = a.map(([k, v]) => (v === '' ? k : `${k}="${attr(v)}"`)).join(' ');
  const note =
    doc.source.kind === 'case'
      ? '\n<!-- case.json: the case file (Download case), next to your page -->'
      : doc.source.kind === 'model'
        ? `\n<!-- source="model": copy dist/models/ next to dist/widget/ too${doc.source.model === 'user' ? '. The widget shows the shipped model: one trained in your browser stays there.' : ''} -->`
        : '';
  return `<!-- copy dist/widget/ to your site, then: (it fits any column from 300 px wide, and works by touch) -->\n<script type="module" src="/widget/attention-lab.js"></script>${note}\n<attention-lab ${attrs}></attention-lab>`;
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
