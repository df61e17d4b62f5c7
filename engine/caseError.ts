// The errors of attention cases: a CaseError names the exact field and what is wrong, in English and
// machine-readably (a code and its parameters), so that front ends can word it in their own language.
import type { Matrix } from './types.ts';

/**
 * What is wrong, machine-readable, so that front ends can word it in their own language. Each code
 * has one English wording (the `problem`), filled from `params` and `got`:
 * - 'not-object' (case) / 'not-input': expected a JSON object with X and heads / an AttentionInput, got {got}
 * - 'missing-matrix', 'not-matrix' {got}, 'no-rows', 'not-row' {got}, 'empty-row': a matrix given as rows
 * - 'ragged' {cols, length}: a row with the wrong number of numbers
 * - 'not-number' {got}: expected a finite number; 'not-weight' {got}: a finite number ≥ 0
 * - 'shape' {rows, cols, gotRows, gotCols, reason?: ShapeReason, d?, h?, dv?, hdv?}
 * - 'matrix-too-large' {rows, cols, max}, 'too-many-tokens' {n, max}, 'too-many-heads' {h, max},
 *   'too-many-scores' {h, n, total, max}
 * - 'missing-heads', 'not-heads' {got}, 'no-heads', 'heads-required', 'not-head' {got}
 * - 'scale' {got}, 'not-boolean' {got}, 'not-weights' {n, got}, 'weights-length' {n, length}
 * - 'not-typed-matrix' {got}, 'empty-matrix' {rows, cols}, 'data-length' {length, rows, cols, total}
 * - scenarios and edits: 'not-positive-int' {got}, 'not-divisible' {d, h}, 'no-tokens', 'seed' {got},
 *   'unknown-path', 'no-wo', 'head-out-of-range' {heads}, 'cell-out-of-range' {key, rows, cols}
 * - 'not-whole' {got}: a whole number ≥ 0 (a position offset)
 * - 'float32-overflow' {got}: a finite number too large for float32 (|x| > 3.4e38)
 * - 'non-finite' {row, col, got}: a computed matrix overflowed float32 (Infinity or NaN at [row][col])
 */
export type CaseErrorCode =
  | 'not-object'
  | 'not-input'
  | 'missing-matrix'
  | 'not-matrix'
  | 'no-rows'
  | 'not-row'
  | 'empty-row'
  | 'ragged'
  | 'not-number'
  | 'not-weight'
  | 'shape'
  | 'matrix-too-large'
  | 'too-many-tokens'
  | 'too-many-heads'
  | 'too-many-scores'
  | 'missing-heads'
  | 'not-heads'
  | 'no-heads'
  | 'heads-required'
  | 'not-head'
  | 'scale'
  | 'not-boolean'
  | 'not-weights'
  | 'weights-length'
  | 'not-typed-matrix'
  | 'empty-matrix'
  | 'data-length'
  | 'not-positive-int'
  | 'not-whole'
  | 'not-divisible'
  | 'no-tokens'
  | 'seed'
  | 'unknown-path'
  | 'no-wo'
  | 'window-needs-causal'
  | 'head-out-of-range'
  | 'cell-out-of-range'
  | 'float32-overflow'
  | 'non-finite';

/** Why a 'shape' error expects the shape it does (params.reason; absent for plain shape checks). */
export type ShapeReason = 'rows-d' | 'heads-dk' | 'wk-like-wq' | 'heads-dv' | 'wo-rows';

/** A JSON value described for "got …": its kind, and `value` (the number, the quoted string, the length, the typeof). */
export interface Described {
  kind: 'nothing' | 'null' | 'nan' | 'number' | 'boolean' | 'string' | 'empty-array' | 'array' | 'object' | 'other';
  value: string;
}

export type CaseErrorParams = Readonly<Record<string, string | number>>;

/** The machine-readable part of a CaseError. */
export interface CaseErrorInfo {
  code: CaseErrorCode;
  params?: CaseErrorParams;
  /** The offending value, for codes whose problem ends in "got …". */
  got?: Described;
}

/** A CaseError as plain data (what survives postMessage). */
export interface CaseErrorData {
  field: string;
  caseIndex: number | null;
  code: CaseErrorCode;
  params: CaseErrorParams;
  got: Described | null;
}

export class CaseError extends Error {
  /** Path of the offending field, e.g. "X[1][0]" or "heads[0].Wq"; "" for the case as a whole. */
  readonly field: string;
  /** What is wrong, without the field, e.g. "expected 8×4, got 8×3". */
  readonly problem: string;
  /** Index of the case in an array file, or null. */
  readonly caseIndex: number | null;
  /** What is wrong, machine-readable (see CaseErrorCode). */
  readonly code: CaseErrorCode;
  /** The numbers and names of the problem, e.g. {rows: 8, cols: 4, gotRows: 8, gotCols: 3}. */
  readonly params: CaseErrorParams;
  /** The offending value described, or null. */
  readonly got: Described | null;

  constructor(field: string, problem: string, info: CaseErrorInfo, caseIndex: number | null = null) {
    super(formatCaseError(field, problem, caseIndex));
    this.name = 'CaseError';
    this.field = field;
    this.problem = problem;
    this.caseIndex = caseIndex;
    this.code = info.code;
    this.params = info.params ?? {};
    this.got = info.got ?? null;
  }

  /** The same error located in case `index` of an array: "case 3: heads[0].Wq: …". */
  inCase(index: number): CaseError {
    return new CaseError(this.field, this.problem, { code: this.code, params: this.params, got: this.got ?? undefined }, index);
  }

  /** Plain data for postMessage or JSON. */
  toData(): CaseErrorData {
    return { field: this.field, caseIndex: this.caseIndex, code: this.code, params: { ...this.params }, got: this.got };
  }
}

function formatCaseError(field: string, problem: string, caseIndex: number | null): string {
  const where = caseIndex === null ? (field ? `${field}: ` : 'case: ') : `case ${caseIndex}: ${field ? `${field}: ` : ''}`;
  return where + problem;
}

/** A JSON value described for "got …", machine-readable. */
export function described(v: unknown): Described {
  if (v === undefined) return { kind: 'nothing', value: '' };
  if (v === null) return { kind: 'null', value: 'null' };
  if (typeof v === 'string') return { kind: 'string', value: JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v) };
  if (typeof v === 'number') return Number.isNaN(v) ? { kind: 'nan', value: 'NaN' } : { kind: 'number', value: String(v) };
  if (typeof v === 'boolean') return { kind: 'boolean', value: String(v) };
  if (Array.isArray(v)) return v.length === 0 ? { kind: 'empty-array', value: '0' } : { kind: 'array', value: String(v.length) };
  if (typeof v === 'object') return { kind: 'object', value: '' };
  return { kind: 'other', value: typeof v };
}

/** A Described value in English, as in the messages: "nothing", "the string \"abc\"", "an array of 3"… */
export function describedText(d: Described): string {
  switch (d.kind) {
    case 'nothing':
      return 'nothing';
    case 'string':
      return `the string ${d.value}`;
    case 'empty-array':
      return 'an empty array';
    case 'array':
      return `an array of ${d.value}`;
    case 'object':
      return 'an object';
    default:
      return d.value;
  }
}

/** A short description of a JSON value for "got …". */
export function describe(v: unknown): string {
  return describedText(described(v));
}

/** The largest finite float32: the engine computes in float32, so larger inputs cannot be represented. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Whether x is a number the engine can hold: finite in float32. */
export function isFloat32Finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= FLOAT32_MAX;
}

export function float32Overflow(field: string, x: number): CaseError {
  return new CaseError(field, `expected a number within ±3.4e38 (float32), got ${x}`, { code: 'float32-overflow', got: described(x) });
}

/**
 * A computed matrix that is not finite (float32 overflow of a product), located at its first bad
 * element: "heads[0].scores: not finite at [1][0] (Infinity): the numbers are too large for float32".
 */
export function nonFiniteError(field: string, m: Matrix, index: number): CaseError {
  const row = Math.floor(index / m.cols);
  const col = index % m.cols;
  const got = String(m.data[index]);
  return new CaseError(field, `not finite at [${row}][${col}] (${got}): the numbers are too large for float32`, {
    code: 'non-finite',
    params: { row, col, got },
  });
}
