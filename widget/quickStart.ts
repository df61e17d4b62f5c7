// A widget's first picture without waiting for its worker: for a small document the first result is
// computed on the main thread with the engine's plain-JS float64 reference (no tfjs), so the widget
// is painted and interactive while its worker is still loading tfjs; the worker's result (same
// numbers up to float32 rounding) then replaces it like any later result.
import type { CaseJson, AttentionInput } from '../engine/types.ts';
import { referenceAttention } from '../engine/reference.ts';
import { applyOverrides, buildInput } from '../engine/scenario.ts';
import { parseCase } from '../engine/validate.ts';
import { effectiveConvention, effectiveKeyWeights, effectiveMechanism, limitProblem, toScenario } from '../state/document.ts';
import type { AppStore } from '../state/store.ts';

/** Larger documents wait for the worker (the reference is O(n²·d) in plain JS on the main thread). */
const MAX_CELLS = 64 * 64 * 8;

export function quickFirstResult(store: AppStore): boolean {
  const { doc, computed, actions } = store.getState();
  if (computed || limitProblem(doc) || doc.source.kind === 'model') return false;
  const n = doc.tokens.length;
  const heads = doc.source.kind === 'case' ? doc.source.case.heads.length : doc.mechanism === 'multi' ? doc.h : 1;
  if (n * n * heads > MAX_CELLS || doc.d > 128) return false;
  try {
    const t0 = performance.now();
    let input: AttentionInput;
    if (doc.source.kind === 'case') {
      const w = effectiveKeyWeights(doc);
      input = { ...parseCase(doc.source.case as CaseJson), causal: doc.causal, keyWeights: w.every((x) => x === 1) ? null : Float64Array.from(w) };
    } else {
      input = buildInput(toScenario(doc));
    }
    if (Object.keys(doc.overrides).length) input = applyOverrides(input, doc.overrides);
    const t1 = performance.now();
    const result = referenceAttention(input);
    const t2 = performance.now();
    actions.setComputed({
      id: 0, // the worker's results count from 1
      tokens: doc.tokens,
      attention: [result.heads.map((h) => h.A)],
      pooled: false,
      layer: 0,
      input,
      result,
      model: null,
      unknown: null,
      mechanism: effectiveMechanism(doc),
      convention: effectiveConvention(doc),
      excludedKeys: doc.tokens.map((_, j) => input.keyWeights !== null && input.keyWeights[j] === 0),
      ms: { queue: 0, build: t1 - t0, compute: t2 - t1, back: 0, roundTrip: t2 - t0 },
    });
    return true;
  } catch {
    return false; // the worker will report the problem
  }
}
