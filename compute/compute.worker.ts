/// <reference lib="webworker" />
// The only place tfjs runs for the views: builds the AttentionInput (seeded, from a case, or each layer
// of a trained model's forward pass) and computes attention, then transfers every typed array back,
// followed by the head analysis. Messages are handled one at a time.
import { wasmPaths } from './wasmPaths.ts';
import { backendFailures, initBackend } from '../engine/backend.ts';
import { computeAttention } from '../engine/attention.ts';
import { applyOverrides, buildInput, effectiveHeads, scenarioKeyWeights, type Scenario } from '../engine/scenario.ts';
import { parseCase } from '../engine/validate.ts';
import { CaseError } from '../engine/caseError.ts';
import type { AttentionInput, Matrix } from '../engine/types.ts';
import { analyzeHeads, type HeadAnalysis } from '../engine/headAnalysis.ts';
import { makeInductionProbe } from '../engine/headScores.ts';
import { loadModel, parseManifest, ModelError, type LoadedModel } from '../engine/model/load.ts';
import { modelForward } from '../engine/model/forward.ts';
import { tokenizeForModel } from '../engine/model/tokenize.ts';
import type { ModelManifest } from '../engine/model/format.ts';
import type { ModelInfo } from '../engine/model/info.ts';
import type { LayerResult } from '../engine/types.ts';
import {
  transferables,
  wallClock,
  type ComputeSpec,
  type FromWorker,
  type ModelProblem,
  type ToWorker,
} from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;


function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let ready: Promise<unknown> = Promise.resolve();

async function switchBackend(preferred: 'auto' | 'wasm' | 'webgl' | 'cpu'): Promise<void> {
  try {
    const active = await initBackend(preferred, { wasmPaths });
    const why = preferred === 'auto' || preferred === active ? null : (backendFailures()[preferred] ?? null);
    if (why) console.warn(`Attention Lab: the ${preferred} backend failed: ${why}`);
    post({ type: 'backend', preferred, active, error: null, why });
  } catch (e) {
    console.warn(`Attention Lab: ${errorText(e)}`);
    post({ type: 'backend', preferred, active: null, error: errorText(e), why: null });
  }
}

// The seeded numbers only depend on the tokens, the sizes, the seed and the convention: toggling the
// mask, a key weight, padding or an edited number reuses them (rebuilding costs far more than the
// attention itself on small inputs). Cached inputs are never transferred, only copied.
interface Cached {
  key: string;
  base: AttentionInput;
}
const CACHE_SIZE = 2;
let cache: Cached[] = [];

function baseKey(s: Scenario): string {
  return JSON.stringify([s.tokens, s.d, effectiveHeads(s), s.dk, s.seed, s.convention]);
}

function seededBase(s: Scenario): AttentionInput {
  const key = baseKey(s);
  const hit = cache.find((c) => c.key === key);
  if (hit) return hit.base;
  const base = buildInput({ ...s, causal: false, keyWeights: [], padding: [], overrides: {} });
  cache = [{ key, base }, ...cache].slice(0, CACHE_SIZE);
  return base;
}

function cachedBuffers(): Set<ArrayBufferLike> {
  const out = new Set<ArrayBufferLike>();
  const add = (m: Matrix | null) => {
    if (m) out.add(m.data.buffer);
  };
  for (const m of loadedModels.values()) {
    for (const layer of m.layers) {
      add(layer.Wo);
      for (const h of layer.heads) {
        add(h.Wq);
        add(h.Wk);
        add(h.Wv);
      }
    }
  }
  for (const { base } of cache) {
    add(base.X);
    add(base.Wo);
    for (const h of base.heads) {
      add(h.Wq);
      add(h.Wk);
      add(h.Wv);
    }
  }
  return out;
}

function build(spec: Exclude<ComputeSpec, { kind: 'model' }>): AttentionInput {
  if (spec.kind === 'seeded') {
    const s = spec.scenario;
    const w = scenarioKeyWeights(s);
    const input: AttentionInput = { ...seededBase(s), causal: s.causal, keyWeights: w.every((x) => x === 1) ? null : Float32Array.from(w) };
    return Object.keys(s.overrides).length ? applyOverrides(input, s.overrides) : input;
  }
  const parsed = parseCase(spec.case);
  const weights = spec.keyWeights.every((w) => w === 1) ? null : Float64Array.from(spec.keyWeights);
  const input: AttentionInput = { ...parsed, causal: spec.causal, keyWeights: weights };
  return Object.keys(spec.overrides).length ? applyOverrides(input, spec.overrides) : input;
}

// ------------------------------------------------------------------------------------------------
// Trained models, by key: fetched once (manifest, then the weights with progress) or given by the page.

const loadedModels = new Map<string, LoadedModel>();
const loadingModels = new Map<string, Promise<LoadedModel>>();

class ModelLoadError extends Error {}

function modelInfo(m: LoadedModel): ModelInfo {
  const a = m.arch;
  const training = m.manifest.training ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const data = m.manifest.data ?? {};
  return {
    name: m.manifest.name,
    layers: a.nLayers,
    heads: a.nHeads,
    dModel: a.dModel,
    dHead: a.dHead,
    context: a.context,
    vocabSize: a.vocabSize,
    parameters: m.parameterCount,
    heldOutLoss: num(training.heldOutLoss),
    trainLoss: num(training.trainLoss),
    steps: num(training.steps),
    dataSource: typeof data.source === 'string' ? data.source : null,
  };
}

/** GET with the reason in words when it fails (a missing file often comes back as the app's HTML page). */
async function fetchOk(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelLoadError(`${what}: could not be fetched (${errorText(e)})`);
  }
  if (!res.ok) throw new ModelLoadError(`${what}: HTTP ${res.status} ${res.statusText}`.trim());
  if ((res.headers.get('content-type') ?? '').includes('text/html')) throw new ModelLoadError(`${what}: the server sent a web page instead (is the file missing?)`);
  return res;
}

async function fetchModel(key: string, url: string): Promise<LoadedModel> {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const manifestRes = await fetchOk(url, name);
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(await manifestRes.text());
  } catch (e) {
    throw new ModelLoadError(`${name}: ${errorText(e)}`);
  }
  const binUrl = new URL(manifest.weights.file, url).href;
  const binName = manifest.weights.file;
  const res = await fetchOk(binUrl, binName);
  const total = manifest.weights.byteLength;
  const bytes = new Uint8Array(total);
  let loaded = 0;
  let lastPost = 0;
  const reader = res.body?.getReader();
  if (!reader) throw new ModelLoadError(`${binName}: the response has no body`);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > total) throw new ModelLoadError(`${binName}: weights: expected ${total} bytes (manifest.weights.byteLength), got more — wrong file?`);
    bytes.set(value, loaded);
    loaded += value.length;
    if (performance.now() - lastPost > 50) {
      lastPost = performance.now();
      post({ type: 'model-progress', key, loaded, total });
    }
  }
  post({ type: 'model-progress', key, loaded, total });
  try {
    return loadModel(manifest, bytes.subarray(0, loaded));
  } catch (e) {
    throw new ModelLoadError(`${binName}: ${errorText(e)}`);
  }
}

async function getModel(key: string, url: string | null): Promise<LoadedModel> {
  const have = loadedModels.get(key);
  if (have) return have;
  let p = loadingModels.get(key);
  if (!p) {
    if (url === null) throw new ModelLoadError(`model ${key}: not available in this browser any more — load the model file again`);
    p = fetchModel(key, url);
    loadingModels.set(key, p);
  }
  try {
    const m = await p;
    loadedModels.set(key, m);
    post({ type: 'model-ready', key, info: modelInfo(m) });
    return m;
  } finally {
    loadingModels.delete(key);
  }
}

function setModel(key: string, manifest: ModelManifest, bytes: Uint8Array): void {
  // Only one page-held model at a time: drop older ones (their keys are never asked for again).
  for (const k of loadedModels.keys()) if (k.startsWith('user:')) loadedModels.delete(k);
  try {
    const m = loadModel(manifest, bytes);
    loadedModels.set(key, m);
    post({ type: 'model-ready', key, info: modelInfo(m) });
  } catch (e) {
    // Reported when it is asked for: the page checked the bundle already, so this is unexpected.
    loadingModels.set(key, Promise.reject(new ModelLoadError(errorText(e))));
  }
}

/**
 * The model's layers on a random sequence of letters and digits repeated twice (for induction scores).
 * Letters and digits, not all printable characters: the browser's induction task trains on those, and
 * punctuation it never saw would measure confusion rather than copying.
 */
async function modelProbe(m: LoadedModel) {
  const printable = m.vocab.tokens.flatMap((tok, id) => (id !== m.vocab.unknownId && /^[A-Za-z0-9]$/.test(tok) ? [id] : []));
  const half = Math.max(2, Math.min(24, Math.floor(m.arch.context / 2)));
  const probe = makeInductionProbe(printable, half, 1);
  const run = await modelForward(m, probe.tokens, { logits: false });
  return { layers: run.layers.map((l) => l.result.heads.map((h) => h.A)), tokens: probe.tokens, rows: probe.rows };
}

// Weak: a replaced user model (and its probe) can be collected.
const probeCache = new WeakMap<LoadedModel, Awaited<ReturnType<typeof modelProbe>>>();

class ContextError extends Error {
  constructor(
    readonly n: number,
    readonly context: number,
  ) {
    super(`${n} characters exceed the model's context of ${context}: shorten the text`);
  }
}

// ------------------------------------------------------------------------------------------------

interface Built {
  layers: LayerResult[];
  unknown: boolean[] | null;
  /** Computes the head analysis from copies taken before the arrays are transferred. */
  analyze: () => Promise<HeadAnalysis>;
}

const copyA = (layers: LayerResult[]) => layers.map((l) => l.result.heads.map((h) => ({ ...h.A, data: h.A.data.slice() })));

async function computeModel(spec: Extract<ComputeSpec, { kind: 'model' }>): Promise<Built & { build: number }> {
  const t0 = performance.now();
  const m = await getModel(spec.key, spec.url);
  const { ids, unknown } = tokenizeForModel(m, spec.text);
  if (ids.length > m.arch.context) throw new ContextError(ids.length, m.arch.context);
  const t1 = performance.now();
  const run = await modelForward(m, ids, { logits: false });
  const layers = run.layers.map(({ input, result }) => ({ input, result }));
  const As = copyA(layers);
  return {
    layers,
    unknown,
    build: t1 - t0,
    analyze: async () => {
      let probe = probeCache.get(m);
      if (!probe) {
        probe = await modelProbe(m);
        probeCache.set(m, probe);
      }
      return analyzeHeads({ layers: As, tokens: ids }, { causal: true, probe });
    },
  };
}

const SEEDED_PROBE = makeInductionProbe('abcdefghijklmnopqrstuvwxyz'.split(''), 12, 1);
/** The seeded heads on SEEDED_PROBE: they depend on the sizes, seed and mask, not on the user's text. */
let seededProbe: { key: string; layers: Matrix[][] } | null = null;

async function seededProbeLayers(scenario: Scenario): Promise<Matrix[][]> {
  const s: Scenario = { ...scenario, tokens: SEEDED_PROBE.tokens, keyWeights: [], padding: [], overrides: {} };
  const key = JSON.stringify([baseKey(s), s.causal]);
  if (seededProbe?.key !== key) {
    const result = await computeAttention(buildInput(s));
    seededProbe = { key, layers: [result.heads.map((h) => h.A)] };
  }
  return seededProbe.layers;
}

async function computeOne(spec: Exclude<ComputeSpec, { kind: 'model' }>): Promise<Built & { build: number }> {
  const t0 = performance.now();
  const input = build(spec);
  const t1 = performance.now();
  const result = await computeAttention(input);
  const layers = [{ input, result }];
  const As = copyA(layers);
  const causal = input.causal;
  // A case's labels stand in for token identity (duplicate-token, induction on the input).
  const labels = spec.kind === 'case' && Array.isArray(spec.case.tokens) && spec.case.tokens.length === input.X.rows ? spec.case.tokens : null;
  const tokens: readonly string[] = spec.kind === 'seeded' ? spec.scenario.tokens : (labels ?? Array.from({ length: input.X.rows }, (_, i) => `t${i}`));
  return {
    layers,
    unknown: null,
    build: t1 - t0,
    analyze: async () => {
      if (spec.kind !== 'seeded') return analyzeHeads({ layers: As, tokens }, { causal });
      // Seeded weights depend only on token text, so the same heads can read a repeated random sequence.
      const probe = { layers: await seededProbeLayers(spec.scenario), tokens: SEEDED_PROBE.tokens, rows: SEEDED_PROBE.rows };
      return analyzeHeads({ layers: As, tokens }, { causal, probe });
    },
  };
}

function problemOf(e: unknown): ModelProblem | null {
  if (e instanceof ContextError) return { kind: 'context', n: e.n, context: e.context };
  return null;
}

async function compute(id: number, spec: ComputeSpec, sentAt: number): Promise<void> {
  let built: Built & { build: number };
  const queue = wallClock() - sentAt;
  const t0 = performance.now();
  try {
    built = spec.kind === 'model' ? await computeModel(spec) : await computeOne(spec);
  } catch (e) {
    const model: ModelProblem | null = spec.kind === 'model' && (e instanceof ModelLoadError || e instanceof ModelError) ? { kind: 'load', key: spec.key } : problemOf(e);
    post({ type: 'error', id, message: errorText(e), caseError: e instanceof CaseError ? e.toData() : null, model });
    return;
  }
  const total = performance.now() - t0;
  // Transfer everything except cached matrices (seeded numbers, model weights), which postMessage copies.
  const keep = cachedBuffers();
  const transfer = transferables(built.layers).filter((b) => !keep.has(b));
  post(
    { type: 'result', id, layers: built.layers, unknown: built.unknown, ms: { queue, build: built.build, compute: total - built.build }, postedAt: wallClock() },
    transfer,
  );
  try {
    post({ type: 'analysis', id, analysis: await built.analyze() });
  } catch (e) {
    // Scores are an extra: a failure here must not hide the picture.
    console.warn('head analysis failed', e);
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // One message at a time: a backend switch never races a computation.
  if (msg.type === 'backend') ready = ready.then(() => switchBackend(msg.preferred));
  else if (msg.type === 'model') ready = ready.then(() => setModel(msg.key, msg.manifest, msg.bytes));
  else if (msg.type === 'compute') ready = ready.then(() => compute(msg.id, msg.spec, msg.sentAt));
};
