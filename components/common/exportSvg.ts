// Standalone SVG drawings of the views, built from the data (rects + text), for export. Pure: no DOM,
// so the same input gives the same SVG; the app rasterises the SVG for PNG.
import type { Matrix } from '../../engine/types.ts';
import { colorOf, defaultDomain, EXCLUDED_RGBA, EXCLUDED_MIX, headColor, readableTextColor, type Palette } from './color.ts';
import { displayToken, formatCompact, formatValue } from './format.ts';
import type { ColorKind } from './types.ts';

export interface SvgMatrix {
  title: string;
  matrix: Matrix;
  rowLabels: string[];
  colLabels: string[];
  kind: ColorKind;
  domain?: [number, number];
  excludedCols?: boolean[];
  /** Outlined cell (query row, key col). */
  selected?: { row: number; col: number } | null;
}

export interface SvgStyle {
  palette: Palette;
  background: string;
  foreground: string;
  muted: string;
  font: string;
}

const DEFAULT_SVG_STYLE: SvgStyle = {
  palette: 'default',
  background: '#ffffff',
  foreground: '#1b1f24',
  muted: '#5b6470',
  font: "system-ui, 'Noto Sans', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
};

export function escapeXml(s: string): string {
  // Control characters are not allowed in XML 1.0: drop them.
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c).split('').filter((c) => { const k = c.charCodeAt(0); return k >= 0x20 || k === 0x09 || k === 0x0a || k === 0x0d; }).join('');
}

/** Rough width of a label in px (CJK characters count double). */
function labelWidth(s: string, fontSize: number): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 1 : 0.6;
  return w * fontSize;
}

function cut(label: string, max = 14): string {
  const chars = Array.from(displayToken(label));
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : chars.join('');
}

interface Block {
  body: string;
  width: number;
  height: number;
}

/** One heatmap with its title, row labels on the left and column labels on top, at (0, 0). */
function heatmapBlock(m: SvgMatrix, style: SvgStyle, maxSide = 320): Block {
  const { rows, cols, data } = m.matrix;
  const cell = Math.max(2, Math.min(36, Math.floor(maxSide / Math.max(rows, cols, 1))));
  const fs = Math.max(8, Math.min(12, cell * 0.6));
  const rowL = m.rowLabels.map((l) => cut(l));
  const colL = m.colLabels.map((l) => cut(l));
  const showLabels = cell >= 8;
  const left = showLabels ? Math.ceil(Math.max(10, ...rowL.map((l) => labelWidth(l, fs)))) + 6 : 4;
  const top = 20 + (showLabels ? Math.ceil(Math.max(10, ...colL.map((l) => labelWidth(l, fs)))) * 0.72 + 8 : 4);
  const domain = m.domain ?? defaultDomain(m.kind, m.matrix);
  const values = cell >= 24 && rows * cols <= 400;
  const parts: string[] = [];
  parts.push(`<text x="0" y="14" font-size="13" font-weight="600" fill="${style.foreground}">${escapeXml(m.title)}</text>`);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      let fill = colorOf(m.kind, domain, v, style.palette);
      if (m.excludedCols?.[j]) {
        const c = /rgb\((\d+), (\d+), (\d+)\)/.exec(fill);
        if (c) {
          const mix = (k: number) => Math.round(Number(c[k + 1]) * (1 - EXCLUDED_MIX) + EXCLUDED_RGBA[k] * EXCLUDED_MIX);
          fill = `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
        }
      }
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}"><title>${escapeXml(`${rowL[i] ?? i} → ${colL[j] ?? j}: ${formatValue(v)}`)}</title></rect>`);
      const shown = values ? formatCompact(v, Math.max(3, Math.floor(cell / 6.2))) : null;
      if (shown !== null) {
        parts.push(
          `<text x="${x + cell / 2}" y="${y + cell / 2}" font-size="${Math.min(11, cell * 0.34)}" text-anchor="middle" dominant-baseline="central" fill="${readableTextColor(fill)}">${escapeXml(shown)}</text>`,
        );
      }
    }
  }
  if (m.selected && m.selected.row < rows && m.selected.col < cols) {
    parts.push(`<rect x="${left + m.selected.col * cell}" y="${top + m.selected.row * cell}" width="${cell}" height="${cell}" fill="none" stroke="${style.foreground}" stroke-width="2"/>`);
  }
  if (showLabels) {
    rowL.forEach((l, i) => parts.push(`<text x="${left - 4}" y="${top + (i + 0.5) * cell}" font-size="${fs}" text-anchor="end" dominant-baseline="central" fill="${style.foreground}">${escapeXml(l)}</text>`));
    colL.forEach((l, j) => {
      const x = left + (j + 0.5) * cell;
      parts.push(`<text transform="translate(${x} ${top - 4}) rotate(-45)" font-size="${fs}" fill="${style.foreground}">${escapeXml(l)}</text>`);
    });
  }
  const width = Math.max(left + cols * cell, labelWidth(m.title, 13)) + 4;
  return { body: parts.join(''), width, height: top + rows * cell + 4 };
}

function wrap(blocks: Block[], columns: number, style: SvgStyle, caption?: string): string {
  const gap = 24;
  const pad = 16;
  const colW: number[] = [];
  const rowH: number[] = [];
  blocks.forEach((b, k) => {
    const c = k % columns;
    const r = Math.floor(k / columns);
    colW[c] = Math.max(colW[c] ?? 0, b.width);
    rowH[r] = Math.max(rowH[r] ?? 0, b.height);
  });
  const capH = caption ? 24 : 0;
  const out: string[] = [];
  blocks.forEach((b, k) => {
    const c = k % columns;
    const r = Math.floor(k / columns);
    const x = pad + colW.slice(0, c).reduce((s, w) => s + w + gap, 0);
    const y = pad + capH + rowH.slice(0, r).reduce((s, h) => s + h + gap, 0);
    out.push(`<g transform="translate(${x} ${y})">${b.body}</g>`);
  });
  const width = Math.ceil(pad * 2 + colW.reduce((s, w) => s + w, 0) + gap * Math.max(0, colW.length - 1));
  const height = Math.ceil(pad * 2 + capH + rowH.reduce((s, h) => s + h, 0) + gap * Math.max(0, rowH.length - 1));
  const cap = caption ? `<text x="${pad}" y="${pad + 14}" font-size="15" font-weight="700" fill="${style.foreground}">${escapeXml(caption)}</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(style.font)}">` +
    `<rect width="100%" height="100%" fill="${style.background}"/>${cap}${out.join('')}</svg>`
  );
}

/** Several heatmaps in a grid, with a caption. */
export function matricesSvg(list: SvgMatrix[], style: SvgStyle = DEFAULT_SVG_STYLE, opts: { columns?: number; caption?: string; maxSide?: number } = {}): string {
  const blocks = list.map((m) => heatmapBlock(m, style, opts.maxSide ?? 320));
  return wrap(blocks, Math.max(1, opts.columns ?? Math.min(4, list.length)), style, opts.caption);
}

/** BertViz-style lines: queries on the left, keys on the right, one colour per head, opacity ∝ A. */
export function linesSvg(heads: Matrix[], tokens: string[], enabled: boolean[], style: SvgStyle = DEFAULT_SVG_STYLE, opts: { caption?: string; threshold?: number } = {}): string {
  const n = tokens.length;
  const rowH = Math.max(6, Math.min(22, Math.floor(640 / Math.max(n, 1))));
  const fs = Math.max(7, Math.min(13, rowH * 0.7));
  const labels = tokens.map((l) => cut(l));
  const lw = Math.ceil(Math.max(10, ...labels.map((l) => labelWidth(l, fs))));
  const gapX = 240;
  const x0 = 16 + lw;
  const x1 = x0 + 8 + gapX;
  const top = 16 + (opts.caption ? 24 : 0);
  const threshold = opts.threshold ?? 0.01;
  const parts: string[] = [];
  if (opts.caption) parts.push(`<text x="16" y="30" font-size="15" font-weight="700" fill="${style.foreground}">${escapeXml(opts.caption)}</text>`);
  heads.forEach((A, h) => {
    if (enabled[h] === false) return;
    const color = headColor(h);
    const paths: string[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = A.data[i * A.cols + j];
        if (!(a >= threshold)) continue;
        const y0 = top + (i + 0.5) * rowH;
        const y1 = top + (j + 0.5) * rowH;
        paths.push(`<line x1="${x0 + 4}" y1="${y0}" x2="${x1 - 4}" y2="${y1}" stroke="${color}" stroke-opacity="${Math.min(1, a).toFixed(3)}" stroke-width="2"/>`);
      }
    }
    parts.push(`<g data-head="${h + 1}">${paths.join('')}</g>`);
  });
  labels.forEach((l, i) => {
    const y = top + (i + 0.5) * rowH;
    parts.push(`<text x="${x0}" y="${y}" font-size="${fs}" text-anchor="end" dominant-baseline="central" fill="${style.foreground}">${escapeXml(l)}</text>`);
    parts.push(`<text x="${x1}" y="${y}" font-size="${fs}" dominant-baseline="central" fill="${style.foreground}">${escapeXml(l)}</text>`);
  });
  const width = x1 + lw + 16;
  const height = top + n * rowH + 16;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(style.font)}">` +
    `<rect width="100%" height="100%" fill="${style.background}"/>${parts.join('')}</svg>`
  );
}

/**
 * A text cell of a CSV file. Labels are untrusted (tokens typed by anyone): a cell that starts like a
 * formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, as OWASP advises against CSV
 * injection — quoting alone does not stop a spreadsheet from evaluating it. Numbers never pass here.
 */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r\t']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV of a matrix: a header of column labels, then one row per matrix row, labelled; values stay numbers. */
export function matrixCsv(m: Matrix, rowLabels: string[], colLabels: string[], fmt: (v: number) => number = (v) => v): string {
  const q = csvText;
  const lines = [['', ...colLabels].map(q).join(',')];
  for (let i = 0; i < m.rows; i++) {
    const row = [q(rowLabels[i] ?? String(i))];
    for (let j = 0; j < m.cols; j++) row.push(String(fmt(m.data[i * m.cols + j])));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
