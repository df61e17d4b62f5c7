// Checkpoints in the Hugging Face layout, for the app and the worker (Node-only dirFiles lives in ./dirFiles.ts).
export { loadCheckpoint, type LoadOptions } from './load.ts';
export { loadTokenizer, displayToken, typesForModel, type TextTokenizer, type Encoded } from './tokenizer.ts';
export { memoryFiles, fileName, type CheckpointFiles } from './files.ts';
export { CheckpointError } from './errors.ts';
export { SUPPORTED_TYPES, type CheckpointType } from './config.ts';
export type { ModelInfo, TransformerModel, ForwardOptions, ForwardResult, LayerTrace, HeadRef } from '../transformer/types.ts';
export { attentionRollout } from '../analysis/rollout.ts';
