// The Compare view's frame: the second text's field and, once it is computed, the same head on both.
import { useMemo, useState } from 'react';
import { attentionDifference, matchTokens } from '../engine/analysis/compare.ts';
import { CompareView } from '../components/layers/CompareView.tsx';
import type { HeadRef } from '../components/common/types.ts';
import { useT } from '../i18n/react.ts';
import { useActions, useStore, type Computed } from '../state/store.ts';

export function CompareBody({ computed, head }: { computed: Computed; head: HeadRef }) {
  const t = useT();
  const actions = useActions();
  const stored = useStore((s) => s.doc.compare);
  const text = useStore((s) => s.doc.text);
  const [draft, setDraft] = useState(stored ?? '');
  const second = computed.model?.compare ?? null;
  const view = useMemo(() => {
    if (!second) return null;
    // Both inputs' maps of the layer shown in full (long inputs send no other layer whole).
    const A = head.layer === computed.layer ? computed.result.heads[head.head]?.A : undefined;
    const B = head.layer === second.layer ? second.heads[head.head] : undefined;
    if (!A || !B) return null;
    const aligned = A.rows === B.rows;
    return { A, B, difference: aligned ? attentionDifference(A, B) : null, matched: aligned ? [] : matchTokens(computed.tokens, second.tokens) };
  }, [second, computed.result, computed.layer, computed.tokens, head.layer, head.head]);
  return (
    <div className="al-compare-body">
      <form
        className="al-inline-field"
        onSubmit={(e) => {
          e.preventDefault();
          actions.setCompare(draft.trim() === '' ? null : draft);
        }}
      >
        <label>
          <span>{t('compare.second')}</span>{' '}
          <input type="text" size={48} value={draft} placeholder={t('compare.placeholder')} data-testid="compare-text" onChange={(e) => setDraft(e.target.value)} />
        </label>{' '}
        <button type="submit" className="al-button" data-testid="compare-go">
          {t('compare.title')}
        </button>
      </form>
      {view && second ? (
        <CompareView first={{ tokens: computed.tokens, A: view.A, text }} second={{ tokens: second.tokens, A: view.B, text: second.text }} difference={view.difference} matched={view.matched} head={head} />
      ) : (
        <p className="al-hint">{t('compare.empty')}</p>
      )}
    </div>
  );
}
