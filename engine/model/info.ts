// What the app shows about a loaded model (plain data: it crosses the worker boundary): the model's
// own description (engine/transformer/types.ts) and, for a model trained here, its training record.
import type { ModelInfo as NetInfo } from '../transformer/types.ts';

export interface ModelInfo extends NetInfo {
  /** What multiplies QKᵀ (GPT-Neo: 1, unscaled); null: 1/√d_head. */
  scale: number | null;
  /** From the manifest's training record, when present (nats per token); null for checkpoints. */
  heldOutLoss: number | null;
  trainLoss: number | null;
  steps: number | null;
  dataSource: string | null;
  /** The mask token an encoder's head fills in ("[MASK]", "<mask>"), or null (decoders, no tokenizer, no head). */
  maskToken: string | null;
}
