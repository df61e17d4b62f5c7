// Which keys a query may see under the causal mask and a local window: the one rule the engine's mask plan
// and the teaching computations (online softmax, KV cache) share.

/** Keys query i of n may see: lo…hi (causal: up to i; with a local window only the last `window` of those). */
export function admissibleRange(i: number, n: number, causal: boolean, window: number | null = null): { lo: number; hi: number } {
  if (!causal) return { lo: 0, hi: n - 1 };
  return { lo: window !== null ? Math.max(0, i - window + 1) : 0, hi: i };
}
