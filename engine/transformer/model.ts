// A Net behind the TransformerModel interface the app, the worker and the command line use.
import type { tf } from '../backend.ts';
import { forwardNet, layerAttention } from './forward.ts';
import type { Net, TransformerModel } from './types.ts';

/** Wraps a Net; `tensors` are the resident tensors dispose() frees (each once, even when shared). */
export function createTransformerModel(net: Net, tensors: tf.Tensor[]): TransformerModel {
  let disposed = false;
  return {
    info: net.info,
    net,
    forward(ids, options) {
      if (disposed) return Promise.reject(new Error(`model ${net.info.name} has been disposed`));
      return forwardNet(net, ids, options);
    },
    attention(layer, residual, ablate, attentionMask, positionOffset) {
      if (disposed) return Promise.reject(new Error(`model ${net.info.name} has been disposed`));
      return layerAttention(net, layer, residual, ablate, attentionMask, positionOffset);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of new Set([...tensors, ...net.attentionWeights.values()])) t.dispose();
      net.attentionWeights.clear();
    },
  };
}
