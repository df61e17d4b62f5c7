/// <reference lib="webworker" />
// Trains a small model off the main thread (tfjs wasm, like compute.worker.ts). The loop yields to the
// message queue after every step, so pause, reset and a new input take effect at once; it posts
// progress at most PROGRESS_EVERY_MS apart (with every step's loss) and snapshots of every head's
// attention on the app's text, computed by modelForward: the engine's attention, as in every view.
import { wasmPaths } from './wasmPaths.ts';
import { initBackend } from '../engine/backend.ts';
import { modelForward } from '../engine/model/forward.ts';
import { tokenizeForModel } from '../engine/model/tokenize.ts';
import { createTrainer, type Trainer } from '../engine/model/trainer.ts';
import { modelName, snapshotBuffers, type TrainWorkerMessage, type ToTrainWorker, type TrainConfig, type TrainErrorCode, type TrainSnapshot, type TrainStatus } from './trainProtocol.ts';

declare const self: DedicatedWorkerGlobalScope;


const PROGRESS_EVERY_MS = 100;

/** The page's number of the current run (0 before the first). */
let runTag = 0;

function post(msg: TrainWorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage({ ...msg, run: runTag }, transfer);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// A message to ourselves is the quickest way to let queued messages run (setTimeout(0) is clamped to 4 ms).
const channel = new MessageChannel();
const ticks: (() => void)[] = [];
channel.port1.onmessage = () => ticks.shift()?.();
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    ticks.push(resolve);
    channel.port2.postMessage(null);
  });
}

interface Run {
  config: TrainConfig;
  trainer: Trainer;
  status: 'running' | 'paused' | 'done';
  /** Training time before the loop's current stretch. */
  elapsedBefore: number;
  /** When the running loop started (null: no loop). */
  loopSince: number | null;
  lastPostAt: number;
  pendingFrom: number;
  pendingLosses: number[];
  lastLoss: number;
  lastSnapshotStep: number;
}

let run: Run | null = null;
/** Bumped by every start and reset: a loop or snapshot of an older run stops at its next await. */
let generation = 0;
let text = '';
let backend: string | null = null;
const corpusCache = new Map<string, string>();

function setStatus(status: TrainStatus): void {
  post({ type: 'status', status, backend });
}

function fail(code: TrainErrorCode, e: unknown): void {
  post({ type: 'error', code, detail: errorText(e) });
  setStatus('error');
}

function elapsed(r: Run): number {
  return r.elapsedBefore + (r.loopSince === null ? 0 : performance.now() - r.loopSince);
}

function postProgress(r: Run): void {
  const ms = elapsed(r);
  const step = r.trainer.stepCount;
  post({
    type: 'progress',
    progress: { step, loss: r.lastLoss, tokensPerSec: ms > 0 ? (step * r.trainer.tokensPerStep) / (ms / 1000) : 0, elapsedMs: ms },
    firstStep: r.pendingFrom,
    losses: r.pendingLosses,
  });
  r.pendingFrom = step;
  r.pendingLosses = [];
  r.lastPostAt = performance.now();
}

/** Every head's attention on the current text (cut to the context), by the engine via modelForward. */
async function snapshot(r: Run, gen: number): Promise<void> {
  const step = r.trainer.stepCount;
  r.lastSnapshotStep = step;
  if (text.length === 0) return;
  const model = r.trainer.loadedModel();
  const tok = tokenizeForModel(model, text);
  const n = Math.min(tok.ids.length, model.arch.context);
  const fw = await modelForward(model, tok.ids.subarray(0, n), { logits: false });
  if (gen !== generation) return;
  const snap: TrainSnapshot = {
    step,
    tokens: tok.labels.slice(0, n),
    cut: tok.ids.length > n,
    A: fw.layers.map((l) => l.result.heads.map((h) => (h.A.data instanceof Float32Array ? h.A.data : Float32Array.from(h.A.data)))),
  };
  post({ type: 'snapshot', snapshot: snap }, snapshotBuffers(snap));
}

async function loop(r: Run, gen: number): Promise<void> {
  r.loopSince = performance.now();
  try {
    while (gen === generation && r.status === 'running' && r.trainer.stepCount < r.config.steps) {
      r.lastLoss = r.trainer.step();
      r.pendingLosses.push(r.lastLoss);
      const step = r.trainer.stepCount;
      if (step % r.config.snapshotEvery === 0) await snapshot(r, gen);
      if (performance.now() - r.lastPostAt >= PROGRESS_EVERY_MS) postProgress(r);
      await yieldToMessages();
    }
  } catch (e) {
    if (gen !== generation) return;
    run = null;
    generation++;
    r.trainer.dispose();
    fail('training', e);
    return;
  }
  if (gen !== generation) return;
  r.elapsedBefore = elapsed(r);
  r.loopSince = null;
  if (r.status === 'running') r.status = 'done';
  // Paused or done: the last step's loss and attention are on screen.
  postProgress(r);
  if (r.lastSnapshotStep !== r.trainer.stepCount) await snapshot(r, gen);
  if (gen === generation) setStatus(r.status);
}

async function loadCorpus(url: string): Promise<string> {
  const hit = corpusCache.get(url);
  if (hit !== undefined) return hit;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
  const body = await res.text();
  corpusCache.set(url, body);
  return body;
}

function stop(): void {
  generation++;
  run?.trainer.dispose();
  run = null;
}

async function start(config: TrainConfig): Promise<void> {
  stop();
  const gen = generation;
  setStatus('starting');
  try {
    backend = await initBackend('wasm', { wasmPaths });
  } catch (e) {
    if (gen === generation) fail('backend', e);
    return;
  }
  let corpusText: string | undefined;
  if (config.task === 'corpus') {
    try {
      corpusText = await loadCorpus(config.corpusUrl);
    } catch (e) {
      if (gen === generation) fail('corpus', e);
      return;
    }
  }
  if (gen !== generation) return;
  let trainer: Trainer;
  try {
    trainer = createTrainer({ task: config.task, arch: config.size, seed: config.seed, lr: config.lr, batch: config.batch, corpusText });
  } catch (e) {
    fail(config.task === 'corpus' ? 'corpus' : 'training', e);
    return;
  }
  const r: Run = {
    config,
    trainer,
    status: 'running',
    elapsedBefore: 0,
    loopSince: null,
    lastPostAt: 0,
    pendingFrom: 0,
    pendingLosses: [],
    lastLoss: NaN,
    lastSnapshotStep: -1,
  };
  run = r;
  setStatus('running');
  await snapshot(r, gen);
  // Also when paused during that first snapshot: the loop then only reports the pause.
  if (gen === generation) await loop(r, gen);
}

self.onmessage = (e: MessageEvent<ToTrainWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'start':
      runTag = msg.run;
      text = msg.text;
      void start(msg.config);
      break;
    case 'pause':
      // The loop sees it before its next step, and reports the paused step.
      if (run?.status === 'running') run.status = 'paused';
      break;
    case 'resume':
      if (run?.status === 'paused') {
        run.status = 'running';
        setStatus('running');
        // Paused and resumed within one step: the loop is still going.
        if (run.loopSince === null) void loop(run, generation);
      }
      break;
    case 'reset':
      stop();
      setStatus('idle');
      break;
    case 'input':
      text = msg.text;
      if (run && run.status !== 'running') void snapshot(run, generation);
      break;
    case 'pack':
      if (run) {
        const { manifest, bytes } = run.trainer.pack(modelName(run.config.task, run.trainer.stepCount));
        post({ type: 'packed', id: msg.id, manifest, bytes }, [bytes.buffer as ArrayBuffer]);
      }
      break;
  }
};
