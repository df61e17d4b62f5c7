// Where the time of an edit goes: CPU profiles of the page and of the compute worker while the
// causal mask is toggled (seeded numbers, d = 96), taken through the Chrome DevTools Protocol.
//   npx tsx bench/profile.ts [--root <built checkout>] [--n 1024] [--h 12] [--reps 5] [--top 25] [--save <dir>]
// --root serves <dir>/dist (default: this checkout, built if dist/ is missing). Prints, per thread,
// the functions with the most self time and the most total time per toggle; --save writes the raw
// .cpuprofile files (open them in DevTools' Performance panel).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import { startPreview } from '../scripts/preview.ts';
import { launchBench, openSeeded, timeToggle } from './app.ts';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const ROOT = resolve(opt('root', join(import.meta.dirname, '..')));
const N = Number(opt('n', '1024'));
const H = Number(opt('h', '12'));
const REPS = Number(opt('reps', '5'));
const TOP = Number(opt('top', '25'));
const SAVE = argv.includes('--save') ? resolve(opt('save', 'profiles')) : null;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Commands to a worker through its page's session (Target.sendMessageToTarget, not flattened). */
class WorkerChannel {
  private next = 1;
  private waiting = new Map<number, (r: unknown) => void>();
  constructor(
    private readonly page: CDPSession,
    readonly sessionId: string,
  ) {
    page.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      if (e.sessionId !== this.sessionId) return;
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const done = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      done?.(msg.error ? Promise.reject(new Error(msg.error.message)) : msg.result);
    });
  }
  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((res) => {
      this.waiting.set(id, res as (r: unknown) => void);
      void this.page.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    });
  }
}

/**
 * Records, for each "al:paint", how long after the start of the last animation frame callback it
 * came: what the signal adds when it waits for the frame to be painted (rather than firing in it).
 */
const RAF_PROBE = `(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { window.__benchRaf = performance.now(); cb(t); });
  window.__benchSignalGaps = [];
  window.addEventListener('al:paint', () => window.__benchSignalGaps.push(performance.now() - window.__benchRaf));
})();`;

const label = (f: ProfileNode['callFrame']) => `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}` : ''}`.trim();

/** Self and total milliseconds by function (a recursive function counted once per sample). */
function summarise(p: Profile): { self: Map<string, number>; total: Map<string, number>; ms: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    let id: number | undefined = p.samples[i];
    const node = byId.get(id)!;
    self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + dt);
    const seen = new Set<string>();
    while (id !== undefined) {
      const l = label(byId.get(id)!.callFrame);
      if (!seen.has(l)) {
        seen.add(l);
        total.set(l, (total.get(l) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  return { self, total, ms: (p.endTime - p.startTime) / 1000 };
}

function print(name: string, p: Profile, reps: number): void {
  const { self, total, ms } = summarise(p);
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([k, v]) => `  ${(v / reps).toFixed(1).padStart(8)} ms  ${k}`)
      .join('\n');
  console.log(`\n--- ${name}: ${(ms / reps).toFixed(0)} ms of profile per toggle; self time per toggle ---\n${top(self)}`);
  console.log(`--- ${name}: total (inclusive) time per toggle ---\n${top(total)}`);
}

async function main(): Promise<void> {
  const preview = await startPreview(ROOT, '/');
  const browser = await launchBench(chromium);
  try {
    const { page } = await openSeeded(browser, preview.url, N, H, RAF_PROBE);
    const cdp = await page.context().newCDPSession(page);
    const workers: WorkerChannel[] = [];
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
      if (e.targetInfo.type === 'worker') workers.push(new WorkerChannel(cdp, e.sessionId));
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    for (let i = 0; i < 100 && workers.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    if (workers.length === 0) throw new Error('no worker target found');
    await timeToggle(page); // warm-up
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    for (const w of workers) {
      await w.send('Profiler.enable');
      await w.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    await cdp.send('Profiler.start');
    for (const w of workers) await w.send('Profiler.start');
    const load = os.loadavg()[0];
    const times: number[] = [];
    for (let r = 0; r < REPS; r++) {
      times.push(await timeToggle(page));
      // As the guard does: the worker's work after the picture (head scores) ends before the next toggle.
      await page.waitForTimeout(Math.max(100, 2 * times[r]));
    }
    const pageProfile = (await cdp.send('Profiler.stop')).profile as unknown as Profile;
    const workerProfiles: Profile[] = [];
    for (const w of workers) workerProfiles.push((await w.send<{ profile: Profile }>('Profiler.stop')).profile);
    const gaps = (await page.evaluate('window.__benchSignalGaps.slice(-' + REPS + ')')) as number[];
    console.log(`${ROOT}: n = ${N}, h = ${H}: toggle → painted ${times.map((t) => t.toFixed(0)).join(', ')} ms (profiled); load average ${load.toFixed(1)}`);
    console.log(`last animation frame → al:paint: ${gaps.map((g) => g.toFixed(1)).join(', ')} ms`);
    print('page', pageProfile, REPS);
    workerProfiles.forEach((p, k) => print(`worker ${k}`, p, REPS));
    if (SAVE) {
      mkdirSync(SAVE, { recursive: true });
      writeFileSync(join(SAVE, `page-${N}.cpuprofile`), JSON.stringify(pageProfile));
      workerProfiles.forEach((p, k) => writeFileSync(join(SAVE, `worker${k}-${N}.cpuprofile`), JSON.stringify(p)));
    }
  } finally {
    await browser.close();
    preview.stop();
  }
}

if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error(`${ROOT}/dist is missing: build it first (npx vite build)`);
await main();
