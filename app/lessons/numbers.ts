// Numbers in lesson text are never typed: the text holds placeholders that are filled from the
// engine's result on the step's own case, so a hand-rounded 0.200 can never meet a computed 0.199.
//
//   {A[2][0]}   one entry of A (head 1)         {Z[2]}   row 2 of Z as a vector "(1.340, 0.439)"
//   {h2:Q[1]}   row 1 of Q in head 2             {SQRTD}  √d, the divisor of the scores
//
// Quantities: X (input), W (key weights), Q K V, S (scores), DOT (q_i·k_j before scaling), E (e^s),
// WE (w_j·e^s), SUM (row sums of WE), A, Z. Each is shown at one precision (DIGITS); a value that is
// an exact integer is shown as one ("e^0 = 1", "w = 2").
import { referenceAttention } from '../../engine/reference.ts';
import type { CaseJson, HeadResultJson } from '../../engine/types.ts';
import { parseCase } from '../../engine/validate.ts';
import { parseOverridePath } from '../../state/document.ts';
import type { LessonTextPart } from '../../components/teaching/LessonPanel.tsx';
import type { Lesson, LessonStep } from './types.ts';

type M = readonly (readonly number[])[];

/** What the placeholders read: the case and the engine's per-head matrices (as the app exports them). */
export interface LessonNumbers {
  X: M;
  keyWeights: readonly number[];
  scale: number;
  heads: readonly HeadResultJson[];
}

/** A piece of filled lesson text: plain text, or a number with the placeholder it came from. */
export type LessonPart = LessonTextPart;

// Intermediates carry enough digits that a student redoing each step from the SHOWN numbers lands on the
// next shown number (handCheck.test.ts): scores at 4 decimals so e^s is right to 3, sums at 3 so a ratio is
// right to 3. Fewer digits made 4.11 / 9.17 = 0.448 next to the engine's 0.449.
const DIGITS: Record<string, number> = { X: 3, W: 3, Q: 3, K: 3, V: 3, S: 4, DOT: 3, SQRTD: 4, E: 3, WE: 3, SUM: 3, A: 3, Z: 3 };

const VECTORS = new Set(['W', 'SUM']);

export const PLACEHOLDER = /\{(?:h(\d+):)?([A-Z]+)(?:\[(\d+)\])?(?:\[(\d+)\])?\}/g;

/** The case a step shows: the lesson's case with the step's weights, mask and overrides applied; null on a model. */
export function stepCase(lesson: Lesson, step: LessonStep): CaseJson | null {
  if (!lesson.case || step.state?.model) return null;
  // A deep copy without the labels (the numbers are the same in every language).
  const c = structuredClone({ ...lesson.case, tokens: undefined }) as CaseJson;
  const s = step.state ?? {};
  if (s.weights) c.keyWeights = s.weights.slice();
  if (s.causal !== undefined) c.causal = s.causal;
  for (const [path, v] of Object.entries(s.overrides ?? {})) {
    const p = parseOverridePath(path);
    if (!p) throw new Error(`lesson override ${path}`);
    const m = p.matrix === 'X' ? c.X : p.matrix === 'Wo' ? c.Wo! : c.heads[p.head!][p.matrix];
    m[p.row][p.col] = v;
  }
  return c;
}

/** The float64 reference engine's numbers for a case. */
function referenceNumbers(c: CaseJson): LessonNumbers {
  const r = referenceAttention(parseCase({ ...c, tokens: undefined }));
  const rows = (m: { rows: number; cols: number; data: ArrayLike<number> }) =>
    Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i * m.cols + j]));
  return {
    X: c.X,
    keyWeights: c.keyWeights ?? c.X.map(() => 1),
    scale: r.scale,
    heads: r.heads.map((h) => ({ Q: rows(h.Q), K: rows(h.K), V: rows(h.V), scores: rows(h.scores), A: rows(h.A), Z: rows(h.Z) })),
  };
}

/** The value of one quantity, as a matrix (a scalar is 1×1, a vector 1×n). */
function quantity(nums: LessonNumbers, name: string, head: number): M {
  const h = nums.heads[head];
  if (!h) throw new Error(`lesson placeholder: no head ${head + 1}`);
  const w = nums.keyWeights;
  const e = () => h.scores.map((row) => row.map(Math.exp));
  const we = () => e().map((row) => row.map((x, j) => w[j] * x));
  switch (name) {
    case 'X': return nums.X;
    case 'W': return [w];
    case 'Q': case 'K': case 'V': case 'A': case 'Z': return h[name];
    case 'S': return h.scores;
    case 'DOT': return h.scores.map((row) => row.map((x) => x / nums.scale));
    case 'SQRTD': return [[1 / nums.scale]];
    case 'E': return e();
    case 'WE': return we();
    case 'SUM': return [we().map((row) => row.reduce((a, b) => a + b, 0))];
    default: throw new Error(`lesson placeholder: unknown quantity ${name}`);
  }
}

/** A number at a precision, an exact integer without decimals. */
export function formatNumber(v: number, digits: number): string {
  const r = Math.round(v);
  if (Math.abs(v - r) < 1e-6) return String(r === 0 ? 0 : r);
  return v.toFixed(digits);
}

/** The text of one placeholder, e.g. "{A[2][0]}" → "0.449", "{Z[2]}" → "(1.340, 0.439)". */
export function placeholderText(nums: LessonNumbers, ref: string): string {
  const m = new RegExp(`^${PLACEHOLDER.source}$`).exec(ref);
  if (!m) throw new Error(`lesson placeholder: cannot read ${ref}`);
  const [, head, name, a, b] = m;
  const q = quantity(nums, name, head ? Number(head) - 1 : 0);
  const digits = DIGITS[name];
  const at = (i: number, j: number) => {
    const v = q[i]?.[j];
    if (v === undefined) throw new Error(`lesson placeholder: ${ref} is outside ${name}`);
    return formatNumber(v, digits);
  };
  if (b !== undefined) return at(Number(a), Number(b));
  if (a === undefined) return at(0, 0);
  // One index: an entry of a vector, or a row of a matrix written as a vector.
  if (VECTORS.has(name)) return at(0, Number(a));
  const row = q[Number(a)];
  if (!row) throw new Error(`lesson placeholder: ${ref} is outside ${name}`);
  return `(${row.map((_, j) => at(Number(a), j)).join(', ')})`;
}

/** The numbers a step's placeholders read; null for a step on a model (its text has none). */
export function stepNumbers(lesson: Lesson, step: LessonStep): LessonNumbers | null {
  const c = stepCase(lesson, step);
  return c ? referenceNumbers(c) : null;
}

/** Lesson text with its placeholders filled. */
export function fillLessonText(template: string, nums: LessonNumbers | null): LessonPart[] {
  const parts: LessonPart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (!nums) throw new Error(`lesson placeholder ${m[0]} on a step without a case`);
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ text: placeholderText(nums, m[0]), ref: m[0] });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Filled text as one string. */
export function partsText(parts: readonly LessonPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}
