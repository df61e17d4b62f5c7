// A layer's label at the start of its row in the model view. It also tells the grid when the row comes
// near the viewport: the row's thumbnails are painted then. The label, not each tile, is watched because
// a tile scrolled out sideways in the grid's own scroller never intersects the viewport, while its row does.
import { memo, useEffect, useRef } from 'react';
import { useT } from '../../i18n/react.ts';
import { useNearViewport } from './useNearViewport.ts';

/** One row's label. */
export interface RowHeadProps {
  /** The layer (0-based). */
  layer: number;
  /** The layer's local-attention window (badged), or null. */
  window: number | null;
  /** The row came near the viewport (called once). */
  onNear: (layer: number) => void;
}

export const RowHead = memo(function RowHead({ layer, window, onNear }: RowHeadProps) {
  const t = useT();
  const ref = useRef<HTMLSpanElement>(null);
  const near = useNearViewport(ref);
  useEffect(() => {
    if (near) onNear(layer);
  }, [near, layer, onNear]);
  return (
    <span ref={ref} className="al-mv-rowhead" aria-hidden="true">
      {t('modelview.layer', { n: layer + 1 })}
      {window !== null && (
        <span className="al-mv-badge al-mv-local" data-testid="local-badge" data-window={window}>
          {t('modelview.local.badge', { window })}
        </span>
      )}
    </span>
  );
});
