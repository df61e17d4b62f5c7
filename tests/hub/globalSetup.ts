// A vitest globalSetup for browser tests that open models from the hub: starts the static hub server once and
// provides its URL. Add 'tests/hub/globalSetup.ts' to a config's `globalSetup`, then in a test:
//   const hub = inject('hubUrl');  page.goto(`${baseUrl()}/?hub=${encodeURIComponent(hub)}`)  → open hf:local/stories260K-hf
import type { TestProject } from 'vitest/node';
import { startHubServer } from './server.ts';

export default async function setup(project: TestProject) {
  const server = await startHubServer();
  project.provide('hubUrl', server.url);
  return server.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    hubUrl: string;
  }
}
