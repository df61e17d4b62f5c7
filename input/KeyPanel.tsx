// Per-token key settings: a weight slider per key (weighted attention, and cases) and a padding
// toggle per token (every mechanism). Weight 0 or padding excludes the key.
import { memo, useId, useState, type UIEvent } from 'react';
import { displayToken } from '../components/common/format.ts';
import { useMediaQuery } from '../components/common/hooks.ts';
import { t } from '../i18n/index.ts';
import { weightsApply } from '../engine/scenario.ts';
import { useActions, useStore } from '../state/store.ts';
import './keyPanel.css';
import { Prose } from '../components/common/Prose.tsx';

interface RowProps {
  /** The key's position. */
  index: number;
  /** The key's token. */
  token: string;
  /** Its weight w_j. */
  weight: number;
  /** Marked as padding (weight 0). */
  padded: boolean;
  /** The weight is editable (weighted attention). */
  showWeight: boolean;
  /** Sets a key's weight; returns an error to show, or null. */
  setKeyWeight: (i: number, w: number) => string | null;
  /** Marks or unmarks a key as padding. */
  togglePadding: (i: number) => void;
}

const SLIDER_MAX = 2;
/** Row height in CSS pixels (fixed, so long lists render only the visible rows); 44 px on touch screens and
 * narrow windows, where the padding checkbox's label is a 44 × 44 px target (WCAG 2.5.5; keyPanel.css). */
const ROW_H = 28;
const TOUCH_ROW_H = 46;
const TOUCH_QUERY = '(pointer: coarse), (max-width: 900px)';
const LIST_H = 320;
const OVERSCAN = 6;

const KeyRow = memo(function KeyRow({ index, token, weight, padded, showWeight, setKeyWeight, togglePadding }: RowProps) {
  const shown = displayToken(token);
  const excluded = padded || (showWeight && weight === 0);
  return (
    <li className={`al-key-row${excluded ? ' al-key-excluded' : ''}`} data-testid="key-row" data-index={index}>
      <span className="al-key-token" title={shown}>
        <span className="al-key-index">{index}</span> {shown}
      </span>
      {showWeight && (
        <>
          <input
            type="range"
            min={0}
            max={Math.max(SLIDER_MAX, weight)}
            step={0.05}
            value={weight}
            disabled={padded}
            data-testid="key-weight"
            aria-label={t('keys.weightLabel', { i: index, token: shown })}
            aria-valuetext={weight === 0 ? t('keys.weightExcluded', { w: weight }) : String(weight)}
            onChange={(e) => setKeyWeight(index, Number(e.target.value))}
          />
          <output className="al-key-value">{weight.toFixed(2)}</output>
        </>
      )}
      <label className="al-key-pad">
        <input type="checkbox" checked={padded} data-testid="key-pad" onChange={() => togglePadding(index)} aria-label={t('keys.padLabel', { i: index, token: shown })} />
        <span aria-hidden="true">{t('keys.pad')}</span>
      </label>
    </li>
  );
});

export function KeyPanel() {
  const id = useId();
  const tokens = useStore((s) => s.doc.tokens);
  const weights = useStore((s) => s.doc.keyWeights);
  const padding = useStore((s) => s.doc.padding);
  const showWeight = useStore((s) => weightsApply(s.doc));
  const actions = useActions();
  const [scrollTop, setScrollTop] = useState(0);
  const rowH = useMediaQuery(TOUCH_QUERY) ? TOUCH_ROW_H : ROW_H;
  const first = Math.max(0, Math.floor(scrollTop / rowH) - OVERSCAN);
  const last = Math.min(tokens.length, Math.ceil((scrollTop + LIST_H) / rowH) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <KeyRow
        key={i}
        index={i}
        token={tokens[i]}
        weight={weights[i] ?? 1}
        padded={padding[i] ?? false}
        showWeight={showWeight}
        setKeyWeight={actions.setKeyWeight}
        togglePadding={actions.togglePadding}
      />,
    );
  }
  return (
    <section className="al-panel al-keys" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="al-h2">
        {showWeight ? t('keys.headingWeighted') : t('keys.heading')}
      </h2>
      <p className="al-hint"><Prose text={showWeight ? t('keys.helpWeighted') : t('keys.help')} /></p>
      <ol
        className="al-key-list"
        data-testid="key-list"
        style={{ height: Math.min(LIST_H, tokens.length * rowH) }}
        onScroll={(e: UIEvent<HTMLOListElement>) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {/* Only the rows in view are in the DOM; the list keeps its full scroll height. */}
        <li aria-hidden="true" style={{ height: first * rowH }} className="al-key-spacer" />
        {rows}
        <li aria-hidden="true" style={{ height: (tokens.length - last) * rowH }} className="al-key-spacer" />
      </ol>
    </section>
  );
}
