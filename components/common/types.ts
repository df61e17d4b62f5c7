// Types shared by the views. Each view's props contract (XProps) lives next to it: views take plain
// data and report user intent through callbacks; they never compute attention (the engine does, in a
// worker) and never touch the store.
import type { HeadScores } from '../../engine/headScores.ts';

/** The query/key pair under the pointer (or keyboard focus), shared by every view. */
export interface Focus {
  head: number | null;
  query: number | null;
  key: number | null;
}

export interface Cell {
  row: number;
  col: number;
}

export type ColorKind = 'sequential' | 'diverging';

/** One head of a model: layer l (0-based), head h (0-based). Seeded and case sources have one layer. */
export type { HeadRef } from '../../engine/transformer/types.ts';

/**
 * Per-head pattern scores (engine/headScores.ts), all in [0, 1] or NaN when no row qualifies.
 * `induction` is measured on a probe (a random sequence repeated twice), not on the user's text.
 */
export type HeadScoreRow = HeadScores;

