// "Which heads matter?": each head ablated in turn, the change in log p of the target token as a
// layers × heads heatmap (diverging: blue where the prediction depends on the head), with progress.
import { useId, useMemo } from 'react';
import type { Matrix } from '../../engine/types.ts';
import { useT } from '../../i18n/react.ts';
import { displayToken } from '../common/format.ts';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import type { Cell, HeadRef } from '../common/types.ts';
import './layers.css';

export interface ImportanceGridProps {
  /** deltas[l][h] = log p(target) with head (l, h) ablated − without; null before a run. */
  deltas: number[][] | null;
  layers: number;
  heads: number;
  /** Target token (untrusted text) and the position of the prediction. */
  target: string;
  position: number;
  /** Heads done so far while a run is going, else null. */
  progress: { done: number; total: number } | null;
  /** Workers that ran heads of the finished sweep, and the heads pool workers ran (the worker pool), or null. */
  workers?: number | null;
  shared?: number | null;
  onRun: () => void;
  onCancel: () => void;
  onSelect: (ref: HeadRef) => void;
}

/** The head-importance heatmap with its run/cancel controls. */
export function ImportanceGrid({ deltas, layers, heads, target, position, progress, workers = null, shared = null, onRun, onCancel, onSelect }: ImportanceGridProps) {
  const t = useT();
  const id = useId();
  const matrix = useMemo<Matrix | null>(() => (deltas ? { rows: layers, cols: heads, data: Float64Array.from(deltas.flat()) } : null), [deltas, layers, heads]);
  const rowLabels = useMemo(() => Array.from({ length: layers }, (_, l) => `L${l + 1}`), [layers]);
  const colLabels = useMemo(() => Array.from({ length: heads }, (_, h) => `H${h + 1}`), [heads]);
  return (
    <section
      className="al-layers al-importance"
      data-testid="importance"
      aria-labelledby={`${id}-h`}
      // The deltas as numbers (for tests and tools) and how many workers computed them.
      data-deltas={deltas ? deltas.flat().join(',') : undefined}
      data-workers={workers ?? undefined}
      data-shared={shared ?? undefined}
    >
      <h3 id={`${id}-h`} className="al-layers-h">
        {t('importance.title')}
      </h3>
      <p className="al-hint">{t('importance.help', { token: displayToken(target), i: position })}</p>
      <div className="al-buttons">
        {progress ? (
          <>
            <progress max={progress.total} value={progress.done} data-testid="importance-progress" />
            <span>{t('importance.progress', progress)}</span>
            <button type="button" className="al-button" data-testid="importance-cancel" onClick={onCancel}>
              {t('importance.cancel')}
            </button>
          </>
        ) : (
          <button type="button" className="al-button" data-testid="importance-run" onClick={onRun}>
            {t('importance.run')}
          </button>
        )}
      </div>
      {matrix && (
        <MatrixHeatmap
          matrix={matrix}
          rowLabels={rowLabels}
          colLabels={colLabels}
          title={t('importance.heatmap', { token: displayToken(target) })}
          color="diverging"
          onSelect={(c: Cell) => onSelect({ layer: c.row, head: c.col })}
        />
      )}
    </section>
  );
}
