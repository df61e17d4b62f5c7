// Mechanism, convention, sizes, seed, causal mask and backend.
import { useId, useMemo } from 'react';
import { Formula } from '../components/common/Formula.tsx';
import { t } from '../i18n/index.ts';
import { UI_LIMITS } from '../state/document.ts';
import { effectiveConvention, effectiveHeads, effectiveMechanism, headSize, type Convention, type Mechanism } from '../engine/scenario.ts';
import { NumberField } from './NumberField.tsx';
import { backendStatus } from './backendStatus.ts';
import type { BackendPref } from '../engine/backend.ts';
import { useActions, useStore } from '../state/store.ts';
import { Prose } from '../components/common/Prose.tsx';

const MECHANISMS: { id: Mechanism; label: 'controls.mech.self' | 'controls.mech.weighted' | 'controls.mech.multi'; hint: 'controls.mech.self.hint' | 'controls.mech.weighted.hint' | 'controls.mech.multi.hint' }[] = [
  { id: 'self', label: 'controls.mech.self', hint: 'controls.mech.self.hint' },
  { id: 'weighted', label: 'controls.mech.weighted', hint: 'controls.mech.weighted.hint' },
  { id: 'multi', label: 'controls.mech.multi', hint: 'controls.mech.multi.hint' },
];

/**
 * The formulas in use (A, then Z), in TeX (our own TeX only: no token text). `scale`: a model's own factor
 * on QKᵀ (GPT-Neo does not scale: 1); null: 1/√d (article) or 1/√d_k (standard).
 */
function formulaTex(mechanism: Mechanism, convention: Convention, causal: boolean, scale: number | null = null): [string, string] {
  const sqrt = convention === 'article' ? '\\sqrt{d}' : '\\sqrt{d_k}';
  const scores = scale === null ? `\\frac{QK^\\top}{${sqrt}}` : scale === 1 ? 'QK^\\top' : `${Number(scale.toPrecision(4))}\\, QK^\\top`;
  const mask = causal ? ' + M' : '';
  const a =
    mechanism === 'weighted'
      ? `A_{ij} = \\frac{w_j\\, e^{s_{ij}}}{\\sum_k w_k\\, e^{s_{ik}}},\\; s = ${scores}${mask}`
      : `A = \\operatorname{softmax}\\!\\left(${scores}${mask}\\right)`;
  const z =
    mechanism !== 'multi'
      ? convention === 'article'
        ? 'Z = AV'
        : 'Z = AV,\\; \\text{out} = Z W^O'
      : convention === 'article'
        ? 'Z = [A_1V_1 \\,|\\, \\cdots \\,|\\, A_hV_h] \\in \\mathbb{R}^{n\\times dh}'
        : 'Z = [A_1V_1 \\,|\\, \\cdots \\,|\\, A_hV_h],\\; \\text{out} = Z W^O \\in \\mathbb{R}^{n\\times d}';
  return [a, z];
}

export function Controls() {
  const id = useId();
  const doc = useStore((s) => s.doc);
  const backend = useStore((s) => s.backend);
  const actions = useActions();
  const isCase = doc.source.kind === 'case';
  const mechanism = effectiveMechanism(doc);
  const convention = effectiveConvention(doc);
  const c = doc.source.kind === 'case' ? doc.source.case : null;
  const isModel = doc.source.kind === 'model';
  const modelInfo = useStore((s) => s.model.info);
  // Each part only re-renders when what it shows changes (a click on one control does not re-set
  // every input, nor re-run KaTeX for an unchanged formula).
  const mechanismFields = useMemo(
    () => (
      <>
        {!isModel && (
          <>
            <fieldset className="al-group">
              <legend>{t('controls.mechanism')}</legend>
              {MECHANISMS.map((m) => {
                const disabled = isCase && c !== null && (c.heads.length > 1 ? m.id !== 'multi' : m.id === 'multi');
                return (
                  <label key={m.id} className={`al-radio${disabled ? ' al-disabled' : ''}`}>
                    <input
                      type="radio"
                      name={`${id}-mech`}
                      value={m.id}
                      checked={mechanism === m.id}
                      disabled={disabled}
                      data-testid={`mech-${m.id}`}
                      onChange={() => actions.setMechanism(m.id)}
                    />
                    <span>
                      <span className="al-radio-label">{t(m.label)}</span>
                      <span className="al-hint">{t(m.hint)}</span>
                    </span>
                  </label>
                );
              })}
            </fieldset>

            <fieldset className="al-group" disabled={isCase}>
              <legend>{t('controls.convention')}</legend>
              {(['article', 'standard'] as const).map((cv) => (
                <label key={cv} className="al-radio">
                  <input type="radio" name={`${id}-conv`} value={cv} checked={convention === cv} data-testid={`conv-${cv}`} onChange={() => actions.setConvention(cv)} />
                  <span>
                    <span className="al-radio-label">{t(cv === 'article' ? 'controls.conv.article' : 'controls.conv.standard')}</span>
                    <span className="al-hint"><Prose text={t(cv === 'article' ? 'controls.conv.article.hint' : 'controls.conv.standard.hint')} /></span>
                  </span>
                </label>
              ))}
              {isCase && <p className="al-hint"><Prose text={t('controls.caseConvention')} /></p>}
            </fieldset>
          </>
        )}
      </>
    ),
    [actions, c, convention, id, isCase, isModel, mechanism],
  );
  // A model's own mask decides (an encoder has none), not the seeded weights' switch.
  const causal = isModel && modelInfo ? modelInfo.causal : doc.causal;
  const scale = isModel ? (modelInfo?.scale ?? null) : null;
  const formulaInUse = useMemo(
    () => (
      <div className="al-formula-in-use" data-testid="formula-in-use">
        <span className="al-hint">{t('controls.formula')}</span>
        {formulaTex(mechanism, convention, causal, scale).map((tex) => (
          <Formula key={tex} tex={tex} block />
        ))}
      </div>
    ),
    [mechanism, convention, causal, scale],
  );
  const { d, dk, seed } = doc;
  const heads = effectiveHeads(doc);
  const docMechanism = doc.mechanism;
  const docConvention = doc.convention;
  const hs = headSize(doc);
  const sizeFields = useMemo(
    () => (
      <>
        {isModel ? null : c ? (
          <dl className="al-case-dims" data-testid="case-dims">
            <dt>{t('controls.label.n')}</dt>
            <dd>{c.X.length}</dd>
            <dt>{t('controls.label.d')}</dt>
            <dd>{c.X[0]?.length ?? 0}</dd>
            <dt>{t('controls.label.h')}</dt>
            <dd>{c.heads.length}</dd>
            <dt>{t('controls.label.dk')}</dt>
            <dd>{c.heads[0]?.Wq[0]?.length ?? 0}</dd>
            <dt>{t('controls.label.dv')}</dt>
            <dd>{c.heads[0]?.Wv[0]?.length ?? 0}</dd>
            <dt>W^O</dt>
            <dd>{c.Wo ? `${c.Wo.length}×${c.Wo[0]?.length ?? 0}` : t('controls.none')}</dd>
          </dl>
        ) : (
          <div className="al-grid2">
            <NumberField
              label={t('controls.label.h')}
              value={heads}
              min={1}
              max={UI_LIMITS.maxHeads}
              disabled={docMechanism !== 'multi'}
              onCommit={actions.setHeads}
              testId="heads"
              hint={docMechanism !== 'multi' ? t('controls.headsMulti') : undefined}
            />
            <NumberField label={t('controls.label.d')} value={d} min={1} max={UI_LIMITS.maxD} onCommit={actions.setD} testId="d" />
            {docConvention === 'standard' ? (
              <div className="al-field">
                <NumberField
                  label={t('controls.label.dk')}
                  value={hs}
                  min={1}
                  max={UI_LIMITS.maxD}
                  disabled={dk === null}
                  onCommit={actions.setDk}
                  testId="dk"
                />
                <label className="al-check al-small">
                  <input type="checkbox" checked={dk === null} data-testid="dk-auto" onChange={(e) => actions.setDk(e.target.checked ? null : hs)} />
                  {t('controls.dkAuto')}
                </label>
              </div>
            ) : (
              <div className="al-field">
                <span className="al-label">{t('controls.label.dk')}</span>
                <span className="al-static">{t('controls.dkArticle', { d })}</span>
              </div>
            )}
            <div className="al-field">
              <NumberField label={t('controls.label.seed')} value={seed} min={0} max={UI_LIMITS.maxSeed} onCommit={actions.setSeed} testId="seed" />
              <button type="button" className="al-button al-small" data-testid="seed-random" onClick={() => actions.setSeed(Math.floor(Math.random() * 100000))}>
                {t('controls.reseed')}
              </button>
            </div>
          </div>
        )}
      </>
    ),
    [actions, c, isModel, heads, d, dk, hs, seed, docMechanism, docConvention],
  );
  return (
    <section className="al-panel al-controls" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="al-h2">
        {t('controls.heading')}
      </h2>

      {isModel && (
        <p className="al-hint" data-testid="model-fixed">
          {t(modelInfo?.causal === false ? 'model.fixed.encoder' : 'model.fixed', { dHead: modelInfo?.dHead ?? '?', norm: modelInfo?.norm === 'rmsnorm' ? 'RMSNorm' : 'LayerNorm' })}
          {modelInfo?.scale === 1 && ` ${t('model.unscaled')}`}
        </p>
      )}
      {mechanismFields}

      {formulaInUse}

      {sizeFields}

      {!isModel && (
        <label className="al-check">
          <input type="checkbox" checked={doc.causal} data-testid="causal" onChange={(e) => actions.setCausal(e.target.checked)} />
          <span>
            <span className="al-radio-label">{t('controls.causal')}</span>
            <span className="al-hint">{t('controls.causal.hint')}</span>
          </span>
        </label>
      )}
      {!isModel && doc.causal && (
        <NumberField
          label={t('controls.window')}
          value={doc.window ?? 0}
          min={0}
          max={UI_LIMITS.maxTokens}
          onCommit={(v) => actions.setWindow(v === 0 ? null : v)}
          testId="window"
          hint={t('controls.window.hint')}
        />
      )}

      <div className="al-field al-backend">
        <label htmlFor={`${id}-backend`}>{t('controls.backend')}</label>
        <select id={`${id}-backend`} data-testid="backend" value={backend.preferred} onChange={(e) => actions.setBackend(e.target.value as BackendPref)}>
          <option value="auto">{t('backend.auto')}</option>
          <option value="wasm">wasm</option>
          <option value="webgpu">webgpu</option>
          <option value="webgl">webgl</option>
          <option value="cpu">cpu</option>
        </select>
        <span
          className="al-hint"
          data-testid="backend-active"
          data-backend={backend.active ?? ''}
          data-threads={backend.mode.threads ?? ''}
          data-workers={backend.mode.workers ?? ''}
          data-workers-why={backend.mode.workersWhy ?? ''}
          data-gpu-why={backend.mode.gpu?.why ?? ''}
          title={backend.mode.gpu?.detail ?? undefined}
        >
          {backendStatus(backend)}
        </span>
        {backend.error && (
          <span className="al-field-error" role="alert">
            {backend.error}
          </span>
        )}
      </div>
    </section>
  );
}
