// Training in small steps: the loss falls, a seed reproduces a run, tf memory stays flat, and the packed
// weights load like any model and run through the engine's forward.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend, tf } from '../backend.ts';
import { loadModel } from './load.ts';
import { modelForward } from './forward.ts';
import { tokenizeForModel } from './tokenize.ts';
import { taskExample, trainArchitecture } from './tasks.ts';
import { createTrainer } from './trainer.ts';

beforeAll(async () => {
  await ensureBackend();
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('createTrainer', () => {
  it('40 steps of copy lower the loss well below the first steps’, without growing tf memory; the same seed repeats the run', () => {
    const run = () => {
      const trainer = createTrainer({ task: 'copy', seed: 5, lr: 3e-3, batch: 16 });
      const losses: number[] = [];
      let tensorsAfter2 = 0;
      try {
        for (let i = 0; i < 40; i++) {
          losses.push(trainer.step());
          if (i === 1) tensorsAfter2 = tf.memory().numTensors; // Adam's moments exist from the first step on
        }
        expect(tf.memory().numTensors).toBe(tensorsAfter2);
        expect(trainer.stepCount).toBe(40);
      } finally {
        trainer.dispose();
      }
      return losses;
    };
    const before = tf.memory().numTensors;
    const losses = run();
    expect(tf.memory().numTensors).toBe(before); // dispose() frees the variables and Adam's state
    expect(losses.every(Number.isFinite)).toBe(true);
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(first).toBeGreaterThan(3.5); // about log(97): nothing learned yet
    expect(last).toBeLessThan(0.85 * first);
    expect(run()).toEqual(losses);
  });

  it('packs weights that loadModel accepts and modelForward runs (the engine’s attention, on the task’s input)', async () => {
    const trainer = createTrainer({ task: 'reverse', seed: 2, lr: 3e-3, batch: 4, arch: { nLayers: 1, nHeads: 2, dModel: 16 } });
    try {
      trainer.step();
      trainer.step();
      const { manifest, bytes } = trainer.pack('reverse-test');
      expect(manifest.architecture).toEqual(trainArchitecture({ nLayers: 1, nHeads: 2, dModel: 16 }));
      expect(manifest.training).toMatchObject({ task: 'reverse', seed: 2, steps: 2 });
      const model = loadModel(JSON.parse(JSON.stringify(manifest)), bytes);
      const weights = trainer.weights();
      for (const [name, data] of model.tensors) expect(data).toEqual(weights.get(name));

      const ids = tokenizeForModel(model, taskExample('reverse', 1)).ids;
      const fw = await modelForward(model, ids);
      expect(fw.layers).toHaveLength(1);
      const A = fw.layers[0].result.heads[1].A;
      expect(A.rows).toBe(ids.length);
      for (let i = 0; i < A.rows; i++) {
        let s = 0;
        for (let j = 0; j < A.cols; j++) s += A.data[i * A.cols + j];
        expect(s).toBeCloseTo(1, 5);
      }
      // loadedModel() is the same model.
      expect((await modelForward(trainer.loadedModel(), ids)).logits).toEqual(fw.logits);
    } finally {
      trainer.dispose();
    }
    expect(() => trainer.step()).toThrow(/dispose/);
  });
});
