import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { threadedWasm } from './build/threadedWasm.ts';

/**
 * Cross-origin isolation (docs/deploying.md): with these two headers a page may use SharedArrayBuffer,
 * which the threaded wasm build of TensorFlow.js needs. Everything the app loads is same-origin or
 * fetched with CORS (Hub files), so require-corp blocks nothing it uses.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), threadedWasm()],
  worker: { format: 'es', plugins: () => [threadedWasm()] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // /embed (the iframe route; vite dev/preview serve /embed from embed.html) next to the app.
    rollupOptions: { input: { main: 'index.html', embed: 'embed.html' } },
  },
  test: {
    include: ['build/**/*.test.ts', 'engine/**/*.test.ts', 'i18n/**/*.test.ts', 'state/**/*.test.ts', 'compute/**/*.test.ts', 'input/**/*.test.ts', 'app/**/*.test.ts', 'views/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'widget/**/*.test.ts', 'tests/hub/**/*.test.ts'],
    environment: 'node',
    // Every catalog loaded, as on a page that has chosen its language (the 中文 one is a lazy chunk in the app).
    setupFiles: ['i18n/testSetup.ts'],
    // Timeouts only catch a hang (no test asserts a time): on a machine whose cores other jobs share, a test of
    // a few seconds can take minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
