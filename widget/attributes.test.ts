import { describe, expect, it } from 'vitest';
import { DEFAULT_DOC, normalizeDoc } from '../state/document.ts';
import { tokenizeText } from '../state/tokens.ts';
import { applyAttributes } from './attributes.ts';

const base = normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeText(DEFAULT_DOC.text, DEFAULT_DOC.mode) });

describe('widget text attribute', () => {
  it('splits Chinese into words as the app does', () => {
    const { doc, errors } = applyAttributes({ text: '小猫没有过马路，因为它太累了' }, base, base);
    expect(errors).toEqual([]);
    expect(doc.tokens).toEqual(['小猫', '没有', '过', '马路', '，', '因为', '它', '太', '累了']);
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
