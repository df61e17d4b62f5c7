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

const unitFiles = ['build/**/*.test.ts', 'engine/**/*.test.ts', 'i18n/**/*.test.ts', 'state/**/*.test.ts', 'compute/**/*.test.ts', 'input/**/*.test.ts', 'app/**/*.test.ts', 'views/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'widget/**/*.test.ts', 'tests/hub/**/*.test.ts'];
const isolatedFiles = [
  'engine/backends.test.ts',
  'compute/computeClient.test.ts',
  'compute/corpusClient.test.ts',
  'compute/models.test.ts',
  'compute/worker.test.ts',
  'i18n/lazyCatalog.test.ts',
  'state/examples.test.ts',
  'state/persistence.test.ts',
];

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
    // Files share a worker's module graph (tfjs, the engine) instead of importing it afresh each: without
    // isolation the unit suite's wall time fell from 216 s to 80 s. The files below change process-wide state
    // (module mocks, stubbed globals, tfjs's chosen backend, the active catalog) and keep a fresh module graph.
    projects: [
      { extends: true, test: { name: 'unit', include: unitFiles, exclude: isolatedFiles, isolate: false } },
      { extends: true, test: { name: 'unit-isolated', include: isolatedFiles, isolate: true } },
    ],
    environment: 'node',
    // Every catalog loaded, as on a page that has chosen its language (the 中文 one is a lazy chunk in the app).
    setupFiles: ['i18n/testSetup.ts'],
    // Timeouts only catch a hang (no test asserts a time): on a machine whose cores other jobs share, a test of
    // a few seconds can take minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
