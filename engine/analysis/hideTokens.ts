// Attention maps without some tokens: an encoder's [CLS], [SEP], <s>, </s> take most of many heads' attention
// (exBERT hides them for that reason) and flatten the rest of the picture. Their rows and columns go; what
// each remaining row gave them is reported as its hidden mass, and with `renorm` each row is divided by what
// it kept, so it sums to 1 again over the tokens shown (a row that gave everything away stays 0).
import type { Matrix } from '../types.ts';

export interface HiddenTokens {
  /** The original positions of the tokens kept, in order (a shown index k is position keep[k]). */
  keep: number[];
  /** Per map: the kept rows × the kept columns (float32), renormalised when asked. */
  maps: Matrix[];
  /** Per map, per kept row: the attention the row gave the hidden keys (0…1, before any renormalising). */
  hiddenMass: Float64Array[];
}

/** The maps (n×n each) without the tokens where `hidden` is true. */
export function hideTokens(maps: readonly Matrix[], hidden: readonly boolean[], renorm: boolean): HiddenTokens {
  const n = hidden.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!hidden[i]) keep.push(i);
  const m = keep.length;
  const out: Matrix[] = [];
  const masses: Float64Array[] = [];
  for (const A of maps) {
    if (A.rows !== n || A.cols !== n) throw new Error(`hideTokens: a ${A.rows}×${A.cols} map for ${n} tokens`);
    const data = new Float32Array(m * m);
    const mass = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      const base = keep[r] * n;
      let gone = 0;
      for (let j = 0; j < n; j++) if (hidden[j]) gone += A.data[base + j];
      let kept = 0;
      for (let c = 0; c < m; c++) kept += A.data[base + keep[c]];
      mass[r] = gone;
      const f = renorm && kept > 0 ? 1 / kept : 1;
      for (let c = 0; c < m; c++) data[r * m + c] = A.data[base + keep[c]] * f;
    }
    out.push({ rows: m, cols: m, data });
    masses.push(mass);
  }
  return { keep, maps: out, hiddenMass: masses };
}

/** The mean of each map's hidden mass over its rows (0 when no row is kept). */
export function meanHiddenMass(hidden: HiddenTokens): number[] {
  return hidden.hiddenMass.map((mass) => (mass.length ? mass.reduce((a, b) => a + b, 0) / mass.length : 0));
}
