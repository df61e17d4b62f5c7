// Where the source article's PyTorch listing departs from its formulas (in our own words), and the
// correct computation for one query, step by step, with the engine's numbers (given as props).
import { useId } from 'react';
import '../views.css';
import { t } from '../../i18n/index.ts';
import { Formula } from '../common/Formula.tsx';
import { formatValue } from '../common/format.ts';
import './lesson.css';

export interface ArticleCodePanelProps {
  /** 1-based head number shown. */
  head: number;
  /** The tokens, labelling the rows. */
  tokens: string[];
  /** The query row written out. */
  query: number;
  /** Row `query` of Q, of the scores, of A and of Z (this head). Null before the first result. */
  rows: { q: number[]; scores: number[]; A: number[]; z: number[] } | null;
  /** The score scale used (1/√d in the article). */
  scale: number;
  /** Another query was chosen. */
  onPickQuery: (query: number) => void;
  /** Close the panel. */
  onClose: () => void;
}

interface VectorProps {
  /** The row vector. */
  values: number[];
  /** Test id (data-value holds the numbers). */
  testId?: string;
}

function Vector({ values, testId }: VectorProps) {
  return (
    <span className="al-article-vec al-mono" data-testid={testId}>
      ({values.map((v) => formatValue(v)).join(', ')})
    </span>
  );
}

export function ArticleCodePanel({ head, tokens, query, rows, scale, onPickQuery, onClose }: ArticleCodePanelProps) {
  const id = useId();
  const token = tokens[query] ?? '';
  return (
    <section className="al-article" aria-labelledby={`${id}-h`} data-testid="article-panel">
      <div className="al-lesson-head">
        <h2 id={`${id}-h`} className="al-lesson-title">
          {t('article.heading')}
        </h2>
        <button type="button" className="al-button al-small" onClick={onClose} data-testid="article-close">
          {t('article.close')}
        </button>
      </div>
      <p>{t('article.intro')}</p>
      <ol className="al-article-list">
        <li>{t('article.split')}</li>
        <li>{t('article.softmaxAxis')}</li>
        <li>{t('article.noScale')}</li>
        <li>{t('article.shapeError')}</li>
        <li>{t('article.weighted')}</li>
        <li>{t('article.multi')}</li>
      </ol>
      {!rows ? (
        <p className="al-hint">{t('article.noResult')}</p>
      ) : (
        <>
          <div className="al-view-toolbar">
            <label className="al-inline-field">
              <span>{t('article.pickQuery')}</span>
              <select value={query} onChange={(e) => onPickQuery(Number(e.target.value))} data-testid="article-query">
                {tokens.map((tok, i) => (
                  <option key={i} value={i}>
                    {i}: {tok}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <p>{t('article.correct', { head, token })}</p>
          <ol className="al-article-steps">
            <li>
              <span>{t('article.step.q', { token })}</span> <Formula tex="q_i = x_i W^Q" /> <Vector values={rows.q} testId="article-q" />
            </li>
            <li>
              <span>{t('article.step.scores', { scale: formatValue(scale) })}</span> <Formula tex="s_{ij} = c\,q_i \cdot k_j" />
              <RowTable tokens={tokens} values={rows.scores} rowTex="s_{ij}" testId="article-scores" />
            </li>
            <li>
              <span>{t('article.step.softmax')}</span> <Formula tex="A_{ij} = \frac{e^{s_{ij}}}{\sum_{k=1}^{n} e^{s_{ik}}}" />
              <RowTable tokens={tokens} values={rows.A} rowTex="A_{ij}" testId="article-A" />
            </li>
            <li>
              <span>{t('article.step.z')}</span> <Formula tex="z_i = \sum_j A_{ij} v_j" /> <Vector values={rows.z} testId="article-z" />
            </li>
          </ol>
        </>
      )}
    </section>
  );
}

interface RowTableProps {
  /** The keys' tokens, one column each. */
  tokens: string[];
  /** The row's values, one per key. */
  values: number[];
  /** The row's name in TeX. */
  rowTex: string;
  /** Test id of the table. */
  testId: string;
}

function RowTable({ tokens, values, rowTex, testId }: RowTableProps) {
  return (
    <div className="al-article-table-wrap">
      <table className="al-article-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="row">{t('article.colToken')}</th>
            {tokens.map((tok, j) => (
              <th key={j} scope="col" className="al-lesson-token">
                {tok}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">
              <Formula tex={rowTex} />
            </th>
            {values.map((v, j) => (
              <td key={j} className="al-mono" data-value={v}>
                {formatValue(v)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
