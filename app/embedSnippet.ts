// The <attention-lab> snippet of the Embed dialog: the element with the attributes that show the current
// document (a case comes as a file next to the page, with its window and tile size inside).
import { selectableHeads, type DocState } from '../state/document.ts';
import { tokenizeText, sameTokens } from '../state/tokens.ts';
import { joinTokenList } from '../state/urlState.ts';
import { FROM_APP_VIEW } from '../state/widgetViews.ts';

/** Escapes a value for a double-quoted HTML attribute. */
export const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The <attention-lab> snippet for a document. */
export function elementSnippet(doc: DocState): string {
  const a: [string, string][] = [];
  if (doc.source.kind === 'case') a.push(['src', 'case.json']);
  else if (doc.source.kind === 'model') a.push(['source', 'model'], ['text', doc.text]);
  else if (sameTokens(doc.tokens, tokenizeText(doc.text, 'words'))) a.push(['text', doc.text]);
  else a.push(['tokens', joinTokenList(doc.tokens)]);
  if (doc.causal && doc.source.kind !== 'model') a.push(['causal', '']);
  if (doc.source.kind === 'seeded') {
    a.push(['mechanism', doc.mechanism], ['convention', doc.convention]);
    if (doc.mechanism === 'multi') a.push(['heads', String(doc.h)]);
    a.push(['d', String(doc.d)], ['seed', String(doc.seed)]);
    // A case file carries its own window and tile size (Download case writes them).
    if (doc.causal && doc.window !== null) a.push(['window', String(doc.window)]);
    if (doc.tile !== null) a.push(['tile', String(doc.tile)]);
  }
  if (doc.source.kind === 'model' && doc.layer !== 0) a.push(['layer', String(doc.layer)]);
  a.push(['view', FROM_APP_VIEW[doc.view]]);
  if (doc.head !== 0 && doc.head < selectableHeads(doc)) a.push(['head', String(doc.head)]);
  const attrs = a.map(([k, v]) => (v === '' ? k : `${k}="${attr(v)}"`)).join(' ');
  const note =
    doc.source.kind === 'case'
      ? '\n<!-- case.json: the case file (Download case), next to your page -->'
      : doc.source.kind === 'model'
        ? `\n<!-- source="model": copy dist/models/ next to dist/widget/ too${doc.source.model === 'user' ? '. The widget shows the shipped model: one trained in your browser stays there.' : ''} -->`
        : '';
  return `<!-- copy dist/widget/ to your site, then: (it fits any column from 300 px wide, and works by touch) -->\n<script type="module" src="/widget/attention-lab.js"></script>${note}\n<attention-lab ${attrs}></attention-lab>`;
}
