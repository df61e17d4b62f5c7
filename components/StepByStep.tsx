// The article's formulas step by step, each beside its live matrices, with the arithmetic of one
// cell (i, j) written out using the engine's own numbers (explainCell). Tokens never enter TeX:
// they are written next to the formulas as text nodes.
import { useId, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { explainCell, type CellExplanation } from '../engine/explain.ts';
import type { Matrix } from '../engine/types.ts';
import type { MessageKey } from '../i18n/index.ts';
import { useT } from '../i18n/react.ts';
import { Formula } from './Formula.tsx';
import { MatrixHeatmap, type MatrixHeatmapAllProps } from './MatrixHeatmap.tsx';
import type { Palette } from './color.ts';
import { elideIndices } from './elide.ts';
import { isInverseSqrt, paren, stepsFor, vectorTex, type StepId } from './steps.ts';
import { displayToken, formatFull, formatShape, formatTex, formatValue, truncateLabel } from './format.ts';
import { clamp } from './geometry.ts';
import type { StepByStepProps } from './types.ts';
import './views.css';

export interface StepByStepExtraProps {
  palette?: Palette;
  /** Side of the small matrices in CSS pixels (default 180). */
  matrixSize?: number;
}

const STEP_NAME: Record<StepId, MessageKey> = {
  project: 'steps.name.project',
  scores: 'steps.name.scores',
  softmax: 'steps.name.softmax',
  output: 'steps.name.output',
  concat: 'steps.name.concat',
};

function rowOf(m: Matrix, i: number): number[] {
  return Array.from({ length: m.cols }, (_, t) => m.data[i * m.cols + t]);
}

function Num({ value, testId, digits }: { value: number; testId?: string; digits?: number }) {
  return (
    <span className="al-num" data-testid={testId} data-value={formatFull(value)}>
      {formatValue(value, digits)}
    </span>
  );
}

function Vector({ values, testId }: { values: readonly number[]; testId?: string }) {
  const t = useT();
  const { tex, hidden } = vectorTex(values);
  return (
    <span className="al-vector" data-testid={testId} data-value={JSON.stringify(values.map(Number))}>
      <Formula tex={tex} />
      {hidden > 0 && <span className="al-gap">{t('steps.moreEntries', { count: hidden })}</span>}
    </span>
  );
}

function Token({ text, excluded = false }: { text: string; excluded?: boolean }) {
  return <span className={`al-token${excluded ? ' al-excluded' : ''}`}>{truncateLabel(displayToken(text), 24)}</span>;
}

export function StepByStep({
  input,
  result,
  tokens,
  mechanism,
  convention,
  head,
  cell,
  step,
  onStep,
  onSelectCell,
  palette = 'default',
  matrixSize = 180,
}: StepByStepProps & StepByStepExtraProps) {
  const t = useT();
  const hCount = result.heads.length;
  const h = clamp(head, 0, Math.max(0, hCount - 1));
  const hr = result.heads[h];
  const n = hr ? hr.A.rows : 0;
  const i = clamp(cell.row, 0, Math.max(0, n - 1));
  const j = clamp(cell.col, 0, Math.max(0, n - 1));
  const steps = stepsFor(mechanism, hCount, input.Wo !== null);
  const k = clamp(step, 0, steps.length - 1);
  const id = steps[k];
  const multi = hCount > 1;
  const tok = (x: number) => tokens[x] ?? String(x);
  const helpId = `${useId()}-help`;

  const explained = useMemo((): { ok: CellExplanation } | { error: string } => {
    try {
      return { ok: explainCell(input, result, h, i, j) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [input, result, h, i, j]);

  const excludedKeys = useMemo(() => {
    const w = input.keyWeights;
    return w ? Array.from({ length: n }, (_, jj) => w[jj] === 0) : undefined;
  }, [input.keyWeights, n]);

  const go = (next: number) => {
    const c = clamp(next, 0, steps.length - 1);
    if (c !== k) onStep(c);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    const fromNav = target === e.currentTarget || target.closest('.al-steps-nav') !== null;
    if (!fromNav) return;
    if (e.key === 'ArrowRight') {
      e.preventDefault();
      go(k + 1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      go(k - 1);
    } else if (e.key === 'Home') {
      e.preventDefault();
      go(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      go(steps.length - 1);
    }
  };

  const title = t(STEP_NAME[id]);
  const sup = multi ? `^{${h + 1}}` : '';
  const dkSym = convention === 'article' ? 'd' : 'd_k';
  const tokenOptions = useMemo(
    () =>
      tokens.map((s, x) => (
        <option key={x} value={x}>
          {`${x}: ${truncateLabel(displayToken(s), 20)}`}
        </option>
      )),
    [tokens],
  );

  const small = (m: Matrix, titleKey: MessageKey, tex: string, color: 'sequential' | 'diverging', extra: Partial<MatrixHeatmapAllProps> = {}) => (
    <MatrixHeatmap
      key={titleKey}
      matrix={m}
      title={t(titleKey, { head: h + 1 })}
      caption={<Formula tex={tex} />}
      shape={formatShape(m.rows, m.cols)}
      color={color}
      palette={palette}
      size={Math.min(matrixSize, Math.max(m.rows, m.cols) * 28)}
      legend={false}
      {...extra}
    />
  );

  let formulas: ReactNode = null;
  let text: ReactNode = null;
  let matrices: ReactNode = null;
  let arithmetic: ReactNode = null;
  const ex = 'ok' in explained ? explained.ok : null;

  if (hr) {
    const rows = tokens.length === n ? tokens : undefined;
    if (id === 'project') {
      formulas = (
        <Formula
          block
          tex={multi ? 'Q^{h} = XW_Q^{h},\\quad K^{h} = XW_K^{h},\\quad V^{h} = XW_V^{h}' : 'Q = XW^Q,\\quad K = XW^K,\\quad V = XW^V'}
        />
      );
      text = <p>{t(multi ? 'steps.text.projectMulti' : 'steps.text.project')}</p>;
      matrices = [
        small(input.X, 'matrices.X', 'X', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(hr.Q, 'matrices.Q', `Q${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(hr.K, 'matrices.K', `K${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
        small(hr.V, 'matrices.V', `V${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
      ];
      if (ex) {
        arithmetic = (
          <>
            <div className="al-arith-line">
              <span className="al-arith-label">{t('steps.vec.q')}</span>
              <Token text={tok(i)} />
              <Formula tex={`q_{${i}} = x_{${i}}W^Q${multi ? `_{${h + 1}}` : ''} =`} />
              <Vector values={ex.q} testId="step-q" />
            </div>
            <div className="al-arith-line">
              <span className="al-arith-label">{t('steps.vec.k')}</span>
              <Token text={tok(j)} />
              <Formula tex={`k_{${j}} = x_{${j}}W^K${multi ? `_{${h + 1}}` : ''} =`} />
              <Vector values={ex.k} testId="step-k" />
            </div>
            <div className="al-arith-line">
              <span className="al-arith-label">{t('steps.vec.v')}</span>
              <Token text={tok(j)} />
              <Formula tex={`v_{${j}} = x_{${j}}W^V${multi ? `_{${h + 1}}` : ''} =`} />
              <Vector values={ex.v} testId="step-v" />
            </div>
          </>
        );
      }
    } else if (id === 'scores') {
      const custom = !isInverseSqrt(result.scale, hr.Q.cols);
      formulas = (
        <Formula
          block
          tex={custom ? `S${sup} = c\\,Q${sup}K^{${multi ? `${h + 1}` : ''}\\top},\\qquad s_{ij} = c\\; q_i \\cdot k_j` : `S${sup} = \\frac{Q${sup}K^{${multi ? `${h + 1}` : ''}\\top}}{\\sqrt{${dkSym}}},\\qquad s_{ij} = \\frac{q_i \\cdot k_j}{\\sqrt{${dkSym}}}`}
        />
      );
      text = <p>{custom ? t('steps.text.scoresCustom', { scale: formatValue(result.scale) }) : t(convention === 'article' ? 'steps.text.scoresArticle' : 'steps.text.scoresStandard')}</p>;
      matrices = [
        small(hr.Q, 'matrices.Q', `Q${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
        small(hr.K, 'matrices.K', `K${sup}`, 'diverging', { rowLabels: rows, highlight: { row: j, col: null } }),
        small(hr.scores, 'matrices.scores', `S${sup}`, 'diverging', { rowLabels: rows, colLabels: rows, selected: { row: i, col: j }, onSelect: onSelectCell }),
      ];
      if (ex) {
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
        arithmetic = (
          <>
            <div className="al-arith-line">
              <Token text={tok(i)} />
              <span aria-hidden="true">→</span>
              <Token text={tok(j)} />
            </div>
            <div className="al-arith-line">
              <Formula tex={`q_{${i}} \\cdot k_{${j}} = \\sum_{t=1}^{${dkSym}} q_{${i},t}\\,k_{${j},t} =`} />
              {groups}
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
        );
      }
    } else if (id === 'softmax') {
      const weighted = mechanism === 'weighted' || input.keyWeights !== null;
      const core = weighted
        ? `A_{ij} = \\frac{w_j\\, e^{s_{ij}}}{\\sum_{j'} w_{j'}\\, e^{s_{ij'}}}`
        : `A_{ij} = \\operatorname{softmax}_j(s_{ij}) = \\frac{e^{s_{ij}}}{\\sum_{j'} e^{s_{ij'}}}`;
      formulas = (
        <>
          <Formula block tex={core} />
          {input.causal && <Formula block tex={'s_{ij} \\leftarrow \\begin{cases} s_{ij} & j \\le i \\\\ -\\infty & j > i \\end{cases}'} />}
        </>
      );
      text = (
        <>
          <p>{t('steps.text.softmax')}</p>
          {weighted && <p>{t('steps.text.softmaxWeighted')}</p>}
          {input.causal && <p>{t('steps.text.softmaxCausal')}</p>}
        </>
      );
      matrices = [
        small(hr.scores, 'matrices.scores', `S${sup}`, 'diverging', { rowLabels: rows, colLabels: rows, highlight: { row: i, col: null }, excludedCols: excludedKeys }),
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, selected: { row: i, col: j }, excludedCols: excludedKeys, onSelect: onSelectCell }),
      ];
      if (ex) arithmetic = <SoftmaxArithmetic ex={ex} tok={tok} weighted={weighted} />;
    } else if (id === 'output') {
      formulas = <Formula block tex={`Z${sup} = A${sup}V${sup},\\qquad z_i = \\sum_{j} A_{ij}\\, v_j`} />;
      text = <p>{t('steps.text.output')}</p>;
      matrices = [
        small(hr.A, 'matrices.A', `A${sup}`, 'sequential', { rowLabels: rows, colLabels: rows, highlight: { row: i, col: null }, excludedCols: excludedKeys, onSelect: onSelectCell }),
        small(hr.V, 'matrices.V', `V${sup}`, 'diverging', { rowLabels: rows }),
        small(hr.Z, 'matrices.Zh', `Z${sup}`, 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }),
      ];
      if (ex) arithmetic = <OutputArithmetic ex={ex} tok={tok} V={hr.V} />;
    } else {
      const article = input.Wo === null;
      formulas = (
        <Formula
          block
          tex={article ? `Z = \\big[\\, Z^{1} \\mid Z^{2} \\mid \\cdots \\mid Z^{${hCount}} \\,\\big]` : `\\mathrm{out} = \\big[\\, Z^{1} \\mid \\cdots \\mid Z^{${hCount}} \\,\\big]\\, W^O`}
        />
      );
      text = <p>{t(!multi ? 'steps.text.concatSingle' : article ? 'steps.text.concatArticle' : 'steps.text.concatStandard')}</p>;
      const list: ReactNode[] = [small(result.Z, 'matrices.Z', 'Z', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } })];
      if (input.Wo) list.push(small(input.Wo, 'matrices.Wo', 'W^O', 'diverging'));
      if (result.out) list.push(small(result.out, 'matrices.out', '\\mathrm{out}', 'diverging', { rowLabels: rows, highlight: { row: i, col: null } }));
      matrices = list;
      if (ex) {
        arithmetic = (
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
        );
      }
    }
  }

  return (
    <section className="al-steps" tabIndex={0} aria-label={t('steps.title')} aria-describedby={`${helpId}`} onKeyDown={onKeyDown} data-testid="step-by-step" data-step={id}>
      <p className="al-convention" data-testid="step-convention">
        {t(convention === 'article' ? 'steps.convention.article' : 'steps.convention.standard')}
      </p>
      <div className="al-steps-nav">
        <button type="button" className="al-button" onClick={() => go(k - 1)} disabled={k === 0} data-testid="step-prev">
          {t('steps.prev')}
        </button>
        <ol className="al-steps-list">
          {steps.map((s, x) => (
            <li key={s}>
              <button type="button" className="al-button" aria-current={x === k ? 'step' : undefined} onClick={() => go(x)}>
                {`${x + 1}. ${t(STEP_NAME[s])}`}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="al-button" onClick={() => go(k + 1)} disabled={k === steps.length - 1} data-testid="step-next">
          {t('steps.next')}
        </button>
        <span className="al-steps-progress" aria-live="polite">
          {t('steps.progress', { n: k + 1, total: steps.length, title })}
        </span>
      </div>
      <p className="al-sr-only" id={helpId}>
        {t('steps.help')}
      </p>

      {hr && n > 0 && (
        <div className="al-cell-picker">
          <span>{t('steps.pick')}</span>
          <label>
            {t('steps.query')}{' '}
            <select value={i} onChange={(e) => onSelectCell({ row: Number(e.target.value), col: j })} data-testid="step-query">
              {tokenOptions}
            </select>
          </label>
          <label>
            {t('steps.key')}{' '}
            <select value={j} onChange={(e) => onSelectCell({ row: i, col: Number(e.target.value) })} data-testid="step-key">
              {tokenOptions}
            </select>
          </label>
          {multi && <span className="al-steps-progress">{t('steps.headN', { head: h + 1 })}</span>}
        </div>
      )}

      <div className="al-step-head">
        <h3>{title}</h3>
        {formulas}
      </div>
      <div className="al-step-body">
        <div className="al-step-text">{text}</div>
        <div className="al-step-matrices">{matrices}</div>
      </div>
      {'error' in explained ? (
        <p className="al-warning" role="alert">
          {t('steps.explainError', { message: explained.error })}
        </p>
      ) : (
        arithmetic && (
          <div className="al-arith" data-testid="step-arithmetic">
            {arithmetic}
          </div>
        )
      )}
    </section>
  );
}

function SoftmaxArithmetic({ ex, tok, weighted }: { ex: CellExplanation; tok: (x: number) => string; weighted: boolean }) {
  const t = useT();
  const items = elideIndices(ex.n, { head: 4, tail: 2, around: [ex.j, ex.i], radius: 1 });
  const why = (jj: number): string | null => {
    if (ex.admissible[jj]) return null;
    if (ex.causal && jj > ex.i) return t('steps.excludedCausal');
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

function OutputArithmetic({ ex, tok, V }: { ex: CellExplanation; tok: (x: number) => string; V: Matrix }) {
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
