// The page's side of training: starts compute/train.worker.ts on first use, keeps the panel's state in a
// small store of its own (status, progress, the loss curve, snapshots of the heads' attention), and
// turns the worker's packed weights into a download or the app's model.
import { createStore, useStore as useZustandStore } from 'zustand';
import { bundleText } from '../engine/model/bundle.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import { downloadText } from '../state/download.ts';
import type { AppStore } from '../state/store.ts';
import type { FromTrainWorker, ToTrainWorker, TrainConfig, TrainErrorCode, TrainProgress, TrainSnapshot, TrainStatus } from './trainProtocol.ts';
import type { LossPoint } from '../components/train/LossChart.tsx';

/** Snapshots kept: beyond it, the steps between kept snapshots double, so they stay evenly spaced. */
const MAX_SNAPSHOTS = 200;

export interface ShownSnapshot extends TrainSnapshot {
  /** A number that changes when any attention weight changes (for tests and for telling snapshots apart). */
  checksum: number;
}

export interface TrainState {
  status: TrainStatus;
  backend: string | null;
  /** The configuration of the run on screen (null before the first start). */
  config: TrainConfig | null;
  progress: TrainProgress | null;
  losses: LossPoint[];
  snapshots: ShownSnapshot[];
  /** Steps between kept snapshots (the newest is always kept too). */
  snapshotGrid: number;
  /** The snapshot under the scrubber, by step (null: follow the latest). */
  selectedStep: number | null;
  error: { code: TrainErrorCode; detail: string } | null;
}

const INITIAL: TrainState = {
  status: 'idle',
  backend: null,
  config: null,
  progress: null,
  losses: [],
  snapshots: [],
  snapshotGrid: 1,
  selectedStep: null,
  error: null,
};

export const trainStore = createStore<TrainState>()(() => INITIAL);

export function useTrain<T>(selector: (s: TrainState) => T): T {
  return useZustandStore(trainStore, selector);
}

/** Σ (k+1)·a_k over every matrix, in float64: equal only for (almost surely) equal attention. */
function snapshotChecksum(A: Float32Array[][]): number {
  let s = 0;
  let k = 0;
  for (const layer of A) for (const head of layer) for (const a of head) s += ++k * a;
  return s;
}

/**
 * Adds a snapshot (replacing one of the same step). Kept are the snapshots on a grid of steps (multiples
 * of `grid`) and the newest one (e.g. where training was paused); when more than `max` are kept, the grid
 * doubles.
 */
function keepSnapshot(list: ShownSnapshot[], snap: ShownSnapshot, grid: number, max = MAX_SNAPSHOTS): { list: ShownSnapshot[]; grid: number } {
  let out = list.filter((s) => s.step !== snap.step && s.step % grid === 0);
  out.push(snap);
  out.sort((a, b) => a.step - b.step);
  while (out.length > max) {
    grid *= 2;
    out = out.filter((s, i) => s.step % grid === 0 || i === out.length - 1);
  }
  return { list: out, grid };
}

/** The snapshot shown for a selected step: the last one at or before it (the latest when null). */
export function snapshotAt(list: ShownSnapshot[], step: number | null): ShownSnapshot | null {
  if (list.length === 0) return null;
  if (step === null) return list[list.length - 1];
  let best = list[0];
  for (const s of list) if (s.step <= step) best = s;
  return best;
}

let worker: Worker | null = null;
/** The run on screen: messages of any other are stale (sent before a reset or a new start). */
let currentRun = 0;
let nextPackId = 1;
const packs = new Map<number, { resolve: (p: Packed) => void; reject: (e: Error) => void }>();

interface Packed {
  manifest: ModelManifest;
  bytes: Uint8Array;
}

function rejectPacks(why: string): void {
  for (const p of packs.values()) p.reject(new Error(why));
  packs.clear();
}

function onMessage(msg: FromTrainWorker): void {
  if (msg.type === 'packed') {
    packs.get(msg.id)?.resolve({ manifest: msg.manifest, bytes: msg.bytes });
    packs.delete(msg.id);
    return;
  }
  if (msg.run !== currentRun) return;
  switch (msg.type) {
    case 'status':
      trainStore.setState({ status: msg.status, backend: msg.backend });
      if (msg.status === 'idle' || msg.status === 'error') rejectPacks(msg.status);
      break;
    case 'progress': {
      const points = msg.losses.map((loss, i) => ({ step: msg.firstStep + i + 1, loss }));
      trainStore.setState((s) => ({ progress: msg.progress, losses: points.length ? s.losses.concat(points) : s.losses }));
      break;
    }
    case 'snapshot': {
      const snap: ShownSnapshot = { ...msg.snapshot, checksum: snapshotChecksum(msg.snapshot.A) };
      trainStore.setState((s) => {
        const kept = keepSnapshot(s.snapshots, snap, s.snapshotGrid);
        return { snapshots: kept.list, snapshotGrid: kept.grid };
      });
      break;
    }
    case 'error':
      trainStore.setState({ error: { code: msg.code, detail: msg.detail } });
      break;
  }
}

function send(msg: ToTrainWorker): void {
  if (!worker) {
    worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromTrainWorker>) => onMessage(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      worker?.terminate();
      worker = null;
      rejectPacks('worker failed');
      trainStore.setState({ status: 'error', error: { code: 'training', detail: e.message || 'the training worker stopped' } });
    };
  }
  worker.postMessage(msg);
}

function pack(): Promise<Packed> {
  if (!worker || !trainStore.getState().config) return Promise.reject(new Error('nothing trained yet'));
  const id = nextPackId++;
  return new Promise<Packed>((resolve, reject) => {
    packs.set(id, { resolve, reject });
    send({ type: 'pack', id });
  });
}

export const trainActions = {
  start(config: TrainConfig, text: string): void {
    rejectPacks('restarted');
    currentRun++;
    trainStore.setState({ ...INITIAL, status: 'starting', config, snapshotGrid: config.snapshotEvery, backend: trainStore.getState().backend });
    send({ type: 'start', run: currentRun, config, text });
  },
  pause(): void {
    send({ type: 'pause' });
  },
  resume(): void {
    send({ type: 'resume' });
  },
  reset(): void {
    currentRun++;
    rejectPacks('reset');
    if (worker) send({ type: 'reset' });
    trainStore.setState({ ...INITIAL, backend: trainStore.getState().backend });
  },
  /** The app's text changed (only told to a running worker). */
  setInput(text: string): void {
    if (worker) send({ type: 'input', text });
  },
  select(step: number | null): void {
    trainStore.setState({ selectedStep: step });
  },
  /** Saves the current weights as one bundle file: attention-lab-<task>-step<N>.json. */
  async download(): Promise<void> {
    const p = await pack();
    downloadText(`${p.manifest.name}.json`, bundleText(p.manifest, p.bytes));
  },
  /** Makes the current weights the app's model, in every view. */
  async useInApp(store: AppStore): Promise<void> {
    const p = await pack();
    store.getState().actions.useTrainedModel(p.manifest, p.bytes, p.manifest.name);
  },
};
