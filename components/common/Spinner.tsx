// A small busy indicator (static under prefers-reduced-motion, see spinner.css).
import { useT } from '../../i18n/react.ts';
import '../views.css';

export interface SpinnerProps {
  /** What is busy; defaults to the catalog's "Computing…". */
  label?: string;
  /** Diameter in CSS pixels (default 16). */
  size?: number;
  /** Show the label next to the spinner instead of only to screen readers. */
  showLabel?: boolean;
}

export function Spinner({ label, size = 16, showLabel = false }: SpinnerProps) {
  const t = useT();
  const text = label ?? t('spinner.busy');
  return (
    <span className="al-spinner" role="status" data-testid="spinner">
      <span className="al-spinner-ring" style={{ width: size, height: size }} aria-hidden="true" />
      <span className={showLabel ? 'al-spinner-label' : 'al-sr-only'}>{text}</span>
    </span>
  );
}
