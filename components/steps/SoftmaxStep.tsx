// Step 3: the row softmax of the scores (weighted and causal when the case is), with the selected
// query's row written out as a table.
import { useT } from '../../i18n/react.ts';
import type { CellExplanation } from '../../engine/explain.ts';
import { Formula } from '../common/Formula.tsx';
import { elideIndices } from './elide.ts';
import { displayToken, formatTex } from '../common/format.ts';
import { Num, Token } from './pieces.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

export function SoftmaxStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, mechanism, hr, i, j, sup, rows, tok, ex, excludedKeys, small, onSelectCell } = c;
  const weighted = mechanism === 'weighted' || input.keyWeights !== null;
  const band = input.causal ? (input.window ?? null) : null;
  const core = weighted
    ? `A_{ij} = \\frac{w_j\\, e^{s_{ij}}}{\\sum_{j'} w_{j'}\\, e^{s_{ij'}}}`
    : `A_{ij} = \\operatorname{softmax}_j(s_{ij}) = \\frac{e^{s_{ij}}}{\\sum_{j'} e^{s_{ij'}}}`;
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={
        <>
          <Formula block tex={core} />
          {input.causal && band === null && <Formula block tex={'s_{ij} \\leftarrow \\begin{cases} s_{ij} & j \\le i \\\\ -\\infty & j > i \\end{cases}'} />}
          {band !== null && <Formula block tex={`s_{ij} \\leftarrow \\begin{cases} s_{ij} & i - ${band} < j \\le i \\\\ -\\infty & \\text{otherwise} \\end{cases}`} />}
        </>
      }
      text={
        <>
          <p><Prose text={t('steps.text.softmax')} /></p>
          {weighted && <p><Prose text={t('steps.text.softmaxWeighted')} /></p>}
          {input.causal && <p><Prose text={t('steps.text.softmaxCausal')} /></p>}
          {band !== null && <p><Prose text={t('steps.text.softmaxWindow', { window: band })} /></p>}
        </>
      }
      matrices={[
        small(hr.scores, 'matrices.scores', `S${sup}`, 'diverging', { rowLabels: rows, colLabels: rows, highlight: { row: i, col: null }, excludedCols: excludedKeys }),
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, selected: { row: i, col: j }, excludedCols: excludedKeys, onSelect: onSelectCell }),
      ]}
      arithmetic={ex && <SoftmaxArithmetic ex={ex} tok={tok} weighted={weighted} />}
    />
  );
}

interface SoftmaxArithmeticProps {
  /** The selected cell's arithmetic. */
  ex: CellExplanation;
  /** The token of a position. */
  tok: (x: number) => string; weighted: boolean;
}

function SoftmaxArithmetic({ ex, tok, weighted }: SoftmaxArithmeticProps) {
  const t = useT();
  const items = elideIndices(ex.n, { head: 4, tail: 2, around: [ex.j, ex.i], radius: 1 });
  const why = (jj: number): string | null => {
    if (ex.admissible[jj]) return null;
    if (ex.causal && jj > ex.i) return t('steps.excludedCausal');
    if (ex.window !== null && jj <= ex.i - ex.window) return t('steps.excludedWindow', { window: ex.window });
    return t('steps.excludedWeight');
  };
  const cols = weighted ? 6 : 5;
  return (
    <>
      {ex.emptyRow ? (
        <p className="al-warning" role="status">
          {t('steps.emptyRow', { token: displayToken(tok(ex.i)) })}
        </p>
      ) : (
        <div className="al-arith-line">
          <Formula tex={`m_{${ex.i}} = \\max_{j'} s_{${ex.i},j'} =`} />
          <Num value={ex.rowMax ?? NaN} testId="step-max" />
          <span className="al-arith-note">{t('steps.maxNote')}</span>
        </div>
      )}
      <table className="al-row-table" data-testid="step-row">
        <thead>
          <tr>
            <th scope="col">{t('steps.colKey')}</th>
            <th scope="col">
              <Formula tex={`s_{${ex.i},j'}`} />
            </th>
            {weighted && (
              <th scope="col">
                <Formula tex="w_{j'}" />
              </th>
            )}
            <th scope="col">
              <Formula tex={weighted ? `w_{j'}\\,e^{s_{${ex.i},j'} - m_{${ex.i}}}` : `e^{s_{${ex.i},j'} - m_{${ex.i}}}`} />
            </th>
            <th scope="col">
              <Formula tex={`A_{${ex.i},j'}`} />
            </th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            if (e.kind === 'gap') {
              return (
                <tr key={`gap${e.from}`} className="al-elided">
                  <td colSpan={cols}>{t('steps.moreKeys', { count: e.count })}</td>
                </tr>
              );
            }
            const jj = e.index;
            const reason = why(jj);
            const cls = [jj === ex.j ? 'al-current' : '', reason ? 'al-excluded' : ''].filter(Boolean).join(' ');
            return (
              <tr key={jj} className={cls || undefined} data-key={jj}>
                <td>
                  {`${jj} `}
                  <Token text={tok(jj)} excluded={reason !== null} />
                </td>
                <td>
                  <Num value={ex.rowScores[jj]} />
                </td>
                {weighted && (
                  <td>
                    <Num value={ex.weights[jj]} />
                  </td>
                )}
                <td>
                  {reason ? '—' : <Num value={ex.exps[jj]} testId={jj === ex.j ? 'step-exp' : undefined} />}
                </td>
                <td>
                  <Num value={ex.rowA[jj]} />
                </td>
                <td>{reason}</td>
              </tr>
            );
          })}
          <tr className="al-sum">
            <td>{t('steps.sum')}</td>
            <td />
            {weighted && <td />}
            <td>
              <Num value={ex.expSum} testId="step-sum" />
            </td>
            <td />
            <td />
          </tr>
        </tbody>
      </table>
      <div className="al-arith-line">
        <Token text={tok(ex.i)} />
        <span aria-hidden="true">→</span>
        <Token text={tok(ex.j)} excluded={!ex.cellAdmissible} />
        <Formula
          tex={
            ex.cellAdmissible && !ex.emptyRow
              ? `A_{${ex.i},${ex.j}} = \\frac{${formatTex(ex.exps[ex.j])}}{${formatTex(ex.expSum)}} =`
              : `A_{${ex.i},${ex.j}} =`
          }
        />
        <Num value={ex.a} testId="step-A" />
      </div>
    </>
  );
}
