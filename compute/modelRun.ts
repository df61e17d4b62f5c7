// One request to a model: the forward pass (ablated when heads are ablated), and what the views read
// from it — predictions and the logit lens at a position, rollout, the ablation's effect, a second input.
import { attentionRollout } from '../engine/analysis/rollout.ts';
import { predictionChange, softmax, topK } from '../engine/analysis/distribution.ts';
import { analyzeHeads, type HeadAnalysis } from '../engine/headAnalysis.ts';
import { makeInductionProbe, type RowRange } from '../engine/headScores.ts';
import type { ForwardOptions, ForwardResult } from '../engine/transformer/types.ts';
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import type { RunnableModel } from './models.ts';
import type { ModelExtras, ModelRequest, TokenChance } from './protocol.ts';

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

export interface ModelRun {
  attention: Matrix[][];
  detail: { layer: number; input: AttentionInput; result: AttentionResult };
  tokens: string[] | null;
  unknown: boolean[] | null;
  extras: ModelExtras;
  /** The head analysis, from copies taken before anything is transferred. */
  analyze: () => Promise<HeadAnalysis>;
}

function chances(m: RunnableModel, logits: ArrayLike<number>, k: number): TokenChance[] {
  return topK(softmax(logits), k).map(({ id, p }) => ({ token: m.token(id), p }));
}

function forwardOptions(m: RunnableModel, req: ModelRequest, n: number, position: number): ForwardOptions {
  const { heads, dHead, layers } = m.info;
  const numbers = layers * heads * (4 * n * dHead + 2 * n * n);
  const layer = Math.max(0, Math.min(layers - 1, req.layer));
  return { lens: { position }, keep: numbers <= KEEP_ALL_NUMBERS ? 'all' : { layer } };
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

export async function runModel(m: RunnableModel, req: ModelRequest): Promise<ModelRun> {
  const read = m.read(req.text);
  const n = read.ids.length;
  if (n === 0) throw new ContextError(0, m.info.context);
  if (n > m.info.context) throw new ContextError(n, m.info.context);
  const position = req.position === null ? n - 1 : Math.max(0, Math.min(n - 1, req.position));
  const opts = forwardOptions(m, req, n, position);
  const heads = validHeads(m, req);
  const base = await m.model.forward(read.ids, opts);
  const shown: ForwardResult = heads.length ? await m.model.forward(read.ids, { ...opts, ablate: { heads, mode: req.ablateMode } }) : base;
  const L = m.info.layers;
  const lens = shown.lens!;
  const finalLogits = lens[L - 1];

  let ablation: ModelExtras['ablation'] = null;
  if (heads.length) {
    const before = base.lens![L - 1];
    const targetId = (req.target !== null ? m.idOf(req.target) : null) ?? topK(softmax(before), 1)[0].id;
    const change = predictionChange(before, finalLogits, targetId, 10);
    const named = (list: { id: number; p: number }[]) => list.map(({ id, p }) => ({ token: m.token(id), p }));
    ablation = { before: named(change.topBefore), after: named(change.topAfter), target: m.token(targetId), deltaLogp: change.deltaLogp, kl: change.kl };
  }

  let compare: ModelExtras['compare'] = null;
  if (req.compare !== null && req.compare.trim() !== '') {
    const other = m.read(req.compare);
    if (other.ids.length > 0 && other.ids.length <= m.info.context) {
      const run = await m.model.forward(other.ids, { keep: 'attention', ...(heads.length ? { ablate: { heads, mode: req.ablateMode } } : {}) });
      compare = { text: req.compare, tokens: other.tokens, attention: run.layers.map((l) => l.attention) };
    }
  }

  const attention = shown.layers.map((l) => l.attention);
  const layer = Math.max(0, Math.min(L - 1, req.layer));
  const kept = shown.layers[layer];
  if (!kept.input || !kept.result) throw new Error(`layer ${layer} was not kept in full`);
  const extras: ModelExtras = {
    position,
    predictions: chances(m, finalLogits, 10),
    lens: lens.map((row) => chances(m, row, 5)),
    rollout: attentionRollout(attention),
    ablation,
    compare,
    kvHeadOfHead: m.info.kvHeadOfHead,
    rotary: m.info.positional === 'rotary',
  };
  // Copies for the analysis: the originals are transferred to the page.
  const As = attention.map((hs) => hs.map((A) => ({ ...A, data: A.data.slice() })));
  return {
    attention,
    detail: { layer, input: kept.input, result: kept.result },
    tokens: read.modelTokens ? read.tokens : null,
    unknown: read.unknown,
    extras,
    analyze: async () => analyzeHeads({ layers: As, tokens: read.ids }, { causal: true, probe: await probeOf(m) }),
  };
}

/**
 * Ablates each head in turn: Δ log p(target) at `position`, where the target is the request's (or the
 * top prediction of the model with the request's ablation). Only tokens up to the position are run
 * (the model is causal). `cancelled` is checked between heads.
 */
export async function sweepHeads(
  m: RunnableModel,
  req: ModelRequest,
  onProgress: (done: number, total: number) => void,
  cancelled: () => boolean,
): Promise<{ deltas: number[][]; target: string; position: number } | null> {
  const read = m.read(req.text);
  const n = read.ids.length;
  if (n === 0 || n > m.info.context) throw new ContextError(n, m.info.context);
  const position = req.position === null ? n - 1 : Math.max(0, Math.min(n - 1, req.position));
  const ids = read.ids.slice(0, position + 1);
  // The residual entering each layer: ablating a head of layer l changes nothing before l, so each run
  // starts there (Σ H·(L−l) layer passes instead of H·L·L: 936 instead of 1,728 on GPT-2 small).
  const base = await m.model.forward(ids, { keep: 'attention', residuals: true });
  const residuals = base.residuals!;
  const targetId = (req.target !== null ? m.idOf(req.target) : null) ?? topK(softmax(base.logits), 1)[0].id;
  const logp0 = Math.log(softmax(base.logits)[targetId]);
  const { layers: L, heads: H } = m.info;
  const deltas = Array.from({ length: L }, () => new Array<number>(H).fill(0));
  for (let l = 0; l < L; l++) {
    for (let h = 0; h < H; h++) {
      if (cancelled()) return null;
      const run = await m.model.forward(ids, { keep: 'attention', from: { layer: l, residual: residuals[l] }, ablate: { heads: [{ layer: l, head: h }], mode: req.ablateMode } });
      deltas[l][h] = Math.log(softmax(run.logits)[targetId]) - logp0;
      onProgress(l * H + h + 1, L * H);
    }
  }
  return { deltas, target: m.token(targetId), position };
}
