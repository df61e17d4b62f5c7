// The browser tests (tests/e2e/README.md says how to write one that runs well beside the others).
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run side by side, each in its own worker with its own Chromium: two on a 2-core machine (a file
 * spends much of its time waiting on its page, so two keep both cores busy), never more than E2E_WORKERS.
 */
const workers = Number(process.env.E2E_WORKERS) || Math.max(1, Math.min(2, availableParallelism()));

export default defineConfig({
  test: {
    root: import.meta.dirname + '/../..',
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/globalSetup.ts'],
    setupFiles: ['tests/e2e/setup.ts'],
    fileParallelism: workers > 1,
    maxWorkers: workers,
    // Timeouts only catch a hang: nothing here asserts how long anything takes (bench/ does), and a test must
    // pass on a machine whose cores are shared with other jobs, where a minute of work can take several.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    expect: { poll: { timeout: 60_000, interval: 50 } },
    tags: [
      {
        name: 'slow',
        description: 'long scenario tests (every view × width × language, every lesson step): `npm run test:e2e -- --slow` or CI',
      },
    ],
  },
});
