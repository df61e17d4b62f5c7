// What a corpus run's progress reads as: tokens per second so far and the time left at that rate. Pure.

/** The worker's count of a run so far. */
export interface RunProgress {
  done: number;
  total: number;
  tokens: number;
  totalTokens: number;
  /** Time spent running, pauses excluded (ms). */
  elapsedMs: number;
}

/** Tokens per second, and seconds left at that rate; null until a token has run. */
export function progressFigures(p: RunProgress): { rate: number; leftS: number } | null {
  if (p.tokens <= 0 || p.elapsedMs <= 0) return null;
  const rate = p.tokens / (p.elapsedMs / 1000);
  return { rate, leftS: Math.max(0, p.totalTokens - p.tokens) / rate };
}
