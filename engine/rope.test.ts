// The RoPE lesson's helpers against the rotation written out here (cos/sin by hand) and the relative-position
// property on random inputs and on stories260K's layers.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeAttention } from './attention.ts';
import { initBackend } from './backend.ts';
import { dirFiles } from './checkpoint/dirFiles.ts';
import { loadCheckpoint } from './checkpoint/load.ts';
import { CONFORMANCE_MODELS, expected, maxDiff } from './checkpoint/test-checkpoints.ts';
import { computeShifted, rotatedPair } from './rope.ts';
import { randomInput } from './test-utils.ts';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

const rotary = { dims: 6, theta: 100 };

describe('a rotated pair', () => {
  it('is the pair before the rotation turned by position·θ_t, with θ_t = theta^(−2t/dims)', async () => {
    for (const positionOffset of [0, 9]) {
      const input = { ...randomInput('rope/pair', { n: 5, d: 8, h: 2, dk: 6, std: 2 }), rotary, positionOffset };
      const r = await computeAttention(input);
      for (const [which, row, pair] of [['q', 3, 0], ['k', 4, 2], ['q', 0, 1]] as const) {
        const p = rotatedPair(input, r.heads[1], which, row, pair)!;
        expect(p.coords).toEqual([pair, pair + 3]);
        expect(p.position).toBe(positionOffset + row);
        expect(p.frequency).toBeCloseTo(100 ** (-pair / 3), 14);
        expect(p.angle).toBeCloseTo((positionOffset + row) * 100 ** (-pair / 3), 12);
        const [a, b] = p.before;
        const want = [a * Math.cos(p.angle) - b * Math.sin(p.angle), b * Math.cos(p.angle) + a * Math.sin(p.angle)];
        expect(maxDiff(p.after, want)).toBeLessThan(1e-5);
        expect(Math.hypot(...p.after)).toBeCloseTo(Math.hypot(...p.before), 4); // a rotation keeps the length
      }
    }
  });

  it('is null without rotary, and rejects a pair or row out of range', async () => {
    const input = { ...randomInput('rope/none', { n: 3, d: 4, h: 1, dk: 4 }) };
    const r = await computeAttention(input);
    expect(rotatedPair(input, r.heads[0], 'q', 0, 0)).toBeNull();
    const rot = { ...input, rotary: { dims: 4, theta: 10000 } };
    const rr = await computeAttention(rot);
    expect(() => rotatedPair(rot, rr.heads[0], 'q', 0, 2)).toThrow('pair: expected 0…1, got 2');
    expect(() => rotatedPair(rot, rr.heads[0], 'k', 3, 0)).toThrow('row: expected 0…2, got 3');
  });
});

describe('the relative-position property', () => {
  it('the score of q at m and k at n depends on m − n only: shifting both leaves every score', async () => {
    const input = { ...randomInput('rope/shift', { n: 6, d: 8, h: 3, dk: 6, std: 3, causal: true }), rotary };
    const at0 = await computeAttention(input);
    for (const shift of [1, 7, 250]) {
      const moved = await computeShifted(input, shift);
      moved.heads.forEach((hr, h) => {
        expect(maxDiff(hr.scores.data, at0.heads[h].scores.data)).toBeLessThan(1e-4);
        expect(maxDiff(hr.Q.data, at0.heads[h].Q.data)).toBeGreaterThan(1e-2);
      });
    }
  });

  it('on every layer of stories260K (the layer’s own X, shifted by 30)', async () => {
    const model = await loadCheckpoint(dirFiles(join(CONFORMANCE_MODELS, 'stories260K-hf')));
    try {
      const run = await model.forward(expected('stories260K-hf').ids.slice(0, 12));
      for (const layer of run.layers) {
        const moved = await computeShifted(layer.input!, 30);
        moved.heads.forEach((hr, h) => expect(maxDiff(hr.scores.data, layer.result!.heads[h].scores.data)).toBeLessThan(1e-4));
      }
    } finally {
      model.dispose();
    }
  });
});
