import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type { MessageKey };

/** The interface languages. The catalogs are complete: zh.ts is typed Record<MessageKey, string>. */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

const CATALOGS: Record<Lang, Record<MessageKey, string>> = { en, zh };

let current: Lang = 'en';
const listeners = new Set<(lang: Lang) => void>();

/** 'zh', 'zh-CN', 'zh-Hans' → 'zh'; 'en', 'en-US' → 'en'; anything else → null. */
export function parseLang(s: string | null | undefined): Lang | null {
  if (!s) return null;
  const v = s.trim().toLowerCase();
  if (v === 'zh' || v.startsWith('zh-') || v.startsWith('zh_')) return 'zh';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  return null;
}

export function getLang(): Lang {
  return current;
}

/** BCP 47 tag for the `lang` attribute and Intl. */
export function langTag(lang: Lang = current): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** Switches the language of t(); listeners (the prefs store) re-render the app. */
export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Text given in both languages (lessons): the current one. */
export function pick(text: Readonly<Record<Lang, string>>): string {
  return text[current];
}

/** Looks a message up in the current language and fills its {placeholders}. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return translate(current, key, params);
}

/** t() in a given language (a widget's own `lang`; React components use useT() from ./react.ts). */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = CATALOGS[lang][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
