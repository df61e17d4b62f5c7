// The trained-model part of "Numbers from": which model (the shipped one or one trained/loaded in this
// browser), its loading progress and facts, and loading a model file.
import { t } from '../i18n/index.ts';
import { JsonFileButton } from './JsonFileButton.tsx';
import { useActions, useStore } from '../state/store.ts';
import './modelSource.css';

function kB(bytes: number): string {
  return (bytes / 1024).toFixed(0);
}

export function ModelSource() {
  const source = useStore((s) => s.doc.source);
  const model = useStore((s) => s.model);
  const userModel = useStore((s) => s.userModel);
  const actions = useActions();
  const active = source.kind === 'model' ? source.model : null;
  const expected = active === 'user' ? (userModel?.key ?? null) : active;
  const state = expected !== null && model.key === expected ? model : null;

  return (
    <div className="al-model-source" data-testid="model-source">
      {active && (
        <>
          <label className="al-field">
            <span className="al-label">{t('model.pick')}</span>
            <select value={active} data-testid="model-pick" onChange={(e) => actions.useModel(e.target.value as 'brown-char' | 'user')}>
              <option value="brown-char">{t('model.shipped')}</option>
              {userModel && <option value="user">{t('model.user', { name: userModel.name })}</option>}
            </select>
          </label>
          {state?.status === 'loading' && (
            <div className="al-model-progress">
              <progress
                data-testid="model-progress"
                max={state.total ?? undefined}
                value={state.total ? state.loaded : undefined}
                aria-label={t('model.loadingUnknown')}
              />
              <span className="al-hint">
                {state.total ? t('model.loading', { loaded: kB(state.loaded), total: kB(state.total) }) : t('model.loadingUnknown')}
              </span>
            </div>
          )}
          {state?.status === 'ready' && state.info && (
            <p className="al-hint" data-testid="model-info" data-layers={state.info.layers} data-heads={state.info.heads} data-context={state.info.context}>
              <strong>{state.info.name}</strong>:{' '}
              {t('model.info', {
                layers: state.info.layers,
                heads: state.info.heads,
                dModel: state.info.dModel,
                dHead: state.info.dHead,
                context: state.info.context,
                params: state.info.parameters.toLocaleString(),
              })}
              {state.info.heldOutLoss !== null && <> · {t('model.heldOut', { loss: state.info.heldOutLoss.toFixed(3) })}</>}
            </p>
          )}
        </>
      )}
      <div className="al-buttons">
        <JsonFileButton
          label={t('model.loadFile')}
          title={t('model.loadFile.hint')}
          testId="model-file-button"
          inputTestId="model-file"
          tooBig="model.fileTooBig"
          onText={(text, name) => void actions.loadModelFile(text, name)}
        />
      </div>
    </div>
  );
}
