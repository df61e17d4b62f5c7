import { afterEach, describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';
import { parseLang, setLang, t } from './index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  afterEach(() => setLang('en'));

  it('zh has exactly the keys of en, with the same {placeholders}', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en) as MessageKey[]) expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
  });

  it('every zh message is translated (differs from English or is notation only)', () => {
    const same = (Object.keys(en) as MessageKey[]).filter((k) => zh[k] === en[k] && /[a-z]{3,}/.test(en[k].replace(/\{\w+\}/g, '')));
    // Notation-only strings may stay as they are.
    expect(same.filter((k) => !['controls.dkAuto', 'case.pastePlaceholder', 'matrices.cell'].includes(k))).toEqual([]);
  });

  it('t() follows the current language', () => {
    expect(t('tab.heads')).toBe('Heads');
    setLang('zh');
    expect(t('tab.heads')).toBe('注意力头');
    expect(t('views.headN', { k: 2 })).toBe('头 2');
  });

  it('parseLang reads language tags', () => {
    expect(parseLang('zh-CN')).toBe('zh');
    expect(parseLang('zh-Hans')).toBe('zh');
    expect(parseLang('en-US')).toBe('en');
    expect(parseLang('fr')).toBeNull();
    expect(parseLang(null)).toBeNull();
  });
});
