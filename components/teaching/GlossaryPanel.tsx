// The glossary (术语表): each term in the interface language beside the other language, with the
// source article's own word where it differs. Plain props: the shell passes the entries.
import { useId } from 'react';
import './glossary.css';
import { t } from '../../i18n/index.ts';

export interface GlossaryRow {
  id: string;
  /** The term in the interface language. */
  term: string;
  /** The same term in the other language. */
  other: string;
  /** BCP 47 tag of `other` (it is meant to stay in that language). */
  otherLang: string;
  /** The article's own word, if it differs. */
  article?: string;
  note: string;
}

export interface GlossaryPanelProps {
  rows: readonly GlossaryRow[];
  onClose: () => void;
}

export function GlossaryPanel({ rows, onClose }: GlossaryPanelProps) {
  const id = useId();
  return (
    <section className="al-glossary" aria-labelledby={`${id}-h`} data-testid="glossary-panel">
      <div className="al-lesson-head">
        <h2 id={`${id}-h`} className="al-lesson-title">
          {t('glossary.heading')}
        </h2>
        <button type="button" className="al-button al-small" onClick={onClose} data-testid="glossary-close">
          {t('glossary.close')}
        </button>
      </div>
      {/* Focusable: the table scrolls, and a keyboard must be able to scroll it too. */}
      <div className="al-glossary-wrap" tabIndex={0} role="region" aria-labelledby={`${id}-h`}>
        <table className="al-glossary-table" data-testid="glossary-table">
          <thead>
            <tr>
              <th scope="col">{t('glossary.col.term')}</th>
              <th scope="col">{t('glossary.col.other')}</th>
              <th scope="col">{t('glossary.col.article')}</th>
              <th scope="col">{t('glossary.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-term={r.id}>
                <th scope="row">{r.term}</th>
                <td lang={r.otherLang}>{r.other}</td>
                {/* The source article is Chinese: its words stay Chinese in either interface language. */}
                <td lang="zh-CN">{r.article ?? ''}</td>
                <td>{r.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
