// What a RoPE lesson shows, read from the engine's own result: one rotated pair of q or k before and after
// the rotation with its angle, and the same input read at shifted positions (the relative-position property:
// the scores do not change). No rotation is computed here — the engine's (attention.ts) did it.
import { computeAttention } from './attention.ts';
import { rotaryAngle, rotaryFrequency } from './rotary.ts';
import type { AttentionInput, AttentionResult, HeadResult } from './types.ts';

/** Pair t of a rotated vector: coordinates t and t + dims/2, before and after turning by position·θ_t. */
export interface RotatedPair {
  pair: number;
  /** The two coordinates (0-based). */
  coords: [number, number];
  /** The row's position (the input's offset + row). */
  position: number;
  /** θ_t. */
  frequency: number;
  /** position·θ_t in radians. */
  angle: number;
  before: [number, number];
  after: [number, number];
}

/** Pair `pair` of row `row` of a head's q (`which` 'q') or k ('k'), around the rotation; null without rotary. */
export function rotatedPair(input: Pick<AttentionInput, 'rotary' | 'positionOffset'>, head: Pick<HeadResult, 'Q' | 'K' | 'Qpre' | 'Kpre'>, which: 'q' | 'k', row: number, pair: number): RotatedPair | null {
  const r = input.rotary;
  const pre = which === 'q' ? head.Qpre : head.Kpre;
  const post = which === 'q' ? head.Q : head.K;
  if (!r || !pre) return null;
  const half = r.dims / 2;
  if (!Number.isInteger(pair) || pair < 0 || pair >= half) throw new RangeError(`pair: expected 0…${half - 1}, got ${pair}`);
  if (!Number.isInteger(row) || row < 0 || row >= pre.rows) throw new RangeError(`row: expected 0…${pre.rows - 1}, got ${row}`);
  const at = (m: typeof pre, c: number) => m.data[row * m.cols + c];
  const position = (input.positionOffset ?? 0) + row;
  const coords: [number, number] = [pair, pair + half];
  return {
    pair,
    coords,
    position,
    frequency: rotaryFrequency(r, pair),
    angle: rotaryAngle(r, pair, position),
    before: [at(pre, coords[0]), at(pre, coords[1])],
    after: [at(post, coords[0]), at(post, coords[1])],
  };
}

/** The same input read `shift` positions later (every q and k turns further; the scores stay). */
export function shiftedInput(input: AttentionInput, shift: number): AttentionInput {
  return { ...input, positionOffset: (input.positionOffset ?? 0) + shift };
}

/** The engine's result for the input read `shift` positions later. */
export function computeShifted(input: AttentionInput, shift: number): Promise<AttentionResult> {
  return computeAttention(shiftedInput(input, shift));
}
