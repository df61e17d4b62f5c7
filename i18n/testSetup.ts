// Unit tests: both catalogs loaded before any test runs, as the app and the widget load a language's catalog
// before they write in it (i18n/index.ts). i18n/lazyCatalog.test.ts checks the loading itself on a fresh module.
import { LANGS, loadLang } from './index.ts';

await Promise.all(LANGS.map(loadLang));
