// Small dense-matrix helpers over the plain-data Matrix of types.ts (row-major, typed-array data).
import type { Floats, Matrix } from './types.ts';

/** A rows×cols matrix. Without data it is zero-filled Float32Array; with data it must have rows·cols entries. */
export function matrix(rows: number, cols: number, data?: Floats | ArrayLike<number>): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix: bad shape ${rows}×${cols}`);
  }
  if (data === undefined) return { rows, cols, data: new Float32Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new RangeError(`matrix: expected ${rows * cols} values for ${rows}×${cols}, got ${data.length}`);
  }
  if (data instanceof Float32Array || data instanceof Float64Array) return { rows, cols, data };
  return { rows, cols, data: Float32Array.from(data) };
}

/** Matrix from an array of rows (Float32Array data). Rows must all have the same length. */
export function fromRows(rows: number[][]): Matrix {
  return fromRowsAs(rows, Float32Array);
}

/** Matrix from an array of rows with Float64Array data (exact JSON values). */
export function fromRows64(rows: number[][]): Matrix {
  return fromRowsAs(rows, Float64Array);
}

function fromRowsAs(rows: number[][], Ctor: Float32ArrayConstructor | Float64ArrayConstructor): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const data = new Ctor(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (row.length !== c) throw new RangeError(`fromRows: row ${i} has ${row.length} values, expected ${c}`);
    for (let j = 0; j < c; j++) data[i * c + j] = row[j];
  }
  return { rows: r, cols: c, data };
}

/** Array of rows (plain numbers). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function set(m: Matrix, i: number, j: number, v: number): void {
  m.data[i * m.cols + j] = v;
}

/** Row i as a view (no copy). */
export function row(m: Matrix, i: number): Floats {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Column j as a plain array. */
export function col(m: Matrix, j: number): number[] {
  const out: number[] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** "rows×cols", e.g. "5×8". */
export function shapeOf(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}

export function transpose(m: Matrix): Matrix {
  const out = new (m.data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}

/** Columns [start, end) as a new matrix. */
export function sliceCols(m: Matrix, start: number, end: number): Matrix {
  const c = end - start;
  const out = new (m.data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(m.rows * c);
  for (let i = 0; i < m.rows; i++) out.set(m.data.subarray(i * m.cols + start, i * m.cols + end), i * c);
  return { rows: m.rows, cols: c, data: out };
}

/** Matrices with equal row counts side by side. */
export function concatCols(ms: Matrix[]): Matrix {
  if (ms.length === 0) return matrix(0, 0);
  const rows = ms[0].rows;
  const cols = ms.reduce((s, m) => s + m.cols, 0);
  const out = new (ms[0].data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows * cols);
  let offset = 0;
  for (const m of ms) {
    if (m.rows !== rows) throw new RangeError(`concatCols: ${m.rows} rows, expected ${rows}`);
    for (let i = 0; i < rows; i++) out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), i * cols + offset);
    offset += m.cols;
  }
  return { rows, cols, data: out };
}

/** Plain float64 product a·b (used by tests and small helpers; the reference has its own loops). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matmul: ${shapeOf(a)} · ${shapeOf(b)}`);
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += aik * b.data[k * b.cols + j];
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** Largest |a − b| over all elements (Infinity when shapes differ or a NaN appears). */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) return Infinity;
  let m = 0;
  for (let k = 0; k < a.data.length; k++) {
    const d = Math.abs(a.data[k] - b.data[k]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
