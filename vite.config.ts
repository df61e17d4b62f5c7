import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // /embed (the iframe route; vite dev/preview serve /embed from embed.html) next to the app.
    rollupOptions: { input: { main: 'index.html', embed: 'embed.html' } },
  },
  test: {
    include: ['engine/**/*.test.ts', 'i18n/**/*.test.ts', 'state/**/*.test.ts', 'compute/**/*.test.ts', 'input/**/*.test.ts', 'app/**/*.test.ts', 'views/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'widget/**/*.test.ts', 'tests/hub/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
