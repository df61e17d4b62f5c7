// The model view's layer filter: "Layers 3 – 8 of 30", so a deep model is read a few layers at a time.
import { useT } from '../../i18n/react.ts';
import type { LayerRange } from './layerRange.ts';

/** The range picker above the grid. */
export interface LayerFilterProps {
  /** How many layers the model has. */
  layers: number;
  /** The layers shown (0-based, inclusive, in order). */
  range: LayerRange;
  /** Another range was picked (kept in order by the grid). */
  onRange: (range: LayerRange) => void;
}

/** Two selects, first and last layer shown, and a button back to every layer. */
export function LayerFilter({ layers, range, onRange }: LayerFilterProps) {
  const t = useT();
  const options = Array.from({ length: layers }, (_, k) => (
    <option key={k} value={k}>
      {k + 1}
    </option>
  ));
  const all = range.from === 0 && range.to === layers - 1;
  return (
    <div className="al-mv-filter" role="group" aria-label={t('modelview.filter.label')} data-testid="layer-filter">
      <label>
        {t('modelview.filter.from')}{' '}
        <select value={range.from} data-testid="layer-from" onChange={(e) => onRange({ from: Number(e.target.value), to: Math.max(range.to, Number(e.target.value)) })}>
          {options}
        </select>
      </label>
      <label>
        {t('modelview.filter.to')}{' '}
        <select value={range.to} data-testid="layer-to" onChange={(e) => onRange({ from: Math.min(range.from, Number(e.target.value)), to: Number(e.target.value) })}>
          {options}
        </select>
      </label>
      <span className="al-mv-note" data-testid="layer-filter-count">
        {t('modelview.filter.count', { shown: range.to - range.from + 1, total: layers })}
      </span>
      {!all && (
        <button type="button" className="al-button al-mv-more" data-testid="layer-all" onClick={() => onRange({ from: 0, to: layers - 1 })}>
          {t('modelview.filter.all')}
        </button>
      )}
    </div>
  );
}
