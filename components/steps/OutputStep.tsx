// Step 4: the output Z = AV, with z_i written out as the weighted sum of the value rows.
import { useT } from '../../i18n/react.ts';
import type { CellExplanation } from '../../engine/explain.ts';
import type { Matrix } from '../../engine/types.ts';
import { Formula } from '../common/Formula.tsx';
import { elideIndices } from './elide.ts';
import { vectorTex } from './steps.ts';
import { Num, Token, Vector, rowOf } from './pieces.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

export function OutputStep({ c, title, error }: StepProps) {
  const t = useT();
  const { hr, i, sup, rows, tok, ex, excludedKeys, small, onSelectCell } = c;
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={<Formula block tex={`Z${sup} = A${sup}V${sup},\\qquad z_i = \\sum_{j} A_{ij}\\, v_j`} />}
      text={<p><Prose text={t('steps.text.output')} /></p>}
      matrices={[
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, highlight: { row: i, col: null }, excludedCols: excludedKeys, onSelect: onSelectCell }),
        small(hr.V, 'matrices.V', `V${sup}`, 'diverging', { rowLabels: rows }),
        small(hr.Z, 'matrices.Zh', `Z${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
      ]}
      arithmetic={ex && <OutputArithmetic ex={ex} tok={tok} V={hr.V} />}
    />
  );
}

interface OutputArithmeticProps {
  /** The selected cell's arithmetic. */
  ex: CellExplanation;
  /** The token of a position. */
  tok: (x: number) => string; V: Matrix;
}

function OutputArithmetic({ ex, tok, V }: OutputArithmeticProps) {
  const t = useT();
  const items = elideIndices(ex.n, { head: 4, tail: 2, around: [ex.j], radius: 1 });
  return (
    <>
      <table className="al-row-table" data-testid="step-zterms">
        <thead>
          <tr>
            <th scope="col">{t('steps.colKey')}</th>
            <th scope="col">
              <Formula tex={`A_{${ex.i},j'}`} />
            </th>
            <th scope="col">
              <Formula tex="v_{j'}" />
            </th>
            <th scope="col">
              <Formula tex={`A_{${ex.i},j'}\\, v_{j'}`} />
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            if (e.kind === 'gap') {
              return (
                <tr key={`gap${e.from}`} className="al-elided">
                  <td colSpan={4}>{t('steps.moreKeys', { count: e.count })}</td>
                </tr>
              );
            }
            const jj = e.index;
            const v = rowOf(V, jj);
            return (
              <tr key={jj} className={jj === ex.j ? 'al-current' : undefined}>
                <td>
                  {`${jj} `}
                  <Token text={tok(jj)} excluded={!ex.admissible[jj]} />
                </td>
                <td>
                  <Num value={ex.rowA[jj]} />
                </td>
                <td>
                  <Formula tex={vectorTex(v, 2, 1).tex} />
                </td>
                <td>
                  <Formula tex={vectorTex(ex.zTerms[jj], 2, 1).tex} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="al-arith-line">
        <Token text={tok(ex.i)} />
        <Formula tex={`z_{${ex.i}} = \\sum_{j'} A_{${ex.i},j'}\\, v_{j'} =`} />
        <Vector values={ex.z} testId="step-z" />
      </div>
    </>
  );
}
