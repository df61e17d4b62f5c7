// The body of one view (Heads, Lines, Matrices, Steps) for a finished computation, shared by the app's
// tabs (app/Views.tsx) and the widget. The view components come in as `parts`, so the widget can load
// the heavy ones (KaTeX) lazily while the app imports them directly.
import { useCallback, useMemo, type ComponentProps, type ComponentType } from 'react';
import type { AttentionLines } from '../components/AttentionLines.tsx';
import type { HeadGrid } from '../components/HeadGrid.tsx';
import type { MatricesPanel } from '../components/MatricesPanel.tsx';
import type { StepByStep } from '../components/StepByStep.tsx';
import type { Cell } from '../components/types.ts';
import { useT } from './i18n/react.ts';
import { usePrefs } from './prefs.ts';
import type { ViewName } from './model.ts';
import { useActions, useStore, type Computed } from './store.ts';

function HeadPicker({ heads, head, onPick }: { heads: number; head: number; onPick: (h: number) => void }) {
  const t = useT();
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

/** The view components ViewBody renders: the app passes them as imported; the widget passes lazy ones. */
export interface ViewParts {
  HeadGrid: ComponentType<ComponentProps<typeof HeadGrid>>;
  AttentionLines: ComponentType<ComponentProps<typeof AttentionLines>>;
  MatricesPanel: ComponentType<ComponentProps<typeof MatricesPanel>>;
  StepByStep: ComponentType<ComponentProps<typeof StepByStep>>;
}

/** One view of a finished computation. */
export function ViewBody({ view, computed, parts }: { view: ViewName; computed: Computed; parts: ViewParts }) {
  const { HeadGrid, AttentionLines, MatricesPanel, StepByStep } = parts;
  const t = useT();
  const focus = useStore((s) => s.focus);
  const head = useStore((s) => s.doc.head);
  const cell = useStore((s) => s.doc.cell);
  const step = useStore((s) => s.doc.step);
  const enabledHeads = useStore((s) => s.enabledHeads);
  const palette = usePrefs((s) => s.palette);
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
          palette={palette}
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
            palette={palette}
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
            palette={palette}
            onStep={actions.setStep}
            onSelectCell={actions.selectCell}
          />
        </>
      );
  }
}
