// The /embed route (embed.html): one compact view from the URL's query, for hosts that cannot run
// scripts (an iframe). The query is the app's link format (app/urlState.ts) plus theme/lang/height,
// and the widget links back to the full app with its current state.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../components/views.css';
import './widget.css';
import { getLang, langTag, parseLang, setLang } from '../app/i18n/index.ts';
import { startComputeClient } from '../app/computeClient.ts';
import { DEFAULT_DOC, normalizeDoc, type DocState } from '../app/model.ts';
import { createAppStore } from '../app/store.ts';
import { tokenizeText } from '../app/tokens.ts';
import { decodeState, encodeState } from '../app/urlState.ts';
import { parseHeight } from './attributes.ts';
import { wt } from './messages.ts';
import { quickFirstResult } from './quickStart.ts';
import { Widget } from './Widget.tsx';

/** Query keys of the embed page itself (not part of the document). */
const OWN = ['theme', 'lang', 'height', 'edit'];

function start(): void {
  const params = new URLSearchParams(location.search);
  const messages: string[] = [];
  const own = (k: string) => params.get(k);
  const rest = location.search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '' && !OWN.includes(decodeURIComponent(p.split('=')[0] ?? '')))
    .join('&');

  const defaults = normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeText(DEFAULT_DOC.text, DEFAULT_DOC.mode) });
  const decoded = decodeState(rest, defaults);
  messages.push(...decoded.errors);
  const doc: DocState = decoded.doc ?? defaults;

  const lang = parseLang(own('lang'));
  if (lang) setLang(lang);
  else if (own('lang') !== null) messages.push(wt('w.invalid', { name: 'lang', why: wt('w.choice', { choices: 'en, zh', got: own('lang') ?? '' }) }));
  document.documentElement.lang = langTag();
  const themeParam = own('theme') ?? 'auto';
  const theme = themeParam === 'dark' || (themeParam !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light';
  const height = own('height') ? parseHeight(own('height') ?? '') : '100vh';

  const store = createAppStore();
  store.getState().actions.replaceDoc(doc, false);
  quickFirstResult(store); // a first picture before the worker has loaded tfjs
  startComputeClient(store);

  const app = new URL('./', location.href);
  const openLink = (d: DocState) => `${app.origin}${app.pathname}#${encodeState(d)}`;

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Widget
        store={store}
        theme={theme}
        height={height}
        messages={messages}
        lang={getLang()}
        openLink={openLink}
        editable={own('edit') === '1'}
      />
    </StrictMode>,
  );
}

start();
