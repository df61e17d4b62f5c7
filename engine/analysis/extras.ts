// What a model run gives the views besides attention (plain data: it crosses the worker boundary).
import type { Matrix } from '../types.ts';

/** A token and its probability. */
export interface TokenChance {
  token: string;
  p: number;
}

/** The second input in one layer: A per head, and the scores per head when it is a shifted reading (else null). */
export interface CompareLayer {
  heads: Matrix[];
  scores: Matrix[] | null;
}

/** What a model run adds to the attention: predictions, lens, rollout, ablation and the second input. */
export interface ModelExtras {
  /** The position predictions, lens and ablation are read at. */
  position: number;
  /**
   * The top 10 tokens the model predicts there — the next token (a decoder) or the token at the position (an
   * encoder's masked-LM head) — of the model as shown (ablated when heads are ablated); empty without a head.
   */
  predictions: TokenChance[];
  /** Per layer, the top 5 of the logit lens there (the last row is `predictions`' top 5); empty without a head. */
  lens: TokenChance[][];
  /** Sentence A (0) or B (1) of each token of a sentence pair (an encoder's); null without a second sentence. */
  segments: number[] | null;
  /** The tokens the tokenizer framed the text with ([CLS], [SEP], <s>, </s>), which the pictures may hide; null: none. */
  frame: boolean[] | null;
  /** Attention rollout after each layer, n×n (float32 on long inputs). */
  rollout: Matrix[];
  /** Before and after the ablation (null when nothing is ablated). */
  ablation: { before: TokenChance[]; after: TokenChance[]; target: string; deltaLogp: number; kl: number } | null;
  /**
   * The second input: its tokens and A of each head in `layer` (the layer shown in full). With `shift` > 0 it
   * was read from position `shift` on (the position-shift experiment), and its heads' scores come too.
   */
  compare: ({ text: string; tokens: string[]; layer: number; shift: number } & CompareLayer) | null;
  /** Per layer, its local-attention window (GPT-Neo's local layers: a query sees the last `window` tokens); null: all before it. */
  windows: (number | null)[];
  /** kvHeadOfHead[k]: the key/value head query head k shares (grouped-query attention). */
  kvHeadOfHead: number[];
  /** The model rotates q and k (RoPE): the detail layer's heads carry Qpre and Kpre. */
  rotary: boolean;
}
