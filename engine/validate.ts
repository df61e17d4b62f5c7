// Validation of attention cases: everything is checked before any computation, and every problem is
// reported as a CaseError naming the exact field, e.g. "heads[1].Wk: expected 8×4, got 8×3".
import type { AttentionInput, Floats, HeadWeights, Matrix } from './types.ts';
import { CaseError, described, describe, FLOAT32_MAX, float32Overflow, type ShapeReason } from './caseError.ts';

/** Size limits that keep a single computation from hanging the machine or the browser tab. */
export const LIMITS = {
  /** Tokens (rows of X). */
  maxTokens: 4096,
  /** h·n² numbers in the scores (and again in A): 4096 tokens with 1 head, 1024 tokens with 16 heads. */
  maxScoreElements: 1 << 24,
  /** Numbers in any one input matrix. */
  maxMatrixElements: 1 << 24,
  /** Heads. */
  maxHeads: 256,
} as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const shape = (r: number, c: number) => `${r}×${c}`;

/** Parses a rectangular array of finite numbers into a Float64Array matrix. */
function parseMatrix(v: unknown, field: string): Matrix {
  if (v === undefined) throw new CaseError(field, 'missing (expected a matrix as an array of rows)', { code: 'missing-matrix' });
  if (!Array.isArray(v)) throw new CaseError(field, `expected an array of rows (a matrix), got ${describe(v)}`, { code: 'not-matrix', got: described(v) });
  if (v.length === 0) throw new CaseError(field, 'expected at least one row, got an empty array', { code: 'no-rows' });
  const rows = v.length;
  const first: unknown = v[0];
  if (!Array.isArray(first)) throw new CaseError(`${field}[0]`, `expected an array of numbers (a row), got ${describe(first)}`, { code: 'not-row', got: described(first) });
  const cols = first.length;
  if (cols === 0) throw new CaseError(`${field}[0]`, 'expected at least one number, got an empty row', { code: 'empty-row' });
  if (rows * cols > LIMITS.maxMatrixElements) {
    throw new CaseError(field, `too large: ${shape(rows, cols)} exceeds the limit of ${LIMITS.maxMatrixElements} numbers per matrix`, {
      code: 'matrix-too-large',
      params: { rows, cols, max: LIMITS.maxMatrixElements },
    });
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r: unknown = v[i];
    if (!Array.isArray(r)) throw new CaseError(`${field}[${i}]`, `expected an array of numbers (a row), got ${describe(r)}`, { code: 'not-row', got: described(r) });
    if (r.length !== cols) {
      throw new CaseError(`${field}[${i}]`, `expected ${cols} number${cols === 1 ? '' : 's'}, got ${r.length}`, {
        code: 'ragged',
        params: { cols, length: r.length },
      });
    }
    for (let j = 0; j < cols; j++) {
      const x: unknown = r[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new CaseError(`${field}[${i}][${j}]`, `expected a finite number, got ${describe(x)}`, { code: 'not-number', got: described(x) });
      }
      if (Math.abs(x) > FLOAT32_MAX) throw float32Overflow(`${field}[${i}][${j}]`, x);
      data[i * cols + j] = x;
    }
  }
  return { rows, cols, data };
}

function expectShape(
  m: Matrix,
  field: string,
  rows: number,
  cols: number,
  why: string,
  reason: ShapeReason,
  more: Record<string, number> = {},
): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new CaseError(field, `expected ${shape(rows, cols)}, got ${shape(m.rows, m.cols)} (${why})`, {
      code: 'shape',
      params: { rows, cols, gotRows: m.rows, gotCols: m.cols, reason, ...more },
    });
  }
}

function checkSizeLimits(n: number, h: number): void {
  if (n > LIMITS.maxTokens) {
    throw new CaseError('X', `too many tokens: n = ${n} exceeds the limit of ${LIMITS.maxTokens}`, {
      code: 'too-many-tokens',
      params: { n, max: LIMITS.maxTokens },
    });
  }
  if (h > LIMITS.maxHeads) {
    throw new CaseError('heads', `too many heads: ${h} exceeds the limit of ${LIMITS.maxHeads}`, {
      code: 'too-many-heads',
      params: { h, max: LIMITS.maxHeads },
    });
  }
  if (h * n * n > LIMITS.maxScoreElements) {
    throw new CaseError(
      'heads',
      `too large: h·n² = ${h}·${n}² = ${h * n * n} attention scores exceed the limit of ${LIMITS.maxScoreElements}`,
      { code: 'too-many-scores', params: { h, n, total: h * n * n, max: LIMITS.maxScoreElements } },
    );
  }
}

/**
 * Validates one case (parsed JSON, or an equivalent plain object) and returns the engine input, with
 * Float64Array data holding the exact given values. Throws CaseError on the first problem found.
 * Unknown fields are ignored; Wo, scale, causal, keyWeights and window may be absent or null.
 */
export function parseCase(json: unknown): AttentionInput {
  if (!isPlainObject(json)) throw new CaseError('', `expected a JSON object with X and heads, got ${describe(json)}`, { code: 'not-object', got: described(json) });

  if (Array.isArray(json.X) && json.X.length > LIMITS.maxTokens) checkSizeLimits(json.X.length, 1);
  const X = parseMatrix(json.X, 'X');
  const n = X.rows;
  const d = X.cols;

  const hs: unknown = json.heads;
  if (hs === undefined) throw new CaseError('heads', 'missing (expected a list of heads {Wq, Wk, Wv})', { code: 'missing-heads' });
  if (!Array.isArray(hs)) {
    throw new CaseError('heads', `expected a list of heads {Wq, Wk, Wv}, got ${describe(hs)}`, { code: 'not-heads', got: described(hs) });
  }
  if (hs.length === 0) throw new CaseError('heads', 'expected at least one head, got an empty array', { code: 'no-heads' });
  checkSizeLimits(n, hs.length);

  const heads: HeadWeights[] = [];
  let dk = -1;
  let dv = -1;
  for (let k = 0; k < hs.length; k++) {
    const hd: unknown = hs[k];
    const at = `heads[${k}]`;
    if (!isPlainObject(hd)) throw new CaseError(at, `expected an object {Wq, Wk, Wv}, got ${describe(hd)}`, { code: 'not-head', got: described(hd) });
    const Wq = parseMatrix(hd.Wq, `${at}.Wq`);
    if (k === 0) {
      expectShape(Wq, `${at}.Wq`, d, Wq.cols, `its rows must equal d = ${d}, the width of X`, 'rows-d', { d });
      dk = Wq.cols;
    } else {
      expectShape(Wq, `${at}.Wq`, d, dk, `every head has d rows and the d_k columns of heads[0].Wq`, 'heads-dk');
    }
    const Wk = parseMatrix(hd.Wk, `${at}.Wk`);
    expectShape(Wk, `${at}.Wk`, d, dk, 'Wk must have the shape of Wq', 'wk-like-wq');
    const Wv = parseMatrix(hd.Wv, `${at}.Wv`);
    if (k === 0) {
      expectShape(Wv, `${at}.Wv`, d, Wv.cols, `its rows must equal d = ${d}, the width of X`, 'rows-d', { d });
      dv = Wv.cols;
    } else {
      expectShape(Wv, `${at}.Wv`, d, dv, `every head has d rows and the d_v columns of heads[0].Wv`, 'heads-dv');
    }
    heads.push({ Wq, Wk, Wv });
  }
  const h = heads.length;

  let Wo: Matrix | null = null;
  if (json.Wo !== undefined && json.Wo !== null) {
    Wo = parseMatrix(json.Wo, 'Wo');
    expectShape(Wo, 'Wo', h * dv, Wo.cols, `its rows must equal h·d_v = ${h}·${dv} = ${h * dv}`, 'wo-rows', { h, dv, hdv: h * dv });
  }

  let scale: number | null = null;
  if (json.scale !== undefined && json.scale !== null) {
    const s: unknown = json.scale;
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      throw new CaseError('scale', `expected a positive finite number or null, got ${describe(s)}`, { code: 'scale', got: described(s) });
    }
    if (s > FLOAT32_MAX) throw float32Overflow('scale', s);
    scale = s;
  }

  let causal = false;
  if (json.causal !== undefined && json.causal !== null) {
    if (typeof json.causal !== 'boolean') {
      throw new CaseError('causal', `expected true or false, got ${describe(json.causal)}`, { code: 'not-boolean', got: described(json.causal) });
    }
    causal = json.causal;
  }

  let keyWeights: Float64Array | null = null;
  if (json.keyWeights !== undefined && json.keyWeights !== null) {
    const kw: unknown = json.keyWeights;
    if (!Array.isArray(kw)) {
      throw new CaseError('keyWeights', `expected an array of ${n} numbers (one per row of X) or null, got ${describe(kw)}`, {
        code: 'not-weights',
        params: { n },
        got: described(kw),
      });
    }
    if (kw.length !== n) {
      throw new CaseError('keyWeights', `expected ${n} numbers (one per row of X), got ${kw.length}`, { code: 'weights-length', params: { n, length: kw.length } });
    }
    keyWeights = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const w: unknown = kw[j];
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
        throw new CaseError(`keyWeights[${j}]`, `expected a finite number ≥ 0, got ${describe(w)}`, { code: 'not-weight', got: described(w) });
      }
      keyWeights[j] = w;
    }
  }

  const window = checkWindow(json.window, causal);
  return window === null ? { X, heads, Wo, scale, causal, keyWeights } : { X, heads, Wo, scale, causal, keyWeights, window };
}

/**
 * A case file holds one case object or an array of cases. Errors inside an array name the case:
 * "case 3: heads[0].Wq: expected 8×4, got 8×3".
 */
export function parseCaseFile(json: unknown): { cases: AttentionInput[]; isArray: boolean } {
  if (!Array.isArray(json)) return { cases: [parseCase(json)], isArray: false };
  const cases: AttentionInput[] = [];
  for (let i = 0; i < json.length; i++) {
    try {
      cases.push(parseCase(json[i]));
    } catch (e) {
      if (e instanceof CaseError) throw e.inCase(i);
      throw e;
    }
  }
  return { cases, isArray: true };
}

function checkMatrix(m: unknown, field: string, rows: number | null, cols: number | null): Matrix {
  if (!isPlainObject(m) || typeof m.rows !== 'number' || typeof m.cols !== 'number' || !ArrayBuffer.isView(m.data)) {
    throw new CaseError(field, `expected a matrix {rows, cols, data}, got ${describe(m)}`, { code: 'not-typed-matrix', got: described(m) });
  }
  const mm = m as unknown as Matrix;
  if (!Number.isInteger(mm.rows) || !Number.isInteger(mm.cols) || mm.rows < 1 || mm.cols < 1) {
    throw new CaseError(field, `expected a non-empty matrix, got ${mm.rows}×${mm.cols}`, { code: 'empty-matrix', params: { rows: mm.rows, cols: mm.cols } });
  }
  if (mm.data.length !== mm.rows * mm.cols) {
    throw new CaseError(field, `data holds ${mm.data.length} numbers, expected ${mm.rows}·${mm.cols} = ${mm.rows * mm.cols}`, {
      code: 'data-length',
      params: { length: mm.data.length, rows: mm.rows, cols: mm.cols, total: mm.rows * mm.cols },
    });
  }
  if ((rows !== null && mm.rows !== rows) || (cols !== null && mm.cols !== cols)) {
    throw new CaseError(field, `expected ${shape(rows ?? mm.rows, cols ?? mm.cols)}, got ${shape(mm.rows, mm.cols)}`, {
      code: 'shape',
      params: { rows: rows ?? mm.rows, cols: cols ?? mm.cols, gotRows: mm.rows, gotCols: mm.cols },
    });
  }
  return mm;
}

/**
 * Shape checks of an already-typed AttentionInput (from buildInput or the app), cheap enough to run
 * before every computation. Values are not scanned; parseCase and applyOverrides guarantee them.
 */
export function checkInput(input: AttentionInput): void {
  if (!isPlainObject(input)) throw new CaseError('', `expected an AttentionInput, got ${describe(input)}`, { code: 'not-input', got: described(input) });
  const X = checkMatrix(input.X, 'X', null, null);
  const n = X.rows;
  const d = X.cols;
  if (!Array.isArray(input.heads) || input.heads.length === 0) throw new CaseError('heads', 'expected at least one head', { code: 'heads-required' });
  checkSizeLimits(n, input.heads.length);
  const dk = checkMatrix(input.heads[0]?.Wq, 'heads[0].Wq', d, null).cols;
  const dv = checkMatrix(input.heads[0]?.Wv, 'heads[0].Wv', d, null).cols;
  input.heads.forEach((hd, k) => {
    checkMatrix(hd?.Wq, `heads[${k}].Wq`, d, dk);
    checkMatrix(hd?.Wk, `heads[${k}].Wk`, d, dk);
    checkMatrix(hd?.Wv, `heads[${k}].Wv`, d, dv);
  });
  if (input.Wo !== null && input.Wo !== undefined) checkMatrix(input.Wo, 'Wo', input.heads.length * dv, null);
  if (input.scale !== null && input.scale !== undefined && !(Number.isFinite(input.scale) && input.scale > 0)) {
    throw new CaseError('scale', `expected a positive finite number or null, got ${describe(input.scale)}`, { code: 'scale', got: described(input.scale) });
  }
  if (typeof input.causal !== 'boolean') {
    throw new CaseError('causal', `expected true or false, got ${describe(input.causal)}`, { code: 'not-boolean', got: described(input.causal) });
  }
  checkExtras(input, dk, dv);
  const kw: Floats | null | undefined = input.keyWeights;
  if (kw !== null && kw !== undefined) {
    if (kw.length !== n) {
      throw new CaseError('keyWeights', `expected ${n} numbers (one per row of X), got ${kw.length}`, { code: 'weights-length', params: { n, length: kw.length } });
    }
    for (let j = 0; j < n; j++) {
      if (!(Number.isFinite(kw[j]) && kw[j] >= 0)) {
        throw new CaseError(`keyWeights[${j}]`, `expected a finite number ≥ 0, got ${describe(kw[j])}`, { code: 'not-weight', got: described(kw[j]) });
      }
    }
  }
}

function checkBias(b: Floats | null | undefined, field: string, expected: number): void {
  if (b === null || b === undefined) return;
  if (!ArrayBuffer.isView(b) || b.length !== expected) {
    const length = ArrayBuffer.isView(b) ? b.length : 0;
    throw new CaseError(field, `expected ${shape(1, expected)}, got ${shape(1, length)}`, {
      code: 'shape',
      params: { rows: 1, cols: expected, gotRows: 1, gotCols: length },
    });
  }
}

/** A local window: null/absent, or a positive whole number on a causal mask. */
function checkWindow(win: unknown, causal: boolean): number | null {
  if (win === null || win === undefined) return null;
  if (typeof win !== 'number' || !Number.isSafeInteger(win) || win < 1) throw new CaseError('window', `expected a positive whole number or null, got ${describe(win)}`, { code: 'not-positive-int', got: described(win) });
  // A band without the causal half would let queries see the future: GPT-Neo's local layers are causal.
  if (!causal) throw new CaseError('window', 'a local-attention window needs causal attention (causal is false)', { code: 'window-needs-causal' });
  return win;
}

/** The optional biases, rotary embedding and its position offset, local window and ablation of an AttentionInput (absent in cases from JSON). */
function checkExtras(input: AttentionInput, dk: number, dv: number): void {
  input.heads.forEach((hd, k) => {
    checkBias(hd.bq, `heads[${k}].bq`, dk);
    checkBias(hd.bk, `heads[${k}].bk`, dk);
    checkBias(hd.bv, `heads[${k}].bv`, dv);
  });
  if (input.bo !== null && input.bo !== undefined) {
    if (!input.Wo) throw new CaseError('bo', 'an output bias needs Wo', { code: 'no-wo' });
    checkBias(input.bo, 'bo', input.Wo.cols);
  }
  const r = input.rotary;
  if (r !== null && r !== undefined) {
    if (!Number.isInteger(r.dims) || r.dims < 2 || r.dims % 2 !== 0 || r.dims > dk || !(Number.isFinite(r.theta) && r.theta > 0)) {
      throw new CaseError('rotary', `expected an even number of dims 2…${dk} (d_k) and a positive theta, got dims ${r.dims}, theta ${r.theta}`, {
        code: 'not-positive-int',
        got: described(r.dims),
      });
    }
  }
  const off = input.positionOffset;
  if (off !== null && off !== undefined && !(Number.isSafeInteger(off) && off >= 0)) {
    throw new CaseError('positionOffset', `expected a whole number ≥ 0, got ${describe(off)}`, { code: 'not-whole', got: described(off) });
  }
  checkWindow(input.window, input.causal);
  const a = input.ablate;
  if (a !== null && a !== undefined) {
    const h = input.heads.length;
    if (!Array.isArray(a) || a.length !== h || a.some((x) => x !== null && x !== 'zero' && x !== 'mean')) {
      throw new CaseError('ablate', `expected ${h} entries, each null, "zero" or "mean"`, { code: 'not-input', got: described(a) });
    }
  }
}
