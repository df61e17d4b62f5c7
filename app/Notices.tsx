// Inline messages: bad links, bad files, bad edits, engine warnings. Text only (never HTML).
import { t } from '../i18n/index.ts';
import { useActions, useStore } from '../state/store.ts';
import './notices.css';

export function Notices() {
  const notices = useStore((s) => s.notices);
  const actions = useActions();
  if (notices.length === 0) return null;
  return (
    <ul className="al-notices" data-testid="notices" aria-label={t('notices.label')}>
      {notices.map((n) => (
        <li key={n.id} className={`al-notice al-notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid="notice" data-kind={n.kind} data-area={n.area}>
          <span className="al-notice-text">{n.text}</span>
          {n.actions?.map((a) => (
            <button
              key={a.id}
              type="button"
              className="al-button al-notice-action"
              data-testid={`notice-${a.id}`}
              onClick={() => {
                a.run();
                if (a.dismisses) actions.dismiss(n.id);
              }}
            >
              {a.label}
            </button>
          ))}
          <button type="button" className="al-notice-x" aria-label={t('notices.dismiss')} onClick={() => actions.dismiss(n.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
