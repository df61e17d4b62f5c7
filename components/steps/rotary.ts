// Rotary position embedding (RoPE) in the step-by-step view: whether the head rotates q and k, and the
// rotate-half formula in TeX with the model's own numbers.
import type { AttentionInput, HeadResult, Matrix } from '../../engine/types.ts';
import { formatTex } from '../common/format.ts';

/** What the view needs to show a head's rotation; null for a model without RoPE. */
export interface RotaryView {
  /** Coordinates rotated (the first `dims` of d_k; the rest pass through). */
  dims: number;
  /** The base b of the angles b^(−2t/dims). */
  theta: number;
  /** Q and K before the rotation (XW^Q, XW^K). */
  Qpre: Matrix;
  Kpre: Matrix;
}

export function rotaryView(input: AttentionInput, hr: HeadResult): RotaryView | null {
  const r = input.rotary;
  return r && hr.Qpre && hr.Kpre ? { dims: r.dims, theta: r.theta, Qpre: hr.Qpre, Kpre: hr.Kpre } : null;
}

/**
 * The rotate-half RoPE of GPT-NeoX and Hugging Face Llama: coordinates t and t + r/2 of the vector at
 * position p turn together by p·θ_t. `dk` is the head width (a note says when only part is rotated).
 */
export function ropeTex(v: RotaryView, dk: number, sup: string): string {
  const half = v.dims / 2;
  const rotated = `\\tilde{q}_p = q_p \\odot \\cos(p\\,\\theta) + \\operatorname{rot}(q_p) \\odot \\sin(p\\,\\theta),\\qquad \\tilde{Q}${sup} = \\operatorname{RoPE}(XW_Q${sup})`;
  const rot = `\\operatorname{rot}(x) = (-x_{${half + 1}}, \\dots, -x_{${v.dims}},\\; x_{1}, \\dots, x_{${half}})`;
  const angles = `\\theta_t = \\theta_{t+${half}} = ${formatTex(v.theta)}^{-2(t-1)/${v.dims}},\\; t = 1, \\dots, ${half}`;
  const rest = v.dims < dk ? `,\\qquad x_{${v.dims + 1}}, \\dots, x_{${dk}}\\ \\text{unchanged}` : '';
  return `\\begin{gathered} ${rotated} \\\\ ${rot},\\qquad ${angles}${rest} \\end{gathered}`;
}
