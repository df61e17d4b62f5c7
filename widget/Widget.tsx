// The widget's React tree (inside a shadow root, or the /embed page): a compact bar of views, the
// tokens, and one of the app's views, all reading the widget's own store through StoreContext.
import { Suspense, useEffect, useRef, type ReactNode } from 'react';
import { ErrorBoundary } from '../components/common/ErrorBoundary.tsx';
import { schedulePaint, useElementHeight } from '../components/common/hooks.ts';
import { ViewHeightContext } from '../components/common/viewBox.ts';
import { Spinner } from '../components/common/Spinner.tsx';
import { langTag, type Lang } from '../i18n/index.ts';
import { LangContext, useT } from '../i18n/react.ts';
import { StoreContext, useActions, useStore, type AppStore } from '../state/store.ts';
import { ViewBody } from '../views/ViewBody.tsx';
import type { DocState, ViewName } from '../state/document.ts';
import type { Computed } from '../state/store.ts';
import { FROM_APP_VIEW, TO_APP_VIEW, WIDGET_VIEWS } from './attributes.ts';
import { useWt, wt } from '../i18n/widget.ts';
import { WIDGET_PARTS } from './views.ts';

export interface WidgetProps {
  store: AppStore;
  /** 'light' | 'dark' (already resolved from 'auto'). */
  theme: 'light' | 'dark';
  height: string | null;
  /** Messages about bad attributes or files, shown inside the widget. */
  messages: string[];
  /** The widget's own language (its strings and its views'), independent of other widgets on the page. */
  lang: Lang;
  /** Called once a result is painted (its id). */
  onPainted?: (id: number) => void;
  /** The full app's link for a document ("Open in Attention Lab"), kept up to date with the widget's state. */
  openLink?: ((doc: DocState) => string) | null;
  /** Show the token text box. */
  editable?: boolean;
}

function TokenField() {
  const text = useStore((s) => s.doc.text);
  const isCase = useStore((s) => s.doc.source.kind === 'case');
  const actions = useActions();
  const wt = useWt();
  return (
    <label className="alw-text">
      <span className="alw-label">{wt('w.text')}</span>
      <input
        type="text"
        data-testid="widget-text"
        value={text}
        readOnly={isCase}
        spellCheck={false}
        onChange={(e) => actions.setText(e.target.value)}
      />
    </label>
  );
}

/**
 * The widget's own paint signal: an attribute on its root (never a global of the host page). Rendered
 * after the view inside its Suspense boundary, so a lazily loaded view counts as painted only once
 * its chunk has arrived and it is on screen.
 */
function PaintSignal({ computed, view, onPainted, rootRef }: { computed: Computed; view: ViewName; onPainted?: (id: number) => void; rootRef: React.RefObject<HTMLDivElement | null> }) {
  useEffect(() => {
    let raf = 0;
    const cancel = schedulePaint(() => {
      raf = requestAnimationFrame(() => {
        rootRef.current?.setAttribute('data-painted-id', String(computed.id));
        onPainted?.(computed.id);
      });
    });
    return () => {
      cancel();
      cancelAnimationFrame(raf);
    };
  }, [computed, view, onPainted, rootRef]);
  return null;
}

function Body({ onPainted, rootRef, fixedHeight }: { onPainted?: (id: number) => void; rootRef: React.RefObject<HTMLDivElement | null>; fixedHeight: boolean }) {
  // With a fixed height the view's box is the widget's, not its content's: the heatmaps fit it.
  const viewRef = useRef<HTMLDivElement | null>(null);
  const viewHeight = useElementHeight(viewRef, fixedHeight);
  const view = useStore((s) => s.doc.view);
  const computed = useStore((s) => s.computed);
  const busy = useStore((s) => s.busy);
  const error = useStore((s) => s.computeError);
  const actions = useActions();
  const t = useT();
  const wt = useWt();

  const current = FROM_APP_VIEW[view];
  return (
    <>
      <div className="alw-bar">
        <div role="tablist" className="alw-tabs" aria-label={wt('w.views')}>
          {WIDGET_VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={current === v}
              data-testid={`widget-tab-${v}`}
              className="alw-tab"
              onClick={() => actions.setView(TO_APP_VIEW[v])}
            >
              {wt(`w.view.${v}`)}
            </button>
          ))}
        </div>
        <div className="alw-status" data-testid="status" data-busy={busy ? '1' : '0'} data-computed-id={computed?.id ?? 0}>
          {busy && <Spinner />}
          {computed && (
            <span className="al-hint">
              n = {computed.tokens.length}, h = {computed.result.heads.length}
            </span>
          )}
        </div>
      </div>
      {error && (
        <p className="alw-error" role="alert" data-testid="compute-error">
          {error}
        </p>
      )}
      <div className="alw-view" data-testid={`panel-${view}`} ref={viewRef}>
        <ViewHeightContext.Provider value={viewHeight}>
        {computed ? (
          <ErrorBoundary key={view} name={view} resetKeys={[computed]}>
            <Suspense
              fallback={
                <div className="alw-placeholder">
                  <Spinner showLabel label={wt('w.loading')} />
                </div>
              }
            >
              <ViewBody view={view} computed={computed} parts={WIDGET_PARTS} />
              <PaintSignal computed={computed} view={view} onPainted={onPainted} rootRef={rootRef} />
            </Suspense>
          </ErrorBoundary>
        ) : error ? null : (
          <div className="alw-placeholder">
            <Spinner showLabel label={t('views.firstCompute')} />
          </div>
        )}
        </ViewHeightContext.Provider>
      </div>
    </>
  );
}

function OpenLink({ link }: { link: (doc: DocState) => string }) {
  const doc = useStore((s) => s.doc);
  const wt = useWt();
  return (
    <a className="alw-open" href={link(doc)} target="_blank" rel="noopener" data-testid="open-in-app">
      {wt('w.open')} ↗
    </a>
  );
}

export function Widget({ store, theme, height, messages, lang, onPainted, openLink, editable = true }: WidgetProps): ReactNode {
  const rootRef = useRef<HTMLDivElement | null>(null);
  return (
    <StoreContext.Provider value={store}>
      <LangContext.Provider value={lang}>
        <div
          ref={rootRef}
          className="alw-root"
          data-al-theme={theme}
          data-testid="widget-root"
          lang={langTag(lang)}
          role="region"
          aria-label={wt('w.label', {}, lang)}
          style={height ? { height } : undefined}
        >
          {messages.length > 0 && (
            <ul className="alw-messages" data-testid="widget-message" role="alert">
              {messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
          {editable && <TokenField />}
          <Body onPainted={onPainted} rootRef={rootRef} fixedHeight={height !== null && height !== ''} />
          {openLink && <OpenLink link={openLink} />}
        </div>
      </LangContext.Provider>
    </StoreContext.Provider>
  );
}
