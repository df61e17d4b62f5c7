// Numbers in lesson text are never typed: the text holds placeholders that are filled from the
// engine's result on the step's own case (or the model run the step shows), so a hand-rounded 0.200
// can never meet a computed 0.199.
//
//   {A[2][0]}   one entry of A (head 1)         {Z[2]}   row 2 of Z as a vector "(1.340, 0.439)"
//   {h2:Q[1]}   row 1 of Q in head 2             {SQRTD}  √d, the divisor of the scores
//
// Quantities (QUANTITIES below says each one's indices): the case and the engine's matrices (X, W, Q, K,
// V, S, DOT, E, WE, SUM, A, Z); the online softmax of a row in tiles (B, TMAX, M, F, TS, L, O, OZ, OA); the
// KV cache's row of a token (CS, CA, CZ, HELD) and its cost (COST, RECOMP, TCOST, TRECOMP); RoPE (POS,
// DIMS, THETA, FREQ, ANG, QP, QR, KP, KR) and the same text read later (SHIFT, SS, SA); the window and how far back
// stacked layers reach (WIN, REACH); a model's shape and key/value sharing (LAYERS, HEADS, KVHEADS, DHEAD,
// CTX, LAYER, N, KVOF, KVQ, KVN, KVNU, KVMB, KVMBU, WINL). Each is shown at one precision; a value that
// is an exact integer is shown as one ("e^0 = 1", "w = 2").
import { attentionRollout, earliestSource } from '../../engine/analysis/rollout.ts';
import { kvCacheSize, kvGroups, kvHeadsOf } from '../../engine/gqa.ts';
import { admissibleRange } from '../../engine/keyRange.ts';
import { cacheRow, stepCost, type CostShape, type StepCost } from '../../engine/kvCache.ts';
import { fromRows64, toRows } from '../../engine/matrix.ts';
import { resultToJson } from '../../engine/json.ts';
import { onlineAttention, type OnlineRow } from '../../engine/onlineSoftmax.ts';
import { referenceAttention } from '../../engine/reference.ts';
import { rotatedPair } from '../../engine/rope.ts';
import { rotaryFrequency } from '../../engine/rotary.ts';
import type { ModelExtras } from '../../engine/analysis/extras.ts';
import type { ModelInfo } from '../../engine/transformer/types.ts';
import type { AttentionInput, AttentionResult, CaseJson, HeadResultJson, RotaryConfig } from '../../engine/types.ts';
import { parseCase } from '../../engine/validate.ts';
import { parseOverridePath } from '../../state/document.ts';
import type { LessonTextPart } from '../../components/teaching/LessonPanel.tsx';
import type { Lesson, LessonStep } from './types.ts';

type M = readonly (readonly number[])[];

/** One head's matrices as rows; with RoPE also Q and K before the rotation. */
export interface HeadNumbers extends HeadResultJson {
  Qpre?: number[][];
  Kpre?: number[][];
}

/** What a model step's numbers know about the model (from its info and the run's extras). */
export interface ModelFacts {
  layers: number;
  heads: number;
  kvHeads: number;
  dHead: number;
  context: number;
  /** The layer whose heads the step shows (0-based). */
  layer: number;
  /** Per layer, its local window (null: global). */
  windows: readonly (number | null)[];
}

/** The same text read `shift` positions later: its heads' scores and A in the step's layer. */
export interface ShiftedNumbers {
  shift: number;
  heads: readonly { scores: M; A: M }[];
}

/** What the placeholders read: the case and the engine's per-head matrices (as the app exports them), and what the step adds. */
export interface LessonNumbers {
  X: M;
  keyWeights: readonly number[];
  scale: number;
  heads: readonly HeadNumbers[];
  /** The mask the result was computed with (absent: not causal, no window). */
  causal?: boolean;
  window?: number | null;
  /** RoPE and the position of row 0 (the heads then carry Qpre and Kpre). */
  rotary?: RotaryConfig | null;
  positionOffset?: number;
  /** The key/value head each query head reads (absent: its own). */
  kvOf?: readonly number[];
  /** The tile size of the online softmax the step shows. */
  tile?: number | null;
  model?: ModelFacts | null;
  shifted?: ShiftedNumbers | null;
}

/** A piece of filled lesson text: plain text, or a number with the placeholder it came from. */
export type LessonPart = LessonTextPart;

export const PLACEHOLDER = /\{(?:h(\d+):)?([A-Z]+)(?:\[(\d+)\])?(?:\[(\d+)\])?\}/g;

/** The case a step shows: the lesson's case with the step's weights, mask, overrides and prefix applied; null on a model. */
export function stepCase(lesson: Lesson, step: LessonStep): CaseJson | null {
  if (!lesson.case || step.state?.model) return null;
  // A deep copy without the labels (the numbers are the same in every language).
  const c = structuredClone({ ...lesson.case, tokens: undefined }) as CaseJson;
  const s = step.state ?? {};
  if (s.weights) c.keyWeights = s.weights.slice();
  if (s.causal !== undefined) c.causal = s.causal;
  for (const [path, v] of Object.entries(s.overrides ?? {})) {
    const p = parseOverridePath(path);
    if (!p) throw new Error(`lesson override ${path}`);
    const m = p.matrix === 'X' ? c.X : p.matrix === 'Wo' ? c.Wo! : c.heads[p.head!][p.matrix];
    m[p.row][p.col] = v;
  }
  if (s.prefix !== undefined) {
    c.X = c.X.slice(0, s.prefix);
    if (c.keyWeights) c.keyWeights = c.keyWeights.slice(0, s.prefix);
  }
  return c;
}

const rowsOf = toRows;

/** The numbers of an engine input and result (computeAttention's or the float64 reference's): what every step reads. */
export function resultNumbers(input: AttentionInput, result: AttentionResult): LessonNumbers {
  return {
    X: rowsOf(input.X),
    keyWeights: input.keyWeights ? Array.from(input.keyWeights) : Array.from({ length: input.X.rows }, () => 1),
    scale: result.scale,
    // Each head as the command line writes it, and with RoPE also before the rotation.
    heads: resultToJson(result).heads.map((json, k) => {
      const { Qpre, Kpre } = result.heads[k];
      return Qpre && Kpre ? { ...json, Qpre: rowsOf(Qpre), Kpre: rowsOf(Kpre) } : json;
    }),
    causal: input.causal,
    window: input.window ?? null,
    rotary: input.rotary ?? null,
    positionOffset: input.positionOffset ?? 0,
    kvOf: kvHeadsOf(input.heads),
  };
}

/** A step's case as the engine's input: its mask and window on top of the case. */
export function stepInput(c: CaseJson, window: number | null = null): AttentionInput {
  return { ...parseCase({ ...c, tokens: undefined }), window };
}

/** The float64 reference engine's numbers for a case (with the step's window and tile size). */
export function referenceNumbers(c: CaseJson, window: number | null = null, tile: number | null = null): LessonNumbers {
  const input = stepInput(c, window);
  return { ...resultNumbers(input, referenceAttention(input)), tile };
}

/** What a model step reads: the layer the run shows in full, the model's shape, and the shifted run when there is one. */
export function modelNumbers(detail: { layer: number; input: AttentionInput; result: AttentionResult }, info: Pick<ModelInfo, 'layers' | 'heads' | 'kvHeads' | 'dHead' | 'context'>, windows: readonly (number | null)[], shifted: ShiftedNumbers | null = null): LessonNumbers {
  return {
    ...resultNumbers(detail.input, detail.result),
    model: { layers: info.layers, heads: info.heads, kvHeads: info.kvHeads, dHead: info.dHead, context: info.context, layer: detail.layer, windows },
    shifted,
  };
}

/** A model run as the views have it (the worker's result): the layer shown in full and what the run adds. */
export interface RunForNumbers {
  layer: number;
  input: AttentionInput;
  result: AttentionResult;
  model: ModelExtras | null;
}

/** A model step's numbers from its run: the layer shown, the model's shape and sharing, and the shifted reading when the run has one in that layer. */
export function runNumbers(run: RunForNumbers, info: Pick<ModelInfo, 'layers' | 'heads' | 'kvHeads' | 'dHead' | 'context'>): LessonNumbers {
  const second = run.model?.compare;
  const shifted = second && second.shift > 0 && second.scores && second.layer === run.layer ? { shift: second.shift, heads: second.heads.map((A, h) => ({ A: rowsOf(A), scores: rowsOf(second.scores![h]) })) } : null;
  const nums = modelNumbers({ layer: run.layer, input: run.input, result: run.result }, info, run.model?.windows ?? [], shifted);
  return run.model ? { ...nums, kvOf: run.model.kvHeadOfHead } : nums;
}

/** A model step's numbers from the run on screen, once it is the step's run (its model, text, layer and shift); else null. */
export function shownRunNumbers(step: LessonStep, shown: { source: string | null; text: string; busy: boolean; run: RunForNumbers | null; info: Pick<ModelInfo, 'layers' | 'heads' | 'kvHeads' | 'dHead' | 'context'> | null }): LessonNumbers | null {
  const m = step.state?.model;
  const { run, info } = shown;
  if (!m || !run || !info || shown.busy || shown.source !== m.id || shown.text !== m.text) return null;
  if (m.layer !== undefined && run.layer !== m.layer) return null;
  if ((m.shift ?? 0) !== (run.model?.compare?.shift ?? 0)) return null;
  return runNumbers(run, info);
}

/** The numbers a step's placeholders read on its case; null for a step on a model (they come from its run). */
export function stepNumbers(lesson: Lesson, step: LessonStep): LessonNumbers | null {
  const c = stepCase(lesson, step);
  return c ? referenceNumbers(c, step.state?.window ?? null, step.state?.tile ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// The quantities.

/** A quantity's value at indices a, b (either may be absent): a number, or a vector shown as "(…, …)". */
type Value = number | readonly number[];

interface Quantity {
  digits: number;
  /** How many indices it takes (a scalar, an entry of a vector, or a matrix entry / row). */
  read: (q: Reader, a: number | undefined, b: number | undefined) => Value;
}

/** What quantities read, with the derived computations (online softmax, cache rows, rollout) made once per head. */
class Reader {
  private online = new Map<number, OnlineRow[]>();
  constructor(
    readonly nums: LessonNumbers,
    readonly head: number,
  ) {}

  get h(): HeadNumbers {
    const h = this.nums.heads[this.head];
    if (!h) throw new Error(`no head ${this.head + 1}`);
    return h;
  }

  get model(): ModelFacts {
    if (!this.nums.model) throw new Error('a model quantity on a step without a model');
    return this.nums.model;
  }

  get n(): number {
    return this.nums.X.length;
  }

  /** Row i of the online softmax of this head in tiles of the step's size. */
  onlineRow(i: number): OnlineRow {
    const B = this.nums.tile;
    if (!B) throw new Error('an online-softmax quantity on a step without a tile size');
    let rows = this.online.get(this.head);
    if (!rows) {
      const h = this.h;
      rows = onlineAttention(fromRows64(h.scores.map((r) => r.slice())), fromRows64(h.V.map((r) => r.slice())), B, { causal: !!this.nums.causal, window: this.nums.window, keyWeights: this.nums.keyWeights }).rows;
      this.online.set(this.head, rows);
    }
    return at(rows, i, 'row');
  }

  /** The key range token t sees (a window drops the oldest keys). */
  range(t: number): { lo: number; hi: number } {
    return admissibleRange(t, this.n, !!this.nums.causal, this.nums.window ?? null);
  }

  /** Token t's row from the cache: its q against the cached keys and values of positions lo…t. */
  cache(t: number) {
    const h = this.h;
    const { lo } = this.range(t);
    return cacheRow(at(h.Q, t, 'token'), h.K.slice(lo, t + 1), h.V.slice(lo, t + 1), this.nums.scale, lo);
  }

  costShape(): CostShape {
    const h = this.h;
    const kvOf = this.nums.kvOf ?? this.nums.heads.map((_, k) => k);
    return { d: this.nums.X[0].length, heads: this.nums.heads.length, kvHeads: new Set(kvOf).size, dk: h.Q[0].length, dv: h.V[0].length };
  }

  cost(t: number): StepCost {
    const { lo } = this.range(t);
    return stepCost(this.costShape(), t, t + 1 - lo);
  }

  totalCost(t: number): StepCost {
    const total = { cached: 0, recompute: 0 };
    for (let s = 0; s <= t; s++) {
      const c = this.cost(s);
      total.cached += c.cached;
      total.recompute += c.recompute;
    }
    return total;
  }

  pair(which: 'q' | 'k', row: number, t: number) {
    const r = this.nums.rotary;
    const h = this.h;
    if (!r || !h.Qpre || !h.Kpre) throw new Error('a RoPE quantity on a step without rotary positions');
    const m = (rows: number[][]) => fromRows64(rows);
    return rotatedPair({ rotary: r, positionOffset: this.nums.positionOffset ?? 0 }, { Q: m(h.Q), K: m(h.K), Qpre: m(h.Qpre), Kpre: m(h.Kpre) }, which, row, t)!;
  }

  shifted() {
    const s = this.nums.shifted;
    if (!s) throw new Error('a shifted quantity on a step without the shifted run');
    const h = s.heads[this.head];
    if (!h) throw new Error(`no head ${this.head + 1} in the shifted run`);
    return h;
  }

  /** Key/value groups of the step's model: groups[g] holds the query heads (0-based) reading key/value head g. */
  groups(): number[][] {
    return kvGroups(this.nums.kvOf ?? this.nums.heads.map((_, k) => k));
  }
}

/** Entry k of a list, or an error naming what is missing. */
function at<T>(list: readonly T[], k: number | undefined, what: string): T {
  const v = k === undefined ? undefined : list[k];
  if (v === undefined) throw new Error(`no ${what} ${k}`);
  return v;
}

const need = (k: number | undefined, what: string): number => {
  if (k === undefined) throw new Error(`needs ${what}`);
  return k;
};

/** A matrix quantity: one index is a row (or, for a vector, an entry), two an entry, none the first entry. */
const matrix = (digits: number, get: (q: Reader) => M, vector = false): Quantity => ({
  digits,
  read: (q, a, b) => {
    const m = get(q);
    if (b !== undefined) return at(at(m, a, 'row'), b, 'column');
    if (a === undefined) return at(at(m, 0, 'row'), 0, 'column');
    return vector ? at(at(m, 0, 'row'), a, 'entry') : at(m, a, 'row');
  },
});

const scalar = (digits: number, get: (q: Reader) => number): Quantity => ({ digits, read: (q) => get(q) });

/** A quantity of row a's tile b of the online softmax. */
const tile = (digits: number, get: (t: OnlineRow['tiles'][number]) => Value): Quantity => ({
  digits,
  read: (q, a, b) => get(at(q.onlineRow(need(a, 'a row')).tiles, need(b, 'a tile'), 'tile')),
});

const e = (q: Reader) => q.h.scores.map((row) => row.map(Math.exp));
const we = (q: Reader) => e(q).map((row) => row.map((x, j) => q.nums.keyWeights[j] * x));
const mb = (bytes: number) => bytes / 1e6;

// Intermediates carry enough digits that a student redoing each step from the SHOWN numbers lands on the
// next shown number (handCheck.test.ts): scores at 4 decimals so e^s is right to 3, sums at 3 so a ratio is
// right to 3. Fewer digits made 4.11 / 9.17 = 0.448 next to the engine's 0.449.
const QUANTITIES: Record<string, Quantity> = {
  // The case and the engine's matrices.
  X: matrix(3, (q) => q.nums.X),
  W: matrix(3, (q) => [q.nums.keyWeights], true),
  Q: matrix(3, (q) => q.h.Q),
  K: matrix(3, (q) => q.h.K),
  V: matrix(3, (q) => q.h.V),
  A: matrix(3, (q) => q.h.A),
  Z: matrix(3, (q) => q.h.Z),
  S: matrix(4, (q) => q.h.scores),
  DOT: matrix(3, (q) => q.h.scores.map((row) => row.map((x) => x / q.nums.scale))),
  SQRTD: scalar(4, (q) => 1 / q.nums.scale),
  E: matrix(3, e),
  WE: matrix(3, we),
  SUM: matrix(3, (q) => [we(q).map((row) => row.reduce((s, x) => s + x, 0))], true),
  // The online softmax of row a in tiles of B: {M[a][b]} is the running maximum after tile b (0-based).
  B: scalar(0, (q) => need(q.nums.tile ?? undefined, 'a tile size')),
  TMAX: tile(4, (t) => t.tileMax),
  M: tile(4, (t) => t.mNew),
  F: tile(3, (t) => t.rescale),
  TS: tile(3, (t) => t.tileSum),
  L: tile(3, (t) => t.sum),
  O: tile(3, (t) => t.out),
  OZ: tile(3, (t) => t.z),
  OA: { digits: 3, read: (q, a, b) => at(q.onlineRow(need(a, 'a row')).weights, need(b, 'a key'), 'key') },
  // The KV cache: token a's row from the cached keys and values, and what that step costs.
  CS: { digits: 3, read: (q, a, b) => at(q.cache(need(a, 'a token')).scores, need(b, 'a key'), 'key') },
  CA: { digits: 3, read: (q, a, b) => at(q.cache(need(a, 'a token')).a, need(b, 'a key'), 'key') },
  CZ: { digits: 3, read: (q, a) => q.cache(need(a, 'a token')).z },
  HELD: { digits: 0, read: (q, a) => q.cache(need(a, 'a token')).scores.filter((s) => s > -Infinity).length },
  COST: { digits: 0, read: (q, a) => q.cost(need(a, 'a token')).cached },
  RECOMP: { digits: 0, read: (q, a) => q.cost(need(a, 'a token')).recompute },
  TCOST: { digits: 0, read: (q, a) => q.totalCost(need(a, 'a token')).cached },
  TRECOMP: { digits: 0, read: (q, a) => q.totalCost(need(a, 'a token')).recompute },
  // RoPE: {ANG[i][t]} is the angle of pair t at row i's position; {QP[i][t]} and {QR[i][t]} that pair of q before and after.
  POS: { digits: 0, read: (q, a) => (q.nums.positionOffset ?? 0) + need(a, 'a row') },
  DIMS: scalar(0, (q) => need(q.nums.rotary?.dims, 'rotary positions')),
  THETA: scalar(0, (q) => need(q.nums.rotary?.theta, 'rotary positions')),
  FREQ: { digits: 4, read: (q, a) => rotaryFrequency(q.nums.rotary ?? fail('rotary positions'), need(a, 'a pair')) },
  ANG: { digits: 3, read: (q, a, b) => q.pair('q', need(a, 'a row'), need(b, 'a pair')).angle },
  QP: { digits: 3, read: (q, a, b) => q.pair('q', need(a, 'a row'), need(b, 'a pair')).before },
  QR: { digits: 3, read: (q, a, b) => q.pair('q', need(a, 'a row'), need(b, 'a pair')).after },
  KP: { digits: 3, read: (q, a, b) => q.pair('k', need(a, 'a row'), need(b, 'a pair')).before },
  KR: { digits: 3, read: (q, a, b) => q.pair('k', need(a, 'a row'), need(b, 'a pair')).after },
  SHIFT: scalar(0, (q) => need(q.nums.shifted?.shift, 'the shifted run')),
  SS: matrix(4, (q) => q.shifted().scores),
  SA: matrix(3, (q) => q.shifted().A),
  // Local windows: {REACH[i][L]} is the earliest token (counted from 1) whose information reaches token i through L layers like this one.
  WIN: scalar(0, (q) => need(q.nums.window ?? undefined, 'a window')),
  REACH: {
    digits: 0,
    read: (q, a, b) => {
      const layers = need(b, 'a number of layers');
      if (layers < 1) throw new Error('needs at least one layer');
      const maps = q.nums.heads.map((h) => fromRows64(h.A.map((r) => r.slice())));
      return earliestSource(attentionRollout(Array.from({ length: layers }, () => maps))[layers - 1], need(a, 'a token')) + 1;
    },
  },
  // A model's shape and its key/value sharing ({KVOF[h]} and {KVQ[g][k]} count heads from 1, as the views do).
  LAYERS: scalar(0, (q) => q.model.layers),
  HEADS: scalar(0, (q) => q.model.heads),
  KVHEADS: scalar(0, (q) => q.model.kvHeads),
  DHEAD: scalar(0, (q) => q.model.dHead),
  CTX: scalar(0, (q) => q.model.context),
  LAYER: scalar(0, (q) => q.model.layer + 1),
  N: scalar(0, (q) => q.n),
  KVOF: { digits: 0, read: (q, a) => at(q.nums.kvOf ?? [], need(a, 'a head'), 'head') + 1 },
  KVQ: { digits: 0, read: (q, a, b) => at(at(q.groups(), need(a, 'a key/value head'), 'key/value head'), need(b, 'an entry'), 'query head') + 1 },
  KVN: scalar(0, (q) => kvCacheSize(q.model, 1).numbersPerToken),
  KVNU: scalar(0, (q) => kvCacheSize(q.model, 1).numbersPerTokenUnshared),
  KVMB: scalar(2, (q) => mb(kvCacheSize(q.model, q.model.context).bytes)),
  KVMBU: scalar(2, (q) => mb(kvCacheSize(q.model, q.model.context).bytesUnshared)),
  WINL: { digits: 0, read: (q, a) => need(at(q.model.windows, need(a, 'a layer'), 'layer') ?? undefined, `a local window in layer ${a! + 1}`) },
};

function fail(what: string): never {
  throw new Error(`needs ${what}`);
}

/** A number at a precision, an exact integer without decimals. */
export function formatNumber(v: number, digits: number): string {
  const r = Math.round(v);
  if (Math.abs(v - r) < 1e-6) return String(r === 0 ? 0 : r);
  return v.toFixed(digits);
}

/** The text of one placeholder, e.g. "{A[2][0]}" → "0.449", "{Z[2]}" → "(1.340, 0.439)". */
export function placeholderText(nums: LessonNumbers, ref: string): string {
  const m = new RegExp(`^${PLACEHOLDER.source}$`).exec(ref);
  if (!m) throw new Error(`lesson placeholder: cannot read ${ref}`);
  const [, head, name, a, b] = m;
  const quantity = QUANTITIES[name];
  if (!quantity) throw new Error(`lesson placeholder: unknown quantity ${name}`);
  let v: Value;
  try {
    v = quantity.read(new Reader(nums, head ? Number(head) - 1 : 0), a === undefined ? undefined : Number(a), b === undefined ? undefined : Number(b));
  } catch (e) {
    throw new Error(`lesson placeholder: ${ref}: ${(e as Error).message}`, { cause: e });
  }
  const one = (x: number) => {
    if (!Number.isFinite(x)) throw new Error(`lesson placeholder: ${ref} is ${x}`);
    return formatNumber(x, quantity.digits);
  };
  return typeof v === 'number' ? one(v) : `(${v.map(one).join(', ')})`;
}

/** What a placeholder shows while its numbers are not there yet (a model step before its run arrives). */
export const PENDING = '…';

/** Lesson text with its placeholders filled (with PENDING while `nums` is null). */
export function fillLessonText(template: string, nums: LessonNumbers | null): LessonPart[] {
  const parts: LessonPart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push({ text: nums ? placeholderText(nums, m[0]) : PENDING, ref: m[0] });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

/** Filled text as one string. */
export function partsText(parts: readonly LessonPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}
