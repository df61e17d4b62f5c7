// Warning objects shared by every implementation (same wording whichever backend computed the result).
import type { EngineWarning } from './types.ts';

export function emptyRowsWarning(rows: number[]): EngineWarning {
  const list = rows.length > 12 ? `${rows.slice(0, 12).join(', ')}, … (${rows.length} rows)` : rows.join(', ');
  const noun = rows.length === 1 ? 'Query row' : 'Query rows';
  return {
    code: 'empty-rows',
    rows: rows.slice(),
    message:
      `${noun} ${list} ${rows.length === 1 ? 'has' : 'have'} no admissible key ` +
      `(every key is masked or has weight 0): ${rows.length === 1 ? 'its row of A and Z is' : 'their rows of A and Z are'} zero.`,
  };
}
