// The Train panel: pick a task and a model size, train in a Web Worker (compute/trainClient.ts), watch the
// loss fall and every head's attention on the app's text form, step by step; then download the model
// or make it the app's model.
import { useEffect, useState } from 'react';
import { DEFAULT_SIZE, taskExample } from '../engine/model/tasks.ts';
import { LossChart } from '../components/train/LossChart.tsx';
import '../components/train/train.css';
import { TrainSettings } from './train/TrainSettings.tsx';
import { TrainSnapshots } from './train/TrainSnapshots.tsx';
import { useT, type Translate } from '../i18n/react.ts';
import { useActions, useStore, useStoreApi } from '../state/store.ts';
import { trainActions, trainStore, useTrain } from '../compute/trainClient.ts';
import type { TrainConfig, TrainErrorCode, TrainStatus } from '../compute/trainProtocol.ts';

/** The app's text reaches the worker this long after the last keystroke (a paused run re-snapshots it). */
const INPUT_DEBOUNCE_MS = 150;

const DEFAULTS: TrainConfig = {
  task: 'copy',
  size: { nLayers: DEFAULT_SIZE.nLayers, nHeads: DEFAULT_SIZE.nHeads, dModel: DEFAULT_SIZE.dModel },
  steps: 300,
  lr: 3e-3,
  batch: 16,
  seed: 1,
  snapshotEvery: 10,
  corpusUrl: '',
};

function corpusUrl(): string {
  return new URL('train/brown-excerpt.txt', document.baseURI).href;
}

const ACTIVE: readonly TrainStatus[] = ['running', 'paused', 'done'];

function errorMessage(t: Translate, code: TrainErrorCode, detail: string, url: string): string {
  if (code === 'corpus') return t('train.error.corpus', { url, detail });
  if (code === 'backend') return t('train.error.backend', { detail });
  return t('train.error.training', { detail });
}

// ------------------------------------------------------------------------------------------------

interface ControlsProps {
  /** The settings a new run starts with. */
  config: TrainConfig;
  /** The app's text, which the snapshots show the heads on. */
  text: string;
}

function Controls({ config, text }: ControlsProps) {
  const t = useT();
  const status = useTrain((s) => s.status);
  const canStart = status === 'idle' || status === 'done' || status === 'error';
  return (
    <div className="al-buttons al-train-buttons">
      <button
        type="button"
        className="al-button al-primary"
        data-testid="train-start"
        disabled={!canStart}
        onClick={() => trainActions.start({ ...config, corpusUrl: corpusUrl() }, text)}
      >
        {t('train.start')}
      </button>
      <button type="button" className="al-button" data-testid="train-pause" disabled={status !== 'running'} onClick={trainActions.pause}>
        {t('train.pause')}
      </button>
      <button type="button" className="al-button" data-testid="train-resume" disabled={status !== 'paused'} onClick={trainActions.resume}>
        {t('train.resume')}
      </button>
      <button type="button" className="al-button" data-testid="train-reset" disabled={status === 'idle'} onClick={trainActions.reset}>
        {t('train.reset')}
      </button>
    </div>
  );
}

function Progress() {
  const t = useT();
  const status = useTrain((s) => s.status);
  const progress = useTrain((s) => s.progress);
  const total = useTrain((s) => s.config?.steps ?? 0);
  const firstLoss = useTrain((s) => s.losses[0]?.loss ?? null);
  const backend = useTrain((s) => s.backend);
  const error = useTrain((s) => s.error);
  const url = useTrain((s) => s.config?.corpusUrl ?? '');
  const step = progress?.step ?? 0;
  const loss = progress && Number.isFinite(progress.loss) ? progress.loss : null;
  const text = t('train.progress', {
    step,
    total,
    loss: loss === null ? '—' : loss.toFixed(2),
    tps: progress ? Math.round(progress.tokensPerSec).toLocaleString() : '—',
  });
  return (
    <div className="al-train-progress">
      <div
        className="al-train-bar"
        role="progressbar"
        aria-label={t('train.progress.label')}
        aria-valuemin={0}
        aria-valuemax={total || 1}
        aria-valuenow={step}
        aria-valuetext={text}
        data-testid="train-progressbar"
      >
        <div className="al-train-bar-fill" style={{ width: `${total ? (100 * step) / total : 0}%` }} />
      </div>
      <p
        className="al-train-status"
        aria-live="off"
        data-testid="train-status"
        data-status={status}
        data-step={step}
        data-loss={loss ?? ''}
        data-first-loss={firstLoss ?? ''}
      >
        <span className="al-train-state">{t(`train.status.${status}`)}</span>
        {total > 0 && <span>{text}</span>}
        {backend && <span className="al-hint">{t('train.backend', { backend })}</span>}
      </p>
      {/* Screen readers hear the status changes, not every step. */}
      <p className="al-sr-only" aria-live="polite">
        {t(`train.status.${status}`)}
      </p>
      {error && (
        <p className="al-train-error" role="alert" data-testid="train-error">
          {errorMessage(t, error.code, error.detail, url)}
        </p>
      )}
    </div>
  );
}

function LossPanel() {
  const t = useT();
  const points = useTrain((s) => s.losses);
  const total = useTrain((s) => s.config?.steps);
  const [log, setLog] = useState(true);
  return (
    <section className="al-train-loss" aria-label={t('train.loss.title')}>
      <div className="al-train-row">
        <h3 className="al-train-h3">{t('train.loss.title')}</h3>
        <label className="al-check">
          <input type="checkbox" checked={log} data-testid="train-log" onChange={(e) => setLog(e.target.checked)} />
          <span>{t('train.loss.log')}</span>
        </label>
      </div>
      <LossChart
        points={points}
        maxStep={total}
        yScale={log ? 'log' : 'linear'}
        title={t('train.loss.chart', { n: points.length })}
        xLabel={t('train.loss.x')}
        yLabel={t('train.loss.y')}
        rawLabel={t('train.loss.raw')}
        meanLabel={t('train.loss.mean')}
      />
    </section>
  );
}

function ModelActions() {
  const t = useT();
  const store = useStoreApi();
  const status = useTrain((s) => s.status);
  const [problem, setProblem] = useState<string | null>(null);
  const ready = ACTIVE.includes(status);
  const run = (action: () => Promise<void>) => {
    setProblem(null);
    action().catch((e: unknown) => setProblem(t('train.error.pack', { detail: e instanceof Error ? e.message : String(e) })));
  };
  return (
    <div className="al-train-model">
      <div className="al-buttons">
        <button type="button" className="al-button" data-testid="train-download" disabled={!ready} onClick={() => run(trainActions.download)}>
          {t('train.download')}
        </button>
        <button type="button" className="al-button" data-testid="train-use" disabled={!ready} onClick={() => run(() => trainActions.useInApp(store))}>
          {t('train.use')}
        </button>
      </div>
      <p className="al-hint">{t('train.use.hint')}</p>
      {problem && (
        <p className="al-train-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export function TrainPanel() {
  const t = useT();
  const text = useStore((s) => s.doc.text);
  const { setText } = useActions();
  const [config, setConfig] = useState<TrainConfig>(() => trainStore.getState().config ?? DEFAULTS);
  const status = useTrain((s) => s.status);
  const [exampleSeed, setExampleSeed] = useState(1);

  useEffect(() => {
    const timer = setTimeout(() => trainActions.setInput(text), INPUT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const busy = status === 'starting' || status === 'running' || status === 'paused';
  return (
    <div className="al-train" data-testid="train-panel">
      <p className="al-hint">{t('train.intro')}</p>
      <TrainSettings config={config} setConfig={setConfig} disabled={busy} />
      <div className="al-buttons">
        <button
          type="button"
          className="al-button al-small"
          data-testid="train-example"
          onClick={() => {
            setText(taskExample(config.task, exampleSeed, { context: DEFAULT_SIZE.context }));
            setExampleSeed(exampleSeed + 1);
          }}
        >
          {t('train.example')}
        </button>
        <span className="al-hint">{t('train.example.hint', { task: t(`train.task.${config.task}` as const) })}</span>
      </div>
      <Controls config={config} text={text} />
      <Progress />
      <LossPanel />
      <TrainSnapshots text={text} />
      <ModelActions />
    </div>
  );
}

