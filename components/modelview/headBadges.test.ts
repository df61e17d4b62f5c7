import { describe, expect, it } from 'vitest';
import { BADGE_THRESHOLDS, MAX_BADGES, formatScore, headBadges } from './headBadges.ts';
import type { HeadScoreRow } from '../common/types.ts';

// A head that shows nothing in particular: every score below its bar, entropy in the middle.
const plain: HeadScoreRow = { previousToken: 0.1, firstToken: 0.2, self: 0.1, entropy: 0.5, duplicateToken: 0.05, induction: 0.02 };
const row = (over: Partial<HeadScoreRow>): HeadScoreRow => ({ ...plain, ...over });
const kinds = (r: HeadScoreRow) => headBadges(r).map((b) => b.kind);

describe('headBadges', () => {
  it('gives no badge to a head with no clear pattern', () => {
    expect(headBadges(plain)).toEqual([]);
  });

  it('labels each pattern at its threshold and not just below it', () => {
    const cases: [Partial<HeadScoreRow>, string][] = [
      [{ previousToken: BADGE_THRESHOLDS.prev }, 'prev'],
      [{ induction: BADGE_THRESHOLDS.induction }, 'induction'],
      [{ firstToken: BADGE_THRESHOLDS.sink }, 'sink'],
      [{ self: BADGE_THRESHOLDS.self }, 'self'],
      [{ duplicateToken: BADGE_THRESHOLDS.dup }, 'dup'],
    ];
    for (const [over, kind] of cases) {
      expect(kinds(row(over)), kind).toEqual([kind]);
      const below = Object.fromEntries(Object.entries(over).map(([k, v]) => [k, (v as number) - 0.01]));
      expect(kinds(row(below)), `${kind} below`).toEqual([]);
    }
  });

  it('reads broad and sharp from the entropy, strictly past the bars', () => {
    expect(kinds(row({ entropy: 0.9 }))).toEqual(['broad']);
    expect(kinds(row({ entropy: 0.1 }))).toEqual(['sharp']);
    expect(kinds(row({ entropy: BADGE_THRESHOLDS.broad }))).toEqual([]);
    expect(kinds(row({ entropy: BADGE_THRESHOLDS.sharp }))).toEqual([]);
  });

  it('keeps the score and its value on the badge', () => {
    const [b] = headBadges(row({ previousToken: 0.97 }));
    expect(b).toMatchObject({ kind: 'prev', score: 'previousToken', value: 0.97 });
    const [e] = headBadges(row({ entropy: 0.05 }));
    expect(e).toMatchObject({ kind: 'sharp', score: 'entropy', value: 0.05 });
  });

  it('gives no badge for NaN scores', () => {
    const nan: HeadScoreRow = { previousToken: NaN, firstToken: NaN, self: NaN, entropy: NaN, duplicateToken: NaN, induction: NaN };
    expect(headBadges(nan)).toEqual([]);
    expect(kinds(row({ previousToken: NaN, induction: 0.9 }))).toEqual(['induction']);
  });

  it('sorts strongest first, measured as the distance past each bar', () => {
    // prev: (0.97 − 0.4) / 0.6 = 0.95; induction: (0.93 − 0.3) / 0.7 = 0.9; sharp: (0.2 − 0.05) / 0.2 = 0.75.
    expect(kinds(row({ previousToken: 0.97, induction: 0.93, entropy: 0.05 }))).toEqual(['prev', 'induction', 'sharp']);
    // A dup of 0.65 is further past its bar (0.5) than a sink of 0.7 (0.4).
    expect(kinds(row({ firstToken: 0.7, duplicateToken: 0.65 }))).toEqual(['dup', 'sink']);
    const strengths = headBadges(row({ previousToken: 0.5, self: 0.9, firstToken: 0.6 })).map((b) => b.strength);
    expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
  });

  it('shows at most three badges, dropping the weakest', () => {
    // prev 0.98, sharp 0.95, induction 0.93 past their bars; self 0.8, sink 0.1 and dup 0.01 are dropped.
    const busy = row({ previousToken: 0.99, induction: 0.95, firstToken: 0.55, self: 0.9, duplicateToken: 0.31, entropy: 0.01 });
    const badges = headBadges(busy);
    expect(badges).toHaveLength(MAX_BADGES);
    expect(badges.map((b) => b.kind)).toEqual(['prev', 'sharp', 'induction']);
  });

  it('breaks ties in a fixed order', () => {
    expect(kinds(row({ previousToken: 1, induction: 1, firstToken: 1 }))).toEqual(['prev', 'induction', 'sink']);
  });
});

describe('formatScore', () => {
  it('writes two decimals and a dash for undefined scores', () => {
    expect(formatScore(0.8)).toBe('0.80');
    expect(formatScore(0.966)).toBe('0.97');
    expect(formatScore(1)).toBe('1.00');
    expect(formatScore(-0.001)).toBe('0.00');
    expect(formatScore(NaN)).toBe('—');
  });
});
