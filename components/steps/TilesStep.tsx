// The online (tiled) softmax of the selected row, as FlashAttention computes it: the keys in tiles of B,
// with the running maximum m, the running sum ℓ and the factor e^(m_old − m_new) at each tile, ending at
// the row of A and the z the engine computed. The tiles are engine/onlineSoftmax.ts's, on the engine's scores.
import { useMemo } from 'react';
import { onlineAttention } from '../../engine/onlineSoftmax.ts';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { Num, rowOf, Token, Vector } from './pieces.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

export function TilesStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, hr, i, sup, rows, tok, small, tile, onSelectCell } = c;
  const B = tile ?? 1;
  const row = useMemo(() => {
    try {
      return onlineAttention(hr.scores, hr.V, B, { causal: input.causal, window: input.window ?? null, keyWeights: input.keyWeights }).rows[i] ?? null;
    } catch {
      return null;
    }
  }, [hr.scores, hr.V, B, input.causal, input.window, input.keyWeights, i]);
  const z = rowOf(hr.Z, i);
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={
        <>
          <Formula block tex={'m \\leftarrow \\max(m_{\\text{old}}, \\max_{j \\in T} s_{ij}),\\quad \\ell \\leftarrow \\ell\\, e^{m_{\\text{old}} - m} + \\sum_{j \\in T} e^{s_{ij} - m}'} />
          <Formula block tex={'o \\leftarrow o\\, e^{m_{\\text{old}} - m} + \\sum_{j \\in T} e^{s_{ij} - m}\\, v_j,\\qquad z_i = o / \\ell'} />
        </>
      }
      text={<p><Prose text={t('steps.text.tiles', { B })} /></p>}
      matrices={[
        small(hr.scores, 'matrices.scores', `S${sup}`, 'diverging', { rowLabels: rows, colLabels: rows, highlight: { row: i, col: null } }),
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, selected: { row: i, col: c.j }, onSelect: onSelectCell }),
      ]}
      arithmetic={
        row && (
          <>
            <table className="al-row-table" data-testid="step-tiles" data-tile={B}>
              <thead>
                <tr>
                  <th scope="col">{t('steps.colTile')}</th>
                  <th scope="col">{t('steps.colKeys')}</th>
                  <th scope="col">
                    <Formula tex="\max_{T} s" />
                  </th>
                  <th scope="col">
                    <Formula tex="m" />
                  </th>
                  <th scope="col">
                    <Formula tex="e^{m_{\text{old}} - m}" />
                  </th>
                  <th scope="col">
                    <Formula tex="\ell" />
                  </th>
                  <th scope="col">
                    <Formula tex="o / \ell" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {row.tiles.map((tl, k) => (
                  <tr key={k} data-tile-index={k} className={tl.mNew > tl.mOld && k > 0 ? 'al-current' : undefined}>
                    <td>{k + 1}</td>
                    <td>
                      {Array.from({ length: tl.end - tl.start }, (_, x) => (
                        <Token key={x} text={tok(tl.start + x)} />
                      ))}
                    </td>
                    <td>{Number.isFinite(tl.tileMax) ? <Num value={tl.tileMax} /> : '—'}</td>
                    <td>{Number.isFinite(tl.mNew) ? <Num value={tl.mNew} testId={`tile-m-${k}`} /> : '—'}</td>
                    {/* Nothing summed before the first admissible key: no factor to apply. */}
                    <td>{Number.isFinite(tl.mOld) ? <Num value={tl.rescale} testId={`tile-factor-${k}`} /> : '—'}</td>
                    <td>
                      <Num value={tl.sum} testId={`tile-sum-${k}`} />
                    </td>
                    <td>
                      <Vector values={tl.z} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="al-arith-line">
              <Token text={tok(i)} />
              <Formula tex={`z_{${i}} = o / \\ell =`} />
              <Vector values={row.tiles.at(-1)?.z ?? []} testId="tiles-z" />
              <span className="al-arith-note">{t('steps.tilesSame')}</span>
              <Vector values={z} testId="tiles-engine-z" />
            </div>
          </>
        )
      }
    />
  );
}
