// The non-attention layers of a transformer as tfjs ops (shared by the trainer's differentiable forward
// pass and the checkpoint forward pass): row-wise norms and activations over n×d tensors.
import * as tf from '@tensorflow/tfjs';

/** LayerNorm over the last axis; `bias` may be null (RMS-free LayerNorm without a shift). */
export function layerNorm(x: tf.Tensor2D, gain: tf.Tensor, bias: tf.Tensor | null, eps: number): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const c = tf.sub(x, mean);
  const v = tf.mean(tf.square(c), -1, true);
  const scaled = tf.mul(tf.mul(c, tf.rsqrt(tf.add(v, eps))), gain);
  return (bias ? tf.add(scaled, bias) : scaled) as tf.Tensor2D;
}

/** RMSNorm (Llama): x / √(mean(x²) + eps) · gain. */
export function rmsNorm(x: tf.Tensor2D, gain: tf.Tensor, eps: number): tf.Tensor2D {
  const ms = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), gain) as tf.Tensor2D;
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU in the tanh form (GPT-2's gelu_new): 0.5·x·(1 + tanh(c·(x + 0.044715·x³))), computed as the equal
 * x·σ(2c·x·(1 + 0.044715·x²)) because tfjs-wasm's Tanh kernel is ~3× slower than its Sigmoid (measured:
 * 224 ms vs 40 ms for GPT-2 small's 12 MLP activations at n = 128; results agree to 5e-7).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, tf.add(tf.mul(tf.square(x), 2 * GELU_C * 0.044715), 2 * GELU_C))));
}

/** GELU, exact (erf) form. */
export function geluErf(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** SiLU (swish): x·σ(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}
