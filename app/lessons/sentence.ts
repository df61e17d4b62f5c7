// The case of the lessons on decoders (local windows, the KV cache, the online softmax): six words of the
// example sentence ("The animal didn't cross the street because it was too tired") in two dimensions, with
// W^Q = W^K = W^V = I so Q = K = V = X. Chosen so that, causally, “it” attends most to “animal”, and so that
// the scores of “tired” peak in the third of three tiles of two (an online softmax that must rescale).
import { IDENTITY2 } from './self-attention.ts';
import type { LessonCase } from './types.ts';

export const SENTENCE_TOKENS = {
  en: ['animal', 'street', 'because', 'it', 'was', 'tired'],
  zh: ['动物', '街道', '因为', '它', '太', '累'],
} as const;

export const SENTENCE_X = [
  [3, 0], // animal
  [0, 2], // street
  [0, -1], // because
  [2, 0], // it
  [1, -1], // was
  [1, 2], // tired
];

/** The sentence case, causal (a decoder) unless a lesson says otherwise. */
export function sentenceCase(causal = true): LessonCase {
  return {
    tokens: SENTENCE_TOKENS,
    X: SENTENCE_X,
    heads: [{ Wq: IDENTITY2, Wk: IDENTITY2, Wv: IDENTITY2 }],
    Wo: null,
    scale: null,
    causal,
    keyWeights: null,
  };
}
