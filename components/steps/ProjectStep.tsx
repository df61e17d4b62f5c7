// Step 1: the projections Q = XW^Q, K = XW^K, V = XW^V, with q_i, k_j and v_j written out.
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { rowOf, Token, Vector } from './pieces.tsx';
import { rotaryView } from './rotary.ts';
import { StepFrame, type StepProps } from './StepFrame.tsx';
import { Prose } from '../common/Prose.tsx';

interface ProjectionLineProps {
  /** The vector's name in words. */
  label: string;
  /** The token it belongs to. */
  token: string;
  /** x_t W = in TeX. */
  tex: string;
  /** The vector's entries. */
  values: readonly number[];
  /** Test id of the vector. */
  testId: string;
}

/** One projected vector: its name, its token and x_t W = the values. */
function ProjectionLine({ label, token, tex, values, testId }: ProjectionLineProps) {
  return (
    <div className="al-arith-line">
      <span className="al-arith-label">{label}</span>
      <Token text={token} />
      <Formula tex={tex} />
      <Vector values={values} testId={testId} />
    </div>
  );
}

/** The projections' formula in TeX, with `+ b` on each projection the model adds a bias to. */
export function projectTex(multi: boolean, bias: { q: boolean; k: boolean; v: boolean }): string {
  const one = (M: 'Q' | 'K' | 'V', has: boolean) => {
    const W = multi ? `W_${M}^{h}` : `W^${M}`;
    const b = multi ? `b_${M}^{h}` : `b^${M}`;
    return `${M}${multi ? '^{h}' : ''} = X${W}${has ? ` + \\mathbf{1}${b}` : ''}`;
  };
  return [one('Q', bias.q), one('K', bias.k), one('V', bias.v)].join(',\\quad ');
}

export function ProjectStep({ c, title, error }: StepProps) {
  const t = useT();
  const { input, hr, h, i, j, multi, sup, rows, tok, ex, small } = c;
  const sub = multi ? `_{${h + 1}}` : '';
  // With RoPE, XW^Q and XW^K are the vectors before the rotation (the scores step rotates them).
  const rope = rotaryView(input, hr);
  const Q = rope?.Qpre ?? hr.Q;
  const K = rope?.Kpre ?? hr.K;
  // The model's own biases (BERT, GPT-2, Qwen2 add one after each projection): written into the formula and shown.
  const weights = input.heads[h];
  const biases = { q: weights?.bq ?? null, k: weights?.bk ?? null, v: weights?.bv ?? null };
  const has = { q: biases.q !== null, k: biases.k !== null, v: biases.v !== null };
  const lines = ex && [
    { name: 'q', label: t('steps.vec.q'), at: i, W: 'W^Q', b: 'b^Q', bias: biases.q, values: rope ? rowOf(Q, i) : ex.q },
    { name: 'k', label: t('steps.vec.k'), at: j, W: 'W^K', b: 'b^K', bias: biases.k, values: rope ? rowOf(K, j) : ex.k },
    { name: 'v', label: t('steps.vec.v'), at: j, W: 'W^V', b: 'b^V', bias: biases.v, values: ex.v },
  ];
  return (
    <StepFrame
      title={title}
      error={error}
      formulas={<Formula block tex={projectTex(multi, has)} testId="step-project-formula" />}
      text={
        <>
          <p><Prose text={t(multi ? 'steps.text.projectMulti' : 'steps.text.project')} /></p>
          {(has.q || has.k || has.v) && <p data-testid="step-bias-text"><Prose text={t('steps.text.projectBias')} /></p>}
          {rope && <p><Prose text={t('steps.text.projectRope')} /></p>}
        </>
      }
      matrices={[
        small(input.X, 'matrices.X', 'X', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(Q, 'matrices.Q', `Q${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(K, 'matrices.K', `K${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
        small(hr.V, 'matrices.V', `V${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
      ]}
      arithmetic={
        lines && (
          <>
            {lines.map((l) => (
              <ProjectionLine
                key={l.name}
                label={l.label}
                token={tok(l.at)}
                tex={`${l.name}_{${l.at}} = x_{${l.at}}${l.W}${sub}${l.bias ? ` + ${l.b}${sub}` : ''} =`}
                values={l.values}
                testId={`step-${l.name}`}
              />
            ))}
            {lines.map(
              (l) =>
                l.bias && (
                  <div className="al-arith-line" key={`b${l.name}`}>
                    <span className="al-arith-label">{t(`steps.vec.b${l.name}` as 'steps.vec.bq')}</span>
                    <Formula tex={`${l.b}${sub} =`} />
                    <Vector values={Array.from(l.bias)} testId={`step-b${l.name}`} />
                  </div>
                ),
            )}
          </>
        )
      }
    />
  );
}
