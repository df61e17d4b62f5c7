// The browser peer comparison's page: bench/peerBrowser.ts calls `window.peer` to start each side in its own
// worker and to run them one at a time. Our side's numbers stay here as the reference each peer's numbers are
// checked against, so the 144 maps never travel to Node.
import { agreement, type Agreement } from '../peerFixture.ts';
import type { FromSide, Loaded, Profiled, SideKind, ToSide } from './protocol.ts';

/** A side's worker, asked one thing at a time. */
class Side {
  private readonly worker = new Worker(new URL('./side.worker.ts', import.meta.url), { type: 'module' });

  ask<T extends FromSide>(msg: ToSide): Promise<T> {
    return new Promise((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<FromSide>) => (e.data.type === 'error' ? reject(new Error(e.data.message)) : resolve(e.data as T));
      this.worker.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
      this.worker.postMessage(msg);
    });
  }
}

const sides = new Map<string, Side>();
let reference: Float32Array | null = null;

const side = (key: string) => {
  const s = sides.get(key);
  if (!s) throw new Error(`no side ${key}`);
  return s;
};

const peer = {
  isolated: () => crossOriginIsolated,
  async start(key: string, kind: SideKind, threads: number): Promise<Loaded> {
    const s = new Side();
    sides.set(key, s);
    return s.ask<Loaded>({ type: 'load', kind, threads, model: new URL('/model/', location.href).href, ort: new URL('/ort/ort.wasm.min.mjs', location.href).href });
  },
  /**
   * One forward pass of `key`, timed in its worker. 'reference' keeps its numbers as ours; 'compare' checks
   * them against the reference (the first `mapsLength` numbers are the maps).
   */
  async run(key: string, ids: number[], check: 'none' | 'reference' | 'compare', mapsLength = 0): Promise<{ ms: number; agreement: Agreement | null }> {
    const done = await side(key).ask<Extract<FromSide, { type: 'done' }>>({ type: 'run', ids, keep: check !== 'none' });
    if (check === 'reference') reference = done.numbers!;
    const d = check === 'compare' ? agreement(reference!, done.numbers!, mapsLength) : null;
    return { ms: done.ms, agreement: d };
  },
  profile: (key: string, ids: number[]) => side(key).ask<Profiled>({ type: 'profile', ids }),
  /** Drops the reference (before the next size). */
  forget(): void {
    reference = null;
  },
};

export type PeerPage = typeof peer;
(globalThis as unknown as { peer: PeerPage }).peer = peer;
