// Build of the embeddable widget: `npm run build:widget` (also part of `npm run build`) →
// dist/widget/attention-lab.js (ES module, defines <attention-lab>), attention-lab.classic.js (a
// classic script that loads it), react-demo.js, chunks/ and assets/ (the compute worker, tfjs's
// .wasm files, KaTeX fonts). Every URL is relative to the script, so the folder can be copied
// anywhere on the host's site: no CDN, no network beyond its own files.
import { build, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { threadedWasm } from '../build/threadedWasm.ts';

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
 * The components' plain `import './views.css'` (and KaTeX's, in components/common/Formula.tsx) are for the
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

/**
 * dist/widget/react-demo.js (public/widget-react-demo.html): the React export (widget/react.tsx) in a
 * React page. Built on its own after the widget, with its own React as a host app has, and the
 * element taken from ./attention-lab.js: in one build the two entries would share React and the
 * element through a common chunk, and attention-lab.js would need a second round trip for it.
 */
function reactDemo(): Plugin {
  let outDir = '';
  return {
    name: 'attention-lab-react-demo',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        base: './',
        publicDir: false,
        logLevel: 'warn',
        plugins: [
          react(),
          {
            name: 'attention-lab-element-from-widget',
            enforce: 'pre',
            resolveId(source, importer) {
              if (source === './element.tsx' && importer?.replace(/\\/g, '/').endsWith('/widget/react.tsx')) return { id: './attention-lab.js', external: true };
              return null;
            },
          },
        ],
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          copyPublicDir: false,
          modulePreload: false,
          rollupOptions: {
            input: { 'react-demo': `${root}/widget/react-demo.tsx` },
            output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
          },
        },
      });
    },
  };
}

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [noDocumentCss(), react(), classicLoader(), reactDemo(), threadedWasm()],
  // On a cross-origin-isolated host page the worker runs tfjs's threaded build (build/threadedWasm.ts).
  worker: { format: 'es', plugins: () => [threadedWasm()] },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    copyPublicDir: false,
    // No <link rel=modulepreload> in the host's <head> for the lazy chunks (their imports are loaded already).
    modulePreload: false,
    rollupOptions: {
      // One entry only: attention-lab.js holds the whole first load (no chunk waterfall); the lazy
      // views' chunks import from it. react-demo.js is built after it (see reactDemo).
      input: { 'attention-lab': `${root}/widget/attention-lab.ts` },
      // Keep the entry's own exports (AttentionLabElement, defineAttentionLab) next to those the lazy chunks use.
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
