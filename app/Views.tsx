// The views, as tabs: Heads, Lines, Matrices, Steps, Model. Each sits in its own error boundary and reads
// only the last finished computation (never the document being edited), so a bad edit or a
// computation in progress leaves the last good picture on screen.
import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { AttentionLines } from '../components/lines/AttentionLines.tsx';
import { ErrorBoundary } from '../components/common/ErrorBoundary.tsx';
import { HeadGrid } from '../components/heads/HeadGrid.tsx';
import { MatricesPanel } from '../components/matrices/MatricesPanel.tsx';
import { Spinner } from '../components/common/Spinner.tsx';
import { StepByStep } from '../components/steps/StepByStep.tsx';
import { ModelGrid } from '../components/modelview/ModelGrid.tsx';
import { HeadScoresTable } from '../components/modelview/HeadScoresTable.tsx';
import { NextTokens } from '../components/layers/NextTokens.tsx';
import { LensTable } from '../components/layers/LensTable.tsx';
import { AblationPanel } from '../components/layers/AblationPanel.tsx';
import { ImportanceGrid } from '../components/layers/ImportanceGrid.tsx';
import { FlowView } from '../components/layers/FlowView.tsx';
import { CompareBody } from '../views/CompareBody.tsx';
import { ExportBar } from './ExportBar.tsx';
import { t } from '../i18n/index.ts';
import { VIEW_LABEL } from './viewLabels.ts';
import { useExercisePending } from './lessons/runner.ts';
import { MODEL_VIEWS, VIEWS as ALL_VIEWS } from '../state/document.ts';
import { signalPainted } from './paintSignal.ts';
import { ViewBody, type ViewParts } from '../views/ViewBody.tsx';
import { useActions, useStore, type Computed } from '../state/store.ts';
import './viewTabs.css';

/** Results with more attention cells than this render as a deferred (interruptible) update. */
const DEFER_CELLS = 64 * 64 * 16;


/** The app imports every view up front (the widget loads the heavy ones lazily). */
const PARTS: ViewParts = { HeadGrid, AttentionLines, MatricesPanel, StepByStep, ModelGrid, HeadScoresTable, NextTokens, FlowView, LensTable, AblationPanel, ImportanceGrid, CompareBody };

/** How long a computation runs before the busy spinner shows. */
const SPINNER_DELAY_MS = 150;

/** Busy spinner and the last result's timing: its own component, so "busy" re-renders only this row. */
const Status = memo(function Status({ busy, computed }: { busy: boolean; computed: Computed | null }) {
  // The spinner only appears for computations longer than SPINNER_DELAY_MS: a quick one (most edits)
  // neither flickers nor pays for inserting, animating and removing it. data-busy follows at once.
  const [spin, setSpin] = useState(false);
  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(() => setSpin(true), SPINNER_DELAY_MS);
    return () => {
      clearTimeout(timer);
      setSpin(false);
    };
  }, [busy]);
  return (
    <div className="al-status" data-testid="status" data-busy={busy ? '1' : '0'} data-computed-id={computed?.id ?? 0} data-pooled={computed?.pooled ? '1' : '0'} data-kept-run={computed?.fromKeptRun ? '1' : '0'}>
      {busy && spin && (
        <span className="al-busy">
          <Spinner showLabel />
        </span>
      )}
      {computed && (
        <span
          className="al-hint"
          data-testid="timing"
          data-queue-ms={computed.ms.queue.toFixed(1)}
          data-build-ms={computed.ms.build.toFixed(1)}
          data-back-ms={computed.ms.back.toFixed(1)}
          data-compute-ms={computed.ms.compute.toFixed(1)}
          data-roundtrip-ms={computed.ms.roundTrip.toFixed(1)}
        >
          {t('views.timing', {
            n: computed.tokens.length,
            h: computed.result.heads.length,
            ms: Math.round(computed.ms.roundTrip),
            backend: computed.result.backend,
          })}
        </span>
      )}
    </div>
  );
});

export function Views() {
  const view = useStore((s) => s.doc.view);
  const isModel = useStore((s) => s.doc.source.kind === 'model');
  // The across-layers views need a model (layers, an unembedding).
  const VIEWS = useMemo(() => ALL_VIEWS.filter((v) => isModel || v === 'model' || !MODEL_VIEWS.includes(v)), [isModel]);
  // A new result renders as a transition: large grids are drawn in slices and input stays responsive.
  // (Small results render at once: deferring only adds a pass.)
  const latest = useStore((s) => s.computed);
  const deferred = useDeferredValue(latest);
  const computed = latest && latest.tokens.length ** 2 * latest.result.heads.length <= DEFER_CELLS ? latest : deferred;
  const busy = useStore((s) => s.busy) || latest !== computed;
  const error = useStore((s) => s.computeError);
  const actions = useActions();
  const exercisePending = useExercisePending();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  // The same elements for as long as the view and the result are the same: "busy" flipping on a
  // change, and the deferred value's second pass, then skip the export bar and the view entirely.
  const exportBar = useMemo(() => (computed ? <ExportBar view={view} computed={computed} /> : null), [view, computed]);
  const body = useMemo(
    () =>
      computed ? (
        <ErrorBoundary key={view} name={t(VIEW_LABEL[view])} resetKeys={[computed]}>
          <ViewBody view={view} computed={computed} parts={PARTS} />
        </ErrorBoundary>
      ) : null,
    [view, computed],
  );

  // Tests and the browser benchmark wait for this: the heatmaps of this result are painted.
  useEffect(() => (computed ? signalPainted(computed.id) : undefined), [computed, view]);

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = VIEWS.indexOf(view);
    let next = -1;
    if (e.key === 'ArrowRight') next = (k + 1) % VIEWS.length;
    else if (e.key === 'ArrowLeft') next = (k - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEWS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    actions.setView(VIEWS[next]);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className="al-views" aria-label={t('views.label')}>
      <div className="al-tabs-row">
        <div role="tablist" className="al-tabs" aria-label={t('views.label')} onKeyDown={onTabKey}>
          {VIEWS.map((v, k) => (
            <button
              key={v}
              ref={(el) => {
                tabRefs.current[k] = el;
              }}
              type="button"
              role="tab"
              id={`al-tab-${v}`}
              aria-controls={`al-panel-${v}`}
              aria-selected={view === v}
              tabIndex={view === v ? 0 : -1}
              data-testid={`tab-${v}`}
              className="al-tab"
              onClick={() => actions.setView(v)}
            >
              {t(VIEW_LABEL[v])}
            </button>
          ))}
        </div>
        <Status busy={busy} computed={computed} />
      </div>
      {error && (
        <p className="al-banner al-banner-error" role="alert" data-testid="compute-error">
          {error} {computed && <span className="al-hint">{t('views.keptLast')}</span>}
        </p>
      )}
      {!exercisePending && exportBar}
      <div role="tabpanel" id={`al-panel-${view}`} aria-labelledby={`al-tab-${view}`} className="al-tabpanel" data-testid={`panel-${view}`}>
        {computed && exercisePending ? (
          <p className="al-placeholder" data-testid="views-hidden">
            {t('lessons.waitAnswer')}
          </p>
        ) : computed ? (
          body
        ) : error ? null : (
          <div className="al-placeholder">
            <Spinner showLabel label={t('views.firstCompute')} />
          </div>
        )}
      </div>
    </section>
  );
}
