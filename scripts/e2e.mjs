#!/usr/bin/env node
// Runs the browser tests: makes sure Debian's Chromium is there, builds the app, then runs the e2e suite
// (tests/e2e/README.md says how the files run side by side and how to write one that runs well beside the others).
//
//   node scripts/e2e.mjs                 every test but the long scenario tests tagged `slow` (what `npm test` runs)
//   node scripts/e2e.mjs --slow          only the `slow` ones (.ci/run runs them after `npm test`)
//   node scripts/e2e.mjs --all           all of them
//   node scripts/e2e.mjs tests/e2e/x.e2e.ts …   the named files, all their tests (slow ones too)
//   --no-build                           reuse dist/; anything else goes to vitest
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

// A CJK font so Chinese token labels render as glyphs, not boxes, in screenshots.
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const packages = [];
if (!existsSync(CHROMIUM)) packages.push('chromium');
if (!existsSync(CJK_FONT)) packages.push('fonts-wqy-microhei');

if (packages.length > 0) {
  console.log(`e2e: installing ${packages.join(' ')} (apt-get)…`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => (isRoot ? run('apt-get', args, { env }) : run('sudo', ['apt-get', ...args], { env }));
  if (apt('update') !== 0 || apt('install', '-y', ...packages) !== 0 || !existsSync(CHROMIUM)) {
    console.error(`e2e: could not install ${packages.join(' ')} with apt-get; install them and retry.`);
    process.exit(1);
  }
}

if (!process.argv.includes('--no-build')) {
  const code = run('npx', ['vite', 'build', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
  // The embeddable widget (dist/widget/), used by the demo page and the widget tests.
  const widget = run('npx', ['vite', 'build', '--config', 'widget/vite.config.ts', '--logLevel', 'warn']);
  if (widget !== 0) process.exit(widget);
}

const flags = new Set(['--no-build', '--slow', '--all']);
const extra = process.argv.slice(2).filter((a) => !flags.has(a));
const namesFiles = extra.some((a) => !a.startsWith('-'));
let tags = [];
if (process.argv.includes('--slow')) tags = ['--tags-filter=slow'];
else if (!process.argv.includes('--all') && !namesFiles) {
  tags = ['--tags-filter=!slow'];
  console.log('e2e: the long scenario tests tagged `slow` run with `npm run test:e2e -- --slow` (CI runs them too)');
}
process.exit(run('npx', ['vitest', 'run', '--config', 'tests/e2e/vitest.e2e.config.ts', ...tags, ...extra]));
