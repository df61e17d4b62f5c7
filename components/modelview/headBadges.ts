// Which patterns a head clearly shows, as short badges for the model view's tiles. The thresholds
// live here, in one pure function, so the grid, its tests and the docs agree on what "clearly" means.
import type { HeadScoreRow } from '../common/types.ts';

export type BadgeKind = 'prev' | 'induction' | 'sink' | 'self' | 'dup' | 'broad' | 'sharp';

export interface Badge {
  kind: BadgeKind;
  /** The score the badge is read from. */
  score: keyof HeadScoreRow;
  value: number;
  /** How far past its threshold the score is, 0 (at it) … 1 (as far as it can go): the sort key. */
  strength: number;
}

/**
 * A score at or past its threshold earns a badge. The bars differ because the chance levels differ:
 * a head spreading attention evenly over ~10 keys already puts ~0.1 on the first token, but almost
 * nothing on the one induction target.
 */
export const BADGE_THRESHOLDS = {
  prev: 0.4,
  induction: 0.3,
  sink: 0.5,
  self: 0.5,
  dup: 0.3,
  /** Normalised entropy above this: attention spread over most admissible keys. */
  broad: 0.85,
  /** Normalised entropy below this: nearly one-hot rows. */
  sharp: 0.2,
} as const;

export const MAX_BADGES = 3;

const RISING: readonly { kind: BadgeKind; score: keyof HeadScoreRow }[] = [
  { kind: 'prev', score: 'previousToken' },
  { kind: 'induction', score: 'induction' },
  { kind: 'sink', score: 'firstToken' },
  { kind: 'self', score: 'self' },
  { kind: 'dup', score: 'duplicateToken' },
];

// Clamped: scores are in [0, 1] by construction, but a badge must not sort ahead because of rounding.
const unit = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * The badges of one head, strongest first, at most MAX_BADGES. Strength is the distance past the
 * threshold as a fraction of the room left (for "sharp", below it), so badges with different bars
 * compare fairly; NaN scores (no qualifying rows) never earn a badge.
 */
export function headBadges(row: HeadScoreRow): Badge[] {
  const out: Badge[] = [];
  for (const { kind, score } of RISING) {
    const v = row[score];
    const bar = BADGE_THRESHOLDS[kind];
    if (Number.isFinite(v) && v >= bar) out.push({ kind, score, value: v, strength: unit((v - bar) / (1 - bar)) });
  }
  const e = row.entropy;
  if (Number.isFinite(e)) {
    if (e > BADGE_THRESHOLDS.broad) {
      out.push({ kind: 'broad', score: 'entropy', value: e, strength: unit((e - BADGE_THRESHOLDS.broad) / (1 - BADGE_THRESHOLDS.broad)) });
    } else if (e < BADGE_THRESHOLDS.sharp) {
      out.push({ kind: 'sharp', score: 'entropy', value: e, strength: unit((BADGE_THRESHOLDS.sharp - e) / BADGE_THRESHOLDS.sharp) });
    }
  }
  // Array.prototype.sort is stable: equal strengths keep the fixed order above.
  return out.sort((a, b) => b.strength - a.strength).slice(0, MAX_BADGES);
}

/** A score as shown in badges and the table: 2 decimals, "—" when undefined. */
export function formatScore(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return (Math.abs(x) < 0.005 ? 0 : x).toFixed(2); // never "-0.00"
}
