// The /embed route (embed.html): one compact view from the URL's query, for hosts that cannot run
// scripts (an iframe). The query is the app's link format (state/urlState.ts) plus theme/lang/height,
// and the widget links back to the full app with its current state.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../components/theme.css';
import '../components/views.css';
import './widget.css';
import { getLang, langTag, loadLang, parseLang, setLang } from '../i18n/index.ts';
import { startComputeClient } from '../compute/computeClient.ts';
import { DEFAULT_DOC, normalizeDoc, type DocState } from '../state/document.ts';
import { createAppStore } from '../state/store.ts';
import { tokenizeText } from '../state/tokens.ts';
import { encodeState } from '../state/urlState.ts';
import { readEmbedQuery } from './embedQuery.ts';
import { quickFirstResult } from './quickStart.ts';
import { Widget } from './Widget.tsx';

async function start(): Promise<void> {
  const defaults = normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeText(DEFAULT_DOC.text, DEFAULT_DOC.mode) });
  // The language first (its catalog may be a chunk), so that every message about the query is written in it.
  const lang = parseLang(new URLSearchParams(location.search).get('lang'));
  if (lang) {
    await loadLang(lang).catch((e: unknown) => console.error(`attention-lab: the ${lang} catalog could not be loaded`, e));
    setLang(lang);
  }
  const q = readEmbedQuery(location.search, defaults);
  const doc: DocState = q.doc;
  document.documentElement.lang = langTag();
  const theme = q.theme === 'dark' || (q.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light';
  const { height, messages } = q;

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
        editable={q.editable}
      />
    </StrictMode>,
  );
}

void start();
