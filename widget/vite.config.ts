// Build of the embeddable widget: `npm run build:widget` (also part of `npm run build`) →
// dist/widget/attention-lab.js (ES module, defines <attention-lab>), attention-lab.classic.js (a
// classic script that loads it), react-demo.js, chunks/ and assets/ (the compute worker, tfjs's
// .wasm files, KaTeX fonts). Every URL is relative to the script, so the folder can be copied
// anywhere on the host's site: no CDN, no network beyond its own files.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = `${import.meta.dirname}/..`;

/** A classic (non-module) script that loads the ES build next to it; it defines no globals. */
function classicLoader(): Plugin {
  return {
    name: 'attention-lab-classic-loader',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'attention-lab.classic.js',
        source:
          '/* Attention Lab widget, classic-script loader: <script src=".../attention-lab.classic.js"></script> */\n' +
          '(function () {\n' +
          "  var s = document.currentScript, base = (s && s.src) || document.baseURI;\n" +
          "  import(new URL('attention-lab.js', base).href).catch(function (e) { console.error('attention-lab: could not load the widget', e); });\n" +
          '})();\n',
      });
    },
  };
}

/**
 * The components' plain `import './views.css'` (and KaTeX's, in components/Formula.tsx) are for the
 * app's documents. In the widget they become empty modules: its CSS lives only in its shadow roots
 * (widget/styles.ts, `?inline`), and a lazy chunk with CSS would make Vite add a <link> to the host's
 * <head>.
 */
function noDocumentCss(): Plugin {
  const EMPTY = '\0attention-lab-no-document-css';
  return {
    name: 'attention-lab-no-document-css',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /\.css$/.test(source)) return EMPTY;
      return null;
    },
    load(id) {
      return id === EMPTY ? 'export {};' : null;
    },
  };
}

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [noDocumentCss(), react(), classicLoader()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    copyPublicDir: false,
    // No <link rel=modulepreload> in the host's <head> for the lazy chunks (their imports are loaded already).
    modulePreload: false,
    rollupOptions: {
      input: {
        'attention-lab': `${root}/widget/attention-lab.ts`,
        'react-demo': `${root}/widget/react-demo.tsx`,
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
