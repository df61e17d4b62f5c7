// Display preferences: language, theme and colour palette. Not part of the document (no undo, not
// in the case); remembered in localStorage and settable by the URL (?lang=zh or #…&lang=zh,
// theme=dark, contrast=1) and by an embedding widget (setPrefs).
import { create } from 'zustand';
import type { Palette } from '../components/common/color.ts';
import { getLang, isLangLoaded, langTag, loadLang, parseLang, setLang, type Lang } from '../i18n/index.ts';

export type Theme = 'auto' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['auto', 'light', 'dark'];

export interface Prefs {
  lang: Lang;
  theme: Theme;
  palette: Palette;
}

export interface PrefsState extends Prefs {
  setPrefs(patch: Partial<Prefs>): void;
}

const KEY = 'attention-lab:prefs';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function parseTheme(s: string | null | undefined): Theme | null {
  return s === 'auto' || s === 'light' || s === 'dark' ? s : null;
}

/** Applies the preferences to a root element: lang attribute and data-al-theme (read by the CSS). */
function applyPrefsTo(el: HTMLElement, p: Prefs): void {
  el.lang = langTag(p.lang);
  el.dataset.alTheme = p.theme;
  el.dataset.alPalette = p.palette;
}

/** The language last asked for (setPrefs), which may still be loading. */
let wantedLang: Lang = getLang();

export const usePrefs = create<PrefsState>()((set, get) => ({
  lang: getLang(),
  theme: 'auto',
  palette: 'default',
  setPrefs(patch) {
    const next: Prefs = { lang: patch.lang ?? get().lang, theme: patch.theme ?? get().theme, palette: patch.palette ?? get().palette };
    wantedLang = next.lang;
    if (!isLangLoaded(next.lang)) {
      // Theme and palette now; the language once its catalog (a chunk) is here, so no view is drawn half in
      // English. A later choice of language replaces this one.
      set({ theme: next.theme, palette: next.palette });
      loadLang(next.lang).then(
        () => {
          if (wantedLang === next.lang) get().setPrefs({ lang: next.lang });
        },
        (e: unknown) => console.error(`attention-lab: the ${next.lang} catalog could not be loaded; English is shown`, e),
      );
      return;
    }
    // The catalog switches first, so the re-render this set() causes reads the new language.
    setLang(next.lang);
    set(next);
  },
}));

/** Preferences from a URL: ?lang=zh&theme=dark&contrast=1, or the same keys in the hash. */
function prefsFromUrl(search: string, hash: string): Partial<Prefs> {
  const out: Partial<Prefs> = {};
  for (const part of [search.replace(/^\?/, ''), hash.replace(/^#/, '')]) {
    const q = new URLSearchParams(part);
    const lang = parseLang(q.get('lang'));
    if (lang) out.lang = lang;
    const theme = parseTheme(q.get('theme'));
    if (theme) out.theme = theme;
    const c = q.get('contrast');
    if (c === '1' || c === 'high') out.palette = 'high-contrast';
    else if (c === '0') out.palette = 'default';
  }
  return out;
}

/**
 * Reads the preferences (defaults ← localStorage ← browser language ← URL) and keeps them saved and applied.
 * Resolves once the chosen language's catalog is loaded and applied, so start-up messages are written in it.
 */
export async function startPrefs(root: HTMLElement = document.documentElement): Promise<() => void> {
  let saved: Partial<Prefs> = {};
  try {
    const raw = storage()?.getItem(KEY);
    if (raw) {
      const j = JSON.parse(raw) as Record<string, unknown>;
      const lang = parseLang(typeof j.lang === 'string' ? j.lang : null);
      const theme = parseTheme(typeof j.theme === 'string' ? j.theme : null);
      if (lang) saved.lang = lang;
      if (theme) saved.theme = theme;
      if (j.palette === 'high-contrast' || j.palette === 'default') saved.palette = j.palette;
    }
  } catch {
    saved = {};
  }
  if (!saved.lang) {
    const nav = parseLang(typeof navigator !== 'undefined' ? navigator.language : null);
    if (nav) saved.lang = nav;
  }
  const { setPrefs } = usePrefs.getState();
  const initial = { ...saved, ...prefsFromUrl(window.location.search, window.location.hash) };
  await loadLang(initial.lang ?? getLang()).catch((e: unknown) => console.error('attention-lab: the language catalog could not be loaded', e));
  setPrefs(initial);
  applyPrefsTo(root, usePrefs.getState());
  return usePrefs.subscribe((s, prev) => {
    if (s.lang === prev.lang && s.theme === prev.theme && s.palette === prev.palette) return;
    applyPrefsTo(root, s);
    try {
      storage()?.setItem(KEY, JSON.stringify({ lang: s.lang, theme: s.theme, palette: s.palette }));
    } catch {
      /* storage blocked: the choice still applies to this page */
    }
  });
}
