// The regression guard: `npm run bench -- --against <commit>` (or `npx tsx bench/against.ts <commit>`).
//   --quick           fewer repetitions (smoke test)
//   --only <which>    'browser' or 'engine' (default: both)
//   --n <list>        only these sizes, e.g. --n 512,1024 (default: 16, 128, 512, 1024)
//   --no-write-docs   don't write the "## Against an earlier commit" section of docs/performance.md
//
// Builds <commit> in a temporary git worktree (its node_modules: a link to this checkout's when the
// two package-lock.json are the same, else installed by `npm ci` once per lock file and kept for later
// runs), builds the working tree, then times the same benches on both, alternately (A B, B A, A B,
// …), so that both see the same machine load:
//  - browser: mask toggle → all heatmaps painted (bench/app.ts) in headless Chromium, each build
//    served by its own `vite preview`, seeded numbers, d = 96, (n, h) = (16, 4) … (1024, 12);
//  - engine: one computeAttention (wasm, Node) on the same seeded inputs, each version in its own
//    child process (bench/engineProbe.ts) loading that checkout's engine and its own tfjs.
// Per size it prints both medians and the ratio of each back-to-back pair (working tree ÷ commit):
// FAIL when even the lower quartile of those ratios is above 1.10, i.e. the working tree is more
// than 10 % slower beyond the run's own spread. Exit code 1 on any FAIL.
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startPreview, type Preview } from '../scripts/preview.ts';
import { CHROMIUM, D, launchBench, openSeeded, timeToggle } from './app.ts';
import { writeDocSection } from './docSection.ts';
import type { ProbeReply, ProbeRequest } from './engineProbe.ts';

const argv = process.argv.slice(2);
const valueOf = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const REF = valueOf('--against') ?? argv.find((a) => !a.startsWith('--') && a !== valueOf('--only') && a !== valueOf('--n'));
const QUICK = argv.includes('--quick');
const ONLY = valueOf('--only');
const WRITE_DOCS = !argv.includes('--no-write-docs');
const ROOT = join(import.meta.dirname, '..');
/** Pairs whose ratio (working tree ÷ commit) has its lower quartile above this fail. */
const SLOWER_LIMIT = 1.1;

interface Size {
  n: number;
  h: number;
  /** Alternating pairs (browser, engine). */
  reps: [number, number];
}
const ALL_SIZES: Size[] = [
  { n: 16, h: 4, reps: [15, 31] },
  { n: 128, h: 8, reps: [11, 21] },
  { n: 512, h: 12, reps: [9, 11] },
  { n: 1024, h: 12, reps: [9, 9] },
];
const ONLY_N = valueOf('--n')?.split(',').map(Number);
const SIZES = ONLY_N ? ALL_SIZES.filter((s) => ONLY_N.includes(s.n)) : ALL_SIZES;

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}`);
}

/**
 * node_modules for the checkout in `dir`: this checkout's when the two package-lock.json are the same,
 * else one installed by `npm ci` once per lock file and kept in the system's temporary folder, so that
 * running the guard again against the same commit does not install everything again.
 */
function modulesFor(commit: string, dir: string): string {
  const lock = readFileSync(join(dir, 'package-lock.json'));
  if (lock.equals(readFileSync(join(ROOT, 'package-lock.json')))) {
    console.log(`${commit.slice(0, 9)}: same package-lock.json, reusing node_modules`);
    return join(ROOT, 'node_modules');
  }
  const kept = join(os.tmpdir(), 'al-against-modules', createHash('sha256').update(lock).digest('hex').slice(0, 16));
  const modules = join(kept, 'node_modules');
  if (existsSync(join(kept, 'complete'))) {
    console.log(`${commit.slice(0, 9)}: reusing node_modules installed for its package-lock.json (${kept})`);
    return modules;
  }
  console.log(`${commit.slice(0, 9)}: npm ci … (kept in ${kept} for the next run)`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel', 'error'], dir);
  rmSync(kept, { recursive: true, force: true });
  mkdirSync(kept, { recursive: true });
  renameSync(join(dir, 'node_modules'), modules);
  writeFileSync(join(kept, 'complete'), commit);
  return modules;
}

/** A worktree of `commit`, built, with its node_modules; remove() takes it away again. */
function checkout(commit: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(os.tmpdir(), 'al-against-'));
  git('worktree', 'add', '--detach', '--force', dir, commit);
  const remove = () => {
    try {
      git('worktree', 'remove', '--force', dir);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      git('worktree', 'prune');
    }
  };
  try {
    symlinkSync(modulesFor(commit, dir), join(dir, 'node_modules'), 'dir');
    console.log(`${commit.slice(0, 9)}: vite build …`);
    run('npx', ['vite', 'build', '--logLevel', 'warn'], dir);
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, remove };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(s.length - 1, lo + 1)] - s[lo]) * (at - lo);
}

interface Row {
  bench: 'browser' | 'engine';
  n: number;
  h: number;
  base: number[];
  work: number[];
  load: [number, number];
}

const ratios = (r: Row) => r.work.map((w, i) => w / r.base[i]);
const failed = (r: Row) => quantile(ratios(r), 0.25) > SLOWER_LIMIT;

/** Runs `a` and `b` in turn `reps` times, swapping who goes first every round. */
async function alternate(reps: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < reps; r++) {
    if (r % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return [as, bs];
}

async function browserRows(baseDir: string): Promise<Row[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const previews: Preview[] = [];
  let browser: Browser | null = null;
  const rows: Row[] = [];
  try {
    previews.push(await startPreview(baseDir, '/'), await startPreview(ROOT, '/'));
    browser = await launchBench(chromium);
    for (const s of SIZES) {
      const load0 = os.loadavg()[0];
      const [base, work] = [await openSeeded(browser, previews[0].url, s.n, s.h), await openSeeded(browser, previews[1].url, s.n, s.h)];
      // A toggle, then a pause twice as long (at least 100 ms) so the worker's work after the picture
      // (head scores) is done before the next one: each version's edits are timed from an idle worker.
      const toggle = async (page: typeof base.page) => {
        const ms = await timeToggle(page);
        await page.waitForTimeout(Math.max(100, 2 * ms));
        return ms;
      };
      await toggle(base.page);
      await toggle(work.page);
      const [b, w] = await alternate(QUICK ? 3 : s.reps[0], () => toggle(base.page), () => toggle(work.page));
      for (const [name, x] of [
        ['commit', base],
        ['working tree', work],
      ] as const) {
        if (x.errors.length) throw new Error(`${name}: page errors at n = ${s.n}: ${x.errors.join('; ')}`);
      }
      await base.close();
      await work.close();
      const row: Row = { bench: 'browser', n: s.n, h: s.h, base: b, work: w, load: [load0, os.loadavg()[0]] };
      rows.push(row);
      console.log(line(row));
    }
  } finally {
    await browser?.close();
    for (const p of previews) p.stop();
  }
  return rows;
}

function probe(root: string): Promise<{ child: ChildProcess; time: (req: ProbeRequest) => Promise<number> }> {
  const child = fork(join(import.meta.dirname, 'engineProbe.ts'), [root], {
    execArgv: ['--import', join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<number>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`engine probe of ${root} exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: ProbeReply) => {
        child.off('exit', onExit);
        if ('error' in m) reject(new Error(`${root}: ${m.error}`));
        else resolve(m.ms);
      });
    });
  return next().then(() => ({
    child,
    time: (req) => {
      const reply = next();
      child.send(req);
      return reply;
    },
  }));
}

async function engineRows(baseDir: string): Promise<Row[]> {
  const [base, work] = await Promise.all([probe(baseDir), probe(ROOT)]);
  const rows: Row[] = [];
  try {
    for (const s of SIZES) {
      const load0 = os.loadavg()[0];
      const req = { n: s.n, h: s.h, d: D };
      for (let k = 0; k < 2; k++) {
        await base.time(req);
        await work.time(req);
      }
      const [b, w] = await alternate(QUICK ? 3 : s.reps[1], () => base.time(req), () => work.time(req));
      const row: Row = { bench: 'engine', n: s.n, h: s.h, base: b, work: w, load: [load0, os.loadavg()[0]] };
      rows.push(row);
      console.log(line(row));
    }
  } finally {
    base.child.kill();
    work.child.kill();
  }
  return rows;
}

function cells(r: Row): string[] {
  const q = ratios(r);
  const speed = (x: number) => `${x.toFixed(2)}×`;
  return [
    r.bench,
    String(r.n),
    String(r.h),
    median(r.base).toFixed(1),
    median(r.work).toFixed(1),
    // As a speed-up (commit ÷ working tree: above 1 is faster), the spread from the quartiles of the pairs.
    `${speed(1 / median(q))} (${speed(1 / quantile(q, 0.75))}–${speed(1 / quantile(q, 0.25))})`,
    `${r.load[0].toFixed(1)}–${r.load[1].toFixed(1)}`,
    failed(r) ? `FAIL (> ${Math.round((SLOWER_LIMIT - 1) * 100)} % slower)` : 'PASS',
  ];
}

const line = (r: Row) => cells(r).join('  ');
const HEADER = ['bench', 'n', 'h', 'commit (median ms)', 'working tree (median ms)', 'speed-up, median of pairs (quartiles)', 'load average', 'verdict'];

async function main(): Promise<void> {
  if (!REF) throw new Error('usage: npm run bench -- --against <commit>');
  const commit = git('rev-parse', '--verify', `${REF}^{commit}`);
  const short = commit.slice(0, 9);
  const head = git('rev-parse', '--short=9', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const base = checkout(commit);
  const rows: Row[] = [];
  try {
    console.log('working tree: vite build …');
    run('npx', ['vite', 'build', '--logLevel', 'warn'], ROOT);
    console.log(`\n${HEADER.join('  ')}`);
    if (ONLY !== 'engine') rows.push(...(await browserRows(base.dir)));
    if (ONLY !== 'browser') rows.push(...(await engineRows(base.dir)));
  } finally {
    base.remove();
  }
  const table = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${cells(r).join(' | ')} |`)].join('\n');
  const pass = rows.every((r) => !failed(r));
  console.log(`\n${table}\n\nagainst ${short}: ${pass ? 'PASS' : 'FAIL'}`);
  if (WRITE_DOCS && !QUICK && !ONLY_N) {
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
    writeDocSection(
      '## Against an earlier commit',
      `## Against an earlier commit

Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --against ${REF}\` (commit ${short}) on ${machine}: the working tree (${head}${dirty ? ' with uncommitted changes' : ''}) against ${short}, each built from scratch, timed alternately in one run. Browser: mask toggle → all heatmaps painted (as in the Browser section: seeded numbers, d = ${D}, Heads view). Engine: one \`computeAttention\` on the same seeded input (wasm, Node). The speed-up is the median over back-to-back pairs of commit ÷ working tree (above 1: the working tree is faster), with the quartiles of those pairs; a size FAILs when even the lower quartile shows the working tree more than ${Math.round((SLOWER_LIMIT - 1) * 100)} % slower.

${table}

Verdict: ${pass ? 'PASS' : 'FAIL'}.
`,
    );
  }
  if (!pass) process.exitCode = 1;
}

await main();
