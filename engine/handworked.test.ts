// Hand-worked cases (n = 1…4): inputs chosen so that Q, K, V and the scores are small exact numbers;
// the expected A and Z are written out below from Math.exp of literal numbers. Every case is checked
// against both the float64 reference and the tfjs engine (wasm).
import { describe, it, expect, beforeAll } from 'vitest';
import { referenceAttention } from './reference.ts';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import type { AttentionInput, AttentionResult } from './types.ts';
import { caseInput, expectMatrixClose } from './test-utils.ts';

const E = Math.exp;

/** Normalises a list of w_j·exp(…) terms into a row of A. */
const norm = (terms: number[]) => {
  const s = terms.reduce((a, b) => a + b, 0);
  return terms.map((t) => t / s);
};
/** z_i = Σ_j A_ij v_j. */
const mix = (a: number[], V: number[][]) => V[0].map((_, t) => a.reduce((s, aij, j) => s + aij * V[j][t], 0));

// Shared X and weights of cases 1–4 (n = 3, d = 4, d_k = 4, d_v = 2):
//   X = [1 1 0 0; 0 1 1 0; 0 0 1 1], Wq = Wk = I₄  ⇒  Q = K = X.
//   Wv = [1 0; 0 1; 1 1; 2 0]  ⇒  V = [x0·Wv, x1·Wv, x2·Wv] = [[1,1], [1,2], [3,1]].
//   Q·Kᵀ = [[2,1,0], [1,2,1], [0,1,2]] (x_i·x_j); scale 1/√4 = 1/2  ⇒  S = [[1,.5,0], [.5,1,.5], [0,.5,1]].
const I4 = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const X3 = [
  [1, 1, 0, 0],
  [0, 1, 1, 0],
  [0, 0, 1, 1],
];
const Wv3 = [
  [1, 0],
  [0, 1],
  [1, 1],
  [2, 0],
];
const V3 = [
  [1, 1],
  [1, 2],
  [3, 1],
];
const S3 = [
  [1, 0.5, 0],
  [0.5, 1, 0.5],
  [0, 0.5, 1],
];

interface HandCase {
  name: string;
  input: AttentionInput;
  heads: { Q?: number[][]; K?: number[][]; V?: number[][]; scores: number[][]; A: number[][]; Z: number[][] }[];
  Z: number[][];
  out: number[][] | null;
  emptyRows: number[];
  scale: number;
}

const cases: HandCase[] = [];

{
  // 1. Self-attention, default scale 1/√d_k = 1/2. Row i: m_i = 1 (the diagonal), A_i = softmax(S_i).
  //    Row 0: exp(1−1), exp(.5−1), exp(0−1) = 1, e^−.5, e^−1.  Row 1: e^−.5, 1, e^−.5.  Row 2: e^−1, e^−.5, 1.
  const A = [norm([E(0), E(-0.5), E(-1)]), norm([E(-0.5), E(0), E(-0.5)]), norm([E(-1), E(-0.5), E(0)])];
  const Z = A.map((a) => mix(a, V3));
  cases.push({
    name: 'self-attention (n=3, d=4, default scale)',
    input: caseInput({ X: X3, heads: [{ Wq: I4, Wk: I4, Wv: Wv3 }] }),
    heads: [{ Q: X3, K: X3, V: V3, scores: S3, A, Z }],
    Z,
    out: null,
    emptyRows: [],
    scale: 0.5,
  });
}
{
  // 2. Weighted attention, w = [2, 1, 0]: key 2 is excluded; m_i is the max over keys 0 and 1 only.
  //    Row 0: S = [1, .5, 0], m = 1:  [2·e^0, 1·e^−.5, 0].
  //    Row 1: S = [.5, 1, .5], m = 1: [2·e^−.5, 1·e^0, 0].
  //    Row 2: S = [0, .5, 1], m = .5 (not 1: key 2 is not admissible): [2·e^−.5, 1·e^0, 0].
  const A = [norm([2 * E(0), E(-0.5), 0]), norm([2 * E(-0.5), E(0), 0]), norm([2 * E(-0.5), E(0), 0])];
  cases.push({
    name: 'weighted attention (w = [2, 1, 0])',
    input: caseInput({ X: X3, heads: [{ Wq: I4, Wk: I4, Wv: Wv3 }], keyWeights: [2, 1, 0] }),
    heads: [{ scores: S3, A, Z: A.map((a) => mix(a, V3)) }],
    Z: A.map((a) => mix(a, V3)),
    out: null,
    emptyRows: [],
    scale: 0.5,
  });
}
{
  // 3. Causal mask: row i sees keys 0…i.
  //    Row 0: [1, 0, 0].  Row 1: S = [.5, 1], m = 1: [e^−.5, 1].  Row 2: S = [0, .5, 1], m = 1: [e^−1, e^−.5, 1].
  const A = [[1, 0, 0], [...norm([E(-0.5), E(0)]), 0], norm([E(-1), E(-0.5), E(0)])];
  cases.push({
    name: 'causal mask',
    input: caseInput({ X: X3, heads: [{ Wq: I4, Wk: I4, Wv: Wv3 }], causal: true }),
    heads: [{ scores: S3, A, Z: A.map((a) => mix(a, V3)) }],
    Z: A.map((a) => mix(a, V3)),
    out: null,
    emptyRows: [],
    scale: 0.5,
  });
}
{
  // 4. Causal + padding of token 0 (w = [0, 1, 1]): row 0 has no admissible key → zeros and a warning.
  //    Row 1: only key 1 → [0, 1, 0], z_1 = v_1 = [1, 2].  Row 2: keys 1, 2, S = [.5, 1], m = 1: [0, e^−.5, 1].
  const A = [[0, 0, 0], [0, 1, 0], [0, ...norm([E(-0.5), E(0)])]];
  cases.push({
    name: 'causal + padded first token (empty row)',
    input: caseInput({ X: X3, heads: [{ Wq: I4, Wk: I4, Wv: Wv3 }], causal: true, keyWeights: [0, 1, 1] }),
    heads: [{ scores: S3, A, Z: [[0, 0], [1, 2], mix(A[2], V3)] }],
    Z: [[0, 0], [1, 2], mix(A[2], V3)],
    out: null,
    emptyRows: [0],
    scale: 0.5,
  });
}
{
  // 5. Custom scale 2 with d_k = 2 ≠ d_v = 3 (n = 2, d = 2):
  //    X = [1 0; 1 1], Wq = I, Wk = [0 1; 1 0] (swap) ⇒ Q = X, K = [[0,1], [1,1]].
  //    Q·Kᵀ = [[0, 1], [1, 2]], S = 2·QKᵀ = [[0, 2], [2, 4]].
  //    Row 0: m = 2: [e^−2, 1].  Row 1: m = 4: [e^−2, 1].
  //    Wv = [1 0 2; 0 1 0] ⇒ V = [[1,0,2], [1,1,2]].
  const V = [
    [1, 0, 2],
    [1, 1, 2],
  ];
  const A = [norm([E(-2), E(0)]), norm([E(-2), E(0)])];
  cases.push({
    name: 'custom scale 2, d_k = 2 ≠ d_v = 3',
    input: caseInput({
      X: [
        [1, 0],
        [1, 1],
      ],
      heads: [
        {
          Wq: [
            [1, 0],
            [0, 1],
          ],
          Wk: [
            [0, 1],
            [1, 0],
          ],
          Wv: [
            [1, 0, 2],
            [0, 1, 0],
          ],
        },
      ],
      scale: 2,
    }),
    heads: [
      {
        Q: [
          [1, 0],
          [1, 1],
        ],
        K: [
          [0, 1],
          [1, 1],
        ],
        V,
        scores: [
          [0, 2],
          [2, 4],
        ],
        A,
        Z: A.map((a) => mix(a, V)),
      },
    ],
    Z: A.map((a) => mix(a, V)),
    out: null,
    emptyRows: [],
    scale: 2,
  });
}
{
  // 6. Multi-head, the article's convention: h = 2 heads of d×d (d = 2), scale 1/√d, Z = [Z₀ | Z₁] (n×d·h), no W^O.
  //    X = I₂.  c = 1/√2.
  //    Head 0: Wq = Wk = I ⇒ Q·Kᵀ = I, S = [[c,0],[0,c]]. Row 0: [1, e^−c]; row 1: [e^−c, 1]. Wv = [1 2; 3 4] = V.
  //    Head 1: Wq = [0 1; 1 0] ⇒ Q = swap, K = I ⇒ S = [[0,c],[c,0]]. Row 0: [e^−c, 1]; row 1: [1, e^−c]. Wv = swap = V.
  const c = 1 / Math.sqrt(2);
  const V0 = [
    [1, 2],
    [3, 4],
  ];
  const V1 = [
    [0, 1],
    [1, 0],
  ];
  const A0 = [norm([E(0), E(-c)]), norm([E(-c), E(0)])];
  const A1 = [norm([E(-c), E(0)]), norm([E(0), E(-c)])];
  const Z0 = A0.map((a) => mix(a, V0));
  const Z1 = A1.map((a) => mix(a, V1));
  const I2 = [
    [1, 0],
    [0, 1],
  ];
  const swap = [
    [0, 1],
    [1, 0],
  ];
  cases.push({
    name: "multi-head, article's convention (h = 2, Z is n×d·h)",
    input: caseInput({ X: I2, heads: [{ Wq: I2, Wk: I2, Wv: V0 }, { Wq: swap, Wk: I2, Wv: V1 }], scale: c }),
    heads: [
      { scores: [[c, 0], [0, c]], A: A0, Z: Z0 },
      { scores: [[0, c], [c, 0]], A: A1, Z: Z1 },
    ],
    Z: [
      [...Z0[0], ...Z1[0]],
      [...Z0[1], ...Z1[1]],
    ],
    out: null,
    emptyRows: [],
    scale: c,
  });
}
{
  // 7. Multi-head, standard convention: h = 2, d_k = d_v = d/h = 1, scale 1/√1 = 1, W^O (2×2).
  //    X = I₂ (n = 2, d = 2).
  //    Head 0: Wq = Wk = Wv = [1; 0] ⇒ Q = K = V = [[1],[0]]; S = [[1,0],[0,0]].
  //      Row 0: m = 1: [1, e^−1] ⇒ z = A₀₀·1.  Row 1: [1, 1]/2 ⇒ z = 1/2.
  //    Head 1: Wq = [0; 1], Wk = [0; 2], Wv = [0; 3] ⇒ Q = [[0],[1]], K = [[0],[2]], V = [[0],[3]]; S = [[0,0],[0,2]].
  //      Row 0: [1, 1]/2 ⇒ z = 3/2.  Row 1: m = 2: [e^−2, 1] ⇒ z = 3·A₁₁.
  //    W^O = [1 1; 0 2] ⇒ out_i = [z_i0, z_i0 + 2·z_i1].
  const A0 = [norm([E(0), E(-1)]), [0.5, 0.5]];
  const A1 = [[0.5, 0.5], norm([E(-2), E(0)])];
  const Z0 = [[A0[0][0]], [0.5]];
  const Z1 = [[1.5], [3 * A1[1][1]]];
  const Z = [
    [Z0[0][0], Z1[0][0]],
    [Z0[1][0], Z1[1][0]],
  ];
  cases.push({
    name: 'multi-head, standard convention (d_k = 1, W^O)',
    input: caseInput({
      X: [
        [1, 0],
        [0, 1],
      ],
      heads: [
        { Wq: [[1], [0]], Wk: [[1], [0]], Wv: [[1], [0]] },
        { Wq: [[0], [1]], Wk: [[0], [2]], Wv: [[0], [3]] },
      ],
      Wo: [
        [1, 1],
        [0, 2],
      ],
    }),
    heads: [
      { Q: [[1], [0]], K: [[1], [0]], V: [[1], [0]], scores: [[1, 0], [0, 0]], A: A0, Z: Z0 },
      { Q: [[0], [1]], K: [[0], [2]], V: [[0], [3]], scores: [[0, 0], [0, 2]], A: A1, Z: Z1 },
    ],
    Z,
    out: Z.map(([a, b]) => [a, a + 2 * b]),
    emptyRows: [],
    scale: 1,
  });
}
{
  // 8. n = 1: the only key gets all the attention (A = [[1]]) and z_0 = v_0 = x_0·Wv = [2·1 + 3·(−1)] = [−1].
  cases.push({
    name: 'n = 1',
    input: caseInput({ X: [[2, 3]], heads: [{ Wq: [[1], [1]], Wk: [[1], [0]], Wv: [[1], [-1]] }] }),
    heads: [{ Q: [[5]], K: [[2]], V: [[-1]], scores: [[10]], A: [[1]], Z: [[-1]] }],
    Z: [[-1]],
    out: null,
    emptyRows: [],
    scale: 1,
  });
}
{
  // 9. Scores of ±1000 (scale 1, d = 1, Wk = [1]): X = [1; 0.999; −1], Wq = [1000] ⇒ q = [1000, 999, −1000], k = x.
  //    S_ij = q_i·k_j:  row 0 = [1000, 999, −1000]  → m = 1000: [1, e^−1, e^−2000 = 0].
  //                     row 1 = [999, 998.001, −999] → m = 999: [1, e^−0.999, 0].
  //                     row 2 = [−1000, −999, 1000]  → m = 1000: [0, 0, 1].
  //    A naive softmax overflows (e^1000 = ∞); a stable one must give these finite values.
  //    Wv = [2] ⇒ V = [2, 1.998, −2].
  const V = [[2], [1.998], [-2]];
  const A = [norm([E(0), E(-1), E(-2000)]), norm([E(0), E(998.001 - 999), E(-999 - 999)]), [0, 0, 1]];
  cases.push({
    name: 'scores of ±1000 stay finite and correct',
    input: caseInput({ X: [[1], [0.999], [-1]], heads: [{ Wq: [[1000]], Wk: [[1]], Wv: [[2]] }], scale: 1 }),
    heads: [
      {
        scores: [
          [1000, 999, -1000],
          [999, 998.001, -999],
          [-1000, -999, 1000],
        ],
        A,
        Z: A.map((a) => mix(a, V)),
      },
    ],
    Z: A.map((a) => mix(a, V)),
    out: null,
    emptyRows: [],
    scale: 1,
  });
}
{
  // 10. All scores −1000 (every row uniform): exp(−1000) underflows to 0 without the max shift.
  cases.push({
    name: 'all scores −1000: uniform rows',
    input: caseInput({ X: [[1], [1]], heads: [{ Wq: [[1000]], Wk: [[-1]], Wv: [[4]] }], scale: 1 }),
    heads: [{ scores: [[-1000, -1000], [-1000, -1000]], A: [[0.5, 0.5], [0.5, 0.5]], Z: [[4], [4]] }],
    Z: [[4], [4]],
    out: null,
    emptyRows: [],
    scale: 1,
  });
}
{
  // 11. All key weights 0 (n = 2): no admissible key anywhere → A = 0, Z = 0, out = 0, warning on rows 0 and 1.
  cases.push({
    name: 'all-zero key weights',
    input: caseInput({
      X: [[1], [2]],
      heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }],
      Wo: [[3, 4]],
      keyWeights: [0, 0],
    }),
    heads: [{ scores: [[1, 2], [2, 4]], A: [[0, 0], [0, 0]], Z: [[0], [0]] }],
    Z: [[0], [0]],
    out: [
      [0, 0],
      [0, 0],
    ],
    emptyRows: [0, 1],
    scale: 1,
  });
}

function check(got: AttentionResult, c: HandCase, tol: number): void {
  expect(got.scale).toBeCloseTo(c.scale, 12);
  c.heads.forEach((h, k) => {
    const g = got.heads[k];
    if (h.Q) expectMatrixClose(g.Q, h.Q, `heads[${k}].Q`, tol, tol);
    if (h.K) expectMatrixClose(g.K, h.K, `heads[${k}].K`, tol, tol);
    if (h.V) expectMatrixClose(g.V, h.V, `heads[${k}].V`, tol, tol);
    expectMatrixClose(g.scores, h.scores, `heads[${k}].scores`, tol, tol);
    expectMatrixClose(g.A, h.A, `heads[${k}].A`, tol, tol);
    expectMatrixClose(g.Z, h.Z, `heads[${k}].Z`, tol, tol);
    for (const key of ['scores', 'A', 'Z'] as const) expect(g[key].data.every(Number.isFinite)).toBe(true);
  });
  expect(got.heads.length).toBe(c.heads.length);
  expectMatrixClose(got.Z, c.Z, 'Z', tol, tol);
  if (c.out === null) expect(got.out).toBeNull();
  else expectMatrixClose(got.out!, c.out, 'out', tol, tol);
  if (c.emptyRows.length === 0) expect(got.warnings).toEqual([]);
  else {
    expect(got.warnings).toHaveLength(1);
    expect(got.warnings[0].code).toBe('empty-rows');
    expect(got.warnings[0].rows).toEqual(c.emptyRows);
    expect(got.warnings[0].message).toMatch(/no admissible key/);
  }
}

describe('hand-worked cases: float64 reference', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = referenceAttention(c.input);
      expect(r.backend).toBe('reference');
      expect(r.heads[0].A.data).toBeInstanceOf(Float64Array);
      check(r, c, 1e-12);
    });
  }
});

for (const strategy of ['per-head', 'batched'] as const) {
  describe(`hand-worked cases: tfjs engine (wasm, ${strategy} graph)`, () => {
    beforeAll(async () => {
      expect(await initBackend('wasm')).toBe('wasm');
    });
    for (const c of cases) {
      it(c.name, async () => {
        const r = await computeAttention(c.input, { strategy });
        expect(r.backend).toBe('wasm');
        for (const h of r.heads) for (const m of [h.Q, h.K, h.V, h.scores, h.A, h.Z]) expect(m.data).toBeInstanceOf(Float32Array);
        // float32 against exact values: |got − want| ≤ 1e-4 + 1e-4·|want|
        check(r, c, 1e-4);
      });
    }
  });
}
