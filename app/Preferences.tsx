// Header controls for display preferences: language, theme (auto/light/dark), high contrast.
import { useId } from 'react';
import { LANGS, t, type Lang } from '../i18n/index.ts';
import { THEMES, usePrefs, type Theme } from '../state/prefs.ts';
import './preferences.css';

/** Language names are written in their own language (never translated). */
const LANG_NAMES: Record<Lang, string> = { en: 'English', zh: '简体中文' };
const THEME_KEYS = { auto: 'prefs.theme.auto', light: 'prefs.theme.light', dark: 'prefs.theme.dark' } as const;

export function Preferences() {
  const id = useId();
  const lang = usePrefs((s) => s.lang);
  const theme = usePrefs((s) => s.theme);
  const palette = usePrefs((s) => s.palette);
  const setPrefs = usePrefs((s) => s.setPrefs);
  return (
    <div className="al-prefs" role="group" aria-label={t('prefs.label')}>
      <label className="al-inline-field" htmlFor={`${id}-lang`}>
        <span>{t('prefs.language')}</span>
      </label>
      <select id={`${id}-lang`} value={lang} data-testid="lang" onChange={(e) => setPrefs({ lang: e.target.value as Lang })}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l === 'zh' ? 'zh-CN' : 'en'}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
      <label className="al-inline-field" htmlFor={`${id}-theme`}>
        <span>{t('prefs.theme')}</span>
      </label>
      <select id={`${id}-theme`} value={theme} data-testid="theme" onChange={(e) => setPrefs({ theme: e.target.value as Theme })}>
        {THEMES.map((th) => (
          <option key={th} value={th}>
            {t(THEME_KEYS[th])}
          </option>
        ))}
      </select>
      <label className="al-inline-field al-check-inline" title={t('prefs.contrast.hint')}>
        <input
          type="checkbox"
          data-testid="high-contrast"
          checked={palette === 'high-contrast'}
          onChange={(e) => setPrefs({ palette: e.target.checked ? 'high-contrast' : 'default' })}
        />
        <span>{t('prefs.contrast')}</span>
      </label>
    </div>
  );
}
