// A widget's first picture without waiting for its worker: for a small document the first result is
// computed on the main thread with the engine's plain-JS float64 reference (no tfjs), so the widget
// is painted and interactive while its worker is still loading tfjs; the worker's result (same
// numbers up to float32 rounding) then replaces it like any later result. The input is the worker's
// (engine/scenario.ts buildInput) and the result is assembled as the compute client does (compute/computed.ts).
import { referenceAttention } from '../engine/reference.ts';
import { buildInput, effectiveHeads } from '../engine/scenario.ts';
import { computedOf } from '../compute/computed.ts';
import { limitProblem } from '../state/document.ts';
import type { AppStore } from '../state/store.ts';

/** Larger documents wait for the worker (the reference is O(n²·d) in plain JS on the main thread). */
const MAX_CELLS = 64 * 64 * 8;

export function quickFirstResult(store: AppStore): boolean {
  const { doc, computed, actions } = store.getState();
  if (computed || limitProblem(doc) || doc.source.kind === 'model') return false;
  const n = doc.tokens.length;
  if (n * n * effectiveHeads(doc) > MAX_CELLS || doc.d > 128) return false;
  try {
    const t0 = performance.now();
    const input = buildInput(doc);
    const t1 = performance.now();
    const result = referenceAttention(input);
    const t2 = performance.now();
    const answer = { attention: [result.heads.map((h) => h.A)], pooled: false, detail: { layer: 0, input, result }, model: null, unknown: null, tokens: null };
    // id 0: the worker's results count from 1.
    actions.setComputed(computedOf(0, doc, answer, { queue: 0, build: t1 - t0, compute: t2 - t1, back: 0, roundTrip: t2 - t0 }));
    return true;
  } catch {
    return false; // the worker will report the problem
  }
}
