// What both peer comparisons (bench/peer.ts in Node, bench/peerBrowser.ts in a page) run and compare, with no
// Node or DOM imports, so that Node's child processes and the page's workers share it: a forward pass of each
// side with all attention maps read back, and the check that two sides' maps agree.
import type * as Ort from 'onnxruntime-web';
import type { TransformerModel } from '../engine/transformer/types.ts';

/** One forward pass: the maps in layer, head order and the last position's logits, as JS typed arrays. */
export type Forward = (ids: number[]) => Promise<{ maps: Float32Array[]; logits: Float32Array }>;

/** Attention Lab's side: the engine's forward pass (the one the app's compute worker runs), keeping every map. */
export function oursForward(model: TransformerModel): Forward {
  return async (ids) => {
    const r = await model.forward(ids, { keep: 'attention' });
    return { maps: r.layers.flatMap((l) => l.attention.map((A) => A.data as Float32Array)), logits: r.logits! };
  };
}

export interface OrtSide {
  forward: Forward;
  /** The threads onnxruntime-web runs on, read back after the session started (it drops to 1 where it cannot run threads). */
  threads: number;
  version: string;
}

/**
 * onnxruntime-web's side: the graph of bench/peerGraph.py on the wasm execution provider with
 * `numThreads` threads, graph optimisation "all". `ort` is the package's module (Node's build or the page's).
 */
export async function ortSide(ort: typeof Ort, graph: Uint8Array, threads: number): Promise<OrtSide> {
  ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(graph, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const layers = session.outputNames.filter((name) => name.startsWith('attention_')).length;
  const forward: Forward = async (ids) => {
    const input = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]);
    const out = await session.run({ input_ids: input });
    const maps: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      const t = out[`attention_${l}`];
      const [, h, n] = t.dims;
      const data = t.data as Float32Array;
      for (let k = 0; k < h; k++) maps.push(data.subarray(k * n * n, (k + 1) * n * n));
    }
    return { maps, logits: out.logits.data as Float32Array };
  };
  return { forward, threads: Number(ort.env.wasm.numThreads), version: ort.env.versions.web ?? '' };
}

/** A run's numbers in one array: the maps (layer by layer, head by head), then the logits. */
export function flatten({ maps, logits }: Awaited<ReturnType<Forward>>): Float32Array {
  const out = new Float32Array(maps.reduce((s, m) => s + m.length, logits.length));
  let at = 0;
  for (const a of [...maps, logits]) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Largest difference allowed between two sides' attention probabilities. */
export const TOLERANCE = 1e-4;

export interface Agreement {
  /** Largest |Δ| over every map, and over the logits. */
  maps: number;
  logits: number;
}

/** How far `theirs` is from `reference` (both flattened; the first `mapsLength` numbers are the maps). */
export function agreement(reference: Float32Array, theirs: Float32Array, mapsLength: number): Agreement {
  if (theirs.length !== reference.length) throw new Error(`a side returned ${theirs.length} numbers, ours ${reference.length}`);
  return { maps: maxDiff(reference, theirs, 0, mapsLength), logits: maxDiff(reference, theirs, mapsLength, reference.length) };
}

function maxDiff(a: Float32Array, b: Float32Array, from: number, to: number): number {
  let m = 0;
  // NaN on either side must count as a disagreement, which Math.max alone would not guarantee.
  for (let k = from; k < to; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
