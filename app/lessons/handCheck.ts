// What a student checking a lesson step by hand does: take the numbers the step SHOWS and redo each
// operation the text writes out (a dot product, a division by √d, an exponential, a sum, a ratio, a
// weighted sum of values), then compare with the next number shown, at the precision it is shown.
// Shared by the unit test (filled text) and the browser test (the page's own spans).
import { PLACEHOLDER } from './numbers.ts';

/** One displayed number redone from the other displayed numbers. */
export interface HandCheck {
  /** The placeholder of the number checked, e.g. "{A[2][0]}". */
  ref: string;
  /** What the step shows. */
  shown: string;
  /** The same operation on the shown inputs, at the shown precision. */
  redone: string;
  /** The inputs used (their placeholders). */
  from: string[];
}

interface Shown {
  ref: string;
  text: string;
  /** The number(s): one, or a row "(a, b)". */
  values: number[];
}

const keyOf = (head: number, name: string, i?: number, j?: number) => `${head}:${name}:${i ?? ''}:${j ?? ''}`;

function parse(text: string): number[] {
  return text
    .replace(/[()]/g, '')
    .split(',')
    .map((s) => Number(s.trim().replace('−', '-')));
}

/** Digits after the decimal point of a shown number ("0.449" → 3, "2" → 0). */
function decimals(text: string): number {
  const m = /\.(\d+)/.exec(text);
  return m ? m[1].length : 0;
}

/** x at the precision of `like`: an integer-looking `like` only matches an integer within rounding. */
function atPrecisionOf(x: number, like: string): string {
  return x.toFixed(decimals(like));
}

/**
 * Every displayed number that the step's other displayed numbers determine, redone by hand.
 * `shown` is the step's numbers: placeholder → text, e.g. "{S[2][0]}" → "1.4142".
 */
export function handChecks(shown: ReadonlyArray<{ ref: string; text: string }>): HandCheck[] {
  const byKey = new Map<string, Shown>();
  const parsed: { head: number; name: string; i?: number; j?: number; s: Shown }[] = [];
  for (const { ref, text } of shown) {
    const m = new RegExp(`^${PLACEHOLDER.source}$`).exec(ref);
    if (!m) continue;
    const head = m[1] ? Number(m[1]) - 1 : 0;
    const name = m[2];
    const i = m[3] === undefined ? undefined : Number(m[3]);
    const j = m[4] === undefined ? undefined : Number(m[4]);
    const s: Shown = { ref, text, values: parse(text) };
    byKey.set(keyOf(head, name, i, j), s);
    parsed.push({ head, name, i, j, s });
    // A shown row also shows each of its entries (X, Q, K, V, Z rows are written as vectors).
    if (j === undefined && i !== undefined && s.values.length > 1) {
      s.values.forEach((v, c) => byKey.set(keyOf(head, name, i, c), { ref, text: String(v), values: [v] }));
    }
  }
  // W and SUM are vectors: {W[1]} is entry 1, stored as (0, 'W', 1).
  const get = (head: number, name: string, i?: number, j?: number) => byKey.get(keyOf(head, name, i, j));
  const weight = (j: number) => get(0, 'W', j);
  const rowOf = (head: number, name: string, i: number, cols: number) => {
    const out: Shown[] = [];
    for (let c = 0; c < cols; c++) {
      const e = get(head, name, i, c);
      if (!e) return null;
      out.push(e);
    }
    return out;
  };

  const checks: HandCheck[] = [];
  const add = (s: Shown, x: number, from: Shown[]) =>
    checks.push({ ref: s.ref, shown: s.text, redone: atPrecisionOf(x, s.text), from: [...new Set(from.map((f) => f.ref))] });

  for (const { head, name, i, j, s } of parsed) {
    if (name === 'DOT' && i !== undefined && j !== undefined) {
      const q: Shown[] = [];
      for (let c = 0; get(head, 'Q', i, c); c++) q.push(get(head, 'Q', i, c)!);
      const k = rowOf(head, 'K', j, q.length);
      if (q.length > 0 && k) add(s, q.reduce((acc, x, c) => acc + x.values[0] * k[c].values[0], 0), [...q, ...k]);
    } else if (name === 'S' && i !== undefined && j !== undefined) {
      const dot = get(head, 'DOT', i, j);
      const root = get(0, 'SQRTD');
      if (dot && root) add(s, dot.values[0] / root.values[0], [dot, root]);
    } else if (name === 'E' && i !== undefined && j !== undefined) {
      const sc = get(head, 'S', i, j);
      if (sc) add(s, Math.exp(sc.values[0]), [sc]);
    } else if (name === 'WE' && i !== undefined && j !== undefined) {
      const w = weight(j);
      const e = get(head, 'E', i, j);
      if (w && e) add(s, w.values[0] * e.values[0], [w, e]);
    } else if (name === 'SUM' && i !== undefined) {
      // The terms of row i: w·e^s where shown, else e^s; a key whose weight is shown as 0 adds nothing.
      const n = Math.max(0, ...parsed.filter((p) => p.i === i && (p.name === 'WE' || p.name === 'E' || p.name === 'A')).map((p) => (p.j ?? -1) + 1));
      const terms: Shown[] = [];
      let total = 0;
      let ok = n > 0;
      for (let c = 0; c < n && ok; c++) {
        const t = get(head, 'WE', i, c) ?? (weight(c)?.values[0] === 0 ? null : get(head, 'E', i, c));
        if (t) {
          terms.push(t);
          total += t.values[0];
        } else if (weight(c)?.values[0] === 0) terms.push(weight(c)!);
        else ok = false;
      }
      if (ok) add(s, total, terms);
    } else if (name === 'A' && i !== undefined && j !== undefined) {
      const sum = get(head, 'SUM', i);
      const term = get(head, 'WE', i, j) ?? get(head, 'E', i, j);
      const w = weight(j);
      if (sum && w?.values[0] === 0) add(s, 0, [w]);
      else if (sum && term) add(s, term.values[0] / sum.values[0], [term, sum]);
    } else if (name === 'Z' && i !== undefined && j === undefined) {
      const n = s.values.length;
      const keys = parsed.filter((p) => p.head === head && p.name === 'A' && p.i === i).map((p) => p.j!);
      const a = keys.map((c) => get(head, 'A', i, c)!);
      const v = keys.map((c) => rowOf(head, 'V', c, n));
      if (keys.length > 0 && v.every((r) => r !== null)) {
        const parts = s.text.replace(/[()]/g, '').split(',').map((x) => x.trim());
        const z = parts.map((like, col) => atPrecisionOf(keys.reduce((acc, _c, t) => acc + a[t].values[0] * v[t]![col].values[0], 0), like));
        checks.push({ ref: s.ref, shown: s.text, redone: `(${z.join(', ')})`, from: [...new Set([...a, ...v.flatMap((r) => r!)].map((f) => f.ref))] });
      }
    }
  }
  return checks;
}

/** The checks whose redone number differs from the shown one. */
export function handCheckFailures(shown: ReadonlyArray<{ ref: string; text: string }>): HandCheck[] {
  return handChecks(shown).filter((c) => normalise(c.redone) !== normalise(c.shown));
}

/** "(1.340, 0.439)" and "-0.000" → comparable text (a rounded −0 is 0). */
function normalise(text: string): string {
  return text.replace(/-(0\.?0*)(?!\d*[1-9])/g, '$1');
}
