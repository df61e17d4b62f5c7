// Where a model's prediction is read when nobody picked a position: a decoder predicts the next token after
// the last one; an encoder's masked-LM head fills in a mask, so the first mask token of the input (else the
// last position). The command line and the app's worker both use it.
import type { ModelInfo } from './types.ts';

export function predictionPosition(info: Pick<ModelInfo, 'predicts'>, ids: ArrayLike<number>, maskId: number | null): number {
  if (info.predicts === 'masked-token' && maskId !== null) {
    for (let i = 0; i < ids.length; i++) if (ids[i] === maskId) return i;
  }
  return ids.length - 1;
}
