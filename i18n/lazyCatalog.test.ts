import { describe, expect, it, vi } from 'vitest';
import { en } from './en.ts';
import { zh } from './zh.ts';

// A fresh copy of the module: the setup file has loaded every catalog into the shared one.
async function freshI18n() {
  vi.resetModules();
  return import('./index.ts');
}

describe('the 中文 catalog is loaded when first wanted', () => {
  it('before loading, zh falls back to English; after, it is the zh catalog', async () => {
    const i18n = await freshI18n();
    expect(i18n.isLangLoaded('en')).toBe(true);
    expect(i18n.isLangLoaded('zh')).toBe(false);
    expect(i18n.translate('zh', 'tab.heads')).toBe(en['tab.heads']);
    await i18n.loadLang('zh');
    expect(i18n.isLangLoaded('zh')).toBe(true);
    expect(i18n.translate('zh', 'tab.heads')).toBe(zh['tab.heads']);
    expect(zh['tab.heads']).not.toBe(en['tab.heads']);
  });

  it('setLang to a language still loading tells its listeners again once the words are there', async () => {
    const i18n = await freshI18n();
    const heard: string[] = [];
    i18n.onLangChange((lang) => heard.push(`${lang}:${i18n.t('tab.heads')}`));
    i18n.setLang('zh');
    expect(heard).toEqual([`zh:${en['tab.heads']}`]);
    await i18n.loadLang('zh');
    await Promise.resolve();
    expect(heard).toEqual([`zh:${en['tab.heads']}`, `zh:${zh['tab.heads']}`]);
  });

  it('one fetch for many callers', async () => {
    const i18n = await freshI18n();
    const a = i18n.loadLang('zh');
    const b = i18n.loadLang('zh');
    expect(a).toBe(b);
    await a;
  });
});
