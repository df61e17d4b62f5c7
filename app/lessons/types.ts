// Lessons are data: one file per lesson, each a list of steps. The runner (runner.ts) applies a
// step's state through the store's named actions; LessonPanel shows its text and formula.
import type { CaseJson } from '../../engine/types.ts';
import type { Lang } from '../../i18n/index.ts';
import type { Convention, Mechanism, ViewName } from '../../state/document.ts';

/** Text in every interface language. */
export type Bi = Readonly<Record<Lang, string>>;

/** The lesson's numbers: a small case whose arithmetic a student can do by hand. */
export interface LessonCase extends Omit<CaseJson, 'tokens'> {
  /** Token labels per language (the numbers are the same). */
  tokens: Readonly<Record<Lang, readonly string[]>>;
}

export interface StepState {
  mechanism?: Mechanism;
  convention?: Convention;
  causal?: boolean;
  /** Key weights w_j (weighted attention); default all 1. */
  weights?: readonly number[];
  /** Cells changed on top of the case, e.g. { 'X[2][0]': 0 }; every step starts from the case. */
  overrides?: Readonly<Record<string, number>>;
}

export interface LessonStep {
  title: Bi;
  text: Bi;
  /** The formula of this step (our own TeX, never token text). */
  tex: string;
  /** The live view the step is about. */
  view: ViewName;
  state?: StepState;
  /** What to point at in the view: the head, the cell (query row, key col), the Steps-view step. */
  highlight?: { head?: number; cell?: { row: number; col: number }; step?: number };
  /** A prediction: which key will `query` attend to most (in `head`)? The views stay hidden until answered. */
  exercise?: { question: Bi; query: number; head?: number };
}

export interface Lesson {
  id: string;
  title: Bi;
  summary: Bi;
  case: LessonCase;
  steps: readonly LessonStep[];
}
