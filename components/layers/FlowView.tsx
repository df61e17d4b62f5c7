// Attention rollout as a view: the rollout matrix after a chosen layer, and for one token a bar of
// where its information came from. The numbers come from engine/analysis/rollout.ts, or (the optional
// max-flow variant, short inputs only) from engine/analysis/maxflow.ts.
import { useId } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { displayToken, formatValue } from '../common/format.ts';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import type { Cell } from '../common/types.ts';
import './layers.css';

export type FlowMethod = 'rollout' | 'maxflow';

export interface FlowViewProps {
  /** Rollout after each layer: rollout[l] is n×n, rows sum to 1; empty while it is still being computed. */
  rollout: Matrix[];
  /** Token texts (untrusted: rendered as text). */
  tokens: string[];
  /** Index into `rollout` of the layer shown (0-based). */
  layer: number;
  /** The token whose sources the bar shows, or null. */
  query: number | null;
  /** Asks for another layer. */
  onLayer: (layer: number) => void;
  /** Asks for another token. */
  onQuery: (query: number) => void;
  /** Which matrix is shown: rollout, or attention flow by max-flow. */
  method: FlowMethod;
  /** With method 'maxflow': the attention flow after `layer` (n×n, rows sum to 1); null while not available. */
  maxFlow: Matrix | null;
  /** The most tokens max-flow runs on (longer inputs disable it). */
  maxFlowTokens: number;
  /** Asks for the other method. */
  onMethod: (method: FlowMethod) => void;
}

/** Up to this many tokens every source gets a bar; beyond, the TOP_BARS largest. */
const MAX_BARS = 48;
const TOP_BARS = 24;

/** The rollout heatmap with a layer slider, and the sources of one token as bars. */
export function FlowView({ rollout, tokens, layer, query, onLayer, onQuery, method, maxFlow, maxFlowTokens, onMethod }: FlowViewProps) {
  const t = useT();
  const id = useId();
  const L = rollout.length;
  const l = Math.max(0, Math.min(L - 1, layer));
  const tooLong = tokens.length > maxFlowTokens;
  const flow = method === 'maxflow' && !tooLong && maxFlow !== null;
  // The rollout comes with the model run's extras; a long input gets it a moment later.
  if (L === 0) {
    return (
      <p className="al-hint" data-testid="flow-pending" role="status">
        {t('flow.pending')}
      </p>
    );
  }
  const R = flow ? maxFlow : rollout[l];
  if (!R) return null;
  const title = t(flow ? 'flow.maxTitle' : 'flow.title', { layer: l + 1 });
  const row = query !== null && query < R.rows ? Array.from({ length: R.cols }, (_, j) => R.data[query * R.cols + j]) : null;
  const max = row ? Math.max(...row) : 1;
  // A long input lists its largest sources only (a bar per token would run for pages).
  const bars = row ? (row.length > MAX_BARS ? row.map((v, j) => ({ v, j })).sort((a, b) => b.v - a.v).slice(0, TOP_BARS) : row.map((v, j) => ({ v, j }))) : [];
  return (
    <section className="al-layers al-flow" data-testid="flow-view" data-method={flow ? 'maxflow' : 'rollout'} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="al-layers-h">
        {title}
      </h3>
      <p className="al-hint">{t(flow ? 'flow.maxHelp' : 'flow.help')}</p>
      <div className="al-view-toolbar">
        <fieldset className="al-segmented">
          <legend>{t('flow.method')}</legend>
          {(['rollout', 'maxflow'] as const).map((m) => (
            <label key={m} className={method === m ? 'al-on' : undefined}>
              <input type="radio" name={`${id}-method`} checked={method === m} disabled={m === 'maxflow' && tooLong} data-testid={`flow-method-${m}`} onChange={() => onMethod(m)} />
              {t(`flow.method.${m}`, { max: maxFlowTokens })}
            </label>
          ))}
        </fieldset>
        <label className="al-layers-slider">
          {t('flow.layer')}{' '}
          <input type="range" min={1} max={L} step={1} value={l + 1} data-testid="flow-layer" onChange={(e) => onLayer(Number(e.target.value) - 1)} />{' '}
          <output>{l + 1}</output>
        </label>
      </div>
      {tooLong && <p className="al-hint">{t('flow.maxTooLong', { max: maxFlowTokens, n: tokens.length })}</p>}
      <div className="al-flow-body">
        <MatrixHeatmap
          matrix={R}
          rowLabels={tokens}
          colLabels={tokens}
          title={title}
          color="sequential"
          highlight={{ row: query, col: null }}
          selected={query === null ? null : { row: query, col: 0 }}
          onSelect={(c: Cell) => onQuery(c.row)}
        />
        <figure className="al-flow-bars" data-testid="flow-bars" data-query={row ? query ?? undefined : undefined}>
          {row && query !== null ? (
            <>
              <figcaption>{t('flow.from', { token: displayToken(tokens[query] ?? ''), i: query, layer: l + 1 })}</figcaption>
              {bars.length < row.length && <p className="al-hint">{t('flow.top', { k: bars.length, n: row.length })}</p>}
              <ol>
                {bars.map(({ v, j }) => (
                  <li key={j} data-testid="flow-bar" data-key={j} data-value={v}>
                    <button type="button" className="al-flow-token" onClick={() => onQuery(j)} title={t('flow.bar', { token: tokens[j] ?? '', value: formatValue(v) })}>
                      {displayToken(tokens[j] ?? '')}
                      {bars.length < row.length && <span className="al-flow-pos"> {j}</span>}
                    </button>
                    <span className="al-flow-track" aria-hidden="true">
                      <span className="al-flow-fill" style={{ width: `${(100 * v) / (max || 1)}%` }} />
                    </span>
                    <span className="al-flow-value">{formatValue(v)}</span>
                  </li>
                ))}
              </ol>
            </>
          ) : (
            <p className="al-hint">{t('flow.pick')}</p>
          )}
        </figure>
      </div>
    </section>
  );
}
