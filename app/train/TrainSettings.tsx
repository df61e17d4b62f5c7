// The Train panel's settings: the task, the model's size and the optimiser's numbers.
import { parameterCount } from '../../engine/model/format.ts';
import { TASK_NAMES, trainArchitecture } from '../../engine/model/tasks.ts';
import { useT } from '../../i18n/react.ts';
import { NumberField } from '../../input/NumberField.tsx';
import type { TrainConfig } from '../../compute/trainProtocol.ts';

const LAYERS = [1, 2, 3, 4];
const HEADS = [1, 2, 3, 4];
const D_MODELS = [16, 32, 64];

const LIMITS = {
  steps: [1, 20000],
  lr: [1e-5, 0.1],
  batch: [1, 64],
  seed: [0, 999999],
  snapshotEvery: [1, 1000],
} as const;

type NumericSetting = keyof typeof LIMITS;

export interface TrainSettingsProps {
  /** The settings shown. */
  config: TrainConfig;
  /** A setting changed. */
  setConfig: (c: TrainConfig) => void;
  /** Not editable (while a run is going). */
  disabled: boolean;
}

export function TrainSettings({ config, setConfig, disabled }: TrainSettingsProps) {
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

