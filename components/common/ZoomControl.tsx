// − / + buttons that zoom a view's heatmaps (on a phone the fitted cells can be a few pixels wide;
// the zoomed heatmaps then scroll inside their own box, never the page).
import { memo } from 'react';
import { useT } from '../../i18n/react.ts';
import './zoomControl.css';

/** The zoom steps offered, 1 = fitted to the width. */
export const ZOOMS = [1, 1.5, 2, 3, 4] as const;

export interface ZoomControlProps {
  /** The current zoom, one of ZOOMS. */
  zoom: number;
  /** Another zoom was chosen. */
  onZoom: (zoom: number) => void;
}

export const ZoomControl = memo(function ZoomControl({ zoom, onZoom }: ZoomControlProps) {
  const t = useT();
  const k = Math.max(0, ZOOMS.findIndex((z) => z >= zoom));
  return (
    <div className="al-zoom" role="group" aria-label={t('heatmap.zoom', { z: zoom })} data-testid="zoom" data-zoom={zoom}>
      <button type="button" className="al-button al-zoom-button" aria-label={t('heatmap.zoomOut')} disabled={k === 0} data-testid="zoom-out" onClick={() => onZoom(ZOOMS[k - 1])}>
        −
      </button>
      <span className="al-zoom-value" aria-hidden="true">
        {zoom}×
      </span>
      <button
        type="button"
        className="al-button al-zoom-button"
        aria-label={t('heatmap.zoomIn')}
        disabled={k === ZOOMS.length - 1}
        data-testid="zoom-in"
        onClick={() => onZoom(ZOOMS[k + 1])}
      >
        +
      </button>
    </div>
  );
});
