// Head ablation: pick heads (a layers × heads grid of toggles), choose zero or mean ablation, and see the
// prediction before and after, the change in log p of a target token and the KL divergence.
import { useId } from 'react';
import { useT } from '../../i18n/react.ts';
import { displayToken, formatValue } from '../common/format.ts';
import { NextTokens, type TokenChance } from './NextTokens.tsx';
import type { HeadRef } from '../common/types.ts';
import './layers.css';

/** Zero-ablation or mean-ablation (the engine's HeadAblation). */
export type { HeadAblation as AblationMode } from '../../engine/types.ts';
import type { HeadAblation as AblationMode } from '../../engine/types.ts';

export interface AblationSummary {
  /** Top tokens before and after. */
  before: TokenChance[];
  after: TokenChance[];
  /** log p(target) after − before. */
  deltaLogp: number;
  /** KL(before ‖ after), nats. */
  kl: number;
}

export interface AblationPanelProps {
  layers: number;
  heads: number;
  /** The ablated heads. */
  ablated: HeadRef[];
  mode: AblationMode;
  /** The target token (untrusted text) whose log-probability is followed. */
  target: string | null;
  /** The position whose prediction is shown: its token and index. */
  position: { token: string; index: number };
  /** The prediction is a masked-LM head's at the position (an encoder), not the next token after it. */
  masked?: boolean;
  /** The prediction before and after; null while computing or with nothing ablated. */
  summary: AblationSummary | null;
  onToggle: (ref: HeadRef) => void;
  onMode: (mode: AblationMode) => void;
  onClear: () => void;
  onTarget: (token: string) => void;
}

/** The ablation controls and their effect on the next-token prediction. */
export function AblationPanel({ layers, heads, ablated, mode, target, position, masked = false, summary, onToggle, onMode, onClear, onTarget }: AblationPanelProps) {
  const t = useT();
  const id = useId();
  const on = (l: number, h: number) => ablated.some((r) => r.layer === l && r.head === h);
  return (
    <section className="al-layers al-ablate" data-testid="ablation-panel" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="al-layers-h">
        {t('ablate.title')}
      </h3>
      <p className="al-hint">{t('ablate.help')}</p>
      <fieldset className="al-segmented">
        <legend>{t('ablate.mode')}</legend>
        {(['zero', 'mean'] as const).map((m) => (
          <label key={m} className={mode === m ? 'al-on' : undefined}>
            <input type="radio" name={`${id}-mode`} checked={mode === m} data-testid={`ablate-mode-${m}`} onChange={() => onMode(m)} />
            {t(`ablate.mode.${m}`)}
          </label>
        ))}
      </fieldset>
      <fieldset className="al-ablate-grid" data-testid="ablate-grid">
        <legend>{t('ablate.heads')}</legend>
        <table>
          <tbody>
            {Array.from({ length: layers }, (_, l) => (
              <tr key={l}>
                <th scope="row">{l + 1}</th>
                {Array.from({ length: heads }, (_, h) => (
                  <td key={h}>
                    <input
                      type="checkbox"
                      className="al-ablate-box"
                      checked={on(l, h)}
                      aria-label={t('ablate.head', { layer: l + 1, head: h + 1 })}
                      data-testid="ablate-head"
                      data-layer={l}
                      data-head={h}
                      onChange={() => onToggle({ layer: l, head: h })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="al-button" data-testid="ablate-clear" disabled={ablated.length === 0} onClick={onClear}>
          {t('ablate.clear')}
        </button>
      </fieldset>
      <p className="al-hint">{t(masked ? 'ablate.position.masked' : 'ablate.position', { token: displayToken(position.token), i: position.index })}</p>
      {summary === null ? (
        <p className="al-hint">{t('ablate.none')}</p>
      ) : (
        <div className="al-ablate-result" data-testid="ablation-result" data-delta={summary.deltaLogp} data-kl={summary.kl}>
          <NextTokens items={summary.before} caption={t('ablate.before')} testId="ablate-before" marked={target} onPick={onTarget} />
          <NextTokens items={summary.after} caption={t('ablate.after')} testId="ablate-after" marked={target} onPick={onTarget} />
          <p className="al-ablate-numbers">
            {target !== null && <span data-testid="ablate-delta">{t('ablate.delta', { token: displayToken(target), value: formatValue(summary.deltaLogp) })}</span>}{' '}
            <span data-testid="ablate-kl">{t('ablate.kl', { value: formatValue(summary.kl) })}</span>
          </p>
        </div>
      )}
    </section>
  );
}
