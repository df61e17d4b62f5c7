// The controls (mechanism, numbers, key weights, case files): a sidebar on wide screens; on narrow
// ones a section above the views, folded until opened, so the views come first on a phone.
import { useId, useState, type ReactNode } from 'react';
import { t } from '../i18n/index.ts';
import { NARROW_QUERY, useMediaQuery } from '../components/common/hooks.ts';
import './controlDrawer.css';

export interface ControlDrawerProps {
  /** The control panels. */
  children: ReactNode;
}

export function ControlDrawer({ children }: ControlDrawerProps) {
  const narrow = useMediaQuery(NARROW_QUERY);
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <aside className={`al-sidebar${narrow ? ' al-drawer' : ''}`} aria-label={t('app.sidebar')}>
      {narrow && (
        <button type="button" className="al-button al-drawer-toggle" aria-expanded={open} aria-controls={id} data-testid="controls-toggle" onClick={() => setOpen(!open)}>
          {t('app.controls')}
        </button>
      )}
      {/* Hidden, not unmounted: the panels keep their local state (open sections, drafts). */}
      <div id={id} className="al-sidebar-body" hidden={narrow && !open}>
        {children}
      </div>
    </aside>
  );
}
