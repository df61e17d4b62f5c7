import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** A relative import (any number of ../) of one of these top-level folders. */
function layerImport(folders) {
  return `^(\\.\\./)+(${folders.join('|')})/`;
}

export default tseslint.config(
  { ignores: ['dist/', 'dist-widget/', 'node_modules/', 'tests/e2e/artifacts/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  // The layers, bottom to top: engine and i18n → components (views) → state → compute → input → views
  // (the view frames) → app and widget (the shells). A folder imports only from below it (tests may drive several layers).
  // The patterns are regular expressions over the import path, so "../../app/x" is caught too.
  {
    // The engine runs in Node and in workers: it must never reach for the DOM, React or the layers above.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(react|react-dom|d3(-.*)?|katex|zustand)(/.*)?$', message: 'engine/ is pure TypeScript: no UI libraries.' },
            { regex: layerImport(['i18n', 'components', 'state', 'compute', 'input', 'views', 'app', 'widget']), message: 'engine/ imports nothing above it.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
  {
    files: ['i18n/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['components', 'state', 'compute', 'input', 'views', 'app', 'widget']), message: 'i18n/ imports nothing above it.' }] }],
    },
  },
  {
    // Views take plain data as props: they never reach into the store, the workers or the shells.
    files: ['components/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['state', 'compute', 'input', 'views', 'app', 'widget']), message: 'components/ take props: no state, compute, input, views, app or widget.' }] }],
    },
  },
  {
    files: ['state/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['compute', 'input', 'views', 'app', 'widget']), message: 'state/ does not import the layers above it.' }] }],
    },
  },
  {
    files: ['compute/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['input', 'views', 'app', 'widget']), message: 'compute/ does not import the layers above it.' }] }],
    },
  },
  {
    files: ['input/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['views', 'app', 'widget']), message: 'input/ does not import the view frames or the shells.' }] }],
    },
  },
  {
    files: ['views/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['app', 'widget']), message: 'views/ does not import the shells.' }] }],
    },
  },
  {
    // The two shells share the layers below them and never each other.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['widget']), message: 'app/ does not import widget/: share through views/ or a lower layer.' }] }],
    },
  },
  {
    files: ['widget/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: layerImport(['app']), message: 'widget/ does not import app/: share through views/ or a lower layer.' }] }],
    },
  },
);
