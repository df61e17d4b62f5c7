// The header's actions: a row of buttons on wide screens, folded behind one Menu button on narrow
// ones (a row of six buttons wraps one character per line in 中文 at 390 px).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { t } from '../i18n/index.ts';
import { NARROW_QUERY, useMediaQuery } from '../components/common/hooks.ts';
import './headerMenu.css';

export interface HeaderMenuProps {
  /** The header's buttons. */
  children: ReactNode;
}

export function HeaderMenu({ children }: HeaderMenuProps) {
  const narrow = useMediaQuery(NARROW_QUERY);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();

  // A tap or a click elsewhere closes the menu; a dialog opened from it counts as inside (it is
  // its child), so the menu stays rendered under it.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (e.target instanceof Node && ref.current?.contains(e.target)) return;
      setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!narrow) return <div className="al-header-actions">{children}</div>;
  return (
    <div className="al-header-menu" ref={ref}>
      <button type="button" className="al-button al-menu-toggle" aria-expanded={open} aria-controls={id} data-testid="header-menu" onClick={() => setOpen(!open)}>
        <span aria-hidden="true">☰ </span>
        {t('app.menu')}
      </button>
      <div id={id} className="al-header-actions al-menu-list" hidden={!open} data-testid="header-menu-list">
        {children}
      </div>
    </div>
  );
}
