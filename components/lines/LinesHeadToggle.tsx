// One head's toggle in Lines: a tap or a click shows or hides the head; a long press shows that head
// alone (and a long press on the lone head shows them all again) — head isolation by touch.
import { useT } from '../../i18n/react.ts';
import { headColor } from '../common/color.ts';
import { useLongPress } from '../common/useLongPress.ts';

export interface LinesHeadToggleProps {
  /** The head (0-based). */
  head: number;
  /** Its lines are shown. */
  on: boolean;
  /** Show or hide it. */
  onToggle: (head: number) => void;
  /** Show it alone, or every head if it is already alone. */
  onSolo: (head: number) => void;
}

export function LinesHeadToggle({ head, on, onToggle, onSolo }: LinesHeadToggleProps) {
  const t = useT();
  const { swallowClick, ...press } = useLongPress(() => onSolo(head));
  return (
    <button
      type="button"
      className="al-button al-head-toggle"
      aria-pressed={on}
      data-head={head}
      title={t('lines.solo.hint')}
      {...press}
      onClick={() => {
        if (!swallowClick()) onToggle(head);
      }}
      style={{ ['--al-head-color' as string]: headColor(head) }}
    >
      <span className="al-swatch" aria-hidden="true" />
      {t('lines.head', { n: head + 1 })}
    </button>
  );
}
