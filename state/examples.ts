// The examples menu. Text only; labels come from the message catalog.
import type { MessageKey } from '../i18n/index.ts';
import type { DocState } from './document.ts';

export interface Example {
  id: string;
  label: MessageKey;
  text: string;
  patch: Partial<DocState>;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'animal',
    label: 'example.animal',
    text: "The animal didn't cross the street because it was too tired",
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 4, d: 16, dk: null, causal: false },
  },
  {
    id: 'repeat',
    label: 'example.repeat',
    text: 'the cat sat on the mat and the cat sat on the hat',
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 2, d: 8, dk: null, causal: true },
  },
  {
    id: 'chinese',
    label: 'example.chinese',
    text: '我爱自然语言处理。',
    patch: { mode: 'chars', mechanism: 'self', convention: 'article', h: 1, d: 8, dk: null, causal: false },
  },
  {
    id: 'weighted',
    label: 'example.weighted',
    text: 'I saw her duck under the table',
    patch: { mode: 'words', mechanism: 'weighted', convention: 'article', h: 1, d: 4, dk: null, causal: false },
  },
  {
    // Repeats a phrase so the trained model's previous-token and induction heads have something to do.
    id: 'model-repeat',
    label: 'example.modelRepeat',
    text: 'Mr. Dursley said hello. Mr. Dursley said hello.',
    patch: { source: { kind: 'model', model: 'brown-char' } },
  },
];
