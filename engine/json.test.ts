import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { inputToCaseJson, resultToJson, shortFloat32, writeResultJson } from './json.ts';
import { referenceAttention } from './reference.ts';
import { buildInput, type Scenario } from './scenario.ts';
import { parseCase } from './validate.ts';
import { toRows } from './matrix.ts';
import { computeAttention } from './attention.ts';

const scenario: Scenario = { tokens: ['x', 'y', 'z'], mechanism: 'weighted', convention: 'standard', seed: 5, d: 4, h: 1, dk: null, causal: true, keyWeights: [1, 0, 2], padding: [], overrides: {} };

describe('json', () => {
  it('inputToCaseJson → parseCase round-trips (with tokens kept aside)', () => {
    const input = buildInput(scenario);
    const json = inputToCaseJson(input, ['x', 'y', 'z']);
    expect(json.tokens).toEqual(['x', 'y', 'z']);
    expect(json.causal).toBe(true);
    expect(json.keyWeights).toEqual([1, 0, 2]);
    expect(json.Wo).toHaveLength(4);
    const back = parseCase(JSON.parse(JSON.stringify(json)));
    // float32 data is written short, and reads back as the very same float32 values
    expect(Array.from(back.X.data, Math.fround)).toEqual(Array.from(input.X.data));
    expect(Array.from(back.heads[0].Wv.data, Math.fround)).toEqual(Array.from(input.heads[0].Wv.data));
    expect(JSON.stringify(json.X).length).toBeLessThan(JSON.stringify(toRows(input.X)).length * 0.75);
    expect(back.scale).toBe(input.scale);
    expect(Array.from(back.keyWeights!)).toEqual([1, 0, 2]);
  });

  it('writeResultJson streams exactly JSON.stringify(resultToJson(result))', async () => {
    for (const input of [
      buildInput({ ...scenario, mechanism: 'multi', h: 2 }),
      parseCase({ X: [[1, 2]], heads: [{ Wq: [[1], [0]], Wk: [[1], [1]], Wv: [[0.1], [0.2]] }] }),
    ]) {
      for (const result of [await computeAttention(input), referenceAttention(input)]) {
        const pieces: string[] = [];
        writeResultJson(result, (p) => pieces.push(p));
        expect(pieces.join('')).toBe(JSON.stringify(resultToJson(result)));
        expect(pieces.length).toBeGreaterThan(10);
      }
    }
  });

  it('an exported case recomputes to exactly the same float32 result', async () => {
    const input = buildInput({ ...scenario, mechanism: 'multi', h: 2, causal: false });
    const back = parseCase(JSON.parse(JSON.stringify(inputToCaseJson(input))));
    const a = await computeAttention(input);
    const b = await computeAttention(back);
    a.heads.forEach((h, k) => expect(Array.from(b.heads[k].A.data)).toEqual(Array.from(h.A.data)));
    expect(Array.from(b.out!.data)).toEqual(Array.from(a.out!.data));
  });

  it('null Wo and null keyWeights are written as null; no tokens without tokens', () => {
    const input = parseCase({ X: [[1]], heads: [{ Wq: [[1]], Wk: [[1]], Wv: [[1]] }] });
    const json = inputToCaseJson(input);
    expect(json.Wo).toBeNull();
    expect(json.keyWeights).toBeNull();
    expect(json.scale).toBeNull();
    expect(json.causal).toBe(false);
    expect('tokens' in json).toBe(false);
  });

  it('resultToJson has the command-line format', () => {
    const input = parseCase({ X: [[1, 0], [0, 1]], heads: [{ Wq: [[1], [0]], Wk: [[1], [0]], Wv: [[1, 2], [3, 4]] }], Wo: [[1], [1]] });
    const json = resultToJson(referenceAttention(input));
    expect(Object.keys(json)).toEqual(['heads', 'Z', 'out']);
    expect(Object.keys(json.heads[0])).toEqual(['Q', 'K', 'V', 'scores', 'A', 'Z']);
    expect(json.heads[0].V).toEqual([[1, 2], [3, 4]]);
    expect(json.Z).toHaveLength(2);
    expect(json.out).toHaveLength(2);
    expect(json.out![0]).toHaveLength(1);
    const noWo = resultToJson(referenceAttention({ ...input, Wo: null }));
    expect(noWo.out).toBeNull();
    expect(JSON.parse(JSON.stringify(noWo))).toEqual(noWo);
  });
});

describe('shortFloat32', () => {
  it('gives the shortest decimal of a float32, which reads back as the same float32', () => {
    expect(shortFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortFloat32(Math.fround(1 / 3))).toBe(0.33333334);
    expect(shortFloat32(0.5)).toBe(0.5);
    expect(shortFloat32(-0)).toBe(-0);
    expect(shortFloat32(Math.fround(1e-30))).toBe(1e-30);
    expect(shortFloat32(Math.fround(123456789))).toBe(123456790);
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = shortFloat32(x);
        expect(Object.is(Math.fround(s), x)).toBe(true);
        // at most 9 significant digits
        expect(String(s).replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length).toBeLessThanOrEqual(9);
      }),
      { numRuns: 2000 },
    );
  });

  it('float32 results are written short, float64 results exactly', () => {
    const m = { rows: 1, cols: 2, data: Float32Array.of(0.1, 0.7) };
    const r = { heads: [{ Q: m, K: m, V: m, scores: m, A: m, Z: m }], Z: m, out: null, scale: 1, warnings: [], backend: 'wasm' };
    expect(resultToJson(r).Z).toEqual([[0.1, 0.7]]);
    const m64 = { rows: 1, cols: 1, data: Float64Array.of(0.1 + 0.2) };
    const r64 = { ...r, Z: m64 };
    expect(resultToJson(r64).Z).toEqual([[0.1 + 0.2]]);
  });
});
