// Shapes shared by the engine, the worker, the store and the views.
// Everything here is plain data so it can cross a worker boundary (structured clone / transfer).

export type Floats = Float32Array | Float64Array;

/** Row-major dense matrix: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Floats;
}

export interface HeadWeights {
  Wq: Matrix; // d×dk
  Wk: Matrix; // d×dk
  Wv: Matrix; // d×dv
  /** Optional biases added after the projections (lengths d_k, d_k, d_v), as in GPT-2 and Qwen2. */
  bq?: Floats | null;
  bk?: Floats | null;
  bv?: Floats | null;
}

/** How an ablated head's z is replaced before the output projection: by zeros, or by its mean over positions. */
export type HeadAblation = 'zero' | 'mean';

/**
 * Rotary position embedding (RoPE, the rotate-half form of GPT-NeoX and Hugging Face Llama) applied to
 * Q and K after the projection: the first `dims` (even, ≤ d_k) coordinates of the row at position p are
 * rotated in pairs (t, t + dims/2) by the angle p·theta^(−2t/dims); the rest pass through.
 */
export interface RotaryConfig {
  dims: number;
  theta: number;
}

/** A validated, numeric attention problem (the engine's only input). */
export interface AttentionInput {
  X: Matrix; // n×d
  heads: HeadWeights[];
  /** (h·dv)×dOut output projection, or null for none (the article's convention). */
  Wo: Matrix | null;
  /** Multiplies QKᵀ. null means 1/√dk. */
  scale: number | null;
  causal: boolean;
  /** Per-key weights w_j ≥ 0 (length n) multiplying exp(score_ij); null means all 1. */
  keyWeights: Floats | null;
  /** Optional output bias added after W^O (length dOut); needs Wo. */
  bo?: Floats | null;
  /** Optional rotary position embedding of Q and K (positions offset…offset+n−1, see positionOffset). */
  rotary?: RotaryConfig | null;
  /**
   * The position of row 0 for the rotary embedding (a whole number ≥ 0; absent: 0). Row p is rotated as
   * position offset + p: a token appended to a KV cache, or a whole text read later in a longer one.
   * Without rotary it changes nothing (learned positions are added to X before attention).
   */
  positionOffset?: number | null;
  /**
   * Causal local attention (GPT-Neo's local layers): key j is seen by query i only when
   * i − window < j ≤ i. A positive whole number; needs causal. null or absent: plain causal.
   */
  window?: number | null;
  /** Optional per-head ablation (length h; null = untouched): changes the concatenated Z and out, not the head's own A or Z. */
  ablate?: (HeadAblation | null)[] | null;
}

export interface HeadResult {
  Q: Matrix; // n×dk
  K: Matrix; // n×dk
  V: Matrix; // n×dv
  scores: Matrix; // n×n, scale·QKᵀ before any mask or weight
  A: Matrix; // n×n
  Z: Matrix; // n×dv
  /** With rotary: Q and K before the rotation (Q and K above are rotated, and give the scores). */
  Qpre?: Matrix;
  Kpre?: Matrix;
}

export interface EngineWarning {
  code: 'empty-rows';
  /** Query rows with no admissible key: their A and Z rows are zero. */
  rows: number[];
  message: string;
}

/** One layer's engine input and result (seeded and case sources have one layer). */
export interface AttentionResult {
  heads: HeadResult[];
  Z: Matrix; // n×(h·dv)
  out: Matrix | null; // n×dOut
  /** The scale actually used. */
  scale: number;
  warnings: EngineWarning[];
  /** Which implementation produced it: 'wasm' | 'webgl' | 'cpu' | 'reference'. */
  backend: string;
}

/** The JSON case format of the command line, import and export (matrices as arrays of rows). */
export interface CaseJson {
  X: number[][];
  heads: { Wq: number[][]; Wk: number[][]; Wv: number[][] }[];
  Wo?: number[][] | null;
  scale?: number | null;
  causal?: boolean;
  keyWeights?: number[] | null;
  /** A local window on the causal mask: query i sees keys i − window < j ≤ i (needs causal); null or absent: none. */
  window?: number | null;
  /** Ignored by the engine; the app keeps token labels here. */
  tokens?: string[];
  /** Ignored by the engine; the app keeps the Steps view's online-softmax tile size B here. */
  tile?: number | null;
}

export interface HeadResultJson {
  Q: number[][];
  K: number[][];
  V: number[][];
  scores: number[][];
  A: number[][];
  Z: number[][];
}

export interface ResultJson {
  heads: HeadResultJson[];
  Z: number[][];
  out: number[][] | null;
}
