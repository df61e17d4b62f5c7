// What the Node benchmarks measure of their own process.
import { tf } from '../engine/backend.ts';

/** This process's CPU time in ms (on the shared cores, wall time also counts waiting for a core). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident set size of this process so far (bytes). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The wasm backend's linear memory (it only grows, so its size is its peak). */
export function wasmHeap(): number {
  const b = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return b.wasm?.HEAPU8.buffer.byteLength ?? 0;
}
