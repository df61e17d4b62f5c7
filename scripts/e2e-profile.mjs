#!/usr/bin/env node
// Where the browser suite spends its time: runs each tests/e2e/*.e2e.ts file alone on one worker against the
// built dist/ (`npm run build` first) and prints, per file, its wall time, its CPU time (user + system of the
// whole process tree: vitest, vite preview, Chromium with its renderers and workers; python3 counts it) and the
// load average around it, then the slowest tests. On a busy machine the wall time says little; the CPU time is
// what the file costs, and CPU / cores bounds what a quiet machine can do.
//
//   node scripts/e2e-profile.mjs [file filter…] [-- vitest args, e.g. --tags-filter=slow]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const filters = dash < 0 ? argv : argv.slice(0, dash);
const vitestArgs = dash < 0 ? [] : argv.slice(dash + 1);
const files = readdirSync('tests/e2e')
  .filter((f) => f.endsWith('.e2e.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .map((f) => `tests/e2e/${f}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'al-e2e-profile-'));
const rows = [];
// Runs a command as a child subreaper (Linux prctl) and prints "wall cpu" in seconds: the CPU of every process
// it started, including those that outlive their parent (vite preview, Chromium's zygote and renderers), which
// GNU time's rusage misses (a third of a small file's CPU).
const SUBREAPER = `
import ctypes, os, sys, resource, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
t0 = time.time()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    try: os.wait()
    except ChildProcessError: break
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{time.time() - t0:.2f} {r.ru_utime + r.ru_stime:.2f}", file=sys.stderr)
`;
const tests = [];

for (const file of files) {
  const load0 = os.loadavg()[0];
  const json = path.join(tmp, 'report.json');
  const res = spawnSync(
    'python3',
    ['-c', SUBREAPER, 'npx', 'vitest', 'run', '--config', 'tests/e2e/vitest.e2e.config.ts', '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`, ...vitestArgs, file],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, E2E_WORKERS: '1' } },
  );
  if (res.error) throw res.error;
  const lines = res.stderr.trim().split('\n');
  if (res.status !== 0) console.error(lines.slice(0, -1).join('\n'));
  const [wall, cpu] = lines.at(-1).split(' ').map(Number);
  let passed = 0;
  let failed = 0;
  try {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    for (const r of report.testResults)
      for (const t of r.assertionResults) {
        if (t.status === 'passed') passed++;
        else if (t.status === 'failed') failed++;
        if (t.duration != null) tests.push({ file, name: t.fullName, ms: t.duration });
      }
  } catch {
    failed = -1; // no report: the run itself failed
  }
  const row = { file, wall, cpu, load0, load1: os.loadavg()[0], passed, failed, code: res.status };
  rows.push(row);
  console.log(`${file}: wall ${wall.toFixed(1)} s, CPU ${row.cpu.toFixed(1)} s, load ${load0.toFixed(1)} → ${row.load1.toFixed(1)}, ${passed} passed${failed ? `, ${failed} failed` : ''}`);
}
rmSync(tmp, { recursive: true, force: true });

const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
console.log('\n| file | tests | wall (s) | CPU (s) | load before → after |\n|---|---|---|---|---|');
for (const r of [...rows].sort((a, b) => b.cpu - a.cpu))
  console.log(`| ${path.basename(r.file)} | ${r.passed}${r.failed ? ` (+${r.failed} failed)` : ''} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${r.load0.toFixed(1)} → ${r.load1.toFixed(1)} |`);
console.log(`| **all** | ${sum('passed')} | ${sum('wall').toFixed(1)} | ${sum('cpu').toFixed(1)} | |`);
console.log(`\nCPU ${sum('cpu').toFixed(0)} s in all: at least ${(sum('cpu') / os.availableParallelism() / 60).toFixed(1)} min of wall time on ${os.availableParallelism()} cores.`);
console.log('\nSlowest tests (wall, as run alone):');
for (const t of tests.sort((a, b) => b.ms - a.ms).slice(0, 15)) console.log(`  ${(t.ms / 1000).toFixed(1)} s  ${path.basename(t.file)} › ${t.name}`);
process.exit(rows.some((r) => r.code !== 0) ? 1 : 0);
