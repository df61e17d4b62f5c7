// The views, as tabs: Heads, Lines, Matrices, Steps. Each sits in its own error boundary and reads
// only the last finished computation (never the document being edited), so a bad edit or a
// computation in progress leaves the last good picture on screen.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { AttentionLines } from '../components/AttentionLines.tsx';
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { HeadGrid } from '../components/HeadGrid.tsx';
import { MatricesPanel } from '../components/MatricesPanel.tsx';
import { Spinner } from '../components/Spinner.tsx';
import { StepByStep } from '../components/StepByStep.tsx';
import type { Cell } from '../components/types.ts';
import { t } from './i18n/index.ts';
import { VIEWS, type ViewName } from './model.ts';
import { signalPainted } from './paintSignal.ts';
import { useActions, useStore, type Computed } from './store.ts';

/** Results with more attention cells than this render as a deferred (interruptible) update. */
const DEFER_CELLS = 64 * 64 * 16;

const VIEW_LABEL = { heads: 'tab.heads', lines: 'tab.lines', matrices: 'tab.matrices', steps: 'tab.steps' } as const;

function HeadPicker({ heads, head, onPick }: { heads: number; head: number; onPick: (h: number) => void }) {
  if (heads <= 1) return null;
  return (
    <label className="al-inline-field">
      <span>{t('views.head')}</span>
      <select value={head} data-testid="head-picker" onChange={(e) => onPick(Number(e.target.value))}>
        {Array.from({ length: heads }, (_, k) => (
          <option key={k} value={k}>
            {t('views.headN', { k: k + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}

function ViewBody({ view, computed }: { view: ViewName; computed: Computed }) {
  const focus = useStore((s) => s.focus);
  const head = useStore((s) => s.doc.head);
  const cell = useStore((s) => s.doc.cell);
  const step = useStore((s) => s.doc.step);
  const enabledHeads = useStore((s) => s.enabledHeads);
  const actions = useActions();
  const { result, input, tokens, excludedKeys } = computed;
  const heads = useMemo(() => result.heads.map((h) => h.A), [result]);
  const h = Math.min(head, heads.length - 1);
  const n = tokens.length;
  const stepCell: Cell = cell && cell.row < n && cell.col < n ? cell : { row: 0, col: 0 };
  const lineHeads = useMemo(() => heads.map((_, k) => enabledHeads[k] ?? true), [heads, enabledHeads]);
  const onSelect = useCallback(
    (k: number, c: Cell) => {
      actions.selectHead(k);
      actions.selectCell(c);
    },
    [actions],
  );

  switch (view) {
    case 'heads':
      return (
        <HeadGrid
          heads={heads}
          tokens={tokens}
          excludedKeys={excludedKeys}
          focus={focus}
          selectedHead={h}
          selectedCell={cell && cell.row < n && cell.col < n ? cell : null}
          onFocus={actions.setFocus}
          onSelect={onSelect}
        />
      );
    case 'lines':
      return (
        <AttentionLines
          heads={heads}
          tokens={tokens}
          excludedKeys={excludedKeys}
          enabledHeads={lineHeads}
          focus={focus}
          onToggleHead={actions.toggleLineHead}
          onFocus={actions.setFocus}
        />
      );
    case 'matrices':
      return (
        <>
          <div className="al-view-toolbar">
            <HeadPicker heads={heads.length} head={h} onPick={actions.selectHead} />
            <span className="al-hint">{t('views.editHint')}</span>
          </div>
          <MatricesPanel
            input={input}
            result={result}
            tokens={tokens}
            head={h}
            focus={focus}
            onFocus={actions.setFocus}
            onEdit={(path, value) => {
              const err = actions.setOverride(path, value);
              if (err) actions.notify('error', 'edit', err);
            }}
          />
        </>
      );
    case 'steps':
      return (
        <>
          <div className="al-view-toolbar">
            <HeadPicker heads={heads.length} head={h} onPick={actions.selectHead} />
          </div>
          <StepByStep
            input={input}
            result={result}
            tokens={tokens}
            mechanism={computed.mechanism}
            convention={computed.convention}
            head={h}
            cell={stepCell}
            step={step}
            onStep={actions.setStep}
            onSelectCell={actions.selectCell}
          />
        </>
      );
  }
}

export function Views() {
  const view = useStore((s) => s.doc.view);
  // A new result renders as a transition: large grids are drawn in slices and input stays responsive.
  // (Small results render at once: deferring only adds a pass.)
  const latest = useStore((s) => s.computed);
  const deferred = useDeferredValue(latest);
  const computed = latest && latest.tokens.length ** 2 * latest.result.heads.length <= DEFER_CELLS ? latest : deferred;
  const busy = useStore((s) => s.busy) || latest !== computed;
  const error = useStore((s) => s.computeError);
  const actions = useActions();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

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
        <div className="al-status" data-testid="status" data-busy={busy ? '1' : '0'} data-computed-id={computed?.id ?? 0}>
          {busy && (
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
      </div>
      {error && (
        <p className="al-banner al-banner-error" role="alert" data-testid="compute-error">
          {error} {computed && <span className="al-hint">{t('views.keptLast')}</span>}
        </p>
      )}
      <div role="tabpanel" id={`al-panel-${view}`} aria-labelledby={`al-tab-${view}`} className="al-tabpanel" data-testid={`panel-${view}`}>
        {computed ? (
          <ErrorBoundary key={view} name={t(VIEW_LABEL[view])} resetKeys={[computed]}>
            <ViewBody view={view} computed={computed} />
          </ErrorBoundary>
        ) : error ? null : (
          <div className="al-placeholder">
            <Spinner showLabel label={t('views.firstCompute')} />
          </div>
        )}
      </div>
    </section>
  );
}
