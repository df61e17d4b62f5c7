#!/usr/bin/env node
// Runs every benchmark, even when an earlier one misses a target, and fails if any did.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = ['bench/engine.ts', 'bench/model.ts', 'bench/checkpoint.ts', 'bench/sweep.ts', 'bench/corpus.ts', 'bench/browser.ts', 'bench/hubBrowser.ts', 'bench/widget.ts', 'bench/mobile.ts'].filter((f) => existsSync(f));
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const res = spawnSync('npx', ['tsx', file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
