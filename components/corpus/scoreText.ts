// How the corpus views write a score and its spread: two decimals, "—" for a score no row was eligible for.
import type { ScoreSummary } from '../../engine/corpus/aggregate.ts';

/** A score in [0, 1] as the corpus views show it. */
export function formatScore2(v: number | null): string {
  return v === null || Number.isNaN(v) ? '—' : v.toFixed(2);
}

/** "0.31–0.52", or "—". */
export function formatInterval(s: Pick<ScoreSummary, 'interval'>): string {
  return s.interval ? `${s.interval[0].toFixed(2)}–${s.interval[1].toFixed(2)}` : '—';
}
