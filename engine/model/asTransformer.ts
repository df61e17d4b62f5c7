// The shipped character model behind the TransformerModel interface (ablation, logit lens and the command
// line's flags then work on it as on checkpoints). Its weights are wrapped, not converted: the attention
// matrices are the LoadedModel's own; norms, MLP and embeddings become resident tensors.
import { ensureBackend, tf } from '../backend.ts';
import { createTransformerModel } from '../transformer/model.ts';
import type { Net, Norm, TransformerModel } from '../transformer/types.ts';
import type { LoadedModel, LayerNormWeights } from './load.ts';

/** `source` names the model in messages (e.g. the manifest's path). */
export async function charModelAsTransformer(model: LoadedModel, source: string): Promise<TransformerModel> {
  await ensureBackend();
  const { arch } = model;
  const tensors: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    tensors.push(t);
    return t;
  };
  const vec = (a: Float32Array) => keep(tf.tensor1d(a));
  const mat = (m: { rows: number; cols: number; data: ArrayLike<number> }) => keep(tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]));
  /** A d_in×d_out matrix, resident as d_out×d_in (the MLP's orientation, see Mlp). */
  const matT = (m: { rows: number; cols: number; data: ArrayLike<number> }) => keep(tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols])) as tf.Tensor2D));
  const norm = (w: LayerNormWeights): Norm => ({ kind: 'layernorm', gain: vec(w.gain), bias: vec(w.bias), eps: arch.layerNormEps });
  const net: Net = {
    info: {
      type: 'char-transformer',
      name: model.manifest.name,
      layers: arch.nLayers,
      heads: arch.nHeads,
      kvHeads: arch.nHeads,
      kvHeadOfHead: Array.from({ length: arch.nHeads }, (_, k) => k),
      dModel: arch.dModel,
      dHead: arch.dHead,
      dMlp: arch.dMlp,
      vocab: arch.vocabSize,
      context: arch.context,
      norm: 'layernorm',
      positional: 'learned',
      mlp: arch.activation,
      parameters: model.parameterCount,
      dtypes: ['F32'],
      causal: true,
      predicts: 'next-token',
      typeVocab: 0,
      blockNorm: 'pre',
    },
    embedding: mat(model.tokEmb),
    positions: mat(model.posEmb),
    rotary: null,
    scale: null,
    blocks: model.layers.map((layer) => ({
      norm1: norm(layer.ln1),
      heads: layer.heads,
      Wo: layer.Wo,
      bo: null,
      norm2: norm(layer.ln2),
      mlp: { kind: arch.activation, up: matT(layer.W1), upBias: vec(layer.b1), gate: null, gateBias: null, down: matT(layer.W2), downBias: vec(layer.b2) },
    })),
    normF: norm(model.lnF),
    unembed: { table: mat(model.unembedW), vocabRows: false },
    unembedBias: vec(model.unembedB),
    attentionWeights: new Map(),
    vocabSource: `${source}: architecture.vocabSize`,
  };
  return createTransformerModel(net, tensors);
}
