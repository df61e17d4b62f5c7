// The selected token generated with a KV cache: its query against the keys and values cached so far
// (the window evicts the oldest), giving its row of A and its z — the engine's row, as the full causal
// computation gives it, key weights and padding included — and the cost counter of that step with and without the cache.
import { useMemo } from 'react';
import { admissibleRange } from '../../engine/keyRange.ts';
import { cacheRow, stepCost } from '../../engine/kvCache.ts';
import { kvHeadsOf } from '../../engine/gqa.ts';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { Num, rowOf, Token, Vector } from './pieces.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

export function CacheStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, result, hr, i, sup, rows, tok, small, onSelectCell } = c;
  const n = hr.A.rows;
  const view = useMemo(() => {
    const { lo } = admissibleRange(i, n, input.causal, input.window ?? null);
    const rowsOf = (m: typeof hr.K, from: number, to: number) => Array.from({ length: to - from }, (_, x) => rowOf(m, from + x));
    const weights = input.keyWeights ? Array.from(input.keyWeights.slice(lo, i + 1)) : null;
    const cached = cacheRow(rowOf(hr.Q, i), rowsOf(hr.K, lo, i + 1), rowsOf(hr.V, lo, i + 1), result.scale, lo, weights);
    const kvHeads = new Set(kvHeadsOf(input.heads)).size;
    const cost = stepCost({ d: input.X.cols, heads: result.heads.length, kvHeads, dk: hr.Q.cols, dv: hr.V.cols }, i, i + 1 - lo);
    return { lo, cached, cost, weights };
  }, [input, result, hr, i, n]);
  const { lo, cached, cost, weights } = view;
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={<Formula block tex={`${weights ? 's_{tj} = c\\, q_t \\cdot k_j,\\quad a_{tj} = \\dfrac{w_j\\, e^{s_{tj}}}{\\sum_{k \\le t} w_k\\, e^{s_{tk}}}' : 'a_t = \\mathrm{softmax}\\big(q_t\\, [k_{0} \\cdots k_t]^{\\top} \\cdot c\\big)'},\\qquad z_t = \\textstyle\\sum_{j \\le t} a_{tj}\\, v_j`} />}
      text={
        <p>
          <Prose text={t('steps.text.cache')} />
          {weights && ` ${t('steps.cacheWeights')}`}
        </p>
      }
      matrices={[
        small(hr.K, 'matrices.K', `K${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, selected: { row: i, col: c.j }, onSelect: onSelectCell }),
      ]}
      arithmetic={
        <>
          <p data-testid="cache-held" data-held={i + 1 - lo}>
            {t('steps.cacheHeld', { held: i + 1 - lo, token: tok(i) })}
          </p>
          <table className="al-row-table" data-testid="step-cache">
            <thead>
              <tr>
                <th scope="col">{t('steps.colKey')}</th>
                {weights && (
                  <th scope="col">
                    <Formula tex="w_j" />
                  </th>
                )}
                <th scope="col">
                  <Formula tex={`s_{${i},j}`} />
                </th>
                <th scope="col">
                  <Formula tex={`a_{${i},j}`} />
                </th>
                <th scope="col">
                  <Formula tex={`A_{${i},j}`} />
                </th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: i + 1 - lo }, (_, x) => lo + x).map((j) => (
                <tr key={j} data-key={j}>
                  <td>
                    {`${j} `}
                    <Token text={tok(j)} />
                  </td>
                  {weights && (
                    <td>
                      <Num value={weights[j - lo]} testId={`cache-w-${j}`} />
                    </td>
                  )}
                  <td>
                    <Num value={cached.scores[j]} />
                  </td>
                  <td>
                    <Num value={cached.a[j]} testId={`cache-a-${j}`} />
                  </td>
                  <td>
                    <Num value={hr.A.data[i * n + j]} testId={`cache-A-${j}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="al-arith-line">
            <Formula tex={`z_{${i}} =`} />
            <Vector values={cached.z} testId="cache-z" />
            <span className="al-arith-note">{t('steps.tilesSame')}</span>
            <Vector values={rowOf(hr.Z, i)} />
          </div>
          <p data-testid="cache-cost" data-cached={cost.cached} data-recompute={cost.recompute}>
            {t('steps.cacheCost', { cached: cost.cached, recompute: cost.recompute })}
          </p>
        </>
      }
    />
  );
}
