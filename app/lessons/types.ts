// Lessons are data: one file per lesson, each a list of steps. The runner (runner.ts) applies a
// step's state through the store's named actions; LessonPanel shows its text and formula.
import type { CaseJson } from '../../engine/types.ts';
import type { Lang } from '../../i18n/index.ts';
import type { Convention, HeadRef, Mechanism, ModelId, ViewName } from '../../state/document.ts';

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
  /** A local window on top of the causal mask (GPT-Neo's local layers): each query sees its last `window` keys. */
  window?: number;
  /** Only the case's first `prefix` tokens (a KV-cache step: the tokens generated so far). */
  prefix?: number;
  /** The tile size B of the online softmax the step shows. */
  tile?: number;
  /** A trained model reading a text instead of the lesson's case (the across-layers views need one). */
  model?: StepModel;
  /** Another case with the same tokens (the standard convention's heads and W^O); absent: the lesson's. */
  case?: LessonCase;
}

/** A step on a model: which model, the text it reads, the layer shown and the heads ablated (none when absent). */
export interface StepModel {
  id: ModelId;
  text: string;
  ablate?: readonly HeadRef[];
  /** The layer whose heads the views show (0-based; absent: the layer open). */
  layer?: number;
  /** Compare the text with itself read `shift` positions later (the position-shift experiment). */
  shift?: number;
}

/** What every exercise may add: why the answer is what it is, and notes for the teacher. */
export interface ExerciseNotes {
  /** Shown once answered correctly or once the answer is shown: why (never a number: the feedback gives those). */
  explain?: Bi;
  /** The teacher's notes, hidden until opened (the engine's answer is shown beside them). */
  teacher?: Bi;
}

/** Which key will `query` attend to most (in `head`)? Answered from the engine's A. */
export interface AttendExercise extends ExerciseNotes {
  kind?: 'attend';
  question: Bi;
  query: number;
  head?: number;
}

/** Will the model's top prediction stay the same with the step's heads ablated? Answered yes/no from the ablation result. */
export interface KeepsTopExercise extends ExerciseNotes {
  kind: 'keepsTop';
  question: Bi;
}

/** Type one entry of A (in `head`) or of the output Z (the concatenation, or after W^O); checked at the precision the lessons show it. */
export interface ValueExercise extends ExerciseNotes {
  kind: 'value';
  question: Bi;
  matrix: 'A' | 'Z';
  row: number;
  col: number;
  head?: number;
}

/** Which key's column of A becomes 0 (in `head`)? Answered from the engine's A: the column that is 0 in every row. */
export interface ZeroColumnExercise extends ExerciseNotes {
  kind: 'zeroColumn';
  question: Bi;
  head?: number;
}

/** Give the shape of the output Z (rows × columns), answered from the engine's output. */
export interface ShapeExercise extends ExerciseNotes {
  kind: 'shape';
  question: Bi;
}

/** Put the keys in order of the weight `query` gives them (in `head`), largest first; answered from the engine's A. */
export interface OrderExercise extends ExerciseNotes {
  kind: 'order';
  question: Bi;
  query: number;
  head?: number;
}

export type LessonExercise = AttendExercise | KeepsTopExercise | ValueExercise | ZeroColumnExercise | ShapeExercise | OrderExercise;

export type { ExerciseAnswer } from '../../components/teaching/LessonPanel.tsx';

export interface LessonStep {
  title: Bi;
  text: Bi;
  /** The formula of this step (our own TeX, never token text). */
  tex: string;
  /** The live view the step is about. */
  view: ViewName;
  state?: StepState;
  /**
   * What to point at in the view: the head, the cell (query row, key col), the Steps-view step. On a
   * model step the cell's row is also the position whose prediction, lens and ablation are shown
   * (none: the last token).
   */
  highlight?: { head?: number; cell?: { row: number; col: number }; step?: number };
  /** A prediction the student makes before seeing the view; the views stay hidden until answered. */
  exercise?: LessonExercise;
}

export interface Lesson {
  id: string;
  title: Bi;
  summary: Bi;
  /** The section of the source article the lesson follows (absent: beyond the article). */
  article?: Bi;
  /** The numbers of every step; absent when every step names a model (`state.model`). */
  case?: LessonCase;
  steps: readonly LessonStep[];
}
