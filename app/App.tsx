// Composition: header, input, controls, views. Data flows one way:
// input → store → engine (worker) → result → views.
import { Suspense, lazy, useEffect, useLayoutEffect, useState } from 'react';
import { CaseIO } from '../input/CaseIO.tsx';
import { copyText } from '../state/download.ts';
import { Controls } from '../input/Controls.tsx';
import { t } from '../i18n/index.ts';
import { KeyPanel } from '../input/KeyPanel.tsx';
import { Notices } from './Notices.tsx';
import { signalHover } from './paintSignal.ts';
import { currentLink } from '../state/persistence.ts';
import { useActions, useStore, useStoreApi } from '../state/store.ts';
import { TokenInput } from '../input/TokenInput.tsx';
import { Preferences } from './Preferences.tsx';
import { usePrefs } from '../state/prefs.ts';
import { Teaching, TeachingButtons } from './Teaching.tsx';
import { caseTooBigForLink } from '../state/urlState.ts';
import { Views } from './Views.tsx';
import { EmbedButton } from './EmbedDialog.tsx';
import { ErrorBoundary } from '../components/common/ErrorBoundary.tsx';
import { Spinner } from '../components/common/Spinner.tsx';
import { ControlDrawer } from './ControlDrawer.tsx';
import { HeaderMenu } from './HeaderMenu.tsx';

// Training pulls in its own worker and tfjs' optimizers: loaded only when the panel is opened.
const TrainPanel = lazy(() => import('./TrainPanel.tsx').then((m) => ({ default: m.TrainPanel })));

/** The Train panel, closed until asked for. */
function TrainSection() {
  const [open, setOpen] = useState(false);
  return (
    <section className="al-panel al-train-section" aria-labelledby="al-train-h">
      <h2 id="al-train-h" className="al-h2">
        <button type="button" className="al-disclosure" aria-expanded={open} data-testid="open-train" onClick={() => setOpen(!open)}>
          {t('trainpanel.open')}
        </button>
      </h2>
      {!open && <p className="al-hint">{t('trainpanel.openHint')}</p>}
      {open && (
        <ErrorBoundary name={t('trainpanel.open')} resetKeys={[]}>
          <Suspense fallback={<Spinner showLabel />}>
            <TrainPanel />
          </Suspense>
        </ErrorBoundary>
      )}
    </section>
  );
}

/** Elements whose own undo (typing) must win over the app's Ctrl+Z. */
function ownsUndo(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.dataset.testid === 'text') return false; // the main text box is the document: use app undo
  return el instanceof HTMLInputElement ? !['checkbox', 'radio', 'range', 'button'].includes(el.type) : el instanceof HTMLTextAreaElement || el.isContentEditable;
}

function Header() {
  const store = useStoreApi();
  const canUndo = useStore((s) => s.past.length > 0);
  const canRedo = useStore((s) => s.future.length > 0);
  const actions = useActions();
  const [copied, setCopied] = useState(false);
  return (
    <header className="al-header">
      <h1 className="al-title">{t('app.title')}</h1>
      <p className="al-tagline">{t('app.tagline')}</p>
      <Preferences />
      <HeaderMenu>
        <TeachingButtons />
        <button type="button" className="al-button" data-testid="undo" disabled={!canUndo} onClick={actions.undo} aria-keyshortcuts="Control+Z" title={t('app.undo.hint')}>
          {t('app.undo')}
        </button>
        <button
          type="button"
          className="al-button"
          data-testid="redo"
          disabled={!canRedo}
          onClick={actions.redo}
          aria-keyshortcuts="Control+Shift+Z"
          title={t('app.redo.hint')}
        >
          {t('app.redo')}
        </button>
        <button
          type="button"
          className="al-button al-primary"
          data-testid="copy-link"
          onClick={async () => {
            const link = currentLink(store);
            const ok = await copyText(link);
            if (!ok) actions.notify('error', 'clipboard', t('clipboard.failed'));
            const { source } = store.getState().doc;
            if (source.kind === 'case' && caseTooBigForLink(source.case)) actions.notify('warning', 'clipboard', t('app.linkWithoutCase'));
            setCopied(ok);
            if (ok) setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? t('app.linkCopied') : t('app.copyLink')}
        </button>
        <EmbedButton />
      </HeaderMenu>
    </header>
  );
}

/** For the browser benchmark: the hover highlight of a new focus is in the DOM (layout effects run
 * after every DOM update of the same commit). Its own component, so hovering re-renders only it. */
function HoverSignal() {
  const focus = useStore((s) => s.focus);
  useLayoutEffect(() => signalHover(), [focus]);
  return null;
}

export function App() {
  const actions = useActions();
  // Every string comes from t(): a language switch re-mounts the tree so memoised views re-read it.
  const lang = usePrefs((s) => s.lang);
  const isModel = useStore((s) => s.doc.source.kind === 'model');
  // Nothing typed yet: the sentence follows the language (a Chinese class starts on a Chinese sentence).
  useEffect(() => actions.followLanguage(lang), [actions, lang]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      if (ownsUndo(e.target)) return;
      e.preventDefault();
      if (k === 'y' || e.shiftKey) actions.redo();
      else actions.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  return (
    <div className="al-app" key={lang}>
      <Header />
      <Notices />
      <div className="al-layout">
        <ControlDrawer>
          <Controls />
          {!isModel && <KeyPanel />}
          <CaseIO />
        </ControlDrawer>
        <main className="al-main">
          <Teaching />
          <TokenInput />
          <Views />
          <TrainSection />
        </main>
        <HoverSignal />
      </div>
    </div>
  );
}
