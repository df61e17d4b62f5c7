// Rotary position embedding (RoPE), the rotate-half form: the frequencies and angles the engine's rotation
// uses (attention.ts builds its cos/sin tables from these), exported so that a lesson shows the very angles
// that rotated q and k.
import type { RotaryConfig } from './types.ts';

/** θ_t = theta^(−2t/dims): the frequency of rotated pair t (coordinates t and t + dims/2), t = 0…dims/2 − 1. */
export function rotaryFrequency(r: RotaryConfig, t: number): number {
  return Math.pow(r.theta, (-2 * t) / r.dims);
}

/** The angle by which pair t of the vector at position p turns: p·θ_t (radians). */
export function rotaryAngle(r: RotaryConfig, t: number, position: number): number {
  return position * rotaryFrequency(r, t);
}
