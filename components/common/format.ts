// Number and label formatting shared by every view, so a number shown in one place
// reads the same everywhere (and equals the engine's value at the displayed precision).

/** Significant digits used for every number the views display. */
const DISPLAY_DIGITS = 4;

/**
 * A number for display: `digits` significant digits, trailing zeros trimmed,
 * exponent form for very small or very large magnitudes. ASCII "-" so it parses back.
 */
export function formatValue(x: number, digits: number = DISPLAY_DIGITS): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (x === 0) return '0'; // also turns -0 into "0"
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e6) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
    return `${trimZeros(mantissa)}e${Number(exponent)}`;
  }
  let s = x.toPrecision(digits);
  if (s.includes('e')) s = Number(s).toString(); // toPrecision may pick exponent form (e.g. 12345 with 4 digits)
  return trimZeros(s);
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** The same number as TeX (exponent form as ×10^{k}). Never pass token text here. */
export function formatTex(x: number, digits: number = DISPLAY_DIGITS): string {
  const s = formatValue(x, digits);
  if (s === '∞') return '\\infty';
  if (s === '-∞') return '-\\infty';
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  if (m) return `${m[1]}\\times10^{${m[2]}}`;
  return s;
}

/** Full precision for data-value attributes (round-trips through Number()). */
export function formatFull(x: number): string {
  return String(x);
}

/** "6×8" */
export function formatShape(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

const VISIBLE_WHITESPACE: Record<string, string> = { ' ': '␣', '\n': '↵', '\t': '⇥', '\r': '␍' };

/**
 * A token as a visible label: whitespace made visible, empty shown as "∅".
 * The result is still untrusted text and must be rendered as a text node only.
 */
export function displayToken(token: string): string {
  if (token === '') return '∅';
  return token.replace(/[ \n\t\r]/g, (c) => VISIBLE_WHITESPACE[c] ?? c);
}

/** Shortens a label to at most `max` characters (code points), ending with "…". */
export function truncateLabel(label: string, max: number): string {
  const chars = Array.from(label);
  if (chars.length <= max) return label;
  if (max <= 1) return '…';
  return chars.slice(0, max - 1).join('') + '…';
}

/** Parses what a user typed into a cell editor: a finite number, or null. Accepts "1e-3", "-0.5", " 2 ", a decimal comma. */
export function parseEditValue(text: string): number | null {
  const s = text.trim().replace(/^\u2212/, '-').replace(/^(-?\d+),(\d+)$/, '$1.$2');
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/**
 * The shortest faithful rendering of x in at most `maxChars` characters, for numbers written on
 * small cells: tries 3, 2, then 1 significant digits, and drops a leading zero (".045") if needed.
 * Returns null when nothing fits.
 */
export function formatCompact(x: number, maxChars: number): string | null {
  const full = (d: number) => formatValue(x, d);
  const short = (d: number) => full(d).replace(/^(-?)0\./, '$1.');
  for (const s of [full(3), full(2), short(3), short(2), full(1), short(1)]) {
    if (s.length <= maxChars) return s;
  }
  return null;
}

/** A byte count as people read it: 465 kB, 548 MB, 1.2 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e6) return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
