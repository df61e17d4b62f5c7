// The model part of "Numbers from": which model (the shipped character model, one trained or loaded
// here, a checkpoint from the Hugging Face Hub by name, or a local folder), its download with progress,
// cancel and the size warning, what it is, the Hub address, and the models kept in this browser.
import { useEffect, useId, useMemo, useState, type DragEvent } from 'react';
import { curatedModels } from '../compute/hub/curated.ts';
import { clearModelCache, deleteCachedModel, listCachedModels, type CachedModel } from '../compute/hub/cache.ts';
import { entriesFromDataTransfer, filesFromEntries, filesFromFileList, type LocalFile } from '../compute/hub/local.ts';
import { browserModelStore } from '../compute/hub/store.ts';
import { formatHubRef, parseHubRef } from '../engine/checkpoint/hubRef.ts';
import { hubErrorText } from '../i18n/hubErrorText.ts';
import { stepText } from '../compute/watchdog.ts';
import { t } from '../i18n/index.ts';
import { formatBytes } from '../components/common/format.ts';
import type { ModelId } from '../state/document.ts';
import { useActions, useStore, type ModelState } from '../state/store.ts';
import { JsonFileButton } from './JsonFileButton.tsx';
import './modelSource.css';


const CURATED = curatedModels();

function Progress({ state, onCancel }: { state: ModelState; onCancel: () => void }) {
  const files = state.files.length > 0 ? state.files : [{ name: state.key ?? '', received: state.loaded, total: state.total }];
  return (
    <div className="al-model-progress" data-testid="model-progress-box">
      <progress data-testid="model-progress" max={state.total ?? undefined} value={state.total ? state.loaded : undefined} aria-label={t('model.loadingUnknown')} />
      <ul className="al-hint al-model-files">
        {files.map((f) => (
          <li key={f.name} data-testid="model-file-progress" data-file={f.name}>
            {f.total
              ? t('hub.progress', { file: f.name, received: formatBytes(f.received), total: `${formatBytes(f.total)} (${Math.floor((100 * f.received) / f.total)} %)` })
              : t('hub.progressUnknown', { file: f.name, received: formatBytes(f.received) })}
          </li>
        ))}
      </ul>
      <button type="button" className="al-button" data-testid="model-cancel" onClick={onCancel}>
        {t('hub.cancel')}
      </button>
    </div>
  );
}

function Info({ state }: { state: ModelState }) {
  const info = state.info!;
  const checkpoint = info.type !== 'char-transformer';
  return (
    <p className="al-hint" data-testid="model-info" data-layers={info.layers} data-heads={info.heads} data-kv-heads={info.kvHeads} data-context={info.context}>
      {checkpoint ? (
        t('model.checkpointInfo', {
          name: info.name,
          type: info.type,
          layers: info.layers,
          heads: info.heads,
          kv: info.kvHeads,
          dModel: info.dModel,
          context: info.context,
          vocab: info.vocab.toLocaleString(),
          params: info.parameters.toLocaleString(),
          dtypes: info.dtypes.join(', '),
        })
      ) : (
        <>
          <strong>{info.name}</strong>:{' '}
          {t('model.info', { layers: info.layers, heads: info.heads, dModel: info.dModel, dHead: info.dHead, context: info.context, params: info.parameters.toLocaleString() })}
          {info.heldOutLoss !== null && <> · {t('model.heldOut', { loss: info.heldOutLoss.toFixed(3) })}</>}
        </>
      )}
      {state.fromCache && <> {t('hub.fromCache')}</>}
    </p>
  );
}

const whyOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The models kept in Cache Storage, with delete buttons. A store that fails says so in a notice. */
function CachedModels() {
  const [models, setModels] = useState<CachedModel[] | null>(null);
  const status = useStore((s) => s.model.status);
  const actions = useActions();
  // One store object: a new one per render would re-list Cache Storage after every edit (an
  // effect dependency), ≈ 10 ms of main thread per change on a throttled phone.
  const store = useMemo(() => browserModelStore(), []);
  useEffect(() => {
    if (!store) return;
    let live = true;
    listCachedModels(store).then(
      (m) => live && setModels(m),
      (e: unknown) => live && actions.notify('error', 'storage', t('hub.cacheListFailed', { why: whyOf(e) })),
    );
    return () => {
      live = false;
    };
  }, [store, status, actions]);
  if (!store || models === null) return null;
  const refresh = () => void listCachedModels(store).then(setModels, (e: unknown) => actions.notify('error', 'storage', t('hub.cacheListFailed', { why: whyOf(e) })));
  const remove = (m: CachedModel) =>
    void deleteCachedModel(store, m.hub, m.ref).then(refresh, (e: unknown) => {
      actions.notify('error', 'storage', t('hub.cacheDeleteFailed', { model: m.label, why: whyOf(e) }));
      refresh();
    });
  const clear = () =>
    void clearModelCache(store).then(refresh, (e: unknown) => {
      actions.notify('error', 'storage', t('hub.cacheClearFailed', { why: whyOf(e) }));
      refresh();
    });
  return (
    <details className="al-model-cache" data-testid="model-cache">
      <summary>{t('hub.cache')}</summary>
      {models.length === 0 ? (
        <p className="al-hint">{t('hub.cacheEmpty')}</p>
      ) : (
        <ul>
          {models.map((m) => (
            <li key={`${m.hub} ${m.label}`} data-testid="cached-model" data-model={m.label}>
              {m.label} · {formatBytes(m.totalBytes)}{' '}
              <button type="button" className="al-link" data-testid="cache-delete" onClick={() => remove(m)}>
                {t('hub.cacheDelete')}
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="al-link" data-testid="cache-clear" onClick={clear}>
              {t('hub.cacheClear')}
            </button>
          </li>
        </ul>
      )}
    </details>
  );
}

export function ModelSource() {
  const id = useId();
  const source = useStore((s) => s.doc.source);
  const model = useStore((s) => s.model);
  const userModel = useStore((s) => s.userModel);
  const hub = useStore((s) => s.hub);
  const halted = useStore((s) => s.halted);
  const actions = useActions();
  const active = source.kind === 'model' ? source.model : null;
  const expected = active === 'user' ? (userModel?.key ?? null) : active;
  const state = expected !== null && model.key === expected ? model : null;
  const [repo, setRepo] = useState('');
  const [repoError, setRepoError] = useState<string | null>(null);
  const [hubDraft, setHubDraft] = useState(hub);
  const [hubError, setHubError] = useState<string | null>(null);
  const [dropping, setDropping] = useState(false);

  const openRepo = () => {
    try {
      actions.useModel(formatHubRef(parseHubRef(repo.trim())) as ModelId);
      setRepoError(null);
    } catch (e) {
      setRepoError(hubErrorText(e));
    }
  };
  const openFiles = (files: LocalFile[]) => {
    if (files.length === 0) return actions.notify('error', 'file', t('hub.dropEmpty'));
    const name = files[0].path.split('/')[0] || 'folder';
    actions.openLocalModel(name, files);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDropping(false);
    // The entries must be taken while the drop event lasts; reading them can wait.
    const entries = entriesFromDataTransfer(e.dataTransfer.items);
    filesFromEntries(entries).then(openFiles, (e: unknown) => actions.notify('error', 'file', t('hub.dropFailed', { why: whyOf(e) })));
  };

  const options: { value: string; label: string; disabled?: boolean }[] = [];
  const known = new Set<string>(['brown-char', 'user']);
  for (const m of CURATED) {
    const value = formatHubRef({ owner: m.repo.split('/')[0], name: m.repo.split('/')[1], revision: m.revision });
    known.add(value);
    const size = m.weightsBytes === null ? t('hub.sizeUnknown') : `${m.sizeExact ? '' : '≈'}${formatBytes(m.weightsBytes)}`;
    options.push({
      value,
      label: m.supported ? `${m.repo} — ${t('hub.size', { layers: m.layers, heads: m.heads, size })}` : t('hub.unsupported', { name: m.repo, reason: m.reason ?? '' }),
      disabled: !m.supported,
    });
  }

  return (
    <div
      className={`al-model-source${dropping ? ' al-dropping' : ''}`}
      data-testid="model-source"
      onDragOver={(e) => {
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      {active && (
        <>
          <label className="al-field">
            <span className="al-label">{t('model.pick')}</span>
            <select value={active} data-testid="model-pick" onChange={(e) => actions.useModel(e.target.value as ModelId)}>
              <optgroup label={t('hub.builtin')}>
                <option value="brown-char">{t('model.shipped')}</option>
                {userModel && <option value="user">{t('model.user', { name: userModel.name })}</option>}
              </optgroup>
              <optgroup label={t('hub.curated')}>
                {options.map((o) => (
                  <option key={o.value} value={o.value} disabled={o.disabled}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
              {!known.has(active) && <option value={active}>{active.replace(/^(hf|local):/, '')}</option>}
            </select>
          </label>
          <form
            className="al-inline-field"
            onSubmit={(e) => {
              e.preventDefault();
              openRepo();
            }}
          >
            <label htmlFor={`${id}-repo`}>{t('hub.repo')}</label>
            <input id={`${id}-repo`} type="text" value={repo} placeholder={t('hub.repoPlaceholder')} data-testid="hub-repo" onChange={(e) => setRepo(e.target.value)} />
            <button type="submit" className="al-button" data-testid="hub-open">
              {t('hub.open')}
            </button>
          </form>
          {repoError && (
            <p className="al-field-error" role="alert" data-testid="hub-repo-error">
              {repoError}
            </p>
          )}
          {state?.status === 'confirm' && state.size !== null && (
            <p className="al-hint" role="alert" data-testid="model-confirm">
              {t(state.sizeAtLeast ? 'hub.confirmUnknown' : 'hub.confirm', { size: formatBytes(state.size) })}{' '}
              <button type="button" className="al-button" data-testid="model-confirm-yes" onClick={() => expected && actions.confirmDownload(expected)}>
                {t('hub.confirmYes')}
              </button>{' '}
              <button type="button" className="al-button" onClick={actions.cancelModelLoad}>
                {t('hub.cancel')}
              </button>
            </p>
          )}
          {state?.status === 'halted' && halted && (
            <p className="al-hint" role="alert" data-testid="model-halted">
              {t('model.halted', { name: halted.model.replace(/^(hf|local):/, ''), step: stepText(halted.step) })}{' '}
              <button type="button" className="al-button" data-testid="model-halted-run" onClick={() => actions.setHalted(null)}>
                {t('model.haltedRun')}
              </button>{' '}
              <button type="button" className="al-button" data-testid="model-halted-seeded" onClick={actions.useSeeded}>
                {t('model.haltedSeeded')}
              </button>
            </p>
          )}
          {state?.status === 'loading' && <Progress state={state} onCancel={actions.cancelModelLoad} />}
          {state?.status === 'ready' && state.info && <Info state={state} />}
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
        <label className="al-button" title={t('hub.folderHint')}>
          {t('hub.folder')}
          <input
            type="file"
            className="al-sr-only"
            data-testid="model-folder"
            // @ts-expect-error: webkitdirectory is a boolean attribute React does not type
            webkitdirectory=""
            multiple
            onChange={(e) => {
              if (e.target.files) openFiles(filesFromFileList(e.target.files));
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {dropping && <p className="al-hint">{t('hub.drop')}</p>}
      <details className="al-hub-setting">
        <summary>{t('hub.server')}</summary>
        <form
          className="al-inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            setHubError(actions.setHub(hubDraft));
          }}
        >
          <input type="url" value={hubDraft} data-testid="hub-url" aria-label={t('hub.server')} onChange={(e) => setHubDraft(e.target.value)} />
          <button type="submit" className="al-button">
            {t('hub.open')}
          </button>
        </form>
        {hubError && <p className="al-field-error">{hubError}</p>}
        <p className="al-hint">{t('hub.serverHint', { hub })}</p>
      </details>
      <CachedModels />
    </div>
  );
}
