// A training-loss chart: every step's loss as a thin line and its trailing moving average as a bold
// one, over a fixed step axis (the curve grows into it), on a log or linear loss axis. SVG: a few
// hundred points redraw in well under a frame.
import { memo, useMemo } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import './train.css';

export interface LossPoint {
  /** Steps done after this one (1 for the first step). */
  step: number;
  loss: number;
}

export interface LossChartProps {
  /** The losses so far, step by step. */
  points: readonly LossPoint[];
  /** The end of the step axis (e.g. the planned steps); defaults to the last point's step. */
  maxStep?: number;
  /** Logarithmic (default) or linear loss axis. */
  yScale?: 'log' | 'linear';
  /** Width in CSS pixels. */
  width?: number;
  /** Height in CSS pixels. */
  height?: number;
  /** Accessible name of the chart. */
  title: string;
  /** Label of the step axis. */
  xLabel: string;
  /** Label of the loss axis. */
  yLabel: string;
  /** Legend entries of the two lines. */
  rawLabel: string;
  /** Legend entry of the running mean. */
  meanLabel: string;
}

const MARGIN = { top: 8, right: 12, bottom: 34, left: 46 };
/** Losses below this are drawn at it on the log axis. */
const LOG_FLOOR = 1e-3;

/** Trailing mean over `window` points (fewer at the start). */
function movingAverage(points: readonly LossPoint[], window: number): LossPoint[] {
  const out: LossPoint[] = [];
  let sum = 0;
  points.forEach((p, i) => {
    sum += p.loss;
    if (i >= window) sum -= points[i - window].loss;
    out.push({ step: p.step, loss: sum / Math.min(i + 1, window) });
  });
  return out;
}

/** At most `max` points, evenly strided, the last one always kept. */
function thin(points: readonly LossPoint[], max: number): readonly LossPoint[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

function pathOf(points: readonly LossPoint[], x: (s: number) => number, y: (l: number) => number): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join('');
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v >= 1 ? v.toFixed(1) : String(Number(v.toPrecision(2))));

export const LossChart = memo(function LossChart({
  points,
  maxStep,
  yScale = 'log',
  width = 520,
  height = 200,
  title,
  xLabel,
  yLabel,
  rawLabel,
  meanLabel,
}: LossChartProps) {
  const chart = useMemo(() => {
    const innerW = width - MARGIN.left - MARGIN.right;
    const innerH = height - MARGIN.top - MARGIN.bottom;
    const last = points.length ? points[points.length - 1].step : 1;
    const x = scaleLinear().domain([0, Math.max(1, maxStep ?? last, last)]).range([0, innerW]);
    const losses = points.map((p) => p.loss).filter(Number.isFinite);
    const lo = losses.length ? Math.min(...losses) : 1;
    const hi = losses.length ? Math.max(...losses) : 5;
    const y =
      yScale === 'log'
        ? scaleLog()
            .domain([Math.max(LOG_FLOOR, lo * 0.9), Math.max(LOG_FLOOR * 10, hi * 1.1)])
            .range([innerH, 0])
            .clamp(true)
        : scaleLinear()
            .domain([0, Math.max(hi * 1.05, 0.1)])
            .range([innerH, 0])
            .nice();
    const window = Math.max(5, Math.min(50, Math.round(points.length / 20)));
    const raw = thin(points, innerW * 2);
    const mean = thin(movingAverage(points, window), innerW * 2);
    const yTicks = yScale === 'log' ? y.ticks(4).filter((_, i, all) => all.length <= 6 || i % Math.ceil(all.length / 5) === 0) : y.ticks(4);
    return { innerW, innerH, x, y, raw: pathOf(raw, x, y), mean: pathOf(mean, x, y), xTicks: x.ticks(5), yTicks };
  }, [points, maxStep, yScale, width, height]);

  const { innerW, innerH, x, y } = chart;
  return (
    <figure className="al-loss-chart" data-testid="loss-chart" data-points={points.length}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
          {chart.yTicks.map((v) => (
            <g key={`y${v}`} transform={`translate(0,${y(v).toFixed(1)})`}>
              <line className="al-loss-grid" x2={innerW} />
              <text className="al-loss-tick" x={-6} dy="0.32em" textAnchor="end">
                {fmt(v)}
              </text>
            </g>
          ))}
          {chart.xTicks.map((v) => (
            <text key={`x${v}`} className="al-loss-tick" x={x(v)} y={innerH + 14} textAnchor="middle">
              {v}
            </text>
          ))}
          <line className="al-loss-axis" y1={innerH} y2={innerH} x2={innerW} />
          <line className="al-loss-axis" y2={innerH} />
          {points.length > 0 && <path className="al-loss-raw" d={chart.raw} />}
          {points.length > 0 && <path className="al-loss-mean" d={chart.mean} />}
          <text className="al-loss-label" x={innerW / 2} y={innerH + 30} textAnchor="middle">
            {xLabel}
          </text>
          <text className="al-loss-label" transform={`translate(${-36},${innerH / 2}) rotate(-90)`} textAnchor="middle">
            {yLabel}
          </text>
        </g>
      </svg>
      <figcaption className="al-loss-legend" aria-hidden="true">
        <span className="al-loss-key al-loss-key-raw" />
        {rawLabel}
        <span className="al-loss-key al-loss-key-mean" />
        {meanLabel}
      </figcaption>
    </figure>
  );
});
