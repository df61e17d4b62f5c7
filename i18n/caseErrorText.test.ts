// caseErrorText: every CaseError code in English (exactly the engine's message) and in 简体中文.
import { afterEach, describe, expect, it } from 'vitest';
import { applyOverrides, buildInput, type Scenario } from '../engine/scenario.ts';
import type { AttentionInput, Matrix } from '../engine/types.ts';
import { LIMITS, checkInput, parseCase, parseCaseFile } from '../engine/validate.ts';
import { CaseError, nonFiniteError, type CaseErrorCode } from '../engine/caseError.ts';
import { caseErrorText, warningText } from './caseErrorText.ts';
import { setLang } from './index.ts';
import { emptyRowsWarning } from '../engine/warnings.ts';

afterEach(() => setLang('en'));

const I = (r: number, c: number) => Array.from({ length: r }, () => new Array<number>(c).fill(1));
const m = (rows: number, cols: number): Matrix => ({ rows, cols, data: new Float64Array(rows * cols) });
const head = (d: number, k: number) => ({ Wq: m(d, k), Wk: m(d, k), Wv: m(d, k) });
const input = (over: Partial<AttentionInput> = {}): AttentionInput => ({
  X: m(2, 2),
  heads: [head(2, 1)],
  Wo: null,
  scale: null,
  causal: false,
  keyWeights: null,
  ...over,
});
const scenario = (over: Partial<Scenario> = {}): Scenario => ({
  tokens: ['a', 'b'],
  mechanism: 'multi',
  convention: 'standard',
  seed: 1,
  d: 4,
  h: 2,
  dk: null,
  causal: false,
  keyWeights: [],
  padding: [],
  overrides: {},
  ...over,
});
const good = () => ({ X: I(2, 2), heads: [{ Wq: I(2, 1), Wk: I(2, 1), Wv: I(2, 1) }] });

function errorOf(f: () => unknown): CaseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CaseError);
    return e as CaseError;
  }
  throw new Error('expected a CaseError');
}

/** One or more examples per code: how to provoke it, and the expected 中文 text. */
const EXAMPLES: Record<CaseErrorCode, [() => unknown, string][]> = {
  'not-object': [[() => parseCase('nope'), '案例：应为包含 X 和 heads 的 JSON 对象，实际为 字符串 "nope"']],
  'not-input': [[() => checkInput(null as unknown as AttentionInput), '案例：应为 AttentionInput，实际为 null']],
  'missing-matrix': [[() => parseCase({ heads: [] }), 'X：缺失（应为矩阵，即由行组成的数组）']],
  'not-matrix': [[() => parseCase({ X: 5 }), 'X：应为由行组成的数组（矩阵），实际为 5']],
  'no-rows': [[() => parseCase({ X: [] }), 'X：应至少有一行，实际为空数组']],
  'not-row': [
    [() => parseCase({ X: [1] }), 'X[0]：应为数字数组（一行），实际为 1'],
    [() => parseCase({ X: [[1], { a: 1 }] }), 'X[1]：应为数字数组（一行），实际为 一个对象'],
  ],
  'empty-row': [[() => parseCase({ X: [[]] }), 'X[0]：应至少有一个数字，实际为空行']],
  ragged: [
    [() => parseCase({ X: [[1, 2], [1]] }), 'X[1]：应有 2 个数字，实际有 1 个'],
    [() => parseCase({ X: [[1], [1, 2]] }), 'X[1]：应有 1 个数字，实际有 2 个'],
  ],
  'not-number': [
    [() => parseCase({ X: [[1, null]] }), 'X[0][1]：应为有限数字，实际为 null'],
    [() => parseCase({ X: [[1, undefined]] }), 'X[0][1]：应为有限数字，实际为 空（未给出）'],
    [() => parseCase({ X: [[1, 'a very long string that goes on and on']] }), 'X[0][1]：应为有限数字，实际为 字符串 "a very long string that …"'],
    [() => applyOverrides(input(), { 'X[0][0]': NaN }), 'X[0][0]：应为有限数字，实际为 NaN'],
  ],
  'not-weight': [
    [() => parseCase({ ...good(), keyWeights: [1, -1] }), 'keyWeights[1]：应为 ≥ 0 的有限数字，实际为 -1'],
    [() => buildInput(scenario({ mechanism: 'weighted', keyWeights: [Infinity] })), 'keyWeights[0]：应为 ≥ 0 的有限数字，实际为 Infinity'],
    [() => checkInput(input({ keyWeights: new Float64Array([1, -2]) })), 'keyWeights[1]：应为 ≥ 0 的有限数字，实际为 -2'],
  ],
  shape: [
    [() => checkInput(input({ heads: [{ ...head(2, 1), Wk: m(2, 2) }] })), 'heads[0].Wk：形状应为 2×1，实际为 2×2'],
    [() => parseCase({ X: I(1, 2), heads: [{ Wq: I(1, 1), Wk: I(1, 1), Wv: I(1, 1) }] }), 'heads[0].Wq：形状应为 2×1，实际为 1×1（行数必须等于 X 的宽度 d = 2）'],
    [
      () => parseCase({ X: I(1, 2), heads: [{ Wq: I(2, 1), Wk: I(2, 1), Wv: I(2, 1) }, { Wq: I(2, 2), Wk: I(2, 1), Wv: I(2, 1) }] }),
      'heads[1].Wq：形状应为 2×1，实际为 2×2（每个头都有 d 行，列数等于 heads[0].Wq 的 d_k）',
    ],
    [() => parseCase({ X: I(1, 2), heads: [{ Wq: I(2, 1), Wk: I(2, 3), Wv: I(2, 1) }] }), 'heads[0].Wk：形状应为 2×1，实际为 2×3（Wk 的形状必须与 Wq 相同）'],
    [() => parseCase({ X: I(1, 2), heads: [{ Wq: I(2, 1), Wk: I(2, 1), Wv: I(3, 1) }] }), 'heads[0].Wv：形状应为 2×1，实际为 3×1（行数必须等于 X 的宽度 d = 2）'],
    [
      () => parseCase({ X: I(1, 2), heads: [{ Wq: I(2, 1), Wk: I(2, 1), Wv: I(2, 1) }, { Wq: I(2, 1), Wk: I(2, 1), Wv: I(2, 3) }] }),
      'heads[1].Wv：形状应为 2×1，实际为 2×3（每个头都有 d 行，列数等于 heads[0].Wv 的 d_v）',
    ],
    [() => parseCase({ ...good(), Wo: I(3, 2) }), 'Wo：形状应为 1×2，实际为 3×2（行数必须等于 h·d_v = 1·1 = 1）'],
  ],
  'matrix-too-large': [
    [() => parseCase({ X: [new Array<number>(LIMITS.maxMatrixElements + 1).fill(0)] }), `X：太大：1×16777217 超出了每个矩阵 ${LIMITS.maxMatrixElements} 个数字的上限`],
  ],
  'too-many-tokens': [[() => parseCase({ X: I(LIMITS.maxTokens + 1, 1) }), `X：词元太多：n = 4097 超出了上限 ${LIMITS.maxTokens}`]],
  'too-many-heads': [[() => parseCase({ X: I(1, 1), heads: I(LIMITS.maxHeads + 1, 1) }), `heads：头太多：257 个超出了上限 ${LIMITS.maxHeads}`]],
  'too-many-scores': [
    [
      () => parseCase({ X: I(2048, 1), heads: I(9, 1) }),
      `heads：太大：h·n² = 9·2048² = 37748736 个注意力分数，超出了上限 ${LIMITS.maxScoreElements}`,
    ],
  ],
  'missing-heads': [[() => parseCase({ X: I(1, 1) }), 'heads：缺失（应为头的列表 {Wq, Wk, Wv}）']],
  'not-heads': [[() => parseCase({ X: I(1, 1), heads: {} }), 'heads：应为头的列表 {Wq, Wk, Wv}，实际为 一个对象']],
  'no-heads': [[() => parseCase({ X: I(1, 1), heads: [] }), 'heads：应至少有一个头，实际为空数组']],
  'heads-required': [[() => checkInput(input({ heads: [] })), 'heads：应至少有一个头']],
  'not-head': [[() => parseCase({ X: I(1, 1), heads: [[1, 2]] }), 'heads[0]：应为对象 {Wq, Wk, Wv}，实际为 含 2 项的数组']],
  scale: [
    [() => parseCase({ ...good(), scale: true }), 'scale：应为正的有限数字或 null，实际为 true'],
    [() => checkInput(input({ scale: 0 })), 'scale：应为正的有限数字或 null，实际为 0'],
  ],
  'not-boolean': [
    [() => parseCase({ ...good(), causal: [] }), 'causal：应为 true 或 false，实际为 空数组'],
    [() => checkInput(input({ causal: 1 as unknown as boolean })), 'causal：应为 true 或 false，实际为 1'],
  ],
  'not-weights': [[() => parseCase({ ...good(), keyWeights: 3 }), 'keyWeights：应为含 2 个数字的数组（X 的每一行一个）或 null，实际为 3']],
  'weights-length': [
    [() => parseCase({ ...good(), keyWeights: [1] }), 'keyWeights：应有 2 个数字（X 的每一行一个），实际有 1 个'],
    [() => checkInput(input({ keyWeights: new Float64Array(3) })), 'keyWeights：应有 2 个数字（X 的每一行一个），实际有 3 个'],
  ],
  'not-typed-matrix': [[() => checkInput(input({ X: [[1]] as unknown as Matrix })), 'X：应为矩阵 {rows, cols, data}，实际为 含 1 项的数组']],
  'empty-matrix': [[() => checkInput(input({ X: m(0, 2) })), 'X：应为非空矩阵，实际为 0×2']],
  'data-length': [[() => checkInput(input({ X: { rows: 1, cols: 2, data: new Float64Array(3) } })), 'X：data 有 3 个数字，应为 1·2 = 2 个']],
  'not-positive-int': [[() => buildInput(scenario({ d: 0 })), 'd：应为正整数，实际为 0']],
  'not-whole': [[() => checkInput(input({ positionOffset: -1 })), 'positionOffset：应为大于等于 0 的整数，实际为 -1']],
  'not-divisible': [[() => buildInput(scenario({ d: 5 })), 'h：d = 5 不能被 h = 2 整除：请选择能整除 d 的 h，或明确设定 d_k']],
  'no-tokens': [[() => buildInput(scenario({ tokens: [] })), 'tokens：应至少有一个词元，实际一个也没有']],
  seed: [[() => buildInput(scenario({ seed: NaN })), 'seed：应为数字，实际为 NaN']],
  'unknown-path': [[() => applyOverrides(input(), { 'Y[0][0]': 1 }), 'Y[0][0]：未知路径：应为 X[i][j]、heads[k].Wq[i][j]（或 Wk、Wv）或 Wo[i][j]']],
  'no-wo': [[() => applyOverrides(input(), { 'Wo[0][0]': 1 }), 'Wo[0][0]：当前配置中没有 Wo']],
  'window-needs-causal': [[() => checkInput(input({ window: 2 })), 'window：局部注意力窗口需要因果注意力（causal 为 false）']],
  'head-out-of-range': [
    [() => applyOverrides(input(), { 'heads[1].Wq[0][0]': 1 }), 'heads[1].Wq[0][0]：超出范围：只有 1 个头'],
    [() => applyOverrides(input({ heads: [head(2, 1), head(2, 1)] }), { 'heads[5].Wv[0][0]': 1 }), 'heads[5].Wv[0][0]：超出范围：只有 2 个头'],
  ],
  'cell-out-of-range': [[() => applyOverrides(input(), { 'heads[0].Wk[2][0]': 1 }), 'heads[0].Wk[2][0]：超出范围：heads[0].Wk 的形状是 2×1']],
  'float32-overflow': [
    [() => parseCase({ ...good(), X: [[1, 1e39], [1, 1]] }), 'X[0][1]：应为 ±3.4e38 以内的数字（float32），实际为 1e+39'],
    [() => parseCase({ ...good(), scale: 1e300 }), 'scale：应为 ±3.4e38 以内的数字（float32），实际为 1e+300'],
    [() => applyOverrides(input(), { 'X[1][0]': -5e38 }), 'X[1][0]：应为 ±3.4e38 以内的数字（float32），实际为 -5e+38'],
  ],
  'non-finite': [
    [
      () => {
        throw nonFiniteError('heads[0].scores', { rows: 2, cols: 2, data: Float32Array.of(1, 2, Infinity, 0) }, 2);
      },
      'heads[0].scores：在 [1][0] 处不是有限数（Infinity）：数值超出 float32 的范围',
    ],
  ],
};

describe('caseErrorText', () => {
  for (const [code, examples] of Object.entries(EXAMPLES)) {
    it(`${code}: English is the engine's message, 中文 is translated`, () => {
      for (const [provoke, zh] of examples) {
        const err = errorOf(provoke);
        expect(err.code).toBe(code);
        setLang('en');
        expect(caseErrorText(err)).toBe(err.message);
        setLang('zh');
        expect(caseErrorText(err)).toBe(zh);
        // The plain data the compute worker posts back reads the same.
        expect(caseErrorText(structuredClone(err.toData()))).toBe(zh);
      }
    });
  }

  it('names the case of an array file', () => {
    const bad = { ...good(), heads: [{ Wq: I(2, 1), Wk: I(2, 2), Wv: I(2, 1) }] };
    const inArray = errorOf(() => parseCaseFile([good(), good(), good(), bad]));
    const whole = errorOf(() => parseCaseFile([good(), 'nope']));
    expect(caseErrorText(inArray)).toBe(inArray.message);
    expect(caseErrorText(whole)).toBe(whole.message);
    setLang('zh');
    expect(caseErrorText(inArray)).toBe('案例 3：heads[0].Wk：形状应为 2×1，实际为 2×2（Wk 的形状必须与 Wq 相同）');
    expect(caseErrorText(whole)).toBe('案例 1：应为包含 X 和 heads 的 JSON 对象，实际为 字符串 "nope"');
  });

  it('speaks a given language whatever the current one (embedded widgets)', () => {
    const err = errorOf(() => parseCase({ X: [[1, null]] }));
    expect(caseErrorText(err, 'zh')).toBe('X[0][1]：应为有限数字，实际为 null');
    setLang('zh');
    expect(caseErrorText(err, 'en')).toBe(err.message);
  });

  it('passes other errors through', () => {
    setLang('zh');
    expect(caseErrorText(new RangeError('boom'))).toBe('boom');
    expect(caseErrorText('text')).toBe('text');
  });
});

describe('warningText', () => {
  it('words the empty-rows warning like the engine in English, and in 中文', () => {
    for (const rows of [[3], [0, 2], Array.from({ length: 14 }, (_, i) => i)]) {
      const w = emptyRowsWarning(rows);
      expect(warningText(w)).toBe(w.message);
    }
    setLang('zh');
    expect(warningText(emptyRowsWarning([3]))).toBe('查询行 3 没有可用的键（每个键都已遮蔽或已排除）：它在 A 和 Z 中的行全为零。');
    expect(warningText(emptyRowsWarning(Array.from({ length: 13 }, (_, i) => i)))).toContain('0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11，…（共 13 行）');
  });
});
