#!/usr/bin/env node
// Runs the browser tests: makes sure Debian's Chromium is there, builds the app, then runs the e2e suite.
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

const extra = process.argv.slice(2).filter((a) => a !== '--no-build');
process.exit(run('npx', ['vitest', 'run', '--config', 'tests/e2e/vitest.e2e.config.ts', ...extra]));
