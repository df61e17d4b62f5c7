// Attention rollout as a view: the rollout matrix after a chosen layer, and for one token a bar of
// where its information came from. The numbers come from engine/analysis/rollout.ts, or (the optional
// max-flow variant, short inputs only) from engine/analysis/maxflow.ts.
import { useId } from 'react';
import type { Matrix } from '../engine/types.ts';
import { useT } from '../i18n/react.ts';
import { displayToken, formatValue } from './format.ts';
import { MatrixHeatmap } from './MatrixHeatmap.tsx';
import type { Cell } from './types.ts';
import './layers.css';

export type FlowMethod = 'rollout' | 'maxflow';

export interface FlowViewProps {
  /** Rollout after each layer: rollout[l] is n×n, rows sum to 1. */
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
  onMethod: (method: FlowMethod) => void;
}

/** The rollout heatmap with a layer slider, and the sources of one token as bars. */
export function FlowView({ rollout, tokens, layer, query, onLayer, onQuery, method, maxFlow, maxFlowTokens, onMethod }: FlowViewProps) {
  const t = useT();
  const id = useId();
  const L = rollout.length;
  const l = Math.max(0, Math.min(L - 1, layer));
  const tooLong = tokens.length > maxFlowTokens;
  const flow = method === 'maxflow' && !tooLong && maxFlow !== null;
  const R = flow ? maxFlow : rollout[l];
  if (!R) return null;
  const title = t(flow ? 'flow.maxTitle' : 'flow.title', { layer: l + 1 });
  const row = query !== null && query < R.rows ? Array.from({ length: R.cols }, (_, j) => R.data[query * R.cols + j]) : null;
  const max = row ? Math.max(...row) : 1;
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
        <figure className="al-flow-bars" data-testid="flow-bars">
          {row && query !== null ? (
            <>
              <figcaption>{t('flow.from', { token: displayToken(tokens[query] ?? ''), i: query, layer: l + 1 })}</figcaption>
              <ol>
                {row.map((v, j) => (
                  <li key={j} data-testid="flow-bar" data-value={v}>
                    <button type="button" className="al-flow-token" onClick={() => onQuery(j)} title={t('flow.bar', { token: tokens[j] ?? '', value: formatValue(v) })}>
                      {displayToken(tokens[j] ?? '')}
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
