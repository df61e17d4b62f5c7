// The head finder: every head's corpus scores with their spread across sequences, sortable and filtered
// ("induction > 0.5"), and a layers × heads heatmap of one score; a head opens its dashboard.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { CorpusHead } from '../../engine/corpus/aggregate.ts';
import { SCORE_KEYS, type ScoreKey } from '../../engine/headScores.ts';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { translate, LANGS } from '../../i18n/index.ts';
import type { Palette } from '../common/color.ts';
import type { Cell, HeadRef } from '../common/types.ts';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import { headRows, nextSort, sortHeads, type SortDir, type SortKey } from '../modelview/headTable.ts';
import { parseFilter, passes, type FilterField } from './filter.ts';
import { formatInterval, formatScore2 } from './scoreText.ts';
import './corpus.css';

export interface HeadFinderProps {
  /** heads[layer][head]: each head's corpus scores and spread. */
  heads: CorpusHead[][];
  /** The score the heatmap shows. */
  score: ScoreKey;
  /** The table's order. */
  sort: { key: SortKey; dir: SortDir };
  /** The filter as typed. */
  filter: string;
  /** The heatmaps' colours. */
  palette: Palette;
  onScore: (score: ScoreKey) => void;
  onSort: (sort: { key: SortKey; dir: SortDir }) => void;
  onFilter: (filter: string) => void;
  /** A head was chosen: its dashboard opens. */
  onOpen: (ref: HeadRef) => void;
}

/** Every score's label in every interface language, as names the filter understands. */
function filterLabels(): Record<string, FilterField> {
  const out: Record<string, FilterField> = {};
  for (const lang of LANGS) for (const key of SCORE_KEYS) out[translate(lang, `corpus.score.${key}`)] = key;
  for (const lang of LANGS) {
    out[translate(lang, 'corpus.filter.layer')] = 'layer';
    out[translate(lang, 'corpus.filter.head')] = 'head';
  }
  return out;
}

export function HeadFinder({ heads, score, sort, filter, palette, onScore, onSort, onFilter, onOpen }: HeadFinderProps) {
  const t = useT();
  const ids = useId();
  // What is typed, until it is valid and becomes the filter; a filter changed elsewhere (a link) replaces it.
  const [typed, setTyped] = useState(filter);
  const [given, setGiven] = useState(filter);
  if (filter !== given) {
    setGiven(filter);
    setTyped(filter);
  }
  const parsed = useMemo(() => parseFilter(typed, filterLabels()), [typed]);
  const clauses = 'clauses' in parsed ? parsed.clauses : null;
  const H = heads[0]?.length ?? 0;
  const rows = useMemo(() => {
    // The table sorts by the pooled means (no eligible row: NaN, last either way).
    const means = heads.map((layer) => layer.map((h) => Object.fromEntries(SCORE_KEYS.map((k) => [k, h.scores[k].mean ?? NaN])) as Record<ScoreKey, number>));
    return sortHeads(headRows(means), sort.key, sort.dir);
  }, [heads, sort]);
  const shown = useMemo(
    () => (clauses ? rows.filter((r) => passes({ layer: r.layer, head: r.head, scores: Object.fromEntries(SCORE_KEYS.map((k) => [k, heads[r.layer][r.head].scores[k].mean])) as Record<ScoreKey, number | null> }, clauses)) : rows),
    [rows, clauses, heads],
  );
  const matrix = useMemo<Matrix>(
    () => ({ rows: heads.length, cols: H, data: Float64Array.from(heads.flatMap((layer) => layer.map((h) => h.scores[score].mean ?? NaN))) }),
    [heads, H, score],
  );
  const rowLabels = useMemo(() => heads.map((_, l) => `L${l + 1}`), [heads]);
  const colLabels = useMemo(() => Array.from({ length: H }, (_, h) => `H${h + 1}`), [H]);
  const headName = (r: HeadRef) => t('corpus.headName', { layer: r.layer + 1, head: r.head + 1 });
  const problem = 'problem' in parsed ? parsed.problem : null;

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, r: HeadRef, k: number) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(r);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const rowsEl = e.currentTarget.parentElement?.querySelectorAll<HTMLElement>('tr');
      rowsEl?.[Math.max(0, Math.min(shown.length - 1, k + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
    }
  };

  return (
    <section className="al-corpus-finder" data-testid="head-finder" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`} className="al-corpus-h">
        {t('corpus.finder')}
      </h3>
      <div className="al-corpus-heatmap">
        <label className="al-inline-field">
          <span>{t('corpus.heatmap.score')}</span>
          <select value={score} data-testid="corpus-heatmap-score" onChange={(e) => onScore(e.target.value as ScoreKey)}>
            {SCORE_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(`corpus.score.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <div data-testid="corpus-heatmap" data-score={score}>
          <MatrixHeatmap
            matrix={matrix}
            rowLabels={rowLabels}
            colLabels={colLabels}
            title={t('corpus.heatmap.title', { score: t(`corpus.score.${score}`) })}
            color="sequential"
            domain={[0, 1]}
            size={Math.min(560, Math.max(200, Math.max(heads.length, H) * 48))}
            palette={palette}
            describeCell={(c: Cell) => {
              const s = heads[c.row][c.col].scores[score];
              return t('corpus.heatmap.cell', { head: headName({ layer: c.row, head: c.col }), score: t(`corpus.score.${score}`), value: formatScore2(s.mean), interval: formatInterval(s) });
            }}
            onSelect={(c: Cell) => onOpen({ layer: c.row, head: c.col })}
          />
        </div>
      </div>
      <div className="al-corpus-filter">
        <label className="al-inline-field">
          <span>{t('corpus.filter')}</span>
          <input
            type="text"
            value={typed}
            spellCheck={false}
            placeholder={t('corpus.filter.placeholder')}
            data-testid="corpus-filter"
            aria-invalid={problem !== null}
            aria-describedby={`${ids}-fh`}
            onChange={(e) => {
              setTyped(e.target.value);
              const r = parseFilter(e.target.value, filterLabels());
              if ('clauses' in r) onFilter(e.target.value);
            }}
          />
        </label>
        <span className="al-hint" data-testid="corpus-filter-count" data-shown={shown.length} data-total={rows.length}>
          {t('corpus.filter.count', { shown: shown.length, total: rows.length })}
        </span>
        <p id={`${ids}-fh`} className={problem ? 'al-corpus-error' : 'al-hint'} role={problem ? 'alert' : undefined} data-testid="corpus-filter-help">
          {problem
            ? problem.code === 'name'
              ? t('corpus.filter.badName', { clause: problem.clause, got: problem.got })
              : problem.code === 'operator'
                ? t('corpus.filter.badOperator', { clause: problem.clause })
                : t('corpus.filter.badNumber', { clause: problem.clause, got: problem.got })
            : t('corpus.filter.help')}
        </p>
      </div>
      <div className="al-corpus-table-wrap">
        <table className="al-corpus-table" data-testid="corpus-table">
          <caption>{t('corpus.table.caption')}</caption>
          <thead>
            <tr>
              {(['head', ...SCORE_KEYS] as SortKey[]).map((key) => (
                <th key={key} scope="col" aria-sort={sort.key !== key ? undefined : sort.dir === 'asc' ? 'ascending' : 'descending'}>
                  <button type="button" className="al-corpus-sort" data-testid={`corpus-sort-${key}`} title={key === 'head' ? undefined : t(`corpus.score.${key}.hint`)} onClick={() => onSort(nextSort(sort, key))}>
                    {key === 'head' ? t('corpus.col.head') : t(`corpus.score.${key}`)}
                    <span aria-hidden="true">{sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, k) => (
              <tr
                key={`${r.layer}.${r.head}`}
                data-testid="corpus-row"
                data-layer={r.layer}
                data-head={r.head}
                tabIndex={k === 0 ? 0 : -1}
                onClick={() => onOpen(r)}
                onKeyDown={(e) => onRowKey(e, r, k)}
              >
                <th scope="row">{headName(r)}</th>
                {SCORE_KEYS.map((key) => {
                  const s = heads[r.layer][r.head].scores[key];
                  return (
                    <td key={key} data-score={key} data-value={s.mean ?? ''} title={s.mean === null ? t('corpus.score.none') : undefined}>
                      <span className="al-corpus-mean">{formatScore2(s.mean)}</span>
                      {s.interval && <span className="al-corpus-interval">{formatInterval(s)}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p className="al-hint">{t('corpus.filter.none')}</p>}
      </div>
    </section>
  );
}
