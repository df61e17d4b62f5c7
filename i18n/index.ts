import { en, type MessageKey } from './en.ts';

export type { MessageKey };

/** The interface languages. The catalogs are complete: zh.ts is typed Record<MessageKey, string>. */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

type Catalog = Record<MessageKey, string>;

// English is built in (it is every key's fallback); 中文 is a chunk of its own, fetched when first wanted, so
// the widget's first load does not carry a language most of its pages never show (docs/performance.md).
const CATALOGS: Partial<Record<Lang, Catalog>> = { en };
const LOADERS: Record<Lang, () => Promise<Catalog>> = {
  en: () => Promise.resolve(en),
  zh: () => import('./zh.ts').then((m) => m.zh),
};
const loading = new Map<Lang, Promise<void>>();

/** Whether `lang`'s catalog is here (t() in a language still loading falls back to English). */
export function isLangLoaded(lang: Lang): boolean {
  return CATALOGS[lang] !== undefined;
}

/** Fetches `lang`'s catalog once; callers that write in a language await this first. */
export function loadLang(lang: Lang): Promise<void> {
  if (isLangLoaded(lang)) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    p = LOADERS[lang]().then((c) => {
      CATALOGS[lang] = c;
    });
    p.catch(() => loading.delete(lang)); // a failed fetch (offline) may be retried by the next call
    loading.set(lang, p);
  }
  return p;
}

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

/**
 * Switches the language of t(); listeners (the prefs store, widgets following the page) re-render. A catalog
 * not yet loaded is fetched and the listeners are told again when it is here; callers that must write their
 * first words in the language (start-up messages) await loadLang() before calling this.
 */
export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  for (const fn of listeners) fn(lang);
  if (!isLangLoaded(lang)) {
    loadLang(lang).then(
      () => {
        if (current === lang) for (const fn of listeners) fn(lang);
      },
      (e: unknown) => console.error(`attention-lab: the ${lang} catalog could not be loaded; English is shown`, e),
    );
  }
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
  const template: string = CATALOGS[lang]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
