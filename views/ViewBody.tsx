// The body of one view for a finished computation, shared by the app's tabs (app/Views.tsx) and the
// widget: it reads the store and hands each view (components/) plain props. The view components come
// in as `parts`, so the widget can load the heavy ones (KaTeX, the Model view) lazily while the app
// imports them directly.
import { useCallback, useMemo, useState, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { attentionFlow, MAX_FLOW_TOKENS } from '../engine/analysis/maxflow.ts';
import type { AblationPanel } from '../components/layers/AblationPanel.tsx';
import type { ImportanceGrid } from '../components/layers/ImportanceGrid.tsx';
import type { LensTable } from '../components/layers/LensTable.tsx';
import type { NextTokens } from '../components/layers/NextTokens.tsx';
import type { CompareBody } from './CompareBody.tsx';
import type { FlowMethod, FlowView } from '../components/layers/FlowView.tsx';
import type { AttentionLines } from '../components/lines/AttentionLines.tsx';
import type { HeadGrid } from '../components/heads/HeadGrid.tsx';
import type { MatricesPanel } from '../components/matrices/MatricesPanel.tsx';
import type { StepByStep } from '../components/steps/StepByStep.tsx';
import type { ModelGrid } from '../components/modelview/ModelGrid.tsx';
import type { HeadScoresTable } from '../components/modelview/HeadScoresTable.tsx';
import type { Cell, HeadRef } from '../components/common/types.ts';
import { useT } from '../i18n/react.ts';
import { usePrefs } from '../state/prefs.ts';
import { LIMITS, type ViewName } from '../state/document.ts';
import { NumberField } from '../input/NumberField.tsx';
import { useActions, useStore, type Computed } from '../state/store.ts';

interface PickerProps {
  /** What is picked: a head or a layer. */
  kind: 'head' | 'layer';
  /** How many there are. */
  count: number;
  /** The one picked (0-based). */
  value: number;
  /** Another was picked. */
  onPick: (k: number) => void;
}

/** A head or layer picker (nothing when there is only one to pick). */
function Picker({ kind, count, value, onPick }: PickerProps) {
  const t = useT();
  if (count <= 1) return null;
  return (
    <label className="al-inline-field">
      <span>{t(kind === 'head' ? 'views.head' : 'model.layer')}</span>
      <select value={value} data-testid={`${kind}-picker`} onChange={(e) => onPick(Number(e.target.value))}>
        {Array.from({ length: count }, (_, k) => (
          <option key={k} value={k}>
            {t(kind === 'head' ? 'views.headN' : 'model.layerN', { k: k + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The view components ViewBody renders: the app passes them as imported; the widget passes lazy ones. */
export interface ViewParts {
  HeadGrid: ComponentType<ComponentProps<typeof HeadGrid>>;
  AttentionLines: ComponentType<ComponentProps<typeof AttentionLines>>;
  MatricesPanel: ComponentType<ComponentProps<typeof MatricesPanel>>;
  StepByStep: ComponentType<ComponentProps<typeof StepByStep>>;
  ModelGrid: ComponentType<ComponentProps<typeof ModelGrid>>;
  HeadScoresTable: ComponentType<ComponentProps<typeof HeadScoresTable>>;
  /** What a model run adds: the predictions beside a view, and the across-layers views. */
  NextTokens: ComponentType<ComponentProps<typeof NextTokens>>;
  FlowView: ComponentType<ComponentProps<typeof FlowView>>;
  LensTable: ComponentType<ComponentProps<typeof LensTable>>;
  AblationPanel: ComponentType<ComponentProps<typeof AblationPanel>>;
  ImportanceGrid: ComponentType<ComponentProps<typeof ImportanceGrid>>;
  CompareBody: ComponentType<ComponentProps<typeof CompareBody>>;
}

export interface ViewBodyProps {
  /** The view shown. */
  view: ViewName;
  /** The finished computation it shows. */
  computed: Computed;
  /** The view components (the app's, or the widget's lazily loaded ones). */
  parts: ViewParts;
}

/** One view of a finished computation. */
export function ViewBody({ view, computed, parts }: ViewBodyProps) {
  const { HeadGrid, AttentionLines, MatricesPanel, StepByStep, ModelGrid, HeadScoresTable, NextTokens, FlowView, LensTable, AblationPanel, ImportanceGrid, CompareBody } = parts;
  const t = useT();
  const focus = useStore((s) => s.focus);
  const head = useStore((s) => s.doc.head);
  const cell = useStore((s) => s.doc.cell);
  const step = useStore((s) => s.doc.step);
  const tile = useStore((s) => s.doc.tile);
  const enabledHeads = useStore((s) => s.enabledHeads);
  const palette = usePrefs((s) => s.palette);
  const ablate = useStore((s) => s.doc.ablate);
  const ablateMode = useStore((s) => s.doc.ablateMode);
  const target = useStore((s) => s.doc.target);
  const importance = useStore((s) => s.importance);
  const focusRows = useStore((s) => s.focusRows);
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
  // Flow's method is a view choice, not part of the link: it resets when the tab changes.
  const [flowMethod, setFlowMethod] = useState<FlowMethod>('rollout');
  const maxFlow = useMemo(
    () => (view === 'flow' && flowMethod === 'maxflow' && n <= MAX_FLOW_TOKENS && !computed.pooled && computed.layer < computed.attention.length ? attentionFlow(computed.attention, computed.layer) : null),
    [view, flowMethod, n, computed.layer, computed.attention, computed.pooled],
  );
  const layerHeads = computed.attention;
  const selected = useMemo<HeadRef>(() => ({ layer: computed.layer, head: h }), [computed.layer, h]);
  const onSelectHead = useCallback((ref: HeadRef) => actions.selectLayerHead(ref.layer, ref.head), [actions]);
  const onFocusQuery = useCallback((q: number | null) => actions.setFocus(q === null ? null : { head: null, query: q, key: null }), [actions]);
  const layerPicker = <Picker kind="layer" count={computed.attention.length} value={computed.layer} onPick={actions.selectLayer} />;
  const toolbar = (withHead: boolean) =>
    computed.attention.length > 1 || (withHead && heads.length > 1) ? (
      <div className="al-view-toolbar">
        {layerPicker}
        {withHead && <Picker kind="head" count={heads.length} value={h} onPick={actions.selectHead} />}
      </div>
    ) : null;
  const editable = computed.attention.length === 1 && !computed.unknown && !computed.model;
  const extras = computed.model;
  const position = extras ? { token: tokens[extras.position] ?? '', index: extras.position } : null;
  const predictions =
    extras && position ? (
      <NextTokens items={extras.predictions} caption={t('predict.title', { token: position.token, i: position.index })} testId="predictions" />
    ) : null;
  const body = (content: ReactNode) =>
    predictions ? (
      <div className="al-with-predictions">
        <div className="al-with-predictions-main">{content}</div>
        <aside className="al-predictions">{predictions}</aside>
      </div>
    ) : (
      content
    );

  switch (view) {
    case 'flow':
      return extras ? (
        <FlowView
          rollout={extras.rollout}
          tokens={tokens}
          layer={computed.layer}
          query={extras.position}
          onLayer={actions.selectLayer}
          onQuery={(q) => actions.selectCell({ row: q, col: cell?.col ?? 0 })}
          method={flowMethod}
          maxFlow={maxFlow}
          maxFlowTokens={MAX_FLOW_TOKENS}
          onMethod={setFlowMethod}
        />
      ) : null;
    case 'lens':
      return extras && position ? body(<LensTable rows={extras.lens} token={position.token} position={position.index} />) : null;
    case 'ablate':
      return extras && position ? (
        <>
          <AblationPanel
            layers={computed.attention.length}
            heads={heads.length}
            ablated={ablate}
            mode={ablateMode}
            target={extras.ablation?.target ?? target}
            position={position}
            summary={extras.ablation}
            onToggle={actions.toggleAblation}
            onMode={actions.setAblationMode}
            onClear={() => actions.setAblation([])}
            onTarget={actions.setTarget}
          />
          <ImportanceGrid
            deltas={importance.status === 'done' ? importance.deltas : null}
            layers={computed.attention.length}
            heads={heads.length}
            target={importance.target ?? extras.ablation?.target ?? target ?? extras.predictions[0]?.token ?? ''}
            position={importance.position ?? position.index}
            progress={importance.status === 'running' || importance.status === 'requested' ? { done: importance.done, total: importance.total || computed.attention.length * heads.length } : null}
            onRun={actions.requestImportance}
            onCancel={actions.cancelImportance}
            onSelect={onSelectHead}
          />
        </>
      ) : null;
    case 'compare':
      return extras ? <CompareBody computed={computed} head={selected} /> : null;
    case 'model':
      return body(
        <>
          <ModelGrid
            layers={layerHeads}
            tokens={tokens}
            excludedKeys={excludedKeys}
            scores={computed.analysis?.scores ?? null}
            selected={selected}
            focusQuery={focus.query}
            palette={palette}
            kvHeadOfHead={extras?.kvHeadOfHead ?? null}
            windows={extras?.windows ?? null}
            focusRows={focusRows && focusRows.of === computed.id && focusRows.query === focus.query ? focusRows.rows : null}
            onSelect={onSelectHead}
            onFocusQuery={onFocusQuery}
          />
          <h3 className="al-h3">{t('model.scores.heading')}</h3>
          {computed.analysis ? (
            <>
              <p className="al-hint">{t(computed.analysis.inductionOn === 'probe' ? 'model.scores.inductionProbe' : 'model.scores.inductionInput')}</p>
              <HeadScoresTable scores={computed.analysis.scores} similarity={computed.analysis.similarity} selected={selected} onSelect={onSelectHead} />
            </>
          ) : (
            <p className="al-hint" data-testid="scores-pending" data-failed={computed.analysisError ? '1' : '0'}>
              {computed.analysisError ? t('model.scores.failed', { why: computed.analysisError }) : t('model.scores.pending')}
            </p>
          )}
        </>,
      );
    case 'heads':
      return body(
        <>
          {toolbar(false)}
          <HeadGrid
            heads={heads}
            tokens={tokens}
            excludedKeys={excludedKeys}
            focus={focus}
            selectedHead={h}
            selectedCell={cell && cell.row < n && cell.col < n ? cell : null}
            palette={palette}
            onFocus={actions.setFocus}
            onSelect={onSelect}
          />
        </>,
      );
    case 'lines':
      return (
        <>
          {toolbar(false)}
          <AttentionLines
            heads={heads}
            tokens={tokens}
            excludedKeys={excludedKeys}
            enabledHeads={lineHeads}
            focus={focus}
            onToggleHead={actions.toggleLineHead}
            onFocus={actions.setFocus}
          />
        </>
      );
    case 'matrices':
      return (
        <>
          <div className="al-view-toolbar">
            {layerPicker}
            <Picker kind="head" count={heads.length} value={h} onPick={actions.selectHead} />
            {editable && <span className="al-hint">{t('views.editHint')}</span>}
          </div>
          <MatricesPanel
            input={input}
            result={result}
            tokens={tokens}
            head={h}
            focus={focus}
            palette={palette}
            onFocus={actions.setFocus}
            onEdit={
              editable
                ? (path, value) => {
                    const err = actions.setOverride(path, value);
                    if (err) actions.notify('error', 'edit', err);
                  }
                : undefined
            }
          />
        </>
      );
    case 'steps':
      return (
        <>
          {toolbar(true)}
          <NumberField label={t('steps.tileField')} value={tile ?? 0} min={0} max={LIMITS.maxTokens} onCommit={(v) => actions.setTile(v === 0 ? null : v)} testId="tile" className="al-tile-field" />
          <StepByStep
            input={input}
            result={result}
            tokens={tokens}
            mechanism={computed.mechanism}
            convention={computed.convention}
            head={h}
            cell={stepCell}
            step={step}
            palette={palette}
            onStep={actions.setStep}
            onSelectCell={actions.selectCell}
            tile={tile}
          />
        </>
      );
  }
}
