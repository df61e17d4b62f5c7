// Runs before every browser test file (vitest setupFiles): the file's Chromium closes once its tests are done.
import { afterAll } from 'vitest';
import { closeFileBrowser } from './harness.ts';

afterAll(closeFileBrowser);
