// The checks of the four typed kinds of exercise, against hand-made results (not the engine): the
// tolerance of a typed value, the column a weight of 0 empties, the output's shape, an order with ties.
import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/index.ts';
import { answerReady, checkOrder, checkShape, checkValue, checkZeroColumn, exerciseAnswer, keyOrder, outputShape, parseTyped, valueOf, zeroColumns, type Mat } from './exerciseCheck.ts';

const mat = (rows: number[][]): Mat => ({ rows: rows.length, cols: rows[0].length, data: new Float64Array(rows.flat()) });
const tokens = ['a', 'b', 'c', 'd'];

beforeEach(() => setLang('en'));

describe('a typed value', () => {
  it('reads what students type: full-width digits and point, a decimal comma, a leading point, a Unicode minus', () => {
    expect(parseTyped(' 0.449 ')).toBe(0.449);
    expect(parseTyped('０．４４９')).toBe(0.449);
    expect(parseTyped('0,449')).toBe(0.449);
    expect(parseTyped('.5')).toBe(0.5);
    expect(parseTyped('−1.25')).toBe(-1.25);
    expect(parseTyped('2')).toBe(2);
    for (const bad of ['', 'abc', '0.4.4', '1e3', '0.4 5', '--1', 'NaN', 'Infinity']) expect(parseTyped(bad), bad).toBeNull();
  });

  it('is right within one unit of the third decimal shown, and not beyond', () => {
    // 0.44893 is shown as 0.449: a hand result of 0.448 (one unit off after rounding) is right, 0.45 (two decimals) is not.
    for (const ok of ['0.449', '0.4489', '0.448', '0.4499', '0.44993']) expect(checkValue(0.44893, 3, ok, 'x', false).correct, ok).toBe(true);
    for (const no of ['0.45', '0.447', '0.4', '0.5']) expect(checkValue(0.44893, 3, no, 'x', false).correct, no).toBe(false);
  });

  it('a wrong try says too high or too low but not the value; revealed, it gives the value', () => {
    const high = checkValue(0.44893, 3, '0.5', 'the weight', false);
    expect(high.text).toMatch(/too high/);
    expect(high.text).not.toContain('0.449');
    expect(checkValue(0.44893, 3, '0.4', 'the weight', false).text).toMatch(/too low/);
    expect(checkValue(0.44893, 3, '0.4', 'the weight', true).text).toContain('0.449');
    expect(checkValue(0.44893, 3, 'oops', 'the weight', false)).toEqual({ correct: false, text: expect.stringContaining('not a number') });
  });

  it('reads A in the head asked, and Z after W^O when there is one', () => {
    const A0 = mat([[0.25, 0.75], [1, 0]]);
    const A1 = mat([[0.5, 0.5], [0.1, 0.9]]);
    const Z = mat([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const out = mat([[9, 10], [11, 12]]);
    expect(valueOf({ heads: [{ A: A0 }, { A: A1 }], Z, out: null }, { matrix: 'A', row: 1, col: 1, head: 1 })).toBe(0.9);
    expect(valueOf({ heads: [{ A: A0 }], Z, out: null }, { matrix: 'Z', row: 1, col: 3 })).toBe(8);
    expect(valueOf({ heads: [{ A: A0 }], Z, out }, { matrix: 'Z', row: 1, col: 0 })).toBe(11);
    expect(valueOf({ heads: [{ A: A0 }], Z, out }, { matrix: 'Z', row: 1, col: 3 })).toBeNull();
  });
});

describe('the column that becomes 0', () => {
  const A = mat([
    [0.5, 0.2, 0, 0.3],
    [0.1, 0.6, 0, 0.3],
    [0, 0.5, 0, 0.5],
  ]);

  it('is the column 0 in every row (a single 0 is not enough)', () => {
    expect(zeroColumns(A)).toEqual([2]);
    expect(checkZeroColumn(A, tokens, 2, false).correct).toBe(true);
    expect(checkZeroColumn(A, tokens, 0, false).correct).toBe(false);
  });

  it('a wrong try names the chosen column’s largest weight, not the answer', () => {
    const wrong = checkZeroColumn(A, tokens, 1, false);
    expect(wrong.text).toContain('0.600');
    expect(wrong.text).not.toContain('“c”');
    expect(checkZeroColumn(A, tokens, 1, true).text).toContain('“c”');
  });
});

describe('the shape of Z', () => {
  it('is the output after W^O when there is one, else the concatenation', () => {
    const Z = mat([[1, 2, 3, 4], [5, 6, 7, 8], [0, 0, 0, 0]]);
    expect(outputShape({ heads: [], Z, out: null })).toEqual([3, 4]);
    expect(outputShape({ heads: [], Z, out: mat([[1, 2], [3, 4], [5, 6]]) })).toEqual([3, 2]);
  });

  it('says which of rows and columns is wrong without the right number', () => {
    expect(checkShape([4, 2], ['4', '2'], false).correct).toBe(true);
    expect(checkShape([4, 2], [' ４ ', '2'], false).correct).toBe(true);
    expect(checkShape([4, 2], ['4', '4'], false).text).toMatch(/Rows right, columns not/);
    expect(checkShape([4, 2], ['2', '2'], false).text).toMatch(/Columns right, rows not/);
    const both = checkShape([4, 2], ['2', '4'], false);
    expect(both.correct).toBe(false);
    expect(checkShape([4, 2], ['2', '4'], true).text).toContain('4 × 2');
  });
});

describe('keys in order of weight', () => {
  const A = mat([[0.1, 0.4, 0.2, 0.3]]);

  it('is right in the order of the weights, largest first', () => {
    expect(keyOrder(A, 0)).toEqual([1, 3, 2, 0]);
    expect(checkOrder(A, tokens, 0, [1, 3, 2, 0], false).correct).toBe(true);
  });

  it('a wrong try names the first key that weighs more than the one before it', () => {
    const wrong = checkOrder(A, tokens, 0, [1, 2, 3, 0], false);
    expect(wrong.correct).toBe(false);
    expect(wrong.text).toBe('Not quite: “d” (place 3) gets more weight than “c” above it.');
    expect(checkOrder(A, tokens, 0, [1, 2, 3, 0], true).text).toContain('“b” 0.400 > “d” 0.300 > “c” 0.200 > “a” 0.100');
  });

  it('accepts tied keys either way; a key missing or repeated is not an order', () => {
    const tied = mat([[0.3, 0.3, 0.4]]);
    expect(checkOrder(tied, tokens, 0, [2, 0, 1], false).correct).toBe(true);
    expect(checkOrder(tied, tokens, 0, [2, 1, 0], false).correct).toBe(true);
    expect(checkOrder(tied, tokens, 0, [2, 2, 0], false).correct).toBe(false);
    expect(checkOrder(tied, tokens, 0, [2, 0], false).correct).toBe(false);
  });
});

describe('answers', () => {
  it('are ready to check once every field is filled or every key placed', () => {
    expect(answerReady({ kind: 'options', options: tokens }, null)).toBe(false);
    expect(answerReady({ kind: 'options', options: tokens }, 0)).toBe(true);
    expect(answerReady({ kind: 'value', hint: '' }, [' '])).toBe(false);
    expect(answerReady({ kind: 'value', hint: '' }, ['0.4'])).toBe(true);
    expect(answerReady({ kind: 'shape' }, ['4', ''])).toBe(false);
    expect(answerReady({ kind: 'shape' }, ['4', '2'])).toBe(true);
    expect(answerReady({ kind: 'order', keys: tokens }, [0, 1, 2])).toBe(false);
    expect(answerReady({ kind: 'order', keys: tokens }, [0, 1, 2, 3])).toBe(true);
  });

  it('the teacher’s answer is the engine’s, in the current language', () => {
    const result = { heads: [{ A: mat([[0.1, 0.4, 0.2, 0.3]]) }], Z: mat([[1, 2]]), out: null };
    expect(exerciseAnswer({ kind: 'shape', question: { en: '', zh: '' } }, result, tokens)).toBe('1 × 2');
    expect(exerciseAnswer({ kind: 'value', question: { en: '', zh: '' }, matrix: 'A', row: 0, col: 1 }, result, tokens)).toBe('the weight of “a” on “b” = 0.400');
    setLang('zh');
    expect(exerciseAnswer({ kind: 'value', question: { en: '', zh: '' }, matrix: 'A', row: 0, col: 1 }, result, tokens)).toBe('“a”对“b”的权重 = 0.400');
  });
});
