// The examples menu. Text only; labels come from the message catalog. Texts in words mode carry their
// tokens: Intl.Segmenter splits Chinese by a dictionary that differs between browsers (and some have
// none), and a class looking at one example on thirty screens must see the same chips.
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { DEFAULT_TEXTS, type DocState } from './document.ts';

export interface Example {
  id: string;
  label: MessageKey;
  /** The language of the text: the menu lists the interface language's examples first. */
  lang: Lang;
  text: string;
  /** The tokens of the text in words mode, segmented here once (they join back into `text`). */
  tokens?: readonly string[];
  patch: Partial<DocState>;
  /**
   * Runs on a real encoder too ('also': the menu's "on a real model" choice) or only there ('only': the example
   * asks the masked-LM head to fill in a [MASK]); absent: seeded weights or the model the patch names.
   */
  encoder?: 'also' | 'only';
  /** The label on a real encoder, where the seeded label's mechanism (a causal mask) does not apply. */
  realLabel?: MessageKey;
  /** The word a masked pronoun stands for (the note asks which heads look back at it). */
  referent?: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'animal',
    label: 'example.animal',
    lang: 'en',
    text: DEFAULT_TEXTS.en,
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 4, d: 16, dk: null, causal: false },
    encoder: 'also',
  },
  {
    id: 'repeat',
    label: 'example.repeat',
    lang: 'en',
    text: 'the cat sat on the mat and the cat sat on the hat',
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 2, d: 8, dk: null, causal: true },
    realLabel: 'example.repeatPlain',
    encoder: 'also',
  },
  {
    id: 'animal-zh',
    label: 'example.animalZh',
    lang: 'zh',
    text: DEFAULT_TEXTS.zh,
    tokens: ['小猫', '没有', '过', '马路', '，', '因为', '它', '太', '累', '了'],
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 4, d: 16, dk: null, causal: false },
    encoder: 'also',
  },
  {
    id: 'repeat-zh',
    label: 'example.repeatZh',
    lang: 'zh',
    text: '小猫坐在垫子上，小猫坐在帽子上',
    tokens: ['小猫', '坐在', '垫子', '上', '，', '小猫', '坐在', '帽子', '上'],
    patch: { mode: 'words', mechanism: 'multi', convention: 'standard', h: 2, d: 8, dk: null, causal: true },
    realLabel: 'example.repeatZhPlain',
    encoder: 'also',
  },
  {
    id: 'chinese',
    label: 'example.chinese',
    lang: 'zh',
    text: '我爱自然语言处理。',
    patch: { mode: 'chars', mechanism: 'self', convention: 'article', h: 1, d: 8, dk: null, causal: false },
    encoder: 'also',
  },
  {
    // The pronoun masked: which word does a real encoder put back, and which heads look at "animal" from there?
    id: 'animal-mask',
    label: 'example.animalMask',
    lang: 'en',
    text: DEFAULT_TEXTS.en.replace(/\bit\b/, '[MASK]'),
    patch: {},
    referent: 'animal',
    encoder: 'only',
  },
  {
    id: 'animal-mask-zh',
    label: 'example.animalMaskZh',
    lang: 'zh',
    text: DEFAULT_TEXTS.zh.replace('它', '[MASK]'),
    patch: {},
    referent: '小猫',
    encoder: 'only',
  },
  {
    id: 'weighted',
    label: 'example.weighted',
    lang: 'en',
    text: 'I saw her duck under the table',
    patch: { mode: 'words', mechanism: 'weighted', convention: 'article', h: 1, d: 4, dk: null, causal: false },
  },
  {
    // An ambiguous phrase: “the dog that bit the hunter to death” or “bit to death the hunter's dog”.
    id: 'weighted-zh',
    label: 'example.weightedZh',
    lang: 'zh',
    text: '咬死了猎人的狗',
    tokens: ['咬死', '了', '猎人', '的', '狗'],
    patch: { mode: 'words', mechanism: 'weighted', convention: 'article', h: 1, d: 4, dk: null, causal: false },
  },
  {
    // Repeats a phrase so the trained model's previous-token and induction heads have something to do.
    id: 'model-repeat',
    label: 'example.modelRepeat',
    lang: 'en',
    text: 'Mr. Dursley said hello. Mr. Dursley said hello.',
    patch: { source: { kind: 'model', model: 'brown-char' } },
  },
];

/** The teaching example whose text this is (what the note under the text explains), or null. */
export function exampleWithText(text: string): Example | null {
  return EXAMPLES.find((e) => e.text === text && (e.encoder !== undefined)) ?? null;
}

/** The menu in `lang`: that language's examples first, each group in its own order. */
export function examplesFor(lang: Lang): Example[] {
  return [...EXAMPLES.filter((e) => e.lang === lang), ...EXAMPLES.filter((e) => e.lang !== lang)];
}

/** Whether an example runs on seeded (random) weights rather than a trained model. */
export function isSeededExample(ex: Example): boolean {
  return (ex.patch.source?.kind ?? 'seeded') === 'seeded';
}

/** The menu label: on seeded weights it says that the pattern is random, not learned. */
export function exampleLabel(ex: Example): string {
  return isSeededExample(ex) ? `${t(ex.label)} ${t('example.seededNote')}` : t(ex.label);
}
