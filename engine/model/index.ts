// A small trained character-level transformer whose heads run through the engine's attention.
export * from './format.ts';
export { loadModel, parseManifest, type LoadedModel, type ModelLayer, type LayerNormWeights } from './load.ts';
export { ModelError } from './modelError.ts';
export { tokenizeForModel, charLabel, type ModelTokens } from './tokenize.ts';
export { modelForward, modelCrossEntropy, logProb, type ModelForwardResult, type ModelForwardOptions, type ModelLayerTrace } from './forward.ts';
export { bundleText, parseBundle, BUNDLE_FORMAT, type ModelBundle } from './bundle.ts';
export { charModelAsTransformer } from './asTransformer.ts';
export type { ModelInfo, TransformerModel, ForwardOptions, ForwardResult, LayerTrace, HeadRef } from '../transformer/types.ts';
