// The article's formulas step by step, each beside its live matrices, with the arithmetic of one
// cell (i, j) written out using the engine's own numbers (explainCell). Tokens never enter TeX:
// they are written next to the formulas as text nodes.
import { useId, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { explainCell, type CellExplanation } from '../../engine/explain.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useT } from '../../i18n/react.ts';
import type { Palette } from '../common/color.ts';
import { stepsFor, type StepId } from './steps.ts';
import { displayToken, truncateLabel } from '../common/format.ts';
import { clamp } from '../common/geometry.ts';
import type { AttentionInput, AttentionResult } from '../../engine/types.ts';
import type { Convention, Mechanism } from '../../engine/scenario.ts';
import type { Cell } from '../common/types.ts';
import { useSmallMatrix } from './pieces.tsx';
import { StepFrame, type StepContext, type StepProps } from './StepFrame.tsx';
import { ProjectStep } from './ProjectStep.tsx';
import { ScoresStep } from './ScoresStep.tsx';
import { SoftmaxStep } from './SoftmaxStep.tsx';
import { OutputStep } from './OutputStep.tsx';
import { ConcatStep } from './ConcatStep.tsx';
import { TilesStep } from './TilesStep.tsx';
import { CacheStep } from './CacheStep.tsx';
import '../views.css';
import { Prose } from '../common/Prose.tsx';

/** The formulas step by step, with the arithmetic of one cell written out. */
export interface StepByStepProps {
  /** The case as the engine computed it. */
  input: AttentionInput;
  /** The engine's result for the case. */
  result: AttentionResult;
  /** The tokens, labelling the rows. */
  tokens: string[];
  /** Self, weighted or multi-head attention (which formulas apply). */
  mechanism: Mechanism;
  /** The article's multi-head convention or the standard one. */
  convention: Convention;
  /** The head explained (0-based). */
  head: number;
  /** The cell explained: row = query i, col = key j. */
  cell: Cell;
  /** The step shown (0-based). */
  step: number;
  /** Another step was chosen. */
  onStep: (step: number) => void;
  /** Another cell was chosen (pickers or a click on a matrix). */
  onSelectCell: (cell: Cell) => void;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Side of the small matrices in CSS pixels (default 180). */
  matrixSize?: number;
  /** The tile size of the online softmax walkthrough (null or absent: not offered). */
  tile?: number | null;
}

const STEP_NAME: Record<StepId, MessageKey> = {
  project: 'steps.name.project',
  scores: 'steps.name.scores',
  softmax: 'steps.name.softmax',
  tiles: 'steps.name.tiles',
  output: 'steps.name.output',
  cache: 'steps.name.cache',
  concat: 'steps.name.concat',
};

const STEP_VIEW: Record<StepId, (props: StepProps) => ReactNode> = {
  project: ProjectStep,
  scores: ScoresStep,
  softmax: SoftmaxStep,
  tiles: TilesStep,
  output: OutputStep,
  cache: CacheStep,
  concat: ConcatStep,
};

export function StepByStep({
  input,
  result,
  tokens,
  mechanism,
  convention,
  head,
  cell,
  step,
  onStep,
  onSelectCell,
  palette = 'default',
  matrixSize = 180,
  tile = null,
}: StepByStepProps) {
  const t = useT();
  const hCount = result.heads.length;
  const h = clamp(head, 0, Math.max(0, hCount - 1));
  const hr = result.heads[h];
  const n = hr ? hr.A.rows : 0;
  const i = clamp(cell.row, 0, Math.max(0, n - 1));
  const j = clamp(cell.col, 0, Math.max(0, n - 1));
  const steps = stepsFor(mechanism, hCount, input.Wo !== null, { tile, causal: input.causal });
  const k = clamp(step, 0, steps.length - 1);
  const id = steps[k];
  const multi = hCount > 1;
  const tok = (x: number) => tokens[x] ?? String(x);
  const helpId = `${useId()}-help`;

  const explained = useMemo((): { ok: CellExplanation } | { error: string } => {
    try {
      return { ok: explainCell(input, result, h, i, j) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [input, result, h, i, j]);

  const excludedKeys = useMemo(() => {
    const w = input.keyWeights;
    return w ? Array.from({ length: n }, (_, jj) => w[jj] === 0) : undefined;
  }, [input.keyWeights, n]);

  const go = (next: number) => {
    const c = clamp(next, 0, steps.length - 1);
    if (c !== k) onStep(c);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    const fromNav = target === e.currentTarget || target.closest('.al-steps-nav') !== null;
    if (!fromNav) return;
    if (e.key === 'ArrowRight') {
      e.preventDefault();
      go(k + 1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      go(k - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      go(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      go(steps.length - 1);
    }
  };

  const title = t(STEP_NAME[id]);
  const sup = multi ? `^{${h + 1}}` : '';
  const dkSym = convention === 'article' ? 'd' : 'd_k';
  const tokenOptions = useMemo(
    () =>
      tokens.map((s, x) => (
        <option key={x} value={x}>
          {`${x}: ${truncateLabel(displayToken(s), 20)}`}
        </option>
      )),
    [tokens],
  );

  const small = useSmallMatrix(h, palette, matrixSize);
  const error = 'error' in explained ? explained.error : null;
  const Step = STEP_VIEW[id];
  const context: StepContext | null = hr
    ? {
        input,
        result,
        hr,
        h,
        i,
        j,
        multi,
        sup,
        dkSym,
        mechanism,
        convention,
        rows: tokens.length === n ? tokens : undefined,
        excludedKeys,
        tok,
        ex: 'ok' in explained ? explained.ok : null,
        small,
        onSelectCell,
        tile,
      }
    : null;

  return (
    <section className="al-steps" tabIndex={0} aria-label={t('steps.title')} aria-describedby={`${helpId}`} onKeyDown={onKeyDown} data-testid="step-by-step" data-step={id}>
      <p className="al-convention" data-testid="step-convention">
        <Prose text={t(convention === 'article' ? 'steps.convention.article' : 'steps.convention.standard')} />
      </p>
      <div className="al-steps-nav">
        <button type="button" className="al-button" onClick={() => go(k - 1)} disabled={k === 0} data-testid="step-prev">
          {t('steps.prev')}
        </button>
        <ol className="al-steps-list">
          {steps.map((s, x) => (
            <li key={s}>
              <button type="button" className="al-button" aria-current={x === k ? 'step' : undefined} onClick={() => go(x)}>
                {`${x + 1}. ${t(STEP_NAME[s])}`}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="al-button" onClick={() => go(k + 1)} disabled={k === steps.length - 1} data-testid="step-next">
          {t('steps.next')}
        </button>
        <span className="al-steps-progress" aria-live="polite">
          {t('steps.progress', { n: k + 1, total: steps.length, title })}
        </span>
      </div>
      <p className="al-sr-only" id={helpId}>
        {t('steps.help')}
      </p>

      {hr && n > 0 && (
        <div className="al-cell-picker">
          <span>{t('steps.pick')}</span>
          <label>
            {t('steps.query')}{' '}
            <select value={i} onChange={(e) => onSelectCell({ row: Number(e.target.value), col: j })} data-testid="step-query">
              {tokenOptions}
            </select>
          </label>
          <label>
            {t('steps.key')}{' '}
            <select value={j} onChange={(e) => onSelectCell({ row: i, col: Number(e.target.value) })} data-testid="step-key">
              {tokenOptions}
            </select>
          </label>
          {multi && <span className="al-steps-progress">{t('steps.headN', { head: h + 1 })}</span>}
        </div>
      )}

      {context ? <Step c={context} title={title} error={error} /> : <StepFrame title={title} error={error} />}
    </section>
  );
}
