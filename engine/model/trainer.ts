// Trains a small character transformer on a task, one step at a time, with the training forward of
// train.ts and Adam. The caller owns the loop (a Web Worker yields between steps; scripts/train-model.ts
// adds its curriculum, schedule, evaluation and checkpoints around it), and reads the weights back as a
// packed model whose attention the engine computes (loadedModel → modelForward), so snapshots show the
// same attention as every other view.
import * as tf from '@tensorflow/tfjs';
import { asciiVocabulary, packModel, parameterCount, tensorSpecs, type ModelArchitecture, type ModelManifest } from './format.ts';
import { loadModel, type LoadedModel } from './load.ts';
import { taskSampler, trainArchitecture, type ArchSize, type Batch, type TaskName } from './tasks.ts';
import { initWeights, weightedLoss, type ForwardOptions, type Params } from './train.ts';

export interface TrainerOptions {
  task: TaskName;
  arch?: Partial<ArchSize>;
  seed: number;
  /** Adam's learning rate (after a short linear warm-up). */
  lr: number;
  /** Rows of `context` characters per step. */
  batch: number;
  /** The text of the corpus task. */
  corpusText?: string;
  /** The batch of each step (default: the task's sampler). */
  sample?: (step: number) => Batch;
  /** The learning rate of each step (default: a linear warm-up to `lr` over the first steps). */
  learningRate?: (step: number) => number;
  /** How the loss's gradients are computed (train.ts). */
  forward?: ForwardOptions;
}

export interface Trainer {
  readonly arch: ModelArchitecture;
  /** Characters per step (batch × context). */
  readonly tokensPerStep: number;
  /** One Adam step on a fresh batch; returns that batch's weighted mean loss (nats per character). */
  step(): number;
  readonly stepCount: number;
  /** The weights being trained, by tensor name (read them, do not dispose them). */
  readonly params: Params;
  weights(): Map<string, Float32Array>;
  /** The current weights as a model file (manifest + little-endian float32 bytes). */
  pack(name: string): { manifest: ModelManifest; bytes: Uint8Array };
  /** The current weights loaded as the visualisation loads any model. */
  loadedModel(): LoadedModel;
  dispose(): void;
}

/** Steps over which the learning rate rises linearly to `lr`: Adam's first steps are otherwise too large. */
const WARMUP_STEPS = 10;

function defaultSampler(opts: TrainerOptions, context: number): (step: number) => Batch {
  const sample = taskSampler({ task: opts.task, B: opts.batch, T: context, seed: opts.seed, corpusText: opts.corpusText });
  return () => sample();
}

export function createTrainer(opts: TrainerOptions): Trainer {
  const arch = trainArchitecture(opts.arch);
  const sample = opts.sample ?? defaultSampler(opts, arch.context);
  const learningRate = opts.learningRate ?? ((step: number) => (opts.lr * Math.min(step + 1, WARMUP_STEPS)) / WARMUP_STEPS);
  const init = initWeights(arch, opts.seed);
  const vars: Params = {};
  for (const s of tensorSpecs(arch)) {
    const value = tf.tensor(init.get(s.name)!, s.shape, 'float32');
    vars[s.name] = tf.variable(value, true);
    value.dispose(); // the variable keeps the data
  }
  const optimizer = tf.train.adam(opts.lr, 0.9, 0.99, 1e-8);
  let steps = 0;
  let disposed = false;

  const alive = () => {
    if (disposed) throw new Error('trainer: used after dispose()');
  };

  const weights = () => {
    alive();
    const out = new Map<string, Float32Array>();
    for (const s of tensorSpecs(arch)) out.set(s.name, vars[s.name].dataSync() as Float32Array);
    return out;
  };

  const pack = (name: string) =>
    packModel(arch, asciiVocabulary(), weights(), {
      name,
      description: `A ${arch.nLayers}×${arch.nHeads}-head character transformer trained in the browser on the "${opts.task}" task.`,
      file: `${name}.bin`,
      training: {
        script: 'engine/model/trainer.ts',
        framework: `@tensorflow/tfjs ${tf.version.tfjs}`,
        backend: tf.getBackend(),
        task: opts.task,
        seed: opts.seed,
        steps,
        batchSize: opts.batch,
        tokensPerStep: opts.batch * arch.context,
        optimizer: { name: 'adam', learningRate: opts.lr, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, warmupSteps: WARMUP_STEPS },
        parameters: parameterCount(arch),
      },
      data: opts.task === 'corpus' ? { task: opts.task, corpusCharacters: Array.from(opts.corpusText ?? '').length } : { task: opts.task },
      date: new Date().toISOString(),
    });

  return {
    arch,
    tokensPerStep: opts.batch * arch.context,
    get stepCount() {
      return steps;
    },
    params: vars,
    step() {
      alive();
      // tfjs reads the optimizer's learningRate field on every update.
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate(steps);
      const b = sample(steps);
      const x = tf.tensor2d(b.x, [b.B, b.T], 'int32');
      const y = tf.tensor2d(b.y, [b.B, b.T], 'int32');
      const w = tf.tensor2d(b.w, [b.B, b.T], 'float32');
      try {
        const loss = optimizer.minimize(() => weightedLoss(vars, x, y, w, arch, opts.forward), true)!;
        const value = loss.dataSync()[0];
        loss.dispose();
        if (!Number.isFinite(value)) throw new Error(`trainer: the loss became ${value} at step ${steps} (try a smaller learning rate)`);
        steps++;
        return value;
      } finally {
        tf.dispose([x, y, w]);
      }
    },
    weights,
    pack,
    loadedModel() {
      const { manifest, bytes } = pack('snapshot');
      return loadModel(manifest, bytes);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      optimizer.dispose();
      tf.dispose(Object.values(vars));
    },
  };
}
