// Built-in examples show the same chips in every browser: their Chinese words are segmented in the data,
// not by Intl.Segmenter (whose dictionary differs between browsers, and which some runtimes lack).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokenize } from '../engine/tokenize.ts';
import { setLang } from '../i18n/index.ts';
import { DEFAULT_TEXTS } from './document.ts';
import { EXAMPLES, exampleLabel, isSeededExample } from './examples.ts';
import { createAppStore } from './store.ts';
import { joinTokens, tokenizeFor } from './tokens.ts';

describe('built-in examples without Intl.Segmenter', () => {
  // Before anything segments: the engine caches the segmenter it finds.
  beforeEach(() => vi.stubGlobal('Intl', { ...Intl, Segmenter: undefined }));
  afterEach(() => vi.unstubAllGlobals());

  it('a Chinese text not built in falls back to characters (what the examples would show without their own words)', () => {
    expect(tokenize('小猫没有过马路', 'words')).toEqual(['小', '猫', '没', '有', '过', '马', '路']);
  });

  it('every Chinese example in words mode carries its words, and they join back into its text', () => {
    const zhWords = EXAMPLES.filter((e) => e.lang === 'zh' && e.patch.mode === 'words');
    expect(zhWords.map((e) => e.id).sort()).toEqual(['animal-zh', 'repeat-zh', 'weighted-zh']);
    for (const ex of zhWords) {
      expect(ex.tokens, ex.id).toBeDefined();
      expect(joinTokens(ex.tokens!, 'words'), ex.id).toBe(ex.text);
      expect(tokenizeFor(ex.text, 'words', { kind: 'seeded' }), ex.id).toEqual(ex.tokens);
    }
  });

  it('the 中文 default sentence and the examples loaded show the lesson’s words (小猫, 马路, 它, 累)', () => {
    setLang('zh');
    const store = createAppStore();
    expect(store.getState().doc.text).toBe(DEFAULT_TEXTS.zh);
    expect(store.getState().doc.tokens).toEqual(['小猫', '没有', '过', '马路', '，', '因为', '它', '太', '累', '了']);
    store.getState().actions.loadExample('weighted-zh');
    expect(store.getState().doc).toMatchObject({ tokens: ['咬死', '了', '猎人', '的', '狗'], mechanism: 'weighted' });
    setLang('en');
  });
});

describe('example labels', () => {
  it('say that seeded weights are random, and only there', () => {
    setLang('zh');
    for (const ex of EXAMPLES) expect(exampleLabel(ex).includes('（随机权重：展示计算过程，而非学到的模式）'), ex.id).toBe(isSeededExample(ex));
    setLang('en');
    expect(exampleLabel(EXAMPLES.find((e) => e.id === 'weighted')!)).toMatch(/\(random weights: shows the computation, not a learned pattern\)$/);
    expect(EXAMPLES.filter((e) => !isSeededExample(e)).map((e) => e.id)).toEqual(['model-repeat']);
  });
});
