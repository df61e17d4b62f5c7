// The training script's measurements: the loss on held-out text and on induction probes.
import * as tf from '@tensorflow/tfjs';
import type { ModelArchitecture } from '../../engine/model/format.ts';
import { forwardLogits, tokenNll, type Params } from '../../engine/model/train.ts';
import { makeInductionProbe } from '../../engine/headScores.ts';

/** Mean NLL (nats) of the model over evaluation windows, in batches of `bs`. */
export async function evaluate(p: Params, arch: ModelArchitecture, win: { x: Int32Array; y: Int32Array; count: number }, bs = 64): Promise<number> {
  const T = arch.context;
  let total = 0;
  for (let s = 0; s < win.count; s += bs) {
    const B = Math.min(bs, win.count - s);
    const sum = tf.tidy(() => {
      const x = tf.tensor2d(win.x.subarray(s * T, (s + B) * T), [B, T], 'int32');
      const y = tf.tensor2d(win.y.subarray(s * T, (s + B) * T), [B, T], 'int32');
      return tf.sum(tokenNll(forwardLogits(p, x, arch), y, arch.vocabSize));
    });
    total += (await sum.data())[0];
    sum.dispose();
  }
  return total / (win.count * T);
}

/**
 * Induction probes for monitoring: `count` sequences of context/2 uniformly random printable characters,
 * each repeated once (engine/headScores.ts makeInductionProbe), as one B×T batch.
 */
export function inductionProbes(arch: ModelArchitecture, alphabet: number[], count: number): { x: Int32Array; y: Int32Array; count: number; half: number } {
  const half = Math.floor((arch.context + 1) / 2);
  const T = arch.context;
  const x = new Int32Array(count * T);
  const y = new Int32Array(count * T);
  for (let c = 0; c < count; c++) {
    const seq = makeInductionProbe(alphabet, half, 100 + c).tokens;
    for (let t = 0; t < T; t++) {
      x[c * T + t] = seq[t];
      y[c * T + t] = seq[t + 1] ?? seq[0];
    }
  }
  return { x, y, count, half };
}

/** Mean NLL on the second copy of the probes (targets at positions half+1 …), where only induction helps. */
export async function probeLoss(p: Params, arch: ModelArchitecture, probes: { x: Int32Array; y: Int32Array; count: number; half: number }): Promise<number> {
  const T = arch.context;
  const nll = tf.tidy(() =>
    tokenNll(forwardLogits(p, tf.tensor2d(probes.x, [probes.count, T], 'int32'), arch), tf.tensor2d(probes.y, [probes.count, T], 'int32'), arch.vocabSize),
  );
  const v = (await nll.data()) as Float32Array;
  nll.dispose();
  let s = 0;
  let k = 0;
  for (let c = 0; c < probes.count; c++) {
    for (let t = probes.half; t < Math.min(T, 2 * probes.half - 1); t++) {
      s += v[c * T + t];
      k++;
    }
  }
  return s / k;
}
