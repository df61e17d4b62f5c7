// The Train panel: pick a task and a model size, train in a Web Worker (app/trainClient.ts), watch the
// loss fall and every head's attention on the app's text form, step by step; then download the model
// or make it the app's model.
import { useEffect, useMemo, useState } from 'react';
import { parameterCount } from '../engine/model/format.ts';
import { DEFAULT_SIZE, TASK_NAMES, taskExample, trainArchitecture } from '../engine/model/tasks.ts';
import type { Matrix } from '../engine/types.ts';
import { HeadThumbnail } from '../components/HeadThumbnail.tsx';
import { LossChart } from '../components/LossChart.tsx';
import '../components/train.css';
import { useT, type Translate } from '../i18n/react.ts';
import { NumberField } from '../input/NumberField.tsx';
import { usePrefs } from '../state/prefs.ts';
import { useActions, useStore, useStoreApi } from '../state/store.ts';
import { snapshotAt, trainActions, trainStore, useTrain, type ShownSnapshot } from '../compute/trainClient.ts';
import type { TrainConfig, TrainErrorCode, TrainStatus } from '../compute/trainProtocol.ts';

const LAYERS = [1, 2, 3, 4];
const HEADS = [1, 2, 3, 4];
const D_MODELS = [16, 32, 64];
/** The app's text reaches the worker this long after the last keystroke (a paused run re-snapshots it). */
const INPUT_DEBOUNCE_MS = 150;
const PLAY_FRAME_MS = 180;

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

const LIMITS = {
  steps: [1, 20000],
  lr: [1e-5, 0.1],
  batch: [1, 64],
  seed: [0, 999999],
  snapshotEvery: [1, 1000],
} as const;

type NumericSetting = keyof typeof LIMITS;

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

function Settings({ config, setConfig, disabled }: { config: TrainConfig; setConfig: (c: TrainConfig) => void; disabled: boolean }) {
  const t = useT();
  const arch = trainArchitecture(config.size);
  const number = (key: NumericSetting, label: string, decimal = false) => {
    const [lo, hi] = LIMITS[key];
    return (
      <NumberField
        label={label}
        value={config[key]}
        min={lo}
        max={hi}
        step={decimal ? 0.0001 : 1}
        decimal={decimal}
        disabled={disabled}
        testId={`train-${key}`}
        onCommit={(v) => {
          if (!(v >= lo && v <= hi) || (!decimal && !Number.isInteger(v))) return t('train.range', { field: label, lo, hi });
          setConfig({ ...config, [key]: v });
          return null;
        }}
      />
    );
  };
  const sizeSelect = (key: 'nLayers' | 'nHeads' | 'dModel', label: string, options: number[]) => (
    <label className="al-field">
      <span className="al-label">{label}</span>
      <select
        value={config.size[key]}
        disabled={disabled}
        data-testid={`train-${key}`}
        onChange={(e) => setConfig({ ...config, size: { ...config.size, [key]: Number(e.target.value) } })}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="al-train-settings">
      <fieldset className="al-group" disabled={disabled}>
        <legend>{t('train.task')}</legend>
        {TASK_NAMES.map((task) => (
          <label key={task} className="al-radio">
            <input type="radio" name="al-train-task" value={task} checked={config.task === task} data-testid={`train-task-${task}`} onChange={() => setConfig({ ...config, task })} />
            <span>
              <span className="al-radio-label">{t(`train.task.${task}`)}</span>
              <span className="al-hint">{t(`train.task.${task}.hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="al-train-grid">
        {sizeSelect('nLayers', t('train.layers'), LAYERS)}
        {sizeSelect('nHeads', t('train.heads'), HEADS)}
        {sizeSelect('dModel', t('train.dModel'), D_MODELS)}
        {number('steps', t('train.steps'))}
        {number('lr', t('train.lr'), true)}
        {number('batch', t('train.batch'))}
        {number('seed', t('train.seed'))}
        {number('snapshotEvery', t('train.snapshotEvery'))}
      </div>
      <p className="al-hint" data-testid="train-size">
        {t('train.size', {
          layers: arch.nLayers,
          heads: arch.nHeads,
          dModel: arch.dModel,
          dHead: arch.dHead,
          context: arch.context,
          params: parameterCount(arch).toLocaleString(),
        })}
      </p>
    </div>
  );
}

function Controls({ config, text }: { config: TrainConfig; text: string }) {
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

/** Every head's A of one snapshot as layers × heads thumbnails (memoised per snapshot: the thumbnails repaint only when it changes). */
function SnapshotGrid({ snap }: { snap: ShownSnapshot }) {
  const t = useT();
  const palette = usePrefs((s) => s.palette);
  const [picked, setPicked] = useState<{ layer: number; head: number } | null>(null);
  const n = snap.tokens.length;
  const matrices = useMemo(() => snap.A.map((layer) => layer.map((data): Matrix => ({ rows: n, cols: n, data }))), [snap, n]);
  const big = picked && matrices[picked.layer]?.[picked.head];
  return (
    <div className="al-train-snapshot" data-testid="train-snapshot" data-step={snap.step} data-checksum={snap.checksum}>
      <div className="al-train-heads" role="group" aria-label={t('train.snapshot.grid', { step: snap.step })}>
        {matrices.map((layer, l) => (
          <div key={l} className="al-train-layer">
            <span className="al-train-layer-label">{t('train.layer', { l: l + 1 })}</span>
            {layer.map((A, h) => (
              <HeadThumbnail
                key={h}
                matrix={A}
                size={64}
                palette={palette}
                title={t('train.headTitle', { l: l + 1, h: h + 1 })}
                caption={t('train.headCaption', { h: h + 1 })}
                selected={picked?.layer === l && picked.head === h}
                onClick={() => setPicked(picked?.layer === l && picked.head === h ? null : { layer: l, head: h })}
              />
            ))}
          </div>
        ))}
      </div>
      {big && picked && (
        <div className="al-train-big">
          <HeadThumbnail
            matrix={big}
            size={200}
            palette={palette}
            title={t('train.headTitle', { l: picked.layer + 1, h: picked.head + 1 })}
            selected
            onClick={() => setPicked(null)}
          />
          <p className="al-hint">{t('train.bigHint')}</p>
        </div>
      )}
      <p className="al-train-tokens" aria-label={t('train.tokens')}>
        {snap.tokens.map((tok, i) => (
          <span key={i} className="al-train-token">
            {tok}
          </span>
        ))}
      </p>
      {snap.cut && <p className="al-hint" data-testid="train-cut">{t('train.cut', { n })}</p>}
    </div>
  );
}

function Snapshots({ text }: { text: string }) {
  const t = useT();
  const snapshots = useTrain((s) => s.snapshots);
  const selectedStep = useTrain((s) => s.selectedStep);
  const status = useTrain((s) => s.status);
  const [playing, setPlaying] = useState(false);
  const snap = snapshotAt(snapshots, selectedStep);
  const index = snap ? snapshots.indexOf(snap) : 0;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const { snapshots: list, selectedStep: sel } = trainStore.getState();
      const cur = snapshotAt(list, sel);
      const i = cur ? list.indexOf(cur) : list.length - 1;
      if (i >= list.length - 1) {
        setPlaying(false);
        trainActions.select(null);
      } else trainActions.select(list[i + 1].step);
    }, PLAY_FRAME_MS);
    return () => clearInterval(timer);
  }, [playing]);

  if (status === 'idle' && snapshots.length === 0) return null;
  return (
    <section className="al-train-snapshots" aria-label={t('train.snapshots')}>
      <h3 className="al-train-h3">{t('train.snapshots')}</h3>
      {text.length === 0 && <p className="al-hint">{t('train.noText')}</p>}
      {snap && (
        <>
          <div className="al-train-row">
            <label className="al-train-scrub">
              <span data-testid="train-scrub-label">{t('train.scrub', { step: snap.step })}</span>
              <input
                type="range"
                min={0}
                max={Math.max(0, snapshots.length - 1)}
                step={1}
                value={index}
                data-testid="train-scrubber"
                aria-valuetext={t('train.scrub', { step: snap.step })}
                onChange={(e) => {
                  const i = Number(e.target.value);
                  setPlaying(false);
                  // The right end follows the newest snapshot.
                  trainActions.select(i >= snapshots.length - 1 ? null : snapshots[i].step);
                }}
              />
            </label>
            <button
              type="button"
              className="al-button al-small"
              data-testid="train-play"
              disabled={snapshots.length < 2}
              onClick={() => {
                if (!playing && index >= snapshots.length - 1) trainActions.select(snapshots[0].step);
                setPlaying(!playing);
              }}
            >
              {playing ? t('train.stop') : t('train.play')}
            </button>
          </div>
          <SnapshotGrid snap={snap} />
        </>
      )}
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
      <Settings config={config} setConfig={setConfig} disabled={busy} />
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
      <Snapshots text={text} />
      <ModelActions />
    </div>
  );
}

