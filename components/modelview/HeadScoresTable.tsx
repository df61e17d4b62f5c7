// The head scores as a sortable table, and the heads whose patterns are most like the selected one.
import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/react.ts';
import { formatFull } from '../common/format.ts';
import { formatScore } from './headBadges.ts';
import { SCORE_KEYS, headRows, nextSort, similarHeads, sortHeads, type SortDir, type SortKey } from './headTable.ts';
import type { HeadRef, HeadScoreRow } from '../common/types.ts';
import '../views.css';
import './modelview.css';

const SIMILAR_TOP = 5;
const COLUMNS: readonly SortKey[] = ['head', ...SCORE_KEYS];

const sameHead = (a: HeadRef | null, b: HeadRef) => a !== null && a.layer === b.layer && a.head === b.head;

/** Sortable per-head scores with "heads like this one" beside them (see HeadScoresTableProps). */
/** Sortable table of head scores, and "heads like this one" for the selected head. */
export interface HeadScoresTableProps {
  /** scores[l][h] of every head. */
  scores: HeadScoreRow[][];
  /** similarity[a][b] for flattened heads a = l·H + h (1 = identical patterns); null when not computed (too large). */
  similarity: number[][] | null;
  /** The head opened in the other views. */
  selected: HeadRef;
  /** A head was chosen (a row or a similar head). */
  onSelect: (ref: HeadRef) => void;
}

export function HeadScoresTable({ scores, similarity, selected, onSelect }: HeadScoresTableProps) {
  const t = useT();
  const ids = useId();
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'head', dir: 'asc' });
  const rows = useMemo(() => sortHeads(headRows(scores), sort.key, sort.dir), [scores, sort]);
  // One tab stop for the rows (the last one focused, else the selected head); arrows move between them.
  const [active, setActive] = useState<HeadRef | null>(null);
  const activeIndex = rows.findIndex((r) => sameHead(active, r));
  const tabRow = activeIndex >= 0 ? activeIndex : Math.max(0, rows.findIndex((r) => sameHead(selected, r)));
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  const H = scores[0]?.length ?? 0;
  const similar = useMemo(
    () => (similarity ? similarHeads(similarity, selected.layer * H + selected.head, H, SIMILAR_TOP) : []),
    [similarity, selected.layer, selected.head, H],
  );
  const headName = (r: HeadRef) => t('modelview.row', { layer: r.layer + 1, head: r.head + 1 });

  const focusRow = (k: number) => {
    const row = rows[k];
    if (!row) return;
    setActive({ layer: row.layer, head: row.head });
    bodyRef.current?.querySelectorAll<HTMLElement>('tr')[k]?.focus();
  };
  const onRowKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, k: number) => {
    const row = rows[k];
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect({ layer: row.layer, head: row.head });
      return;
    }
    const to: Record<string, number> = { ArrowUp: k - 1, ArrowDown: k + 1, Home: 0, End: rows.length - 1 };
    if (e.key in to) {
      e.preventDefault();
      focusRow(Math.max(0, Math.min(rows.length - 1, to[e.key])));
    }
  };

  const ariaSort = (key: SortKey) => (sort.key !== key ? undefined : sort.dir === 'asc' ? 'ascending' : 'descending');

  return (
    <div className="al-mv-scores">
      <div className="al-mv-table-wrap">
        <table className="al-mv-table" data-testid="head-scores-table" aria-describedby={`${ids}-help`}>
          <caption>{t('modelview.table.caption')}</caption>
          <thead>
            <tr>
              {COLUMNS.map((key) => (
                <th key={key} scope="col" aria-sort={ariaSort(key)}>
                  <button
                    type="button"
                    className="al-mv-sort"
                    data-testid={`sort-${key}`}
                    title={t(`modelview.col.${key}.hint`)}
                    onClick={() => setSort((s) => nextSort(s, key))}
                  >
                    {t(`modelview.col.${key}`)}
                    <span className="al-mv-sort-mark" aria-hidden="true">
                      {sort.key === key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={bodyRef}>
            {rows.map((r, k) => {
              const isSelected = sameHead(selected, r);
              return (
                <tr
                  key={`${r.layer}:${r.head}`}
                  className={isSelected ? 'al-mv-selected-row' : undefined}
                  data-testid="head-scores-row"
                  data-layer={r.layer}
                  data-head={r.head}
                  aria-selected={isSelected}
                  tabIndex={k === tabRow ? 0 : -1}
                  onClick={() => onSelect({ layer: r.layer, head: r.head })}
                  onKeyDown={(e) => onRowKeyDown(e, k)}
                  onFocus={() => setActive({ layer: r.layer, head: r.head })}
                >
                  <th scope="row">{headName(r)}</th>
                  {SCORE_KEYS.map((key) => {
                    const v = r[key];
                    const nan = Number.isNaN(v);
                    return (
                      <td key={key} className={nan ? 'al-mv-nan' : undefined} data-value={formatFull(v)} title={nan ? t(`modelview.nan.${key}`) : undefined}>
                        {formatScore(v)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
        <span id={`${ids}-help`} className="al-sr-only">
          {t('modelview.table.help')}
        </span>
      </div>
      <section className="al-mv-similar" aria-labelledby={`${ids}-similar`}>
        <h4 id={`${ids}-similar`}>{t('modelview.similar.title', { head: headName(selected) })}</h4>
        {similarity === null ? (
          <p data-testid="similar-heads-unavailable">{t('modelview.similar.null')}</p>
        ) : similar.length === 0 ? (
          <p>{t('modelview.similar.none')}</p>
        ) : (
          <>
            <p>{t('modelview.similar.hint')}</p>
            <ol data-testid="similar-heads">
              {similar.map((s) => {
                const value = formatScore(s.similarity);
                return (
                  <li key={s.index}>
                    <button
                      type="button"
                      className="al-button al-mv-similar-head"
                      data-testid="similar-head"
                      data-layer={s.layer}
                      data-head={s.head}
                      data-similarity={formatFull(s.similarity)}
                      title={t('modelview.similar.itemTitle', { head: headName(s), value })}
                      onClick={() => onSelect({ layer: s.layer, head: s.head })}
                    >
                      {t('modelview.similar.item', { head: headName(s), value })}
                    </button>
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
