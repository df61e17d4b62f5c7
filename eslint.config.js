import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The layers, bottom to top. A folder imports only from the folders before it; the shells (app, widget) share
 * the rank and never import each other. `above` lists what each may not reach.
 */
const ORDER = ['engine', 'i18n', 'components', 'state', 'compute', 'input', 'views'];
const SHELLS = ['app', 'widget'];
const LAYERS = [
  ...ORDER.map((folder, k) => ({ folder, above: [...ORDER.slice(k + 1), ...SHELLS] })),
  ...SHELLS.map((folder) => ({ folder, above: SHELLS.filter((s) => s !== folder) })),
];
const WHY = {
  engine: 'engine/ is pure: it imports nothing above it.',
  i18n: 'i18n/ imports nothing above it.',
  components: 'components/ take props: no store, workers, view frames or shells.',
  state: 'state/ does not import the layers above it.',
  compute: 'compute/ does not import the layers above it.',
  input: 'input/ does not import the view frames or the shells.',
  views: 'views/ does not import the shells.',
  app: 'app/ does not import widget/: share through views/ or a lower layer.',
  widget: 'widget/ does not import app/: share through views/ or a lower layer.',
};
/** The engine runs in Node and in workers: no UI library, statically or with import(). */
const UI_LIBRARIES = '^(react|react-dom|d3(-.*)?|katex|zustand)(/.*)?$';

/** A relative path (any number of ../) into one of these top-level folders. */
function layerImport(folders) {
  return `^(\\.\\./)+(${folders.join('|')})/`;
}

/**
 * The same regular expression as an esquery attribute selector value, for what no-restricted-imports does not
 * see: import() and new URL(…)/new Worker(…) paths. esquery's regex literal cannot hold a "/", even escaped.
 */
const selectorRegex = (source) => `/${source.replace(/\//g, '\\x2F')}/`;

/** Every way a file can reach another one: import/export … from (no-restricted-imports), import(), new URL('…'), new Worker('…'). */
function layerRules(patterns) {
  const syntax = patterns.flatMap(({ regex, message }) => [
    { selector: `ImportExpression > Literal.source[value=${selectorRegex(regex)}]`, message },
    { selector: `NewExpression[callee.name=/^(URL|Worker|SharedWorker)$/] > Literal.arguments[value=${selectorRegex(regex)}]`, message },
  ]);
  return {
    'no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...syntax],
  };
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
  // One block per layer. The globs take every source kind, so a .tsx (or .js) file in state/ or compute/ is
  // held to its folder's rule too. Tests may drive several layers.
  ...LAYERS.map(({ folder, above }) => {
    const patterns = [{ regex: layerImport(above), message: WHY[folder] }];
    if (folder === 'engine') patterns.unshift({ regex: UI_LIBRARIES, message: 'engine/ is pure TypeScript: no UI libraries.' });
    return {
      files: [`${folder}/**/*.{ts,tsx,js,mjs}`],
      ignores: ['**/*.test.ts', '**/*.test.tsx'],
      rules: {
        ...layerRules(patterns),
        ...(folder === 'engine' ? { 'no-restricted-globals': ['error', 'document', 'window', 'localStorage'] } : {}),
      },
    };
  }),
);
