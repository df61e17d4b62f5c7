// Chromium's processes and threads as /proc shows them (Linux), for the browser benchmarks' memory and CPU figures.
import { readdirSync, readFileSync } from 'node:fs';

/** A process's resident set now and the kernel's peak of it (VmRSS, VmHWM; bytes), or null once it is gone. */
export function status(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null; // gone
  }
}

/** Every process under `root` (pid → parent from /proc/<pid>/stat). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, par] of parent) {
      if (par !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** "renderer", "gpu-process", "utility:network.mojom.NetworkService", "zygote", or "browser" for the main process. */
export function kindOf(pid: number): string | null {
  try {
    // Chromium rewrites its children's titles: their arguments may come as one string with spaces.
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (!/chrom/i.test(cmd.split(' ')[0] ?? '')) return null;
    const type = /--type=(\S+)/.exec(cmd)?.[1];
    const sub = /--utility-sub-type=(\S+)/.exec(cmd)?.[1];
    return type ? (sub ? `${type}:${sub}` : type) : 'browser';
  } catch {
    return null;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux's common builds). */
export const TICKS_PER_S = 100;

/** CPU time (user + system, in clock ticks) of each thread of a process now, by thread id; empty once it is gone. */
export function threadTicks(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // After the name come the fields from the 3rd (state) on: utime is the 14th, stime the 15th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended
    }
  }
  return out;
}
