// What the user configures (tokens, sizes, mechanism, masks) and how it becomes an AttentionInput.
import type { AttentionInput } from './types.ts';

export type Mechanism = 'self' | 'weighted' | 'multi';
/** 'article': h heads of d×d, scale 1/√d, Z = concat (n×dh), no W^O. 'standard': d_k = d/h, scale 1/√d_k, W^O. */
export type Convention = 'article' | 'standard';
export type TokenizeMode = 'words' | 'chars';

export interface Scenario {
  tokens: string[];
  mechanism: Mechanism;
  convention: Convention;
  seed: number;
  d: number;
  /** Number of heads; forced to 1 unless mechanism is 'multi'. */
  h: number;
  /** Head size for the standard convention; null means d/h. Ignored by the article's convention (d_k = d). */
  dk: number | null;
  causal: boolean;
  /** Per-key weights w_j ≥ 0, used when mechanism is 'weighted' (length n; missing entries mean 1). */
  keyWeights: number[];
  /** Per-token padding flags: a padded key gets w_j = 0 under every mechanism. */
  padding: boolean[];
  /** Sparse edits from the matrix editor, keyed by path: "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]". */
  overrides: Record<string, number>;
}

export type { AttentionInput };
