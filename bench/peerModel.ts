// The model both peer comparisons run (bench/peer.ts in Node, bench/peerBrowser.ts in Chromium), its inputs and
// how their rounds are ordered and compared: a GPT-2-small-shaped fp16 checkpoint with random weights
// (bench/gpt2SmallCheckpoint.ts) in a temporary folder, and the ONNX graph PyTorch exports from the same
// weights (bench/peerGraph.py). Without a python3 that imports torch and onnx there is no graph, and the
// benches skip the peer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GPT2_SMALL } from './gpt2SmallCheckpoint.ts';
import { median } from './stats.ts';

export { GPT2_SMALL };

export const SKIPPED = 'peer comparison skipped: it needs a python3 that imports torch and onnx to build the ONNX graph (Debian: apt-get install python3-torch python3-onnx)';

/** The ids of a run of n tokens: (7919·i + 13) mod vocab, the same for every side. */
export const peerIds = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919 + 13) % GPT2_SMALL.vocab_size);

/** The numbers of the maps in a flattened run (bench/peerFixture.ts's `flatten`) at n tokens. */
export const mapsLength = (n: number) => GPT2_SMALL.n_layer * GPT2_SMALL.n_head * n * n;

export interface PeerModel {
  /** The checkpoint folder (config.json, model.safetensors in F16). */
  dir: string;
  /** The ONNX graph of the same weights (float32), inside `dir`. */
  graph: string;
  /** Deletes the folder. */
  remove(): void;
}

/** A python3 that imports torch and onnx, or null. */
function findPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

const MB = 1e6;

/** Writes the checkpoint and exports its graph into a new temporary folder; null (nothing written) without PyTorch. */
export function makePeerModel(): PeerModel | null {
  const python = findPython();
  if (!python) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peer-bench-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const gen = spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'gpt2SmallCheckpoint.ts'), '--write', dir], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error('could not write the benchmark checkpoint');
    const graph = path.join(dir, 'gpt2.onnx');
    const t0 = performance.now();
    const exported = spawnSync(python, ['-W', 'ignore', path.join(import.meta.dirname, 'peerGraph.py'), dir, graph], { stdio: 'inherit' });
    if (exported.status !== 0) throw new Error('the ONNX export failed (bench/peerGraph.py)');
    console.log(`ONNX graph exported in ${((performance.now() - t0) / 1000).toFixed(2)} s: ${(statSync(graph).size / MB).toFixed(0)} MB (float32), checkpoint ${(statSync(path.join(dir, 'model.safetensors')).size / MB).toFixed(0)} MB (fp16)`);
    return { dir, graph, remove };
  } catch (e) {
    remove();
    throw e;
  }
}

/** Round r's order of the sides: A B C, then C B A, … (a change in the machine's load hits every side alike). */
export const roundOrder = <T>(sides: T[], r: number): T[] => (r % 2 === 0 ? sides : [...sides].reverse());

/** Median over rounds of the peer's time ÷ ours in the same round (above 1: Attention Lab is faster). */
export const pairedRatio = (peer: number[], ours: number[]) => median(peer.map((t, r) => t / ours[r]));
