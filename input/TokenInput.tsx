// The text box, the tokenize mode, the examples menu and the token chips.
import { useId } from 'react';
import { encoderFor } from '../compute/hub/exampleEncoders.ts';
import { exampleLabel, examplesFor } from '../state/examples.ts';
import { getLang, t } from '../i18n/index.ts';
import { UI_LIMITS, type ModelId } from '../state/document.ts';
import { inputTokens, useActions, useStore } from '../state/store.ts';
import { ExampleNote } from './ExampleNote.tsx';
import { exampleOnLabel, useCachedEncoders } from './exampleEncoders.ts';
import { PairInput } from './PairInput.tsx';
import { TokenChips } from './TokenChips.tsx';
import './tokenInput.css';

export function TokenInput() {
  const id = useId();
  const text = useStore((s) => s.doc.text);
  const mode = useStore((s) => s.doc.mode);
  const n = useStore((s) => inputTokens(s).length);
  const isCase = useStore((s) => s.doc.source.kind === 'case');
  const isModel = useStore((s) => s.doc.source.kind === 'model');
  const context = useStore((s) => (s.doc.source.kind === 'model' ? (s.model.info?.context ?? null) : null));
  const actions = useActions();
  const encoders = useCachedEncoders();
  const examples = examplesFor(getLang());
  const max = context ?? UI_LIMITS.maxTokens;
  const over = n > max;
  return (
    <section className="al-input" aria-labelledby={`${id}-h`}>
      <div className="al-input-head">
        <h2 id={`${id}-h`} className="al-h2">
          {t('input.heading')}
        </h2>
        <label className="al-inline-field">
          <span>{t('input.examples')}</span>
          <select
            data-testid="examples"
            value=""
            onChange={(e) => {
              // "id" alone, or "id model" for an example on a real encoder.
              const [ex, on] = e.target.value.split(' ');
              if (ex) actions.loadExample(ex, on as ModelId | undefined);
            }}
          >
            <option value="">{t('input.examples.pick')}</option>
            {examples
              .filter((ex) => ex.encoder !== 'only')
              .map((ex) => (
                <option key={ex.id} value={ex.id}>
                  {exampleLabel(ex)}
                </option>
              ))}
            <optgroup label={t('examples.real')} data-testid="examples-real">
              {examples.map((ex) => {
                const enc = ex.encoder && encoderFor(encoders, ex.lang, ex.encoder === 'only');
                return (
                  enc && (
                    <option key={`${ex.id} ${enc.id}`} value={`${ex.id} ${enc.id}`}>
                      {exampleOnLabel(ex, enc)}
                    </option>
                  )
                );
              })}
            </optgroup>
          </select>
        </label>
        <fieldset className="al-segmented" disabled={isCase || isModel}>
          <legend className="al-sr-only">{t('input.mode')}</legend>
          {(['words', 'chars'] as const).map((m) => (
            <label key={m} className={mode === m ? 'al-on' : undefined} title={t(m === 'words' ? 'input.mode.words.hint' : 'input.mode.chars.hint')}>
              <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => actions.setMode(m)} data-testid={`mode-${m}`} />
              {t(m === 'words' ? 'input.mode.words' : 'input.mode.chars')}
            </label>
          ))}
        </fieldset>
      </div>
      <label htmlFor={`${id}-text`} className="al-sr-only">
        {t('input.text')}
      </label>
      <textarea
        id={`${id}-text`}
        className="al-textarea"
        data-testid="text"
        rows={2}
        value={text}
        disabled={isCase}
        spellCheck={false}
        placeholder={t('input.placeholder')}
        aria-describedby={`${id}-count`}
        onChange={(e) => actions.setText(e.target.value)}
      />
      <p id={`${id}-count`} className={`al-hint${over ? ' al-field-error' : ''}`} data-testid="token-count" role={over ? 'alert' : undefined}>
        {isCase
          ? t('input.caseTokens', { n })
          : over
            ? context !== null
              ? t('model.context', { n, context })
              : t('limit.tokens', { n, max })
            : t('input.count', { n, max })}
      </p>
      <ExampleNote encoders={encoders} />
      <PairInput />
      <TokenChips />
    </section>
  );
}
