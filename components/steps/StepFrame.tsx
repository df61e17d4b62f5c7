// The layout every step shares: title and formulas, the explanation beside its matrices, then the
// arithmetic of the selected cell (or why it could not be written out).
import type { ReactNode } from 'react';
import type { Convention, Mechanism } from '../../engine/scenario.ts';
import type { CellExplanation } from '../../engine/explain.ts';
import type { AttentionInput, AttentionResult, HeadResult } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import type { Cell } from '../common/types.ts';
import type { SmallMatrix } from './pieces.tsx';

/** What a step draws from: the case, the selected head and cell, and the shared drawing helpers. */
export interface StepContext {
  /** The case as the engine computed it. */
  input: AttentionInput;
  /** The engine's result for the case. */
  result: AttentionResult;
  /** The selected head's result. */
  hr: HeadResult;
  /** The selected head (0-based). */
  h: number;
  /** The selected query row i. */
  i: number;
  /** The selected key column j. */
  j: number;
  /** More than one head: formulas carry the head as a superscript. */
  multi: boolean;
  /** The head superscript in TeX ("^{2}"), empty with one head. */
  sup: string;
  /** The symbol of the key width in TeX: d (the article's convention) or d_k. */
  dkSym: string;
  /** Self, weighted or multi-head attention. */
  mechanism: Mechanism;
  /** The article's multi-head convention or the standard one. */
  convention: Convention;
  /** Row labels for the small matrices, when the tokens match the rows. */
  rows: string[] | undefined;
  /** Keys drawn as excluded (weight 0). */
  excludedKeys: boolean[] | undefined;
  /** The token of a position (its index when there is none). */
  tok: (x: number) => string;
  /** The selected cell's arithmetic; null when it could not be explained. */
  ex: CellExplanation | null;
  /** Draws one of the step's small matrices. */
  small: SmallMatrix;
  /** Selects another cell (a click on a score or attention matrix). */
  onSelectCell: (cell: Cell) => void;
  /** The tile size of the online softmax (null: not shown). */
  tile: number | null;
}

/** Props of every step component. */
export interface StepProps {
  /** What the step draws from. */
  c: StepContext;
  /** The step's name, as the heading. */
  title: string;
  /** Why the cell's arithmetic could not be written out, if so. */
  error: string | null;
}

/** Props of the frame around one step's content. */
export interface StepFrameProps {
  /** The step's name, as the heading. */
  title: string;
  /** Why the cell's arithmetic could not be written out, if so. */
  error: string | null;
  /** The step's formulas in display TeX. */
  formulas?: ReactNode;
  /** The explanation in words. */
  text?: ReactNode;
  /** The small matrices the step reads and writes. */
  matrices?: ReactNode;
  /** The selected cell's arithmetic. */
  arithmetic?: ReactNode;
}

export function StepFrame({ title, error, formulas = null, text = null, matrices = null, arithmetic = null }: StepFrameProps) {
  const t = useT();
  return (
    <>
      <div className="al-step-head">
        <h3>{title}</h3>
        {formulas}
      </div>
      <div className="al-step-body">
        <div className="al-step-text">{text}</div>
        <div className="al-step-matrices">{matrices}</div>
      </div>
      {error !== null ? (
        <p className="al-warning" role="alert">
          {t('steps.explainError', { message: error })}
        </p>
      ) : (
        arithmetic && (
          <div className="al-arith" data-testid="step-arithmetic">
            {arithmetic}
          </div>
        )
      )}
    </>
  );
}
