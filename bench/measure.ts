// What the Node benchmarks measure of their own process. Nothing here loads tfjs, so a process that does
// not run it (the onnxruntime side of bench/peer.ts) measures itself without it.

/** This process's CPU time in ms (on the shared cores, wall time also counts waiting for a core). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident set size of this process so far (bytes). */
export const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** The linear memory of a tfjs wasm backend (`tf.backend()`; it only grows, so its size is its peak); 0 for other backends. */
export function wasmHeap(backend: unknown): number {
  const b = backend as { wasm?: { HEAPU8: Uint8Array } };
  return b.wasm?.HEAPU8.buffer.byteLength ?? 0;
}
