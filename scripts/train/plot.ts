// A dependency-free SVG line plot of the training loss curve.

export interface LossPoint {
  step: number;
  train: number | null;
  heldOut: number | null;
  /** Loss on the second copy of repeated random characters (falls when an induction mechanism forms). */
  probe?: number | null;
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Train loss (line), held-out loss (line with dots) and a dashed unigram baseline, in nats per character. */
export function lossSvg(points: LossPoint[], baseline: number | null, title: string): string {
  const W = 720;
  const H = 400;
  const m = { l: 60, r: 20, t: 40, b: 50 };
  const steps = points.map((p) => p.step);
  const vals = points.flatMap((p) => [p.train, p.heldOut, p.probe ?? null]).filter((v): v is number => v !== null && Number.isFinite(v));
  if (baseline !== null) vals.push(baseline);
  const x0 = 0;
  const x1 = Math.max(1, ...steps);
  const y0 = Math.floor(Math.min(...vals) * 2) / 2;
  const y1 = Math.min(Math.ceil(Math.max(...vals) * 2) / 2, y0 + 6);
  const sx = (s: number) => m.l + ((s - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (v: number) => m.t + (1 - (Math.min(v, y1) - y0) / (y1 - y0)) * (H - m.t - m.b);
  const path = (key: 'train' | 'heldOut' | 'probe') =>
    points
      .filter((p) => p[key] !== null && p[key] !== undefined)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.step).toFixed(1)},${sy(p[key]!).toFixed(1)}`)
      .join(' ');
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  for (const v of niceTicks(y0, y1, 6)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(v)}" y2="${sy(v)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(v) + 4}" text-anchor="end">${v}</text>`);
  }
  for (const s of niceTicks(x0, x1, 8)) {
    parts.push(`<line x1="${sx(s)}" x2="${sx(s)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#333"/>`);
    parts.push(`<text x="${sx(s)}" y="${H - m.b + 18}" text-anchor="middle">${s}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">training step</text>`);
  parts.push(`<text transform="translate(16,${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">cross-entropy (nats per character)</text>`);
  if (baseline !== null) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(baseline)}" y2="${sy(baseline)}" stroke="#999" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${W - m.r - 4}" y="${sy(baseline) - 6}" text-anchor="end" fill="#666">unigram baseline (held-out) ${baseline.toFixed(3)}</text>`);
  }
  parts.push(`<path d="${path('train')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
  parts.push(`<path d="${path('heldOut')}" fill="none" stroke="#d62728" stroke-width="1.5"/>`);
  const hasProbe = points.some((p) => p.probe !== null && p.probe !== undefined);
  if (hasProbe) parts.push(`<path d="${path('probe')}" fill="none" stroke="#2ca02c" stroke-width="1.5"/>`);
  for (const p of points) if (p.heldOut !== null) parts.push(`<circle cx="${sx(p.step)}" cy="${sy(p.heldOut)}" r="2.5" fill="#d62728"/>`);
  const ly = m.t + 10;
  parts.push(`<line x1="${W - 250}" x2="${W - 230}" y1="${ly}" y2="${ly}" stroke="#1f77b4" stroke-width="2"/><text x="${W - 225}" y="${ly + 4}">train (mixed batches, running mean)</text>`);
  parts.push(`<line x1="${W - 250}" x2="${W - 230}" y1="${ly + 18}" y2="${ly + 18}" stroke="#d62728" stroke-width="2"/><text x="${W - 225}" y="${ly + 22}">held-out text</text>`);
  if (hasProbe) {
    parts.push(`<line x1="${W - 250}" x2="${W - 230}" y1="${ly + 36}" y2="${ly + 36}" stroke="#2ca02c" stroke-width="2"/><text x="${W - 225}" y="${ly + 40}">2nd copy of repeated random text</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
