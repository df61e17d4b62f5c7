// The command line: runCli directly for the many bad inputs (fast), and the real command spawned for
// a few end-to-end cases. Results are compared with the float64 reference:
// |got − want| ≤ 1e-4 + 1e-4·|want| (1e-3 absolute for scores near ±1000).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliOutput } from './cli/run.ts';
import { referenceAttention } from './reference.ts';
import { parseCase } from './validate.ts';
import { gaussians } from './seeded.ts';
import type { AttentionResult, CaseJson, ResultJson } from './types.ts';
import { isClose } from './test-utils.ts';

const ROOT = join(import.meta.dirname, '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attention-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const noStdin = async () => {
  throw new Error('stdin must not be read');
};
const run = (args: string[], stdin?: string): Promise<CliOutput> =>
  runCli(args, { readStdin: stdin === undefined ? noStdin : async () => stdin });

function rows(r: number, c: number, key: string, std = 1): number[][] {
  const g = gaussians(key, r * c, std);
  return Array.from({ length: r }, (_, i) => Array.from(g.subarray(i * c, (i + 1) * c)));
}

function randomCase(key: string, n: number, d: number, h: number, dk: number, dv = dk, o: Partial<CaseJson> & { dOut?: number } = {}): CaseJson {
  return {
    X: rows(n, d, `${key}X`),
    heads: Array.from({ length: h }, (_, k) => ({
      Wq: rows(d, dk, `${key}q${k}`, 1 / Math.sqrt(d)),
      Wk: rows(d, dk, `${key}k${k}`, 1 / Math.sqrt(d)),
      Wv: rows(d, dv, `${key}v${k}`, 1 / Math.sqrt(d)),
    })),
    Wo: o.dOut ? rows(h * dv, o.dOut, `${key}o`, 1 / Math.sqrt(h * dv)) : null,
    scale: o.scale ?? null,
    causal: o.causal ?? false,
    keyWeights: o.keyWeights ?? null,
  };
}

/** Compares a CLI result with the float64 reference of the same case JSON. */
function expectMatchesReference(got: ResultJson, c: CaseJson): void {
  const want: AttentionResult = referenceAttention(parseCase(c));
  const cmp = (g: number[][], w: { rows: number; cols: number; data: ArrayLike<number> }, label: string, scores = false) => {
    expect(g.length, label).toBe(w.rows);
    for (let i = 0; i < w.rows; i++) {
      expect(g[i].length, label).toBe(w.cols);
      for (let j = 0; j < w.cols; j++) {
        const wv = w.data[i * w.cols + j];
        const atol = scores && Math.abs(wv) > 500 ? 1e-3 : 1e-4;
        if (typeof g[i][j] !== 'number' || !isClose(g[i][j], wv, atol, 1e-4)) expect.fail(`${label}[${i}][${j}]: got ${g[i][j]}, want ${wv}`);
      }
    }
  };
  expect(got.heads).toHaveLength(want.heads.length);
  want.heads.forEach((h, k) => {
    cmp(got.heads[k].Q, h.Q, `heads[${k}].Q`);
    cmp(got.heads[k].K, h.K, `heads[${k}].K`);
    cmp(got.heads[k].V, h.V, `heads[${k}].V`);
    cmp(got.heads[k].scores, h.scores, `heads[${k}].scores`, true);
    cmp(got.heads[k].A, h.A, `heads[${k}].A`);
    cmp(got.heads[k].Z, h.Z, `heads[${k}].Z`);
  });
  cmp(got.Z, want.Z, 'Z');
  if (want.out === null) expect(got.out).toBeNull();
  else cmp(got.out!, want.out, 'out');
}

function expectBadInput(r: CliOutput | SpawnSyncReturns<string>, pattern: RegExp): void {
  const code = 'code' in r ? r.code : r.status;
  expect(code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines).toHaveLength(2); // one line + final newline
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(pattern);
}

// Edge cases the contract names: n = 1, d_k ≠ d_v, d_k = 1, all-zero key weights, scores near ±1000.
const edgeCases: [string, CaseJson][] = [
  ['n = 1', randomCase('n1', 1, 3, 2, 2, 2, { dOut: 3 })],
  ['d_k ≠ d_v', randomCase('dkdv', 5, 4, 3, 2, 5, { dOut: 2, causal: true })],
  ['d_k = 1', randomCase('dk1', 6, 3, 2, 1, 1, { keyWeights: [1, 2, 0, 1, 0.5, 3] })],
  ['all-zero key weights', randomCase('zero', 4, 3, 2, 2, 2, { keyWeights: [0, 0, 0, 0], dOut: 2 })],
  [
    'scores near ±1000',
    {
      X: [[1], [0.999], [-1], [0.5]],
      heads: [{ Wq: [[1000]], Wk: [[1]], Wv: [[2]] }],
      scale: 1,
      causal: false,
      keyWeights: null,
      Wo: null,
    },
  ],
  ['causal with padded first key', randomCase('pad', 5, 4, 2, 3, 3, { causal: true, keyWeights: [0, 1, 1, 1, 1], scale: 0.7 })],
];

describe('runCli: valid input', () => {
  for (const [name, c] of edgeCases) {
    it(`one case: ${name}`, async () => {
      const r = await run([file(`${name.replace(/\W+/g, '_')}.json`, JSON.stringify(c))]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.stdout) as ResultJson;
      expect(Array.isArray(got)).toBe(false);
      expectMatchesReference(got, c);
    });
  }

  it('an array file gives an array of results in the same order', async () => {
    const cs = edgeCases.map(([, c]) => c);
    const r = await run([file('array.json', JSON.stringify(cs))]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as ResultJson[];
    expect(got).toHaveLength(cs.length);
    got.forEach((g, k) => expectMatchesReference(g, cs[k]));
  });

  it('"-" reads stdin; Wo, scale, causal, keyWeights may be absent', async () => {
    const c = { X: [[1, 2], [3, 4]], heads: [{ Wq: [[1], [0]], Wk: [[0], [1]], Wv: [[1], [1]] }] };
    const r = await run(['-'], JSON.stringify(c));
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as ResultJson;
    expect(got.out).toBeNull();
    expectMatchesReference(got, c as CaseJson);
  });

  it('an empty array gives an empty array', async () => {
    const r = await run(['-'], '[]');
    expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('runCli: bad input → exit 2, one stderr line, nothing on stdout', () => {
  const valid = randomCase('v', 3, 4, 2, 2, 2, { dOut: 4 });
  // Q = K = 1e20 are finite in float32; their product 1e40 is not.
  const overflowCase = { X: [[1], [2]], heads: [{ Wq: [[1e20]], Wk: [[1e20]], Wv: [[1]] }], scale: 1 };
  const bad: [string, () => Promise<CliOutput>, RegExp][] = [
    ['no argument', () => run([]), /^no FILE argument; usage: attention FILE/],
    ['two arguments', () => run(['a.json', 'b.json']), /^expected one FILE argument, got 2/],
    ['missing file', () => run([join(dir, 'nope.json')]), /nope\.json: cannot read: no such file$/],
    ['a directory', () => run([dir]), /: cannot read: is a directory$/],
    ['bad JSON', () => run([file('bad.json', '{"X": [[1, 2]')]), /^.*bad\.json: invalid JSON: /],
    ['empty file', () => run([file('empty.json', '')]), /empty\.json: invalid JSON: empty input$/],
    ['bad JSON on stdin', () => run(['-'], 'nope'), /^stdin: invalid JSON: /],
    ['NaN literal is not JSON', () => run(['-'], '{"X": [[NaN]], "heads": []}'), /^stdin: invalid JSON: /],
    ['not an object', () => run(['-'], '42'), /^case: expected a JSON object with X and heads, got 42$/],
    ['missing X', () => run(['-'], JSON.stringify({ heads: valid.heads })), /^X: missing/],
    ['ragged X', () => run(['-'], JSON.stringify({ ...valid, X: [[1, 2, 3, 4], [1, 2, 3]] })), /^X\[1\]: expected 4 numbers, got 3$/],
    ['null in X', () => run(['-'], JSON.stringify({ ...valid, X: [[1, 2, 3, 4], [null, 2, 3, 4], [1, 2, 3, 4]] })), /^X\[1\]\[0\]: expected a finite number, got null$/],
    ['string in X', () => run(['-'], '{"X": [["1"]], "heads": [{"Wq": [[1]], "Wk": [[1]], "Wv": [[1]]}]}'), /^X\[0\]\[0\]: expected a finite number, got the string "1"$/],
    ['1e999 (Infinity) in X', () => run(['-'], '{"X": [[1e999]], "heads": [{"Wq": [[1]], "Wk": [[1]], "Wv": [[1]]}]}'), /^X\[0\]\[0\]: expected a finite number, got Infinity$/],
    ['no heads', () => run(['-'], JSON.stringify({ ...valid, heads: [] })), /^heads: expected at least one head, got an empty array$/],
    [
      'Wk of the wrong shape',
      () => run(['-'], JSON.stringify({ ...valid, heads: [valid.heads[0], { ...valid.heads[1], Wk: rows(4, 3, 'w') }] })),
      /^heads\[1\]\.Wk: expected 4×2, got 4×3/,
    ],
    ['Wo of the wrong rows', () => run(['-'], JSON.stringify({ ...valid, Wo: rows(3, 4, 'o') })), /^Wo: expected 4×4, got 3×4/],
    ['scale 0', () => run(['-'], JSON.stringify({ ...valid, scale: 0 })), /^scale: expected a positive finite number or null, got 0$/],
    ['causal "true"', () => run(['-'], JSON.stringify({ ...valid, causal: 'true' })), /^causal: expected true or false, got the string "true"$/],
    ['negative key weight', () => run(['-'], JSON.stringify({ ...valid, keyWeights: [1, -1, 1] })), /^keyWeights\[1\]: expected a finite number ≥ 0, got -1$/],
    ['key weights of the wrong length', () => run(['-'], JSON.stringify({ ...valid, keyWeights: [1] })), /^keyWeights: expected 3 numbers/],
    ['case 2 of an array', () => run(['-'], JSON.stringify([valid, valid, { ...valid, scale: -2 }])), /^case 2: scale: expected a positive finite number or null, got -2$/],
    ['case 1 of an array is not an object', () => run(['-'], JSON.stringify([valid, null])), /^case 1: expected a JSON object with X and heads, got null$/],
    [
      'case 0 of an array: bad head',
      () => run(['-'], JSON.stringify([{ ...valid, heads: [{ Wq: rows(4, 2, 'a'), Wk: rows(4, 2, 'b') }] }, valid])),
      /^case 0: heads\[0\]\.Wv: missing/,
    ],
    ['4e38 in X (beyond float32)', () => run(['-'], '{"X": [[4e38]], "heads": [{"Wq": [[1]], "Wk": [[1]], "Wv": [[1]]}]}'), /^X\[0\]\[0\]: expected a number within ±3\.4e38 \(float32\), got 4e\+38$/],
    [
      'scores that overflow float32 (no null in the output)',
      () => run(['-'], JSON.stringify(overflowCase)),
      /^heads\[0\]\.scores: not finite at \[0\]\[0\] \(Infinity\): the numbers are too large for float32$/,
    ],
    ['case 1 of an array overflows', () => run(['-'], JSON.stringify([valid, overflowCase])), /^case 1: heads\[0\]\.scores: not finite at/],
    ['too many tokens', () => run(['-'], JSON.stringify({ X: Array.from({ length: 5000 }, () => [1]), heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] })), /^X: too many tokens: n = 5000/],
  ];
  for (const [name, go, pattern] of bad) {
    it(name, async () => expectBadInput(await go(), pattern));
  }

  it('a later bad case means no output at all, even though earlier cases are valid', async () => {
    const r = await run(['-'], JSON.stringify([valid, valid, valid, { X: [[1]] }]));
    expectBadInput(r, /^case 3: heads: missing/);
  });
});

describe('the real command (spawned)', () => {
  const spawn = (args: string[], input?: string) =>
    spawnSync('npx', ['tsx', 'engine/cli/main.ts', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });

  it('n = 128 with 8 heads and W^O, via a file: agrees with the float64 reference', () => {
    const c = randomCase('big', 128, 32, 8, 8, 8, { dOut: 32, causal: true, keyWeights: Array.from({ length: 128 }, (_, j) => (j % 7 === 3 ? 0 : 1 + (j % 3))) });
    const r = spawn([file('big.json', JSON.stringify(c))]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectMatchesReference(JSON.parse(r.stdout) as ResultJson, c);
  }, 240_000);

  it('npm run --silent attention -- FILE with an array of cases', () => {
    const cs = edgeCases.map(([, c]) => c);
    const r = spawnSync('npm', ['run', '--silent', 'attention', '--', file('arr.json', JSON.stringify(cs))], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout) as ResultJson[];
    expect(got).toHaveLength(cs.length);
    got.forEach((g, k) => expectMatchesReference(g, cs[k]));
  }, 240_000);

  it('stdin with "-"', () => {
    const c = randomCase('stdin', 4, 3, 1, 3, 2, {});
    const r = spawn(['-'], JSON.stringify(c));
    expect(r.status).toBe(0);
    expectMatchesReference(JSON.parse(r.stdout) as ResultJson, c);
  }, 240_000);

  it('bad input: exit 2, one line on stderr, nothing on stdout', () => {
    const c = randomCase('bad', 3, 4, 2, 2);
    (c.heads[1] as { Wq: number[][] }).Wq = rows(4, 3, 'x');
    expectBadInput(spawn(['-'], JSON.stringify([c, c].map((x, k) => (k === 0 ? randomCase('ok', 2, 2, 1, 1) : x)))), /^case 1: heads\[1\]\.Wq: expected 4×2, got 4×3/);
    expectBadInput(spawn([]), /^no FILE argument/);
    expectBadInput(spawn([join(dir, 'missing.json')]), /cannot read: no such file$/);
  }, 240_000);
});
