#!/usr/bin/env node
// Runs every benchmark, then the regression guard against the baseline commit, even when an earlier
// one misses a target, and fails if any did.
// `npm run bench -- --against <commit>` runs only the guard, against that commit (bench/against.ts);
// `--no-against` leaves the guard out of the full run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The commit the full run compares with: the last one before the main path got slower (issue 27). */
const BASELINE = '383be39';

const args = process.argv.slice(2);
const guardOnly = args.includes('--against');
const benches = guardOnly ? [] : ['bench/engine.ts', 'bench/model.ts', 'bench/checkpoint.ts', 'bench/peer.ts', 'bench/bigModel.ts', 'bench/sweep.ts', 'bench/corpus.ts', 'bench/browser.ts', 'bench/threads.ts', 'bench/pool.ts', 'bench/peerBrowser.ts', 'bench/hubBrowser.ts', 'bench/bigBrowser.ts', 'bench/corpusBrowser.ts', 'bench/widget.ts', 'bench/mobile.ts', 'bench/responsive.ts'].filter((f) => existsSync(f));
const runs = benches.map((file) => [file, args.filter((a) => a !== '--no-against')]);
if (guardOnly) runs.push(['bench/against.ts', args]);
else if (!args.includes('--no-against')) runs.push(['bench/against.ts', ['--against', BASELINE]]);
let failed = 0;
for (const [file, fileArgs] of runs) {
  console.log(`\n=== ${file} ===`);
  const res = spawnSync('npx', ['tsx', file, ...fileArgs], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
