// A colour legend: the scale's gradient with axis ticks, in SVG.
import { memo, useId, useMemo } from 'react';
import '../views.css';
import { ticks as niceTicks } from 'd3-array';
import { interpolator, normalizer, type Palette } from '../common/color.ts';
import { formatValue } from '../common/format.ts';
import type { ColorKind } from '../common/types.ts';
import { useT } from '../../i18n/react.ts';

export interface ColorLegendProps {
  /** Sequential or diverging colours, as the matrix it explains. */
  kind: ColorKind;
  /** The values at the two ends of the bar. */
  domain: [number, number];
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Total width in CSS pixels. */
  width?: number;
  /** Optional caption written before the bar (plain text). */
  label?: string;
  /** About how many values are written under the bar (default: as many as fit). */
  ticks?: number;
}

const BAR_H = 10;
const STOPS = 24;

export const ColorLegend = memo(function ColorLegend({ kind, domain, palette = 'default', width = 200, label, ticks }: ColorLegendProps) {
  const t = useT();
  const id = useId();
  const gradientId = `${id}-gradient`;
  const [lo, hi] = domain;
  const pad = 14;
  const inner = Math.max(20, width - 2 * pad);
  const { stops, tickItems } = useMemo(() => {
    const interp = interpolator(kind, palette);
    const stops = Array.from({ length: STOPS + 1 }, (_, k) => ({ offset: k / STOPS, color: interp(k / STOPS) }));
    const norm = normalizer(kind, [lo, hi]);
    const count = ticks ?? Math.max(2, Math.min(5, Math.floor(inner / 45)));
    let values = niceTicks(lo, hi, count); // = scaleLinear().domain([lo, hi]).ticks(count)
    if (values.length < 3) values = kind === 'diverging' && lo < 0 && hi > 0 ? [lo, 0, hi] : [lo, hi];
    else if (kind === 'diverging' && lo < 0 && hi > 0 && !values.includes(0)) values = [...values, 0].sort((a, b) => a - b);
    const tickItems = values.map((v) => ({ v, x: norm(v) * inner, text: formatValue(v, 3) }));
    return { stops, tickItems };
  }, [kind, palette, lo, hi, inner, ticks]);
  const aria = t('legend.aria', { kind: t(kind === 'sequential' ? 'legend.sequential' : 'legend.diverging'), min: formatValue(lo), max: formatValue(hi) });
  return (
    <div className="al-legend">
      {label !== undefined && <span className="al-legend-label">{label}</span>}
      <svg width={width} height={BAR_H + 20} role="img" aria-label={aria} className="al-legend-svg">
        <defs>
          <linearGradient id={gradientId} x1="0" x2="1" y1="0" y2="0">
            {stops.map((s) => (
              <stop key={s.offset} offset={s.offset} stopColor={s.color} />
            ))}
          </linearGradient>
        </defs>
        <g transform={`translate(${pad},2)`}>
          <rect width={inner} height={BAR_H} fill={`url(#${gradientId})`} className="al-legend-bar" />
          {tickItems.map((tk) => (
            <g key={tk.v} transform={`translate(${tk.x},0)`}>
              <line y1={BAR_H} y2={BAR_H + 4} className="al-legend-tick" />
              <text y={BAR_H + 14} textAnchor="middle" className="al-legend-text">
                {tk.text}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  );
});
