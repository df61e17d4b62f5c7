// The same head on two inputs: both attention maps, and their difference where the tokens align
// position by position (else the rows that match by token are listed).
import { useId } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import './layers.css';

export interface CompareViewProps {
  /** The head's A on the first and the second input, with each map's caption. */
  first: { tokens: string[]; A: Matrix; title: string };
  second: { tokens: string[]; A: Matrix; title: string };
  /** second − first when the inputs have the same length, else null. */
  difference: Matrix | null;
  /** Rows (first, second) that hold the same token, when the lengths differ. */
  matched: [number, number][];
  /** Which head, for the captions. */
  head: { layer: number; head: number };
}

/** Two heatmaps side by side, and the difference heatmap where they align. */
export function CompareView({ first, second, difference, matched, head }: CompareViewProps) {
  const t = useT();
  const id = useId();
  const name = t('compare.head', { layer: head.layer + 1, head: head.head + 1 });
  const rowsA = difference ? null : new Set(matched.map(([a]) => a));
  const rowsB = difference ? null : new Set(matched.map(([, b]) => b));
  const mark = (tokens: string[], set: Set<number> | null) => (set ? tokens.map((tok, i) => (set.has(i) ? `${tok} ⇄` : tok)) : tokens);
  return (
    <section className="al-layers al-compare" data-testid="compare-view" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="al-layers-h">
        {t('compare.title')} — {name}
      </h3>
      {!difference && <p className="al-hint">{t('compare.matched', { n: matched.length })}</p>}
      <div className="al-compare-grid">
        <MatrixHeatmap matrix={first.A} rowLabels={mark(first.tokens, rowsA)} colLabels={first.tokens} title={first.title} color="sequential" />
        <MatrixHeatmap matrix={second.A} rowLabels={mark(second.tokens, rowsB)} colLabels={second.tokens} title={second.title} color="sequential" />
        {difference && <MatrixHeatmap matrix={difference} rowLabels={second.tokens} colLabels={second.tokens} title={t('compare.diff')} color="diverging" />}
      </div>
    </section>
  );
}
