// Serves the production build once for the whole e2e run.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startPreview } from '../../scripts/preview.ts';

export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run test:e2e` (it builds first)');
  const preview = await startPreview(process.cwd());
  project.provide('baseUrl', preview.url);
  return preview.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
