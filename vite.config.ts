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
    include: ['engine/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts', 'compute/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/hub/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
