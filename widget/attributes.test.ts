import { describe, expect, it } from 'vitest';
import { DEFAULT_DOC, normalizeDoc } from '../state/document.ts';
import { tokenizeText } from '../state/tokens.ts';
import { applyAttributes } from './attributes.ts';

const base = normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeText(DEFAULT_DOC.text, DEFAULT_DOC.mode) });

describe('widget text attribute', () => {
  it('splits Chinese into words as the app does', () => {
    // Not a built-in example, so Intl.Segmenter's dictionary splits it.
    const { doc, errors } = applyAttributes({ text: '小狗没有过马路，因为它太累了' }, base, base);
    expect(errors).toEqual([]);
    expect(doc.tokens).toEqual(['小狗', '没有', '过', '马路', '，', '因为', '它', '太', '累了']);
  });

  it("a built-in example's text gets the example's own words, as in the app's menu", () => {
    // The lesson's sentence is segmented by hand in state/examples.ts (累 | 了), whatever the browser's dictionary says.
    const { doc } = applyAttributes({ text: '小猫没有过马路，因为它太累了' }, base, base);
    expect(doc.tokens).toEqual(['小猫', '没有', '过', '马路', '，', '因为', '它', '太', '累', '了']);
  });

  it('writes a Chinese token list back as text without spaces', () => {
    const { doc } = applyAttributes({ tokens: '小猫|没有|过|马路' }, base, base);
    expect(doc.text).toBe('小猫没有过马路');
    expect(doc.tokens).toEqual(['小猫', '没有', '过', '马路']);
  });
});

describe('widget without text', () => {
  it('starts on the default sentence of its language', () => {
    expect(applyAttributes({}, base, base, 'zh').doc.tokens.slice(0, 2)).toEqual(['小猫', '没有']);
    expect(applyAttributes({}, base, base, 'en').doc.text).toBe(DEFAULT_DOC.text);
  });
});
