// The logit lens as a table: after each layer, the top tokens the model would predict at one position.
import { useId } from 'react';
import { useT } from '../../i18n/react.ts';
import { displayToken, formatValue } from '../common/format.ts';
import type { TokenChance } from './NextTokens.tsx';
import './layers.css';

export interface LensTableProps {
  /** rows[l]: the top tokens after layer l (most probable first); the last row is the model's prediction. */
  rows: TokenChance[][];
  /** The position's token (untrusted text) and index, for the caption. */
  token: string;
  position: number;
}

/** Layers × top-k predictions with probabilities. */
export function LensTable({ rows, token, position }: LensTableProps) {
  const t = useT();
  const id = useId();
  const k = Math.max(0, ...rows.map((r) => r.length));
  return (
    <section className="al-layers al-lens" data-testid="lens-view" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="al-layers-h">
        {t('lens.title', { token: displayToken(token), i: position })}
      </h3>
      <p className="al-hint">{t('lens.help')}</p>
      <div className="al-table-wrap">
        <table className="al-lens-table" data-testid="lens-table">
          <thead>
            <tr>
              <th scope="col">{t('lens.layer')}</th>
              {Array.from({ length: k }, (_, r) => (
                <th key={r} scope="col">
                  {t('lens.rank', { k: r + 1 })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, l) => (
              <tr key={l} data-testid="lens-row" data-layer={l}>
                <th scope="row">{l + 1}</th>
                {row.map((x, r) => (
                  <td key={r} data-token={x.token} data-p={x.p} style={{ ['--al-p' as string]: String(x.p) }}>
                    <span className="al-lens-token">{displayToken(x.token)}</span> <span className="al-lens-p">{formatValue(x.p)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
