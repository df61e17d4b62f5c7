// The body of one view for a finished computation, shared by the app's tabs (app/Views.tsx) and the
// widget: it reads the store and hands each view (components/) plain props. The view components come
// in as `parts`, so the widget can load the heavy ones (KaTeX, the Model view) lazily while the app
// imports them directly.
import { useCallback, useMemo, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { MAX_FLOW_TOKENS } from '../engine/analysis/maxflow.ts';
import type { AblationPanel } from '../components/layers/AblationPanel.tsx';
import type { ImportanceGrid } from '../components/layers/ImportanceGrid.tsx';
import type { LensTable } from '../components/layers/LensTable.tsx';
import type { NextTokens } from '../components/layers/NextTokens.tsx';
import type { CompareBody } from './CompareBody.tsx';
import type { FlowView } from '../components/layers/FlowView.tsx';
import type { AttentionLines } from '../components/lines/AttentionLines.tsx';
import type { HeadGrid } from '../components/heads/HeadGrid.tsx';
import type { MatricesPanel } from '../components/matrices/MatricesPanel.tsx';
import type { StepByStep } from '../components/steps/StepByStep.tsx';
import type { ModelGrid } from '../components/modelview/ModelGrid.tsx';
import type { HeadScoresTable } from '../components/modelview/HeadScoresTable.tsx';
import { CorpusBody, type CorpusParts } from './CorpusBody.tsx';
import type { Cell, Focus, HeadRef } from '../components/common/types.ts';
import { useT } from '../i18n/react.ts';
import { usePrefs } from '../state/prefs.ts';
import { UI_LIMITS, type ViewName } from '../state/document.ts';
import { NumberField } from '../input/NumberField.tsx';
import { PAIR_LINES, SPECIAL_TOKENS } from '../state/document.ts';
import { shownMaxFlow, useActions, useStore, type Computed } from '../state/store.ts';
import { useShownTokens, type ShownTokens } from './shownTokens.ts';
import { Prose } from '../components/common/Prose.tsx';

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

/** Says which framing tokens the pictures leave out, what attention they held, and whether rows were renormalised. */
function HiddenNote({ shown }: { shown: ShownTokens }) {
  const t = useT();
  const hidden = shown.hidden;
  if (!hidden) return null;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return (
    <p className="al-hint" data-testid="specials-note" data-mass={hidden.meanMass} data-renorm={hidden.renorm ? '1' : '0'}>
      {t(hidden.renorm ? 'specials.note.renorm' : 'specials.note.hide', { tokens: hidden.names.join(' '), mass: pct(hidden.meanMass) })}{' '}
      <span data-testid="specials-heads">{hidden.massPerHead.map((m, k) => t('specials.headMass', { k: k + 1, mass: pct(m) })).join(' · ')}</span>
    </p>
  );
}

interface ChoiceProps<T extends string> {
  /** The field's label. */
  label: string;
  /** The option chosen. */
  value: T;
  /** Every option, in order. */
  options: readonly T[];
  /** An option's label. */
  optionLabel: (v: T) => string;
  /** For the tests. */
  testId: string;
  /** Another option was chosen. */
  onPick: (v: T) => void;
}

/** A labelled select among a few named options. */
function Choice<T extends string>({ label, value, options, optionLabel, testId, onPick }: ChoiceProps<T>) {
  return (
    <label className="al-inline-field">
      <span>{label}</span>
      <select value={value} data-testid={testId} onChange={(e) => onPick(options[e.target.selectedIndex])}>
        {options.map((v) => (
          <option key={v} value={v}>
            {optionLabel(v)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The pictures' choices for an encoder: framing tokens shown or hidden, and (Lines, with a pair) which sentence's lines. */
function EncoderToolbar({ computed, lines }: { computed: Computed; lines: boolean }) {
  const t = useT();
  const specials = useStore((s) => s.doc.specials);
  const pairLines = useStore((s) => s.doc.pairLines);
  const actions = useActions();
  const extras = computed.model;
  if (!extras?.frame && !(lines && extras?.segments)) return null;
  return (
    <>
      {extras.frame && <Choice label={t('specials.label')} value={specials} options={SPECIAL_TOKENS} optionLabel={(v) => t(`specials.${v}`)} testId="specials" onPick={actions.setSpecials} />}
      {lines && extras.segments && (
        <Choice label={t('pairLines.label')} value={pairLines} options={PAIR_LINES} optionLabel={(v) => t(`pairLines.${v}`)} testId="pair-lines" onPick={actions.setPairLines} />
      )}
    </>
  );
}

/** The view components ViewBody renders: the app passes them as imported; the widget passes lazy ones. */
export interface ViewParts extends CorpusParts {
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
  // An encoder's masked-LM head predicts the token at the position, not the next one.
  const masked = useStore((s) => s.model.info?.predicts === 'masked-token');
  const actions = useActions();
  const { result, input, tokens } = computed;
  const heads = useMemo(() => result.heads.map((h) => h.A), [result]);
  // Heads, Lines and Model draw what `shown` keeps (an encoder's framing tokens may be hidden); Matrices and Steps show the computation whole.
  const shown = useShownTokens(computed);
  const h = Math.min(head, heads.length - 1);
  const n = tokens.length;
  const shownCell = useMemo(() => {
    const row = cell && cell.row < n && cell.col < n ? shown.toShown(cell.row) : null;
    const col = cell && row !== null ? shown.toShown(cell.col) : null;
    return row !== null && col !== null ? { row, col } : null;
  }, [cell, n, shown]);
  const stepCell: Cell = cell && cell.row < n && cell.col < n ? cell : { row: 0, col: 0 };
  const lineHeads = useMemo(() => heads.map((_, k) => enabledHeads[k] ?? true), [heads, enabledHeads]);
  const onSelect = useCallback(
    (k: number, c: Cell) => {
      actions.selectHead(k);
      actions.selectCell(shown.cellToInput(c));
    },
    [actions, shown],
  );
  const onFocus = useCallback((f: Focus | null) => actions.setFocus(f && shown.focusToInput(f)), [actions, shown]);
  const shownFocus = useMemo(() => shown.focusToShown(focus), [shown, focus]);
  // Flow's method is a view choice, not part of the link; max-flow is computed in the worker (compute/computeClient.ts).
  const maxFlowState = useStore((s) => s.maxFlow);
  const maxFlow = useStore(shownMaxFlow);
  const selected = useMemo<HeadRef>(() => ({ layer: computed.layer, head: h }), [computed.layer, h]);
  const onSelectHead = useCallback((ref: HeadRef) => actions.selectLayerHead(ref.layer, ref.head), [actions]);
  const onFocusQuery = useCallback((q: number | null) => actions.setFocus(q === null ? null : { head: null, query: shown.toInput(q), key: null }), [actions, shown]);
  const layerPicker = <Picker kind="layer" count={computed.attention.length} value={computed.layer} onPick={actions.selectLayer} />;
  const toolbar = (withHead: boolean, encoder: 'none' | 'specials' | 'lines' = 'none') =>
    computed.attention.length > 1 || (withHead && heads.length > 1) || (encoder !== 'none' && computed.model?.frame) || (encoder === 'lines' && computed.model?.segments) ? (
      <div className="al-view-toolbar">
        {layerPicker}
        {withHead && <Picker kind="head" count={heads.length} value={h} onPick={actions.selectHead} />}
        {encoder !== 'none' && <EncoderToolbar computed={computed} lines={encoder === 'lines'} />}
      </div>
    ) : null;
  const editable = computed.attention.length === 1 && !computed.unknown && !computed.model;
  const extras = computed.model;
  const position = extras ? { token: tokens[extras.position] ?? '', index: extras.position } : null;
  const predictions =
    extras && position ? (
      <NextTokens items={extras.predictions} caption={t(masked ? 'predict.masked' : 'predict.title', { token: position.token, i: position.index })} testId="predictions" />
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
    case 'corpus':
      return <CorpusBody parts={parts} />;
    case 'flow':
      return extras ? (
        <FlowView
          rollout={extras.rollout}
          tokens={tokens}
          layer={computed.layer}
          query={extras.position}
          onLayer={actions.selectLayer}
          onQuery={(q) => actions.selectCell({ row: q, col: cell?.col ?? 0 })}
          method={maxFlowState.method}
          maxFlow={maxFlow}
          maxFlowProgress={maxFlowState.method === 'maxflow' && maxFlowState.status === 'running' ? { done: maxFlowState.done, total: maxFlowState.total } : null}
          maxFlowError={maxFlowState.method === 'maxflow' && maxFlowState.status === 'error' ? maxFlowState.error : null}
          maxFlowTokens={MAX_FLOW_TOKENS}
          onMethod={actions.setFlowMethod}
          onCancelMaxFlow={actions.cancelMaxFlow}
        />
      ) : null;
    case 'lens':
      return extras && position ? body(<LensTable rows={extras.lens} token={position.token} position={position.index} masked={masked} />) : null;
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
            masked={masked}
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
            workers={importance.status === 'done' ? importance.workers : null}
            shared={importance.status === 'done' ? importance.shared : null}
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
          {toolbar(false, 'specials')}
          <HiddenNote shown={shown} />
          <ModelGrid
            layers={shown.layers}
            tokens={shown.tokens}
            excludedKeys={shown.excludedKeys}
            scores={computed.analysis?.scores ?? null}
            selected={selected}
            focusQuery={shownFocus.query}
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
          {toolbar(false, 'specials')}
          <HiddenNote shown={shown} />
          <HeadGrid
            heads={shown.heads}
            tokens={shown.tokens}
            excludedKeys={shown.excludedKeys}
            focus={shownFocus}
            selectedHead={h}
            selectedCell={shownCell}
            palette={palette}
            onFocus={onFocus}
            onSelect={onSelect}
          />
        </>,
      );
    case 'lines':
      return (
        <>
          {toolbar(false, 'lines')}
          <HiddenNote shown={shown} />
          <AttentionLines
            heads={shown.lineHeads}
            tokens={shown.tokens}
            excludedKeys={shown.excludedKeys}
            enabledHeads={lineHeads}
            focus={shownFocus}
            onToggleHead={actions.toggleLineHead}
            onFocus={onFocus}
          />
        </>
      );
    case 'matrices':
      return (
        <>
          <div className="al-view-toolbar">
            {layerPicker}
            <Picker kind="head" count={heads.length} value={h} onPick={actions.selectHead} />
            {editable && <span className="al-hint"><Prose text={t('views.editHint')} /></span>}
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
          <NumberField label={t('steps.tileField')} value={tile ?? 0} min={0} max={UI_LIMITS.maxTokens} onCommit={(v) => actions.setTile(v === 0 ? null : v)} testId="tile" className="al-tile-field" />
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
