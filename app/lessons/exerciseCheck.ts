// Checking a student's answer against the engine's result: which key is attended most, a typed entry of
// A or Z, the column of A that a weight of 0 empties, Z's shape, the keys in order of weight. Every answer
// is read from the result the views show (never typed into a lesson); a wrong try does not give the
// answer away, so the student may try again, or ask for it (`revealed`).
import { t } from '../../i18n/index.ts';
import { shownDigits } from './numbers.ts';
import type { ExerciseInput } from '../../components/teaching/LessonPanel.tsx';
import type { ExerciseAnswer, LessonExercise } from './types.ts';

/** A matrix as the engine returns it (row-major). */
export interface Mat {
  rows: number;
  cols: number;
  data: ArrayLike<number>;
}

/** What the checks read from the engine's result: each head's A, the concatenation Z and the output after W^O. */
export interface ResultForCheck {
  heads: readonly { A: Mat }[];
  Z: Mat;
  out: Mat | null;
}

export interface Feedback {
  correct: boolean;
  text: string;
}


const fmt3 = (v: number) => v.toFixed(3);
const quote = (s: string) => `“${s}”`;

function row(A: Mat, i: number): number[] {
  return Array.from({ length: A.cols }, (_, j) => A.data[i * A.cols + j]);
}

function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < xs.length; j++) if (xs[j] > xs[best]) best = j;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Which key does `query` attend to most?

/** The key `query` attends to most, as "label (0.449)", from the engine's A (the teacher's answer). */
export function attendAnswer(A: Mat, tokens: readonly string[], query: number): string {
  const best = argmax(row(A, query));
  return t('lessons.answerKey', { key: tokens[best] ?? '', value: fmt3(A.data[query * A.cols + best]) });
}

/** The feedback for a picked key, from the engine's A. */
export function feedbackFor(A: Mat, tokens: readonly string[], query: number, choice: number, revealed = true): Feedback {
  const r = row(A, query);
  const best = argmax(r);
  const correct = r[choice] >= r[best] - 1e-9;
  const p = { query: tokens[query] ?? '', key: tokens[best] ?? '', value: fmt3(r[best]), chosen: tokens[choice] ?? '', chosenValue: fmt3(r[choice] ?? 0) };
  return { correct, text: correct ? t('lessons.correct', p) : t(revealed ? 'lessons.wrong' : 'lessons.wrongTry', p) };
}

// ---------------------------------------------------------------------------------------------
// A typed entry of A or Z.

/**
 * A typed number, as a student types it on any keyboard: full-width digits and point (a Chinese input
 * method), a decimal comma, a leading point, a Unicode minus. null when it is not one number.
 */
export function parseTyped(text: string): number | null {
  let s = text
    .trim()
    .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[−－]/g, '-')
    .replace(/^\+/, '');
  if (/^-?\d*,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/**
 * How far a typed value may be from the engine's: one unit in the last place the lessons show it with
 * (0.001 for A and Z), so a student who redoes a step from the shown, rounded numbers is still right, and
 * one who gives fewer decimals than shown is not.
 */
export function valueTolerance(digits: number): number {
  return 10 ** -digits;
}

/** The entry an exercise asks for, from the engine's result (Z: the output after W^O when there is one). */
export function valueOf(result: ResultForCheck, ex: { matrix: 'A' | 'Z'; row: number; col: number; head?: number }): number | null {
  const m = ex.matrix === 'A' ? result.heads[ex.head ?? 0]?.A : (result.out ?? result.Z);
  if (!m || ex.row >= m.rows || ex.col >= m.cols) return null;
  return m.data[ex.row * m.cols + ex.col];
}

/** What the exercise asks for, in words ("the weight of “it” on “street”"). */
function valueWhat(ex: { matrix: 'A' | 'Z'; row: number; col: number }, tokens: readonly string[]): string {
  return ex.matrix === 'A' ? t('lessons.value.whatA', { query: tokens[ex.row] ?? '', key: tokens[ex.col] ?? '' }) : t('lessons.value.whatZ', { query: tokens[ex.row] ?? '', col: ex.col + 1 });
}

/** The feedback for a typed value: right within the tolerance; a wrong try says too high or too low, not the value. */
export function checkValue(truth: number, digits: number, typed: string, what: string, revealed: boolean): Feedback {
  const v = parseTyped(typed);
  const tol = valueTolerance(digits);
  const p = { what, value: truth.toFixed(digits), typed: typed.trim(), tol: tol.toFixed(digits) };
  if (v === null) return { correct: false, text: t('lessons.value.nan', p) };
  if (Math.abs(v - truth) <= tol + 1e-9) return { correct: true, text: t('lessons.value.right', p) };
  if (revealed) return { correct: false, text: t('lessons.value.wrong', p) };
  return { correct: false, text: t(v > truth ? 'lessons.value.high' : 'lessons.value.low', p) };
}

// ---------------------------------------------------------------------------------------------
// Which column of A becomes 0?

/** The keys whose column of A is 0 in every row (a weight of 0, or a padding key). */
export function zeroColumns(A: Mat): number[] {
  const out: number[] = [];
  for (let j = 0; j < A.cols; j++) {
    let zero = true;
    for (let i = 0; i < A.rows && zero; i++) zero = A.data[i * A.cols + j] === 0;
    if (zero) out.push(j);
  }
  return out;
}

export function checkZeroColumn(A: Mat, tokens: readonly string[], choice: number, revealed: boolean): Feedback {
  const zeros = zeroColumns(A);
  const names = zeros.map((j) => tokens[j] ?? '').join(t('lessons.listSep'));
  const largest = Math.max(...Array.from({ length: A.rows }, (_, i) => A.data[i * A.cols + choice]));
  const p = { key: names, chosen: tokens[choice] ?? '', most: fmt3(largest) };
  if (zeros.includes(choice)) return { correct: true, text: t('lessons.zero.right', p) };
  return { correct: false, text: t(revealed ? 'lessons.zero.wrong' : 'lessons.zero.wrongTry', p) };
}

// ---------------------------------------------------------------------------------------------
// Z's shape.

/** The shape of the output: n × d after W^O (the standard convention), else the concatenation n × (h·d). */
export function outputShape(result: ResultForCheck): [number, number] {
  const m = result.out ?? result.Z;
  return [m.rows, m.cols];
}

export function checkShape(shape: readonly [number, number], typed: readonly string[], revealed: boolean): Feedback {
  const [r, c] = [parseTyped(typed[0] ?? ''), parseTyped(typed[1] ?? '')];
  const p = { rows: shape[0], cols: shape[1], typedRows: (typed[0] ?? '').trim(), typedCols: (typed[1] ?? '').trim() };
  if (r === shape[0] && c === shape[1]) return { correct: true, text: t('lessons.shape.right', p) };
  if (revealed) return { correct: false, text: t('lessons.shape.wrong', p) };
  // Which part is wrong, without the right number.
  const key = r === shape[0] ? 'lessons.shape.cols' : c === shape[1] ? 'lessons.shape.rows' : 'lessons.shape.both';
  return { correct: false, text: t(key, p) };
}

// ---------------------------------------------------------------------------------------------
// The keys in order of weight.

/** The keys of row `query`, largest weight first (a tie keeps the keys' order). */
export function keyOrder(A: Mat, query: number): number[] {
  const r = row(A, query);
  return r.map((_, j) => j).sort((a, b) => r[b] - r[a] || a - b);
}

/** Right when every key is there once and the weights never grow along the order (tied keys either way). */
export function checkOrder(A: Mat, tokens: readonly string[], query: number, order: readonly number[], revealed: boolean): Feedback {
  const r = row(A, query);
  const complete = order.length === r.length && new Set(order).size === r.length && order.every((j) => j >= 0 && j < r.length);
  let firstWrong = -1;
  if (complete) for (let k = 1; k < order.length && firstWrong < 0; k++) if (r[order[k]] > r[order[k - 1]] + 1e-12) firstWrong = k;
  const list = (keys: readonly number[]) => keys.map((j) => `${quote(tokens[j] ?? '')} ${fmt3(r[j])}`).join(' > ');
  const p = { query: tokens[query] ?? '', order: list(keyOrder(A, query)), pos: firstWrong + 1, key: tokens[order[firstWrong]] ?? '', before: tokens[order[firstWrong - 1]] ?? '' };
  if (complete && firstWrong < 0) return { correct: true, text: t('lessons.order.right', p) };
  if (revealed || !complete) return { correct: false, text: t('lessons.order.wrong', p) };
  return { correct: false, text: t('lessons.order.wrongTry', p) };
}

// ---------------------------------------------------------------------------------------------
// One exercise on a result: how it is answered, the check, the teacher's answer.

/** How an exercise on a case is answered (keepsTop is answered from a model's ablation, in Teaching). */
export function exerciseInput(ex: LessonExercise, tokens: readonly string[]): ExerciseInput {
  switch (ex.kind) {
    case 'value': {
      const digits = shownDigits(ex.matrix);
      return { kind: 'value', hint: t('lessons.value.hint', { digits, tol: valueTolerance(digits).toFixed(digits) }) };
    }
    case 'shape':
      return { kind: 'shape' };
    case 'order':
      return { kind: 'order', keys: tokens };
    default:
      return { kind: 'options', options: tokens };
  }
}

/** Whether an answer is complete enough to check (a field left empty, a key not yet placed: not yet). */
export function answerReady(input: ExerciseInput, answer: ExerciseAnswer | null): boolean {
  if (answer === null) return false;
  switch (input.kind) {
    case 'options':
      return typeof answer === 'number';
    case 'value':
      return Array.isArray(answer) && String(answer[0] ?? '').trim() !== '';
    case 'shape':
      return Array.isArray(answer) && answer.length === 2 && answer.every((x) => String(x).trim() !== '');
    case 'order':
      return Array.isArray(answer) && answer.length === input.keys.length;
  }
}

type CaseExercise = Exclude<LessonExercise, { kind: 'keepsTop' }>;

/** The feedback for an answer to an exercise on a case, from the engine's result. */
export function checkExercise(ex: CaseExercise, result: ResultForCheck, tokens: readonly string[], answer: ExerciseAnswer, revealed: boolean): Feedback | null {
  const A = result.heads['head' in ex ? (ex.head ?? 0) : 0]?.A;
  switch (ex.kind) {
    case 'value': {
      const v = valueOf(result, ex);
      return v === null || !Array.isArray(answer) ? null : checkValue(v, shownDigits(ex.matrix), String(answer[0] ?? ''), valueWhat(ex, tokens), revealed);
    }
    case 'shape':
      return Array.isArray(answer) ? checkShape(outputShape(result), answer.map(String), revealed) : null;
    case 'order':
      return A && Array.isArray(answer) ? checkOrder(A, tokens, ex.query, answer.map(Number), revealed) : null;
    case 'zeroColumn':
      return A && typeof answer === 'number' ? checkZeroColumn(A, tokens, answer, revealed) : null;
    default:
      return A && typeof answer === 'number' ? feedbackFor(A, tokens, ex.query, answer, revealed) : null;
  }
}

/** The engine's answer, for the teacher's notes. */
export function exerciseAnswer(ex: CaseExercise, result: ResultForCheck, tokens: readonly string[]): string | null {
  const A = result.heads['head' in ex ? (ex.head ?? 0) : 0]?.A;
  switch (ex.kind) {
    case 'value': {
      const v = valueOf(result, ex);
      return v === null ? null : `${valueWhat(ex, tokens)} = ${v.toFixed(shownDigits(ex.matrix))}`;
    }
    case 'shape': {
      const [r, c] = outputShape(result);
      return `${r} × ${c}`;
    }
    case 'order':
      return A ? keyOrder(A, ex.query).map((j) => `${quote(tokens[j] ?? '')} ${fmt3(A.data[ex.query * A.cols + j])}`).join(' > ') : null;
    case 'zeroColumn':
      return A ? `“${zeroColumns(A).map((j) => tokens[j] ?? '').join(t('lessons.listSep'))}”` : null;
    default:
      return A ? attendAnswer(A, tokens, ex.query) : null;
  }
}
