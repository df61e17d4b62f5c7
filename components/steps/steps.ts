// Pure helpers of the step-by-step view: which steps exist, and numbers written as TeX.
import type { Mechanism } from '../../engine/scenario.ts';
import { elideIndices } from './elide.ts';
import { formatTex } from '../common/format.ts';

export type StepId = 'project' | 'scores' | 'softmax' | 'tiles' | 'output' | 'cache' | 'concat';

/**
 * The steps shown: the four of single-head attention; the softmax in tiles when a tile size is set; the
 * token generated with a KV cache when attention is causal; combining the heads when there are several or a W^O.
 */
export function stepsFor(mechanism: Mechanism, heads: number, hasWo: boolean, extra: { tile?: number | null; causal?: boolean } = {}): StepId[] {
  const steps: StepId[] = ['project', 'scores', 'softmax'];
  if (extra.tile) steps.push('tiles');
  steps.push('output');
  if (extra.causal) steps.push('cache');
  if (mechanism === 'multi' || heads > 1 || hasWo) steps.push('concat');
  return steps;
}

/** Whether the scale is 1/√d_k (so the formula can say so), within float32 tolerance. */
export function isInverseSqrt(scale: number, dk: number): boolean {
  return Math.abs(scale * Math.sqrt(dk) - 1) < 1e-6;
}

/** A row vector in TeX with its middle elided; `hidden` says how many entries were left out. */
export function vectorTex(values: readonly number[], head = 4, tail = 2): { tex: string; hidden: number } {
  const parts: string[] = [];
  let hidden = 0;
  const shown = values.length <= head + tail + 2 ? elideIndices(values.length, { head: values.length }) : elideIndices(values.length, { head, tail });
  for (const e of shown) {
    if (e.kind === 'item') parts.push(formatTex(values[e.index]));
    else {
      parts.push('\\cdots');
      hidden += e.count;
    }
  }
  return { tex: `\\begin{bmatrix} ${parts.join(' & ')} \\end{bmatrix}`, hidden };
}

/** A number as a TeX factor: parenthesised when negative or in exponent form. */
export function paren(x: number): string {
  const s = formatTex(x);
  return x < 0 || s.includes('\\times') ? `(${s})` : s;
}


/** The heads' outputs side by side in TeX: every head when there are at most three, else the first two, ⋯ and the last. */
export function concatTex(heads: number): string {
  const names = (k: number) => `Z^{${k}}`;
  const list = heads <= 3 ? Array.from({ length: heads }, (_, k) => names(k + 1)) : [names(1), names(2), '\\cdots', names(heads)];
  return `\\big[\\, ${list.join(' \\mid ')} \\,\\big]`;
}
