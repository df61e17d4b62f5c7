// One request to a model: the forward pass (ablated when heads are ablated), and what the views read
// from it — predictions and the logit lens at a position, rollout, the ablation's effect, a second input.
import { RolloutSteps } from '../engine/analysis/rollout.ts';
import { poolMatrix } from '../engine/analysis/pool.ts';
import { KeptMaps } from '../engine/transformer/keptMaps.ts';
import { predictionChange, softmax, topK } from '../engine/analysis/distribution.ts';
import { analyzeHeads, type HeadAnalysis } from '../engine/headAnalysis.ts';
import { makeInductionProbe, type RowRange } from '../engine/headScores.ts';
import type { ForwardOptions } from '../engine/transformer/types.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import { predictionPosition } from '../engine/transformer/position.ts';
import type { Reading, RunnableModel } from './models.ts';
import type { CompareLayer, ModelExtras, ModelRequest, TokenChance } from './protocol.ts';

export class ContextError extends Error {
  constructor(
    readonly n: number,
    readonly context: number,
  ) {
    super(`${n} tokens exceed the model's context of ${context}: shorten the text`);
  }
}

/** Above this many numbers in the per-layer traces, only the requested layer is kept in full. */
const KEEP_ALL_NUMBERS = 8_000_000;
/**
 * Above this many numbers in all maps together (layers × heads × n²), the page gets thumbnails of A and
 * asks for the rest when it needs it (another layer in full, a focused row): the 144 maps of GPT-2 small
 * at n = 1,024 are 604 MB, more than its weights.
 */
export const FULL_MAPS_NUMBERS = 4_000_000;
/** Side of a thumbnail: a model view tile is at most 96 CSS pixels, 192 device pixels at 2×. */
export const THUMBNAIL_SIDE = 192;

/** What the worker keeps of a run to answer later questions about it without running the model again. */
export interface KeptRun {
  model: RunnableModel;
  /** The residual entering each layer, for the main and the second input (n×d each). */
  residuals: Float32Array[];
  compareResiduals: Float32Array[] | null;
  /** Where the second input was read from (its positionOffset). */
  compareShift: number;
  ablate: ForwardOptions['ablate'];
  /** Every map, when the page got thumbnails; null when it got them all. */
  maps: KeptMaps | null;
}

export interface ModelRun {
  /** A per layer per head: the maps themselves, or max-pooled thumbnails when `pooled`. */
  attention: Matrix[][];
  pooled: boolean;
  detail: { layer: number; input: AttentionInput; result: AttentionResult };
  tokens: string[] | null;
  unknown: boolean[] | null;
  extras: ModelExtras;
  /** The head analysis, from copies taken before anything is transferred. */
  analyze: () => Promise<HeadAnalysis>;
  /** Long inputs: the rollout after each layer (float32), computed after the picture; null: it is in `extras`. */
  rollout: (() => Matrix[]) | null;
  kept: KeptRun;
}

function chances(m: RunnableModel, logits: ArrayLike<number>, k: number): TokenChance[] {
  return topK(softmax(logits), k).map(({ id, p }) => ({ token: m.token(id), p }));
}

function validHeads(m: RunnableModel, req: ModelRequest) {
  return req.ablate.filter((r) => r.layer < m.info.layers && r.head < m.info.heads);
}

const probes = new WeakMap<RunnableModel, Promise<{ layers: Matrix[][]; tokens: number[]; rows: RowRange }>>();

/** The model on a random sequence repeated twice (for induction scores), once per model. */
function probeOf(m: RunnableModel) {
  let p = probes.get(m);
  if (!p) {
    p = (async () => {
      const half = Math.max(2, Math.min(24, Math.floor(m.info.context / 2)));
      const probe = makeInductionProbe(m.probeAlphabet, half, 1);
      const run = await m.model.forward(probe.tokens, { keep: 'attention' });
      return { layers: run.layers.map((l) => l.attention), tokens: probe.tokens, rows: probe.rows };
    })();
    probes.set(m, p);
  }
  return p;
}

/** Copies of maps per layer per head (their originals are transferred to the page). */
export const copyMaps = (layers: Matrix[][]) => layers.map((hs) => hs.map((A) => ({ ...A, data: A.data.slice() })));
const NONE: Matrix[] = [];

/** The request's text read by the model, checked against its context, and the position predictions are read at. */
function readRequest(m: RunnableModel, req: ModelRequest): { read: Reading; n: number; position: number } {
  const read = m.read(req.text, req.pair);
  const n = read.ids.length;
  if (n === 0 || n > m.info.context) throw new ContextError(n, m.info.context);
  const position = req.position === null ? predictionPosition(m.info, read.ids, m.maskId) : Math.max(0, Math.min(n - 1, req.position));
  return { read, n, position };
}

/** The forward options that carry an encoder's token types (none for a decoder). */
const typesOption = (types: Reading['types'] | undefined): Pick<ForwardOptions, 'types'> => (types ? { types } : {});
/** The forward options a text's reading brings: an encoder's token types. */
const readingOptions = (read: Reading): Pick<ForwardOptions, 'types'> => typesOption(read.types);

/** The steps of a run the worker announces to its watchdog. */
export type RunStep = (step: 'tokenize' | 'forward') => void;

export async function runModel(m: RunnableModel, req: ModelRequest, onStep: RunStep = () => {}): Promise<ModelRun> {
  onStep('tokenize');
  const { read, n, position } = readRequest(m, req);
  onStep('forward');
  const { heads: H, dHead, layers: L } = m.info;
  const layer = Math.max(0, Math.min(L - 1, req.layer));
  // A streamed model's layers hold their weights only while they run: a trace of every layer would keep them all.
  const keep: ForwardOptions['keep'] = !m.model.net.stream && L * H * (4 * n * dHead + 2 * n * n) <= KEEP_ALL_NUMBERS ? 'all' : { layer };
  const pooled = L * H * n * n > FULL_MAPS_NUMBERS;
  const headsOff = validHeads(m, req);
  const ablate = headsOff.length ? { heads: headsOff, mode: req.ablateMode } : undefined;

  // Long inputs: each layer's maps are kept (a decoder's packed to half the size, exactly) and pooled into
  // thumbnails as they come, so no more than one layer's full maps exist at a time.
  const maps = pooled ? new KeptMaps(n, L, m.info.causal) : null;
  // Rollout is n³ a layer: inline for short inputs; for long ones it follows the picture (`rollout()`).
  const rolloutSteps = new RolloutSteps();
  const rollout: Matrix[] = [];
  const onMaps = (l: number, A: Matrix[]): Matrix[] => {
    // Each layer is a sign of life for the watchdog: a 1B-class model's pass converts every layer as it runs
    // and can take longer than a step's budget on a slow machine, while no single layer comes close.
    onStep('forward');
    if (!maps) {
      rollout.push(rolloutSteps.add(A));
      return A;
    }
    maps.put(l, A);
    return A.map((a) => poolMatrix(a, THUMBNAIL_SIDE, THUMBNAIL_SIDE, 'max'));
  };
  const drop = () => NONE;
  // An encoder without a masked-LM head has attention and nothing to predict: no lens, no predictions.
  const headless = m.info.predicts === null;
  const lens = headless ? false : { position };
  const typed = readingOptions(read);
  const shown = await m.model.forward(read.ids, { lens, at: position, keep, residuals: true, maps: onMaps, ablate, ...typed });
  // The model before the ablation: only its logits (the lens' last row) are read.
  const base = ablate && !headless ? await m.model.forward(read.ids, { lens, at: position, keep: 'attention', maps: drop, ...typed }) : shown;
  const lensRows = shown.lens ?? [];
  const finalLogits = lensRows[L - 1];

  let ablation: ModelExtras['ablation'] = null;
  if (ablate && !headless) {
    const before = base.lens![L - 1];
    const targetId = (req.target !== null ? m.idOf(req.target) : null) ?? topK(softmax(before), 1)[0].id;
    const change = predictionChange(before, finalLogits, targetId, 10);
    const named = (list: { id: number; p: number }[]) => list.map(({ id, p }) => ({ token: m.token(id), p }));
    ablation = { before: named(change.topBefore), after: named(change.topAfter), target: m.token(targetId), deltaLogp: change.deltaLogp, kl: change.kl };
  }

  // The second input: the shown layer in full (another layer is computed from its residuals on request).
  // Without a second text but with a shift it is the text itself, read `shift` positions later.
  let compare: ModelExtras['compare'] = null;
  let compareResiduals: Float32Array[] | null = null;
  const shift = Number.isSafeInteger(req.compareShift) && req.compareShift > 0 ? req.compareShift : 0;
  const secondText = req.compare !== null && req.compare.trim() !== '' ? req.compare : shift > 0 ? req.text : null;
  if (secondText !== null) {
    onStep('tokenize');
    const other = m.read(secondText);
    onStep('forward');
    if (other.ids.length > 0 && shift + other.ids.length <= m.info.context) {
      const run = await m.model.forward(other.ids, { keep: { layer }, residuals: true, maps: drop, ablate, positionOffset: shift, ...readingOptions(other) });
      compare = { text: secondText, tokens: other.tokens, layer, shift, ...compareLayer(run.layers[layer].result!, shift) };
      compareResiduals = run.residuals!;
    }
  }

  const attention = shown.layers.map((l) => l.attention);
  const kept = shown.layers[layer];
  if (!kept.input || !kept.result) throw new Error(`layer ${layer} was not kept in full`);
  const extras: ModelExtras = {
    position,
    predictions: finalLogits ? chances(m, finalLogits, 10) : [],
    lens: lensRows.map((row) => chances(m, row, 5)),
    segments: read.segments,
    frame: read.frame,
    rollout,
    ablation,
    compare,
    windows: Array.from({ length: m.model.info.layers }, (_, l) => m.model.net.blocks[l]?.window ?? null),
    kvHeadOfHead: m.info.kvHeadOfHead,
    rotary: m.info.positional === 'rotary',
  };
  // Copies for the analysis: the originals are transferred to the page. Long inputs are scored one
  // layer at a time from the packed maps (the similarity of 144 heads at that length is out of reach anyway).
  const As = maps ? null : copyMaps(attention);
  const analyze = async (): Promise<HeadAnalysis> => {
    const probe = await probeOf(m);
    if (As) return analyzeHeads({ layers: As, tokens: read.ids }, { causal: m.info.causal, probe });
    const scores = Array.from({ length: L }, (_, l) => {
      const layerMaps = Array.from({ length: maps!.heads(l) }, (_, h) => maps!.map(l, h));
      return analyzeHeads({ layers: [layerMaps], tokens: read.ids }, { causal: m.info.causal, probe: { ...probe, layers: [probe.layers[l]] }, maxSimilarityWork: 0 }).scores[0];
    });
    return { scores, similarity: null, inductionOn: 'probe' };
  };
  return {
    attention,
    pooled,
    detail: { layer, input: kept.input, result: kept.result },
    tokens: read.modelTokens ? read.tokens : null,
    unknown: read.unknown,
    extras,
    analyze,
    rollout: maps ? () => rolloutOf(maps) : null,
    kept: { model: m, residuals: shown.residuals!, compareResiduals, compareShift: shift, ablate, maps },
  };
}

/** Rollout after each layer from packed maps, one layer unpacked at a time; float32 (n² numbers a layer cross to the page). */
function rolloutOf(maps: KeptMaps): Matrix[] {
  const steps = new RolloutSteps();
  return Array.from({ length: maps.layers }, (_, l) => {
    const R = steps.add(Array.from({ length: maps.heads(l) }, (_, h) => maps.map(l, h)));
    return { ...R, data: Float32Array.from(R.data) };
  });
}

/** The second input in one layer: its maps, and its scores when it was read shifted. */
function compareLayer(result: AttentionResult, shift: number): CompareLayer {
  return { heads: result.heads.map((h) => h.A), scores: shift > 0 ? result.heads.map((h) => h.scores) : null };
}

/** Layer `layer` of a kept run in full (and the second input there), without running the model again. */
export async function layerOf(kept: KeptRun, layer: number): Promise<{ detail: ModelRun['detail']; compare: CompareLayer | null }> {
  const { input, result } = await kept.model.model.attention(layer, kept.residuals[layer], kept.ablate);
  let compare: CompareLayer | null = null;
  if (kept.compareResiduals) compare = compareLayer((await kept.model.model.attention(layer, kept.compareResiduals[layer], kept.ablate, undefined, kept.compareShift)).result, kept.compareShift);
  return { detail: { layer, input, result }, compare };
}

/** Row `query` of every head's A (per layer, per head), from a kept run's packed maps. */
export function rowsOf(kept: KeptRun, query: number): Float32Array[][] {
  const maps = kept.maps;
  if (!maps) throw new Error('this run sent its maps whole: read the rows there');
  if (!Number.isInteger(query) || query < 0 || query >= maps.n) throw new Error(`query ${query} is outside 0…${maps.n - 1}`);
  return Array.from({ length: maps.layers }, (_, l) => Array.from({ length: maps.heads(l) }, (_, h) => maps.row(l, h, query)));
}

/**
 * What every head's ablation in a sweep starts from: the ids run (a decoder's up to the position), the
 * residual entering each layer, the target and its log p without ablation. Plain data: pool workers
 * (compute/poolSweep.ts) get it instead of running the base pass again.
 */
export interface SweepBase {
  ids: number[];
  /** An encoder's token types (null: none, or a decoder). */
  types: number[] | null;
  position: number;
  residuals: Float32Array[];
  targetId: number;
  logp0: number;
  mode: ModelRequest['ablateMode'];
}

/** The sweep's base pass (see SweepBase). */
export async function sweepBase(m: RunnableModel, req: ModelRequest): Promise<SweepBase> {
  const { read, position } = readRequest(m, req);
  // A decoder's prediction at `position` depends only on the tokens up to it; an encoder's on all of them.
  const ids = m.info.causal ? read.ids.slice(0, position + 1) : read.ids;
  const types = m.info.causal ? null : read.types;
  // The residual entering each layer: ablating a head of layer l changes nothing before l, so each run
  // starts there (Σ H·(L−l) layer passes instead of H·L·L: 936 instead of 1,728 on GPT-2 small).
  const base = await m.model.forward(ids, { keep: 'attention', residuals: true, at: position, ...typesOption(types) });
  if (!base.logits) throw new Error(`${m.info.name} has no language-model head: there is no prediction for ablation to change`);
  const targetId = (req.target !== null ? m.idOf(req.target) : null) ?? topK(softmax(base.logits), 1)[0].id;
  return { ids, types, position, residuals: base.residuals!, targetId, logp0: Math.log(softmax(base.logits)[targetId]), mode: req.ablateMode };
}

/** Δ log p(target) with head `head` of layer `layer` ablated alone. */
export async function sweepOne(m: RunnableModel, base: SweepBase, layer: number, head: number): Promise<number> {
  const run = await m.model.forward(base.ids, {
    keep: 'attention',
    at: base.position,
    from: { layer, residual: base.residuals[layer] },
    ablate: { heads: [{ layer, head }], mode: base.mode },
    ...typesOption(base.types),
  });
  return Math.log(softmax(run.logits!)[base.targetId]) - base.logp0;
}

/** The sweep's result: deltas[l][h] = log p(target) with head (l, h) ablated − without. */
export interface SweepResult {
  deltas: number[][];
  target: string;
  position: number;
}
