// An encoder's second sentence (B, token type 1) and how to ask its masked-LM head for a word. Shown only
// when the model on the page is an encoder: a decoder reads one text.
import { useId } from 'react';
import { t } from '../i18n/index.ts';
import { useActions, useStore } from '../state/store.ts';

export function PairInput() {
  const id = useId();
  const encoder = useStore((s) => s.doc.source.kind === 'model' && s.model.info !== null && !s.model.info.causal);
  const mask = useStore((s) => s.model.info?.maskToken ?? null);
  const pair = useStore((s) => s.doc.pair);
  const actions = useActions();
  if (!encoder) return null;
  return (
    <div className="al-pair" data-testid="pair-input">
      <label htmlFor={`${id}-pair`} className="al-inline-field">
        <span>{t('pair.label')}</span>
      </label>
      <textarea
        id={`${id}-pair`}
        className="al-textarea"
        data-testid="pair"
        rows={1}
        value={pair ?? ''}
        spellCheck={false}
        placeholder={t('pair.placeholder')}
        onChange={(e) => actions.setPair(e.target.value)}
      />
      {mask && <p className="al-hint">{t('pair.maskHint', { mask })}</p>}
    </div>
  );
}
