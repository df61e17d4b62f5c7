// The /embed route's query → what the iframe shows. Pure and total: a malformed query (a broken
// percent escape, a bad field, a hostile case) gives named messages and the defaults for the rest.
import { parseLang, type Lang } from '../i18n/index.ts';
import type { DocState } from '../state/document.ts';
import { decodeState } from '../state/urlState.ts';
import { parseHeight } from './attributes.ts';
import { wt } from '../i18n/widget.ts';

/** Query keys of the embed page itself (not part of the document). */
const OWN = ['theme', 'lang', 'height', 'edit'] as const;
type Own = (typeof OWN)[number];

export interface EmbedQuery {
  doc: DocState;
  /** One message per thing that could not be read. */
  messages: string[];
  lang: Lang | null;
  theme: 'light' | 'dark' | 'auto';
  /** CSS height (default 100vh). */
  height: string;
  editable: boolean;
}

/** decodeURIComponent that never throws: a broken escape stays as written. */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Reads `location.search` ("?text=…&theme=dark…") on top of `defaults`. */
export function readEmbedQuery(search: string, defaults: DocState): EmbedQuery {
  const own = new Map<Own, string>();
  const rest: string[] = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    if ((OWN as readonly string[]).includes(key)) own.set(key as Own, safeDecode(eq < 0 ? '' : part.slice(eq + 1)));
    else rest.push(part);
  }
  const decoded = decodeState(rest.join('&'), defaults);
  const messages = [...decoded.errors];

  const langParam = own.get('lang');
  const lang = parseLang(langParam);
  if (langParam !== undefined && !lang) messages.push(wt('w.invalid', { name: 'lang', why: wt('w.choice', { choices: 'en, zh', got: langParam }) }));

  const themeParam = own.get('theme');
  let theme: EmbedQuery['theme'] = 'auto';
  if (themeParam === 'light' || themeParam === 'dark' || themeParam === 'auto') theme = themeParam;
  else if (themeParam !== undefined) messages.push(wt('w.invalid', { name: 'theme', why: wt('w.choice', { choices: 'light, dark, auto', got: themeParam }) }));

  const heightParam = own.get('height');
  let height = '100vh';
  if (heightParam !== undefined) {
    const h = parseHeight(heightParam);
    if (h) height = h;
    else messages.push(wt('w.invalid', { name: 'height', why: wt('w.length', { got: heightParam }) }));
  }
  return { doc: decoded.doc ?? defaults, messages, lang, theme, height, editable: own.get('edit') === '1' };
}
