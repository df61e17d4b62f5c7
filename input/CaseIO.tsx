// Where the numbers come from (seeded or a case JSON), and import/export of the case and result.
import { useId, useState } from 'react';
import { inputToCaseJson, resultToJson } from '../engine/json.ts';
import { t } from '../i18n/index.ts';
import { useActions, useStore, useStoreApi } from '../state/store.ts';
import { isCheckpoint } from '../state/document.ts';
import { ModelSource } from './ModelSource.tsx';
import { copyText, downloadText } from '../state/download.ts';
import { JsonFileButton } from './JsonFileButton.tsx';
import './caseIO.css';

export function CaseIO() {
  const id = useId();
  const source = useStore((s) => s.doc.source);
  // Only whether there is a result: the texts read it when asked, so a new result does not re-render the panel.
  const hasResult = useStore((s) => s.computed !== null);
  const store = useStoreApi();
  const overrides = useStore((s) => Object.keys(s.doc.overrides).length);
  // Coming back to "Trained model" shows the model last trained or loaded here, if any.
  const userModelShown = useStore((s) => s.userModel !== null && s.model.key === s.userModel.key);
  const actions = useActions();
  const [paste, setPaste] = useState('');
  const [pasteOpen, setPasteOpen] = useState(false);

  const caseText = () => {
    const { computed, doc } = store.getState();
    return computed ? JSON.stringify(inputToCaseJson(computed.input, computed.tokens, doc.tile), null, 1) : null;
  };
  const resultText = () => {
    const computed = store.getState().computed;
    return computed ? JSON.stringify(resultToJson(computed.result), null, 1) : null;
  };


  return (
    <section className="al-panel al-caseio" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="al-h2">
        {t('source.heading')}
      </h2>
      <fieldset className="al-segmented">
        <legend className="al-sr-only">{t('source.heading')}</legend>
        <label className={source.kind === 'seeded' ? 'al-on' : undefined}>
          <input type="radio" name={`${id}-src`} checked={source.kind === 'seeded'} data-testid="source-seeded" onChange={() => actions.useSeeded()} />
          {t('source.seeded')}
        </label>
        <label className={source.kind === 'model' ? 'al-on' : undefined} title={t('source.modelHint')}>
          <input
            type="radio"
            name={`${id}-src`}
            checked={source.kind === 'model'}
            data-testid="source-model"
            onChange={() => actions.useModel(userModelShown ? 'user' : 'brown-char')}
          />
          {t('source.model')}
        </label>
        <label className={source.kind === 'case' ? 'al-on' : undefined} title={source.kind === 'case' ? undefined : t('source.caseHint')}>
          <input type="radio" name={`${id}-src`} checked={source.kind === 'case'} disabled={source.kind !== 'case'} data-testid="source-case" readOnly />
          {t('source.case')}
        </label>
      </fieldset>
      <p className="al-hint" data-testid="source-hint">
        {source.kind === 'seeded' ? t('source.seededHint') : source.kind === 'model' ? t(isCheckpoint(source.model) ? 'source.modelHint.checkpoint' : 'source.modelHint') : t('source.caseActive')}
      </p>
      <ModelSource />
      {overrides > 0 && (
        <p className="al-hint" data-testid="override-count">
          {t('source.overrides', { n: overrides })}{' '}
          <button type="button" className="al-link" onClick={() => actions.clearOverrides()} data-testid="clear-overrides">
            {t('source.clearOverrides')}
          </button>
        </p>
      )}

      <div className="al-buttons">
        <JsonFileButton
          label={t('case.importFile')}
          testId="import-file"
          inputTestId="import-file-input"
          tooBig="case.fileTooBig"
          onText={(text, name) => actions.importCase(text, 'file', name)}
        />
        <button type="button" className="al-button" aria-expanded={pasteOpen} data-testid="paste-toggle" onClick={() => setPasteOpen(!pasteOpen)}>
          {t('case.paste')}
        </button>
      </div>
      {pasteOpen && (
        <div className="al-paste">
          <label htmlFor={`${id}-paste`} className="al-sr-only">
            {t('case.pasteLabel')}
          </label>
          <textarea
            id={`${id}-paste`}
            className="al-textarea al-mono"
            rows={5}
            value={paste}
            data-testid="paste-text"
            placeholder={t('case.pastePlaceholder')}
            onChange={(e) => setPaste(e.target.value)}
          />
          <button
            type="button"
            className="al-button al-primary"
            data-testid="paste-load"
            disabled={paste.trim() === ''}
            onClick={() => {
              if (actions.importCase(paste, 'paste')) {
                setPaste('');
                setPasteOpen(false);
              }
            }}
          >
            {t('case.load')}
          </button>
        </div>
      )}

      <div className="al-buttons">
        <button
          type="button"
          className="al-button"
          data-testid="export-case"
          disabled={!hasResult}
          onClick={() => {
            const text = caseText();
            if (text) downloadText('attention-case.json', text);
          }}
        >
          {t('case.download')}
        </button>
        <button
          type="button"
          className="al-button"
          data-testid="copy-case"
          disabled={!hasResult}
          onClick={async () => {
            const text = caseText();
            if (!text) return;
            const ok = await copyText(text);
            actions.notify(ok ? 'info' : 'error', 'clipboard', ok ? t('case.copied') : t('clipboard.failed'));
          }}
        >
          {t('case.copy')}
        </button>
        <button
          type="button"
          className="al-button"
          data-testid="export-result"
          disabled={!hasResult}
          onClick={() => {
            const text = resultText();
            if (text) downloadText('attention-result.json', text);
          }}
        >
          {t('case.downloadResult')}
        </button>
      </div>
    </section>
  );
}
