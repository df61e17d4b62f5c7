// The language of a React subtree. The app has one language per page (t(), setLang); a widget sets
// its own `lang` with <LangContext.Provider>, so several widgets on one page each speak their own.
// Components call useT() and use the function it returns wherever they would call t().
import { createContext, useContext } from 'react';
import { getLang, t, translate, type Lang } from './index.ts';

export type Translate = typeof t;

/** The subtree's language; null (the default): the page's, i.e. t() as it is. */
export const LangContext = createContext<Lang | null>(null);

const BOUND: Record<Lang, Translate> = {
  en: (key, params) => translate('en', key, params),
  zh: (key, params) => translate('zh', key, params),
};

/** t() for this subtree's language (the same function for as long as the language stays). */
export function useT(): Translate {
  const lang = useContext(LangContext);
  return lang === null ? t : BOUND[lang];
}

/** This subtree's language. */
export function useLang(): Lang {
  return useContext(LangContext) ?? getLang();
}
