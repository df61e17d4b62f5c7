// The Compare view's frame: the second text's field, how many positions later it is read (the
// position-shift experiment) and, once it is computed, the same head on both.
import { useMemo, useState } from 'react';
import { attentionDifference, matchTokens } from '../engine/analysis/compare.ts';
import { CompareView } from '../components/layers/CompareView.tsx';
import type { HeadRef } from '../components/common/types.ts';
import { NumberField } from '../input/NumberField.tsx';
import { useT } from '../i18n/react.ts';
import { UI_LIMITS } from '../state/document.ts';
import { useActions, useStore, type Computed } from '../state/store.ts';

/** A map "changes" when some weight moves by more than this (float32 noise stays far below it). */
const CHANGE_TOL = 1e-3;

export function CompareBody({ computed, head }: { computed: Computed; head: HeadRef }) {
  const t = useT();
  const actions = useActions();
  const stored = useStore((s) => s.doc.compare);
  const shift = useStore((s) => s.doc.shift);
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
  // Which heads of the layer change at all: the question the shift experiment asks of every head at once.
  const changed = useMemo(() => {
    if (!second || second.layer !== computed.layer) return null;
    const maxes = computed.result.heads.map((h, k) => {
      const B = second.heads[k];
      if (!B || B.rows !== h.A.rows) return null;
      let m = 0;
      for (const x of attentionDifference(h.A, B).data) m = Math.max(m, Math.abs(x));
      return m;
    });
    if (maxes.some((m) => m === null)) return null;
    const all = maxes as number[];
    return { changed: all.filter((m) => m > CHANGE_TOL).length, heads: all.length, max: Math.max(...all) };
  }, [second, computed.result, computed.layer]);
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
      <NumberField label={t('compare.shift')} value={shift} min={0} max={UI_LIMITS.maxShift} onCommit={actions.setShift} testId="compare-shift" hint={t('compare.shift.hint')} />
      {changed && second && (
        <p className="al-hint" data-testid="compare-changed" data-changed={changed.changed} data-heads={changed.heads}>
          {t('compare.changed', { layer: second.layer + 1, tol: CHANGE_TOL, changed: changed.changed, heads: changed.heads, max: changed.max.toPrecision(2) })}
        </p>
      )}
      {view && second ? (
        <CompareView
          first={{ tokens: computed.tokens, A: view.A, title: t('compare.first', { text }) }}
          second={{ tokens: second.tokens, A: view.B, title: second.shift > 0 ? t('compare.shifted', { text: second.text, shift: second.shift }) : t('compare.other', { text: second.text }) }}
          difference={view.difference}
          matched={view.matched}
          head={head}
        />
      ) : (
        <p className="al-hint">{t('compare.empty')}</p>
      )}
    </div>
  );
}
