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

if (!existsSync(CHROMIUM)) {
  console.log(`e2e: ${CHROMIUM} not found, installing Debian's chromium (apt-get)…`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(isRoot ? [] : ['apt-get']), 'update'], { env }) !== 0 ||
      run(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(isRoot ? [] : ['apt-get']), 'install', '-y', 'chromium'], { env }) !== 0 ||
      !existsSync(CHROMIUM)) {
    console.error('e2e: could not install chromium with apt-get; install it (apt-get install -y chromium) and retry.');
    process.exit(1);
  }
}

if (!process.argv.includes('--no-build')) {
  const code = run('npx', ['vite', 'build', '--logLevel', 'warn']);
  if (code !== 0) process.exit(code);
}

const extra = process.argv.slice(2).filter((a) => a !== '--no-build');
process.exit(run('npx', ['vitest', 'run', '--config', 'tests/e2e/vitest.e2e.config.ts', ...extra]));
