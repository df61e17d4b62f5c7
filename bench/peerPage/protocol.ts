// Messages between the bench page (main.ts) and one side's worker (side.worker.ts).

export type SideKind = 'ours' | 'ort';

export type ToSide =
  /** Load the model: ours from the checkpoint folder at `model`, onnxruntime-web from `model` + 'gpt2.onnx' with its module at `ort`. */
  | { type: 'load'; kind: SideKind; threads: number; model: string; ort: string }
  /** A forward pass of `ids`; with `keep`, the numbers come back (flattened: the maps, then the logits). */
  | { type: 'run'; ids: number[]; keep: boolean }
  /** Ours only: a forward pass under tf.profile. */
  | { type: 'profile'; ids: number[] };

export interface Loaded {
  type: 'ready';
  loadMs: number;
  /** What actually runs, e.g. "tfjs wasm, 2 threads". */
  runtime: string;
  /** The threads the runtime reports it runs on, read back after it started. */
  threads: number;
}

export interface Ran {
  type: 'done';
  /** The forward pass with every map read back into JS typed arrays, timed in the worker. */
  ms: number;
  numbers?: Float32Array;
}

/** Where a forward pass's time went, from tf.profile's kernel timings. */
export interface Profiled {
  type: 'profiled';
  /** The profiled forward pass, whole. */
  ms: number;
  /** Per tfjs kernel name: its calls and their summed time. */
  kernels: Record<string, { calls: number; ms: number }>;
  /** The matrix products by shape ("m×k·k×n", batch × when batched): calls, summed time, floating-point operations. */
  products: Record<string, { calls: number; ms: number; flops: number }>;
}

export type FromSide = Loaded | Ran | Profiled | { type: 'error'; message: string };
