// Validation: every kind of bad input gives a CaseError naming the exact field, before any compute.
import { describe, it, expect } from 'vitest';
import { LIMITS, checkInput, parseCase, parseCaseFile } from './validate.ts';
import { CaseError } from './caseError.ts';
import { toRows } from './matrix.ts';

const I = (n: number, m = n) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));

/** A valid case: n = 3, d = 4, h = 2, d_k = 2, d_v = 3, W^O 6×4. */
function good(): Record<string, unknown> {
  return {
    X: [
      [1, 2, 3, 4],
      [0, 1, 0, 1],
      [2, 2, 2, 2],
    ],
    heads: [
      { Wq: I(4, 2), Wk: I(4, 2), Wv: I(4, 3) },
      { Wq: I(4, 2), Wk: I(4, 2), Wv: I(4, 3) },
    ],
    Wo: I(6, 4),
    scale: 0.5,
    causal: true,
    keyWeights: [1, 0, 2],
    tokens: ['a', 'b', 'c'],
    somethingElse: { ignored: true },
  };
}

function errorOf(json: unknown): CaseError {
  try {
    parseCase(json);
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    return e as CaseError;
  }
  throw new Error('expected a CaseError, but the case was accepted');
}

type Edit = (c: Record<string, unknown> & { heads: Record<string, unknown>[]; X: unknown[][] }) => void;

// [what, edit of a valid case, field, message (exact or pattern)]
const bad: [string, Edit, string, string | RegExp][] = [
  ['missing X', (c) => delete (c as Record<string, unknown>).X, 'X', 'X: missing (expected a matrix as an array of rows)'],
  ['X not an array', (c) => ((c as Record<string, unknown>).X = 'abc'), 'X', 'X: expected an array of rows (a matrix), got the string "abc"'],
  ['X empty', (c) => ((c as Record<string, unknown>).X = []), 'X', 'X: expected at least one row, got an empty array'],
  ['X with an empty row', (c) => ((c as Record<string, unknown>).X = [[]]), 'X[0]', 'X[0]: expected at least one number, got an empty row'],
  ['X row not an array', (c) => (c.X[1] = 5 as unknown as unknown[]), 'X[1]', 'X[1]: expected an array of numbers (a row), got 5'],
  ['X ragged', (c) => (c.X[2] = [1, 2, 3]), 'X[2]', 'X[2]: expected 4 numbers, got 3'],
  ['X ragged (longer)', (c) => (c.X[1] = [1, 2, 3, 4, 5]), 'X[1]', 'X[1]: expected 4 numbers, got 5'],
  ['X null element', (c) => (c.X[1][0] = null), 'X[1][0]', 'X[1][0]: expected a finite number, got null'],
  ['X string element', (c) => (c.X[0][3] = '1'), 'X[0][3]', 'X[0][3]: expected a finite number, got the string "1"'],
  ['X NaN element', (c) => (c.X[2][1] = NaN), 'X[2][1]', 'X[2][1]: expected a finite number, got NaN'],
  ['X Infinity element', (c) => (c.X[2][2] = Infinity), 'X[2][2]', 'X[2][2]: expected a finite number, got Infinity'],
  ['X -Infinity element', (c) => (c.X[0][0] = -Infinity), 'X[0][0]', 'X[0][0]: expected a finite number, got -Infinity'],
  ['X boolean element', (c) => (c.X[0][1] = true), 'X[0][1]', 'X[0][1]: expected a finite number, got true'],
  ['X nested array element', (c) => (c.X[0][1] = [1]), 'X[0][1]', 'X[0][1]: expected a finite number, got an array of 1'],
  ['missing heads', (c) => delete (c as Record<string, unknown>).heads, 'heads', /^heads: missing/],
  ['heads not a list', (c) => ((c as Record<string, unknown>).heads = { Wq: I(4, 2) }), 'heads', /^heads: expected a list of heads .*got an object$/],
  ['empty heads', (c) => ((c as Record<string, unknown>).heads = []), 'heads', 'heads: expected at least one head, got an empty array'],
  ['head not an object', (c) => (c.heads[1] = 7 as unknown as Record<string, unknown>), 'heads[1]', 'heads[1]: expected an object {Wq, Wk, Wv}, got 7'],
  ['head is null', (c) => (c.heads[0] = null as unknown as Record<string, unknown>), 'heads[0]', 'heads[0]: expected an object {Wq, Wk, Wv}, got null'],
  ['missing Wk', (c) => delete c.heads[1].Wk, 'heads[1].Wk', /^heads\[1\]\.Wk: missing/],
  ['Wq rows ≠ d', (c) => (c.heads[0].Wq = I(3, 2)), 'heads[0].Wq', /^heads\[0\]\.Wq: expected 4×2, got 3×2 \(its rows must equal d = 4/],
  ['Wk shape ≠ Wq', (c) => (c.heads[1].Wk = I(4, 1)), 'heads[1].Wk', /^heads\[1\]\.Wk: expected 4×2, got 4×1/],
  ['Wk rows ≠ d', (c) => (c.heads[0].Wk = I(5, 2)), 'heads[0].Wk', /^heads\[0\]\.Wk: expected 4×2, got 5×2/],
  ['Wv rows ≠ d', (c) => (c.heads[0].Wv = I(2, 3)), 'heads[0].Wv', /^heads\[0\]\.Wv: expected 4×3, got 2×3/],
  ['heads of unequal d_k', (c) => ((c.heads[1].Wq = I(4, 3)), (c.heads[1].Wk = I(4, 3))), 'heads[1].Wq', /^heads\[1\]\.Wq: expected 4×2, got 4×3 \(every head/],
  ['heads of unequal d_v', (c) => (c.heads[1].Wv = I(4, 2)), 'heads[1].Wv', /^heads\[1\]\.Wv: expected 4×3, got 4×2 \(every head/],
  ['ragged weight matrix', (c) => (c.heads[1].Wv = [[1, 0, 0], [0, 1], [0, 0, 1], [0, 0, 0]]), 'heads[1].Wv[1]', 'heads[1].Wv[1]: expected 3 numbers, got 2'],
  ['null inside a weight', (c) => ((c.heads[0].Wq as unknown[][])[3][1] = null), 'heads[0].Wq[3][1]', 'heads[0].Wq[3][1]: expected a finite number, got null'],
  ['Wo wrong rows', (c) => ((c as Record<string, unknown>).Wo = I(4, 4)), 'Wo', /^Wo: expected 6×4, got 4×4 \(its rows must equal h·d_v = 2·3 = 6\)$/],
  ['Wo not a matrix', (c) => ((c as Record<string, unknown>).Wo = 3), 'Wo', 'Wo: expected an array of rows (a matrix), got 3'],
  ['Wo bad element', (c) => (((c as Record<string, unknown>).Wo as unknown[][])[5][0] = 'x'), 'Wo[5][0]', 'Wo[5][0]: expected a finite number, got the string "x"'],
  ['scale 0', (c) => ((c as Record<string, unknown>).scale = 0), 'scale', 'scale: expected a positive finite number or null, got 0'],
  ['scale negative', (c) => ((c as Record<string, unknown>).scale = -1), 'scale', 'scale: expected a positive finite number or null, got -1'],
  ['scale Infinity', (c) => ((c as Record<string, unknown>).scale = Infinity), 'scale', 'scale: expected a positive finite number or null, got Infinity'],
  ['scale NaN', (c) => ((c as Record<string, unknown>).scale = NaN), 'scale', 'scale: expected a positive finite number or null, got NaN'],
  ['scale string', (c) => ((c as Record<string, unknown>).scale = '0.5'), 'scale', /^scale: .* got the string "0.5"$/],
  ['causal not boolean', (c) => ((c as Record<string, unknown>).causal = 'yes'), 'causal', 'causal: expected true or false, got the string "yes"'],
  ['causal number', (c) => ((c as Record<string, unknown>).causal = 1), 'causal', 'causal: expected true or false, got 1'],
  ['keyWeights too short', (c) => ((c as Record<string, unknown>).keyWeights = [1, 1]), 'keyWeights', 'keyWeights: expected 3 numbers (one per row of X), got 2'],
  ['keyWeights too long', (c) => ((c as Record<string, unknown>).keyWeights = [1, 1, 1, 1]), 'keyWeights', 'keyWeights: expected 3 numbers (one per row of X), got 4'],
  ['keyWeights not an array', (c) => ((c as Record<string, unknown>).keyWeights = 1), 'keyWeights', /^keyWeights: expected an array of 3 numbers .* got 1$/],
  ['keyWeights negative', (c) => ((c as Record<string, unknown>).keyWeights = [1, -0.5, 1]), 'keyWeights[1]', 'keyWeights[1]: expected a finite number ≥ 0, got -0.5'],
  ['keyWeights Infinity', (c) => ((c as Record<string, unknown>).keyWeights = [1, 1, Infinity]), 'keyWeights[2]', 'keyWeights[2]: expected a finite number ≥ 0, got Infinity'],
  ['keyWeights NaN', (c) => ((c as Record<string, unknown>).keyWeights = [NaN, 1, 1]), 'keyWeights[0]', 'keyWeights[0]: expected a finite number ≥ 0, got NaN'],
  ['keyWeights null entry', (c) => ((c as Record<string, unknown>).keyWeights = [1, null, 1]), 'keyWeights[1]', 'keyWeights[1]: expected a finite number ≥ 0, got null'],
];

describe('parseCase: bad inputs', () => {
  for (const [what, edit, field, message] of bad) {
    it(what, () => {
      const c = good() as Parameters<Edit>[0];
      edit(c);
      const e = errorOf(c);
      expect(e.field).toBe(field);
      if (typeof message === 'string') expect(e.message).toBe(message);
      else expect(e.message).toMatch(message);
      expect(e.message.startsWith(`${field}: `)).toBe(true);
      expect(e.message).not.toContain('\n');
      expect(e.caseIndex).toBeNull();
    });
  }

  it('not an object', () => {
    for (const v of [null, 42, 'x', [1, 2], true, undefined]) {
      const e = errorOf(v);
      expect(e.field).toBe('');
      expect(e.message).toMatch(/^case: expected a JSON object with X and heads, got /);
    }
  });

  it('checks the shape of X before the heads (the first problem is reported)', () => {
    const c = good() as Parameters<Edit>[0];
    c.X[1] = [1];
    c.heads = [];
    expect(errorOf(c).field).toBe('X[1]');
  });

  it('guards huge inputs before reading them', () => {
    const many = { X: Array.from({ length: LIMITS.maxTokens + 1 }, () => [0]), heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] };
    const e = errorOf(many);
    expect(e.field).toBe('X');
    expect(e.message).toBe(`X: too many tokens: n = ${LIMITS.maxTokens + 1} exceeds the limit of ${LIMITS.maxTokens}`);
    // n·n·h too big: 2048 tokens × 9 heads = 37.7M scores
    const heads = Array.from({ length: 9 }, () => ({ Wq: [[1]], Wk: [[1]], Wv: [[1]] }));
    const e2 = errorOf({ X: Array.from({ length: 2048 }, () => [0]), heads });
    expect(e2.field).toBe('heads');
    expect(e2.message).toMatch(/^heads: too large: h·n² = 9·2048² = 37748736 attention scores exceed the limit/);
    // the limits themselves are allowed: 4096 tokens with one head
    const one = [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }];
    expect(parseCase({ X: Array.from({ length: 4096 }, () => [0]), heads: one }).X.rows).toBe(4096);
    expect(errorOf({ X: Array.from({ length: 4096 }, () => [0]), heads: [...one, ...one] }).field).toBe('heads');
    // a single huge matrix
    const wide = { X: [new Array(LIMITS.maxMatrixElements + 1).fill(0)], heads: [] };
    expect(errorOf(wide).message).toMatch(/^X: too large: 1×16777217 exceeds the limit/);
  });
});

describe('parseCase: valid inputs', () => {
  it('returns exact float64 data and the given options; ignores unknown fields', () => {
    const input = parseCase(good());
    expect(input.X.data).toBeInstanceOf(Float64Array);
    expect(toRows(input.X)).toEqual(good().X);
    expect(input.heads).toHaveLength(2);
    expect(input.heads[1].Wv.cols).toBe(3);
    expect(input.Wo!.rows).toBe(6);
    expect(input.scale).toBe(0.5);
    expect(input.causal).toBe(true);
    expect(Array.from(input.keyWeights!)).toEqual([1, 0, 2]);
    expect(input).not.toHaveProperty('tokens');
  });

  it('Wo, scale, causal and keyWeights may be absent or null', () => {
    const minimal = { X: [[1, 2]], heads: [{ Wq: [[1], [0]], Wk: [[0], [1]], Wv: [[1], [1]] }] };
    for (const extra of [{}, { Wo: null, scale: null, causal: null, keyWeights: null }]) {
      const input = parseCase({ ...minimal, ...extra });
      expect(input.Wo).toBeNull();
      expect(input.scale).toBeNull();
      expect(input.causal).toBe(false);
      expect(input.keyWeights).toBeNull();
    }
  });

  it('accepts 0.1 + 0.2 exactly (no float32 rounding at parse time)', () => {
    const input = parseCase({ X: [[0.1 + 0.2]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] });
    expect(input.X.data[0]).toBe(0.1 + 0.2);
  });
});

describe('parseCaseFile', () => {
  it('one object → one case, isArray false', () => {
    const f = parseCaseFile(good());
    expect(f.isArray).toBe(false);
    expect(f.cases).toHaveLength(1);
  });

  it('an array → all cases in order, isArray true', () => {
    const second = good();
    (second.X as number[][])[0][0] = 9;
    const f = parseCaseFile([good(), second]);
    expect(f.isArray).toBe(true);
    expect(f.cases.map((c) => c.X.data[0])).toEqual([1, 9]);
    expect(parseCaseFile([])).toEqual({ cases: [], isArray: true });
  });

  it('errors in an array name the case index', () => {
    const broken = good() as Parameters<Edit>[0];
    broken.heads[0].Wq = I(4, 3);
    try {
      parseCaseFile([good(), good(), good(), broken]);
      expect.fail('accepted');
    } catch (e) {
      const err = e as CaseError;
      expect(err).toBeInstanceOf(CaseError);
      expect(err.caseIndex).toBe(3);
      expect(err.field).toBe('heads[0].Wk');
      expect(err.message).toMatch(/^case 3: heads\[0\]\.Wk: expected 4×3, got 4×2/);
    }
    expect(() => parseCaseFile([good(), 'nope'])).toThrow(/^case 1: expected a JSON object with X and heads, got the string "nope"$/);
  });
});

describe('checkInput (typed inputs, before computing)', () => {
  it('accepts a parsed case and rejects inconsistent shapes with the field path', () => {
    const input = parseCase(good());
    expect(() => checkInput(input)).not.toThrow();
    const bad1 = { ...input, heads: [input.heads[0], { ...input.heads[1], Wk: { rows: 4, cols: 3, data: new Float32Array(12) } }] };
    expect(() => checkInput(bad1)).toThrow(/^heads\[1\]\.Wk: expected 4×2, got 4×3$/);
    const bad2 = { ...input, X: { rows: 3, cols: 4, data: new Float32Array(11) } };
    expect(() => checkInput(bad2)).toThrow(/^X: data holds 11 numbers, expected 3·4 = 12$/);
    expect(() => checkInput({ ...input, keyWeights: Float64Array.of(1, -1, 1) })).toThrow(/^keyWeights\[1\]: /);
    expect(() => checkInput({ ...input, scale: 0 })).toThrow(/^scale: /);
    expect(() => checkInput({ ...input, Wo: { rows: 5, cols: 4, data: new Float32Array(20) } })).toThrow(/^Wo: expected 6×4, got 5×4$/);
  });
});
