// Causal local attention (AttentionInput.window, GPT-Neo's local layers): the tfjs engine in both graph
// layouts against the float64 reference, a case worked by hand, the band's exact zeros, and that a
// window as wide as the input is plain causal attention bit for bit.
import { describe, it, expect, beforeAll } from 'vitest';
import { computeAttention } from './attention.ts';
import { referenceAttention } from './reference.ts';
import { explainCell } from './explain.ts';
import { initBackend } from './backend.ts';
import { gaussians } from './seeded.ts';
import { CaseError } from './caseError.ts';
import { checkInput } from './validate.ts';
import type { AttentionInput, AttentionResult } from './types.ts';
import { caseInput, expectMatrixClose, expectResultsClose, randomInput, rowOf } from './test-utils.ts';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

const STRATEGIES = ['per-head', 'batched'] as const;

describe('local window: engine = float64 reference', () => {
  const cases: [string, AttentionInput][] = [
    ['n 9, window 3', { ...randomInput('w1', { n: 9, d: 8, h: 3, dk: 4, causal: true, std: 3 }), window: 3 }],
    ['n 16, window 1 (each token sees itself only)', { ...randomInput('w2', { n: 16, d: 6, h: 2, dk: 3, dOut: 6, causal: true }), window: 1 }],
    ['n 12, window 5, unscaled, with W^O', { ...randomInput('w3', { n: 12, d: 8, h: 4, dk: 2, dOut: 8, causal: true, scale: 1, std: 2 }), window: 5 }],
    [
      'n 10, window 2, key weights with zeros (row 3 has no key left)',
      { ...randomInput('w4', { n: 10, d: 4, h: 2, dk: 2, causal: true, keyWeights: Float64Array.from([1, 0.5, 0, 0, 2, 1, 0, 3, 0, 1]) }), window: 2 },
    ],
  ];
  for (const [name, input] of cases) {
    for (const strategy of STRATEGIES) {
      it(`${name} (${strategy})`, async () => {
        const got = await computeAttention(input, { strategy });
        const want = referenceAttention(input);
        expectResultsClose(got, want);
        expectBand(got, input.window!);
        expectBand(want, input.window!);
      });
    }
  }

  it('with the per-head extras (biases, rotary, ablation)', async () => {
    const base = randomInput('w5', { n: 11, d: 8, h: 2, dk: 4, dOut: 8, causal: true });
    const input: AttentionInput = {
      ...base,
      heads: base.heads.map((hd, k) => ({ ...hd, bq: gaussians(`w5/bq${k}`, 4, 0.5), bk: gaussians(`w5/bk${k}`, 4, 0.5), bv: gaussians(`w5/bv${k}`, 4, 0.5) })),
      bo: gaussians('w5/bo', 8, 0.5),
      rotary: { dims: 4, theta: 10000 },
      ablate: [null, 'mean'],
      window: 4,
    };
    const got = await computeAttention(input);
    expectResultsClose(got, referenceAttention(input));
    expectBand(got, 4);
  });

  it('the band changes the result (it is not ignored)', async () => {
    const input = randomInput('w6', { n: 8, d: 4, h: 1, dk: 4, causal: true, std: 3 });
    const plain = await computeAttention(input);
    const local = await computeAttention({ ...input, window: 3 });
    expect(plain.heads[0].A.data[7 * 8]).toBeGreaterThan(0);
    expect(local.heads[0].A.data[7 * 8]).toBe(0);
  });
});

/** A[i][j] is exactly 0 outside i − window < j ≤ i, and rows with a key sum to 1. */
function expectBand(r: AttentionResult, window: number): void {
  const empty = new Set(r.warnings.flatMap((w) => w.rows));
  for (const hr of r.heads) {
    const n = hr.A.rows;
    for (let i = 0; i < n; i++) {
      const row = rowOf(hr.A, i);
      row.forEach((a, j) => {
        if (j > i || i - j >= window) expect(a, `A[${i}][${j}]`).toBe(0);
      });
      const sum = row.reduce((s, a) => s + a, 0);
      if (empty.has(i)) expect(sum).toBe(0);
      else expect(sum).toBeCloseTo(1, 6);
    }
  }
}

describe('local window worked by hand (n = 4, window 2, d = d_k = 1, scale 1)', () => {
  // X = [0, 0, 0, 1] with W^Q = W^K = W^V = [1]: every score is 0 except s₃₃ = 1. Query i sees keys i − 1 and i.
  const input: AttentionInput = { ...caseInput({ X: [[0], [0], [0], [1]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }], scale: 1, causal: true }), window: 2 };
  const e = Math.E;
  const want = [
    [1, 0, 0, 0],
    [0.5, 0.5, 0, 0],
    [0, 0.5, 0.5, 0],
    [0, 0, 1 / (1 + e), e / (1 + e)],
  ];

  for (const strategy of STRATEGIES) {
    it(`A (${strategy})`, async () => {
      const r = await computeAttention(input, { strategy });
      expectMatrixClose(r.heads[0].A, want, 'A', 1e-7, 0);
      expect(r.heads[0].A.data[2 * 4]).toBe(0);
      expect(r.heads[0].A.data[3 * 4]).toBe(0);
      expect(r.heads[0].A.data[3 * 4 + 1]).toBe(0);
      // z_i = Σ_j A_ij v_j with v = X: only z₃ is non-zero.
      expectMatrixClose(r.heads[0].Z, [[0], [0], [0], [e / (1 + e)]], 'Z', 1e-7, 0);
      expect(r.scale).toBe(1);
    });
  }

  it('the float64 reference gives the same', () => {
    expectMatrixClose(referenceAttention(input).heads[0].A, want, 'A', 1e-15, 0);
  });

  it('key weights inside the band: a zero-weight key is skipped, a row whose two keys weigh 0 is empty', async () => {
    const weighted = { ...input, keyWeights: Float64Array.from([1, 0, 0, 1]) };
    for (const strategy of STRATEGIES) {
      const r = await computeAttention(weighted, { strategy });
      // Row 1 sees keys 0, 1 (w 1, 0); row 2 keys 1, 2 (both 0: empty); row 3 keys 2, 3 (w 0, 1).
      expectMatrixClose(r.heads[0].A, [[1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]], 'A', 0, 0);
      expect(r.warnings.map((w) => w.rows)).toEqual([[2]]);
      expect(Array.from(r.heads[0].Z.data)).toEqual([0, 0, 0, 1]);
    }
    expect(referenceAttention(weighted).warnings.map((w) => w.rows)).toEqual([[2]]);
  });

  it('the Steps explanation excludes the keys outside the window, and its arithmetic gives A', async () => {
    const r = await computeAttention(input);
    const ex = explainCell(input, r, 0, 3, 3);
    expect(ex.window).toBe(2);
    expect(ex.admissible).toEqual([false, false, true, true]);
    expect(ex.rowMax).toBe(1);
    ex.exps.forEach((x, j) => expect(x / ex.expSum).toBeCloseTo(want[3][j], 7));
  });
});

describe('a window at least as wide as the input is plain causal attention, bit for bit', () => {
  for (const strategy of STRATEGIES) {
    it(strategy, async () => {
      const input = randomInput('wide', { n: 7, d: 6, h: 2, dk: 3, dOut: 6, causal: true, keyWeights: Float64Array.from([0, 1, 2, 1, 0, 1, 1]) });
      const plain = await computeAttention(input, { strategy });
      for (const window of [7, 8, 100]) {
        const wide = await computeAttention({ ...input, window }, { strategy });
        wide.heads.forEach((hr, k) => {
          for (const key of ['Q', 'K', 'V', 'scores', 'A', 'Z'] as const) expect(hr[key].data, `${window} ${k} ${key}`).toEqual(plain.heads[k][key].data);
        });
        expect(wide.out!.data).toEqual(plain.out!.data);
        expect(wide.warnings).toEqual(plain.warnings);
      }
    });
  }
});

describe('checkInput: the window', () => {
  const base = randomInput('chk', { n: 3, d: 2, h: 1, dk: 2, causal: true });
  function fieldOf(input: AttentionInput): [string, string] {
    try {
      checkInput(input);
    } catch (e) {
      expect(e).toBeInstanceOf(CaseError);
      return [(e as CaseError).field, (e as CaseError).code];
    }
    throw new Error('expected a CaseError');
  }

  it('a positive whole number', () => {
    for (const window of [0, -1, 1.5, NaN, Infinity]) expect(fieldOf({ ...base, window })).toEqual(['window', 'not-positive-int']);
    expect(() => checkInput({ ...base, window: 1 })).not.toThrow();
    expect(() => checkInput({ ...base, window: null })).not.toThrow();
  });

  it('only with causal attention', () => {
    expect(fieldOf({ ...base, causal: false, window: 2 })).toEqual(['window', 'window-needs-causal']);
    expect(() => checkInput({ ...base, causal: false, window: null })).not.toThrow();
  });
});
