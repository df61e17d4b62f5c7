// Export of what is on screen: the view as PNG or SVG (drawn from the data, standalone), and any
// matrix of the selected head as CSV or JSON. The case JSON and the link are in CaseIO / the header.
import { attentionDifference } from '../engine/analysis/compare.ts';
import { poolMatrix } from '../engine/analysis/pool.ts';
import { VIEW_LABEL } from './viewLabels.ts';
import { useId, useState } from 'react';
import { shortFloat32 } from '../engine/json.ts';
import type { Matrix } from '../engine/types.ts';
import { linesSvg, matricesSvg, matrixCsv, type SvgMatrix, type SvgStyle } from '../components/common/exportSvg.ts';
import { t } from '../i18n/index.ts';
import type { ViewName } from '../state/document.ts';
import { usePrefs } from '../state/prefs.ts';
import { useActions, useStore, type Computed } from '../state/store.ts';
import { downloadBlob } from '../state/download.ts';
import './exportBar.css';

/** Cells per side of a long input's thumbnail in the model view's SVG. */
const POOLED_EXPORT_SIDE = 64;

interface Named {
  id: string;
  name: string;
  matrix: Matrix;
  rowLabels: string[];
  colLabels: string[];
  kind: 'sequential' | 'diverging';
}

const idx = (n: number) => Array.from({ length: n }, (_, k) => String(k));

/** Every matrix of head h, named as in the Matrices view. */
function matricesOf(c: Computed, h: number): Named[] {
  const { input, result, tokens } = c;
  const hw = input.heads[h];
  const hr = result.heads[h];
  const sup = result.heads.length > 1 ? `^${h + 1}` : '';
  const out: Named[] = [
    { id: 'X', name: 'X', matrix: input.X, rowLabels: tokens, colLabels: idx(input.X.cols), kind: 'diverging' },
    { id: 'Wq', name: `W^Q${sup}`, matrix: hw.Wq, rowLabels: idx(hw.Wq.rows), colLabels: idx(hw.Wq.cols), kind: 'diverging' },
    { id: 'Wk', name: `W^K${sup}`, matrix: hw.Wk, rowLabels: idx(hw.Wk.rows), colLabels: idx(hw.Wk.cols), kind: 'diverging' },
    { id: 'Wv', name: `W^V${sup}`, matrix: hw.Wv, rowLabels: idx(hw.Wv.rows), colLabels: idx(hw.Wv.cols), kind: 'diverging' },
    { id: 'Q', name: `Q${sup}`, matrix: hr.Q, rowLabels: tokens, colLabels: idx(hr.Q.cols), kind: 'diverging' },
    { id: 'K', name: `K${sup}`, matrix: hr.K, rowLabels: tokens, colLabels: idx(hr.K.cols), kind: 'diverging' },
    { id: 'V', name: `V${sup}`, matrix: hr.V, rowLabels: tokens, colLabels: idx(hr.V.cols), kind: 'diverging' },
    { id: 'scores', name: `S${sup}`, matrix: hr.scores, rowLabels: tokens, colLabels: tokens, kind: 'diverging' },
    { id: 'A', name: `A${sup}`, matrix: hr.A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' },
    { id: 'Zh', name: `Z${sup}`, matrix: hr.Z, rowLabels: tokens, colLabels: idx(hr.Z.cols), kind: 'diverging' },
  ];
  if (result.heads.length > 1) out.push({ id: 'Z', name: 'Z', matrix: result.Z, rowLabels: tokens, colLabels: idx(result.Z.cols), kind: 'diverging' });
  if (input.Wo) out.push({ id: 'Wo', name: 'W^O', matrix: input.Wo, rowLabels: idx(input.Wo.rows), colLabels: idx(input.Wo.cols), kind: 'diverging' });
  if (result.out) out.push({ id: 'out', name: 'out', matrix: result.out, rowLabels: tokens, colLabels: idx(result.out.cols), kind: 'diverging' });
  // A model run: the rollout after the shown layer, the lens probabilities, the comparison's difference.
  const m = c.model;
  if (m) {
    const R = m.rollout[Math.min(c.layer, m.rollout.length - 1)];
    if (R) out.push({ id: 'rollout', name: `R (${t('flow.title', { layer: c.layer + 1 })})`, matrix: R, rowLabels: tokens, colLabels: tokens, kind: 'sequential' });
    const k = m.lens[0]?.length ?? 0;
    if (k > 0) {
      const P = { rows: m.lens.length, cols: k, data: Float64Array.from(m.lens.flatMap((row) => row.map((x) => x.p))) };
      out.push({ id: 'lens', name: t('tab.lens'), matrix: P, rowLabels: m.lens.map((row, l) => `L${l + 1}: ${row.map((x) => x.token).join(' | ')}`), colLabels: idx(k).map((r) => `#${Number(r) + 1}`), kind: 'sequential' });
    }
    const B = m.compare?.layer === c.layer ? m.compare.heads[h] : undefined;
    if (B && B.rows === hr.A.rows) out.push({ id: 'compare', name: t('compare.diff'), matrix: attentionDifference(hr.A, B), rowLabels: tokens, colLabels: tokens, kind: 'diverging' });
  }
  return out;
}

/** The matrices an across-layers view shows (for its SVG and PNG export). */
function layerMatrices(view: 'flow' | 'lens' | 'ablate' | 'compare', c: Computed, head: number): SvgMatrix[] {
  const m = c.model;
  if (!m) return [];
  const tokens = c.tokens;
  const layerRows = m.lens.map((_, l) => `L${l + 1}`);
  switch (view) {
    case 'flow': {
      const R = m.rollout[Math.min(c.layer, m.rollout.length - 1)];
      // A long input's rollout follows the picture: nothing to export until it is there.
      return R ? [{ title: t('flow.title', { layer: c.layer + 1 }), matrix: R, rowLabels: tokens, colLabels: tokens, kind: 'sequential', selected: { row: m.position, col: 0 } }] : [];
    }
    case 'lens': {
      const k = m.lens[0]?.length ?? 0;
      const P = { rows: m.lens.length, cols: k, data: Float64Array.from(m.lens.flatMap((row) => row.map((x) => x.p))) };
      return [{ title: t('lens.title', { token: tokens[m.position] ?? '', i: m.position }), matrix: P, rowLabels: layerRows, colLabels: Array.from({ length: k }, (_, r) => `#${r + 1}`), kind: 'sequential' }];
    }
    case 'ablate':
      return c.result.heads.map(({ A }, k) => ({ title: `${t('model.layerN', { k: c.layer + 1 })} · ${t('grid.head', { n: k + 1 })}`, matrix: A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' as const }));
    case 'compare': {
      const second = m.compare;
      const A = c.result.heads[head]?.A;
      const B = second?.layer === c.layer ? second.heads[head] : undefined;
      if (!A || !B || !second) return A ? [{ title: 'A', matrix: A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' }] : [];
      const out: SvgMatrix[] = [
        { title: second ? t('compare.first', { text: tokens.join(' ') }) : 'A', matrix: A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' },
        { title: t('compare.other', { text: second.text }), matrix: B, rowLabels: second.tokens, colLabels: second.tokens, kind: 'sequential' },
      ];
      if (A.rows === B.rows) out.push({ title: t('compare.diff'), matrix: attentionDifference(A, B), rowLabels: second.tokens, colLabels: second.tokens, kind: 'diverging' });
      return out;
    }
  }
}

/** Numbers as the engine holds them: float32 data written with the shortest decimals that read back the same. */
function numberOf(m: Matrix): (v: number) => number {
  return m.data instanceof Float32Array ? shortFloat32 : (v) => v;
}

function cssStyle(palette: SvgStyle['palette']): SvgStyle {
  const cs = getComputedStyle(document.querySelector('.al-app') ?? document.documentElement);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return { palette, background: v('--al-surface', '#ffffff'), foreground: v('--al-fg', '#1b1f24'), muted: v('--al-muted', '#5b6470'), font: cs.fontFamily || 'sans-serif' };
}

function viewSvg(view: ViewName, c: Computed, head: number, cell: { row: number; col: number } | null, enabled: boolean[], style: SvgStyle): string {
  const tokens = c.tokens;
  const excl = c.excludedKeys.some(Boolean) ? c.excludedKeys : undefined;
  const headName = (k: number) => t('grid.head', { n: k + 1 });
  switch (view) {
    case 'heads': {
      const list: SvgMatrix[] = c.result.heads.map((hr, k) => ({ title: headName(k), matrix: hr.A, rowLabels: tokens, colLabels: tokens, kind: 'sequential', excludedCols: excl, selected: k === head ? cell : null }));
      return matricesSvg(list, style, { caption: `${t('app.title')} — ${t('grid.legend')}`, columns: Math.min(4, list.length), maxSide: list.length > 4 ? 200 : 280 });
    }
    case 'lines':
      return linesSvg(c.result.heads.map((hr) => hr.A), tokens, enabled, style, { caption: `${t('app.title')} — ${t('tab.lines')}` });
    case 'matrices': {
      const list: SvgMatrix[] = matricesOf(c, head).map((m) => ({ title: m.name, matrix: m.matrix, rowLabels: m.rowLabels, colLabels: m.colLabels, kind: m.kind, excludedCols: m.id === 'A' || m.id === 'scores' ? excl : undefined }));
      return matricesSvg(list, style, { caption: `${t('app.title')} — ${t('tab.matrices')} (${t('export.head', { head: head + 1 })})`, columns: 4, maxSide: 220 });
    }
    case 'steps': {
      const hr = c.result.heads[head];
      const list: SvgMatrix[] = [
        { title: `S = c·QKᵀ`, matrix: hr.scores, rowLabels: tokens, colLabels: tokens, kind: 'diverging', selected: cell },
        { title: 'A = softmax(S)', matrix: hr.A, rowLabels: tokens, colLabels: tokens, kind: 'sequential', excludedCols: excl, selected: cell },
        { title: 'Z = AV', matrix: hr.Z, rowLabels: tokens, colLabels: idx(hr.Z.cols), kind: 'diverging' },
      ];
      return matricesSvg(list, style, { caption: `${t('app.title')} — ${t('steps.title')} (${t('export.head', { head: head + 1 })})`, columns: 3, maxSide: 280 });
    }
    case 'model': {
      // Thumbnails of a long input have no cell per token: drawn coarser still, without labels.
      const list: SvgMatrix[] = c.attention.flatMap((heads, l) =>
        heads.map((A, k) =>
          c.pooled
            ? { title: `${t('model.layerN', { k: l + 1 })} · ${headName(k)}`, matrix: poolMatrix(A, POOLED_EXPORT_SIDE, POOLED_EXPORT_SIDE, 'max'), rowLabels: [], colLabels: [], kind: 'sequential' as const }
            : { title: `${t('model.layerN', { k: l + 1 })} · ${headName(k)}`, matrix: A, rowLabels: tokens, colLabels: tokens, kind: 'sequential' as const, excludedCols: excl },
        ),
      );
      const columns = c.attention[0].length;
      return matricesSvg(list, style, { caption: `${t('app.title')} — ${t('tab.model')}`, columns: Math.min(8, columns), maxSide: columns > 4 ? 140 : 200 });
    }
    case 'flow':
    case 'lens':
    case 'ablate':
    case 'compare':
      return matricesSvg(layerMatrices(view, c, head), style, { caption: `${t('app.title')} — ${t(VIEW_LABEL[view])}`, columns: 3, maxSide: 280 });
  }
}

/** Rasterises an SVG string to a PNG blob at `scale` device pixels per CSS pixel. */
function svgToPng(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2D canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the SVG could not be drawn'));
    };
    img.src = url;
  });
}

export interface ExportBarProps {
  /** The view exported. */
  view: ViewName;
  /** The finished computation it shows. */
  computed: Computed;
}

export function ExportBar({ view, computed }: ExportBarProps) {
  const id = useId();
  const palette = usePrefs((s) => s.palette);
  const head = Math.min(useStore((s) => s.doc.head), computed.result.heads.length - 1);
  const cellDoc = useStore((s) => s.doc.cell);
  const enabledHeads = useStore((s) => s.enabledHeads);
  const actions = useActions();
  const [which, setWhich] = useState('A');
  const n = computed.tokens.length;
  const cell = cellDoc && cellDoc.row < n && cellDoc.col < n ? cellDoc : null;
  const list = matricesOf(computed, head);
  const chosen = list.find((m) => m.id === which) ?? list.find((m) => m.id === 'A')!;
  const base = `attention-${view}`;
  const svg = () => viewSvg(view, computed, head, cell, computed.result.heads.map((_, k) => enabledHeads[k] ?? true), cssStyle(palette));
  const fail = (e: unknown) => actions.notify('error', 'file', t('export.failed', { why: e instanceof Error ? e.message : String(e) }));
  const layerPart = computed.attention.length > 1 ? `-layer${computed.layer + 1}` : '';
  const fileName = (ext: string) => `attention-${chosen.id}${layerPart}${computed.result.heads.length > 1 ? `-head${head + 1}` : ''}.${ext}`;

  return (
    <div className="al-export" role="group" aria-label={t('export.view')} data-testid="export-bar">
      <span className="al-export-label">{t('export.view')}</span>
      <button type="button" className="al-button al-small" title={t('export.pngHint')} aria-label={`${t('export.view')}: PNG`} data-testid="export-png" onClick={() => svgToPng(svg()).then((b) => downloadBlob(`${base}.png`, b), fail)}>
        PNG
      </button>
      <button type="button" className="al-button al-small" title={t('export.svgHint')} aria-label={`${t('export.view')}: SVG`} data-testid="export-svg" onClick={() => downloadBlob(`${base}.svg`, new Blob([svg()], { type: 'image/svg+xml' }))}>
        SVG
      </button>
      <label className="al-export-label" htmlFor={`${id}-m`}>
        {t('export.matrix')}
      </label>
      <select id={`${id}-m`} value={chosen.id} onChange={(e) => setWhich(e.target.value)} data-testid="export-matrix" aria-label={t('export.matrixLabel')}>
        {list.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="al-button al-small"
        title={t('export.csvHint')}
        aria-label={`${t('export.matrix')}: CSV`}
        data-testid="export-csv"
        onClick={() => downloadBlob(fileName('csv'), new Blob([matrixCsv(chosen.matrix, chosen.rowLabels, chosen.colLabels, numberOf(chosen.matrix))], { type: 'text/csv' }))}
      >
        CSV
      </button>
      <button
        type="button"
        className="al-button al-small"
        title={t('export.jsonHint')}
        aria-label={`${t('export.matrix')}: JSON`}
        data-testid="export-json"
        onClick={() => {
          const f = numberOf(chosen.matrix);
          const m = chosen.matrix;
          const data = Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => f(m.data[i * m.cols + j])));
          const json = { name: chosen.name, head: head + 1, rows: m.rows, cols: m.cols, rowLabels: chosen.rowLabels, colLabels: chosen.colLabels, data };
          downloadBlob(fileName('json'), new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' }));
        }}
      >
        JSON
      </button>
    </div>
  );
}
