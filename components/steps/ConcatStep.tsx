// The last step with several heads or W^O: the heads' outputs side by side (the article's
// convention), or times W^O (the standard one).
import type { ReactNode } from 'react';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { Token, Vector, rowOf } from './pieces.tsx';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { concatTex } from './steps.ts';
import { Prose } from '../common/Prose.tsx';

export function ConcatStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, result, h, i, multi, rows, tok, ex, small } = c;
  const hCount = result.heads.length;
  const article = input.Wo === null;
  const matrices: ReactNode[] = [small(result.Z, 'matrices.Z', 'Z', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } })];
  if (input.Wo) matrices.push(small(input.Wo, 'matrices.Wo', 'W^O', 'diverging'));
  if (result.out) matrices.push(small(result.out, 'matrices.out', '\\mathrm{out}', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }));
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={
        <Formula
          block
          tex={article ? `Z = ${concatTex(hCount)}` : `\\mathrm{out} = ${concatTex(hCount)}\\, W^O`}
        />
      }
      text={<p><Prose text={t(!multi ? 'steps.text.concatSingle' : article ? 'steps.text.concatArticle' : 'steps.text.concatStandard')} /></p>}
      matrices={matrices}
      arithmetic={
        ex && (
          <>
            <div className="al-arith-line">
              <span>{t('steps.concatWhere', { head: h + 1, from: ex.zOffset, to: ex.zOffset + ex.dv - 1 })}</span>
            </div>
            <div className="al-arith-line">
              <Token text={tok(i)} />
              <Formula tex={`Z_{${i}} =`} />
              <Vector values={rowOf(result.Z, i)} testId="step-Zrow" />
            </div>
            {result.out && (
              <div className="al-arith-line">
                <Formula tex={`\\mathrm{out}_{${i}} = Z_{${i}}\\,W^O =`} />
                <Vector values={rowOf(result.out, i)} testId="step-out" />
              </div>
            )}
          </>
        )
      }
    />
  );
}
