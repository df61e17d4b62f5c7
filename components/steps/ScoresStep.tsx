// Step 2: the scores S = QKᵀ/√d_k (or c·QKᵀ with a custom scale), with q_i · k_j summed term by term.
import type { ReactNode } from 'react';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { elideIndices } from './elide.ts';
import { formatTex, formatValue } from '../common/format.ts';
import { isInverseSqrt, paren } from './steps.ts';
import type { CellExplanation } from '../../engine/explain.ts';
import { Num, Token } from './pieces.tsx';
import { rotaryView, ropeTex } from './rotary.ts';
import { RotaryLines } from './RotaryLines.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

interface DotTermsProps {
  /** The selected cell's arithmetic. */
  ex: CellExplanation;
}

/** The terms q_{i,t} k_{j,t} of the dot product, long sums elided in the middle. */
function DotTerms({ ex }: DotTermsProps) {
  const t = useT();
  const groups: ReactNode[] = [];
  let seg: string[] = [];
  const flush = (last: boolean) => {
    if (seg.length) groups.push(<Formula key={`f${groups.length}`} tex={seg.join(' + ') + (last ? '' : ' +')} />);
    seg = [];
  };
  const items = elideIndices(ex.dk, ex.dk <= 8 ? { head: ex.dk } : { head: 4, tail: 2 });
  items.forEach((e, x) => {
    if (e.kind === 'item') seg.push(`${paren(ex.q[e.index])}\\cdot${paren(ex.k[e.index])}`);
    else {
      flush(false);
      groups.push(
        <span key={`g${x}`} className="al-gap">
          {t('steps.moreTerms', { count: e.count })}
        </span>,
      );
      groups.push(<Formula key={`p${x}`} tex="+" />);
    }
  });
  flush(true);
  return <>{groups}</>;
}

export function ScoresStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, result, hr, h, i, j, multi, sup, dkSym, convention, rows, tok, ex, small, onSelectCell } = c;
  const custom = !isInverseSqrt(result.scale, hr.Q.cols);
  const kSup = multi ? `${h + 1}` : '';
  // With RoPE the scores take q and k after the rotation, written with a tilde.
  const rope = rotaryView(input, hr);
  const [Q, K, q, k] = rope ? ['\\tilde{Q}', '\\tilde{K}', '\\tilde{q}', '\\tilde{k}'] : ['Q', 'K', 'q', 'k'];
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={
        <>
          <Formula
            block
            tex={
              custom
                ? `S${sup} = c\\,${Q}${sup}${K}^{${kSup}\\top},\\qquad s_{ij} = c\\; ${q}_i \\cdot ${k}_j`
                : `S${sup} = \\frac{${Q}${sup}${K}^{${kSup}\\top}}{\\sqrt{${dkSym}}},\\qquad s_{ij} = \\frac{${q}_i \\cdot ${k}_j}{\\sqrt{${dkSym}}}`
            }
          />
          {rope && <Formula block tex={ropeTex(rope, hr.Q.cols, sup)} testId="step-rope-formula" />}
        </>
      }
      text={
        <>
          <p>
            <Prose text={custom ? t('steps.text.scoresCustom', { scale: formatValue(result.scale) }) : t(convention === 'article' ? 'steps.text.scoresArticle' : 'steps.text.scoresStandard')} />
          </p>
          {rope && <p><Prose text={t('steps.text.rope', { dims: rope.dims, theta: formatValue(rope.theta) })} /></p>}
        </>
      }
      matrices={[
        small(hr.Q, 'matrices.Q', `${Q}${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(hr.K, 'matrices.K', `${K}${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
        small(hr.scores, 'matrices.scores', `S${sup}`, 'diverging', { rowLabels: rows, colLabels: rows, selected: { row: i, col: j }, onSelect: onSelectCell }),
      ]}
      arithmetic={
        ex && (
          <>
            {rope && <RotaryLines rope={rope} hr={hr} i={i} j={j} tok={tok} sub={multi ? `_{${h + 1}}` : ''} />}
            <div className="al-arith-line">
              <Token text={tok(i)} />
              <span aria-hidden="true">→</span>
              <Token text={tok(j)} />
            </div>
            <div className="al-arith-line">
              <Formula tex={`${q}_{${i}} \\cdot ${k}_{${j}} = \\sum_{t=1}^{${dkSym}} ${q}_{${i},t}\\,${k}_{${j},t} =`} />
              <DotTerms ex={ex} />
              <Formula tex="=" />
              <Num value={ex.dot} testId="step-dot" />
            </div>
            <div className="al-arith-line">
              <Formula
                tex={
                  custom
                    ? `s_{${i},${j}} = c \\cdot ${paren(ex.dot)} = ${formatTex(ex.scale)} \\cdot ${paren(ex.dot)} =`
                    : `s_{${i},${j}} = \\frac{${formatTex(ex.dot)}}{\\sqrt{${ex.dk}}} = ${paren(ex.dot)} \\times ${formatTex(ex.scale)} =`
                }
              />
              <Num value={ex.score} testId="step-score" />
              <span className="al-arith-note">
                {t('steps.scaleUsed')} <Num value={ex.scale} testId="step-scale" />
              </span>
            </div>
          </>
        )
      }
    />
  );
}
