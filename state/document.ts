// The app's document: everything the user chose, in one plain, serialisable object.
// It is what the URL encodes, what localStorage keeps, and what undo/redo snapshots.
// Pure functions only (no DOM, no store): shared by the store, urlState and the tests.
import type { Lang } from '../i18n/index.ts';
import type { CaseJson } from '../engine/types.ts';
import type { Convention, Mechanism, Scenario, TokenizeMode } from '../engine/scenario.ts';

export type { Convention, Mechanism, TokenizeMode };

/**
 * The models the app can run: the character model shipped in public/models, the one trained or loaded
 * in this browser, a checkpoint from the Hugging Face Hub (`hf:owner/name@revision`), or one opened
 * from local files (`local:<folder>`, which cannot travel in a link).
 */
export type ModelId = 'brown-char' | 'user' | `hf:${string}` | `local:${string}`;
export const MODEL_IDS = ['brown-char', 'user'] as const;

/** A checkpoint in the Hugging Face layout (read with its own tokenizer), rather than a character model. */
export function isCheckpoint(id: ModelId): id is `hf:${string}` | `local:${string}` {
  return id.startsWith('hf:') || id.startsWith('local:');
}

export type { HeadRef } from '../engine/transformer/types.ts';
import type { HeadRef } from '../engine/transformer/types.ts';
/** Zero-ablation (z = 0) or mean-ablation (z = its mean over positions). */
export type { HeadAblation as AblationMode } from '../engine/types.ts';
import type { HeadAblation as AblationMode } from '../engine/types.ts';

/** Where the numbers come from: seeded weights, an imported case, or a trained model's forward pass. */
export type Source = { kind: 'seeded' } | { kind: 'case'; case: CaseJson } | { kind: 'model'; model: ModelId };

export type ViewName = 'heads' | 'lines' | 'matrices' | 'steps' | 'model' | 'flow' | 'lens' | 'ablate' | 'compare';
export const VIEWS: readonly ViewName[] = ['heads', 'lines', 'matrices', 'steps', 'model', 'flow', 'lens', 'ablate', 'compare'];
/** Views that need a model (several layers, an unembedding). */
export const MODEL_VIEWS: readonly ViewName[] = ['model', 'flow', 'lens', 'ablate', 'compare'];

export interface CellRef {
  row: number;
  col: number;
}

export interface DocState {
  /** What the user typed. */
  text: string;
  /** The tokens (from `text`, then possibly edited chip by chip). */
  tokens: string[];
  mode: TokenizeMode;
  source: Source;
  mechanism: Mechanism;
  convention: Convention;
  seed: number;
  d: number;
  /** Heads chosen for multi-head (kept while another mechanism is shown). */
  h: number;
  /** Head size (standard convention); null = d/h. */
  dk: number | null;
  causal: boolean;
  keyWeights: number[];
  padding: boolean[];
  overrides: Record<string, number>;
  /** Heads of a model whose output z is replaced before W^O (model sources). */
  ablate: HeadRef[];
  ablateMode: AblationMode;
  /** The token whose log-probability the ablation follows; null: the model's own top prediction. */
  target: string | null;
  /** A second text, compared with the first head by head (model sources); null: none. */
  compare: string | null;
  // What is looked at (in the URL, not in undo history).
  /** Layer of a trained model whose heads the views show (0 for seeded and case sources). */
  layer: number;
  head: number;
  cell: CellRef | null;
  view: ViewName;
  step: number;
  /** The lesson step open (0-based lesson index and step); null: none. The app checks the index against its lessons. */
  lesson: LessonRef | null;
}

/** A step of a lesson, by position (the link says lesson=2&step=3, counting from 1). */
export interface LessonRef {
  lesson: number;
  step: number;
}

/** The undoable part of the document. */
export type Content = Omit<DocState, 'layer' | 'head' | 'cell' | 'view' | 'step' | 'lesson'>;

export const LIMITS = {
  maxTokens: 1024,
  maxHeads: 16,
  maxD: 512,
  maxSeed: 0xffffffff,
  maxWeight: 10,
  maxStep: 20,
  /** Lessons and lesson steps a link may name (the app has fewer; it says so for one it does not have). */
  maxLesson: 99,
  /** Layers and heads of a model (GPT-2 XL has 48 layers × 25 heads; SmolLM 30 × 9). */
  maxLayer: 127,
  maxModelHeads: 64,
  /** A case embedded in a link is capped so links stay usable. */
  maxCaseLinkChars: 200_000,
} as const;

/** The sentence a new document starts with, in the interface language: the pronoun example. */
export const DEFAULT_TEXTS: Readonly<Record<Lang, string>> = {
  en: "The animal didn't cross the street because it was too tired",
  zh: '小猫没有过马路，因为它太累了',
};
export const DEFAULT_TEXT = DEFAULT_TEXTS.en;

export const DEFAULT_DOC: DocState = {
  text: DEFAULT_TEXT,
  tokens: [], // filled by the store from the text
  mode: 'words',
  source: { kind: 'seeded' },
  mechanism: 'multi',
  convention: 'standard',
  seed: 42,
  d: 16,
  h: 4,
  dk: null,
  causal: false,
  keyWeights: [],
  padding: [],
  overrides: {},
  ablate: [],
  ablateMode: 'zero',
  target: null,
  compare: null,
  layer: 0,
  head: 0,
  cell: null,
  view: 'heads',
  step: 0,
  lesson: null,
};

function caseHeads(c: CaseJson): number {
  return c.heads.length;
}

/**
 * Heads the engine will actually compute (per layer). A trained model's head count is only known once
 * it is loaded, so for it this is the largest allowed; the views clamp to the result.
 */
export function effectiveHeads(doc: Pick<DocState, 'source' | 'mechanism' | 'h'>): number {
  if (doc.source.kind === 'case') return caseHeads(doc.source.case);
  if (doc.source.kind === 'model') return LIMITS.maxModelHeads;
  return doc.mechanism === 'multi' ? doc.h : 1;
}

/**
 * The mechanism shown for a document. A case with several heads is multi-head; a one-head case is
 * self-attention or weighted attention as chosen (importing picks weighted when it has weights).
 */
export function effectiveMechanism(doc: Pick<DocState, 'source' | 'mechanism'>): Mechanism {
  if (doc.source.kind === 'model') return 'multi';
  if (doc.source.kind !== 'case') return doc.mechanism;
  if (caseHeads(doc.source.case) > 1) return 'multi';
  return doc.mechanism === 'self' ? 'self' : 'weighted';
}

export function effectiveConvention(doc: Pick<DocState, 'source' | 'convention'>): Convention {
  if (doc.source.kind === 'model') return 'standard';
  if (doc.source.kind !== 'case') return doc.convention;
  return doc.source.case.Wo ? 'standard' : 'article';
}

/** Whether key weights take part in the computation (weighted attention; multi-head cases keep theirs). */
export function weightsApply(doc: Pick<DocState, 'source' | 'mechanism'>): boolean {
  return effectiveMechanism(doc) === 'weighted' || (doc.source.kind === 'case' && caseHeads(doc.source.case) > 1);
}

/** Effective weight of each key: padding and (when weights apply) the slider. */
export function effectiveKeyWeights(doc: Pick<DocState, 'source' | 'mechanism' | 'keyWeights' | 'padding' | 'tokens'>): number[] {
  const apply = weightsApply(doc);
  return doc.tokens.map((_, j) => (doc.padding[j] ? 0 : apply ? (doc.keyWeights[j] ?? 1) : 1));
}

/** Standard convention head size: explicit d_k or d/h (the engine requires h to divide d then). */
export function headSize(doc: Pick<DocState, 'd' | 'dk' | 'h' | 'mechanism'>): number {
  const h = doc.mechanism === 'multi' ? doc.h : 1;
  return doc.dk ?? Math.max(1, Math.floor(doc.d / h));
}

/** Whether d/h is a whole number where it has to be (standard convention, d_k = d/h). */
export function divisible(doc: Pick<DocState, 'd' | 'dk' | 'h' | 'mechanism' | 'convention' | 'source'>): boolean {
  if (doc.source.kind !== 'seeded' || doc.convention === 'article' || doc.dk !== null) return true;
  const h = doc.mechanism === 'multi' ? doc.h : 1;
  return doc.d % h === 0;
}

export function toScenario(doc: DocState): Scenario {
  return {
    tokens: doc.tokens,
    mechanism: doc.mechanism,
    convention: doc.convention,
    seed: doc.seed,
    d: doc.d,
    h: doc.mechanism === 'multi' ? doc.h : 1,
    dk: doc.dk,
    causal: doc.causal,
    keyWeights: doc.keyWeights,
    padding: doc.padding,
    overrides: doc.overrides,
  };
}

/** Integer check with a range, for controls, links and edits alike. */
export function intInRange(v: number, lo: number, hi: number): boolean {
  return Number.isInteger(v) && v >= lo && v <= hi;
}

/** Why a document can't be computed right now (limits), or null. Messages are message keys + params. */
export function limitProblem(
  doc: DocState,
): { key: 'limit.tokens' | 'limit.empty' | 'limit.heads' | 'limit.d' | 'limit.dk' | 'input.notDivisible'; params: Record<string, number> } | null {
  const n = doc.tokens.length;
  if (n === 0) return { key: 'limit.empty', params: {} };
  if (n > LIMITS.maxTokens) return { key: 'limit.tokens', params: { n, max: LIMITS.maxTokens } };
  if (doc.source.kind !== 'seeded') return null;
  if (!intInRange(doc.h, 1, LIMITS.maxHeads)) return { key: 'limit.heads', params: { h: doc.h, max: LIMITS.maxHeads } };
  if (!intInRange(doc.d, 1, LIMITS.maxD)) return { key: 'limit.d', params: { d: doc.d, max: LIMITS.maxD } };
  if (doc.dk !== null && !intInRange(doc.dk, 1, LIMITS.maxD)) return { key: 'limit.dk', params: { dk: doc.dk, max: LIMITS.maxD } };
  if (!divisible(doc)) return { key: 'input.notDivisible', params: { d: doc.d, h: doc.h } };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Override paths: "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]".

export interface OverridePath {
  matrix: 'X' | 'Wq' | 'Wk' | 'Wv' | 'Wo';
  head: number | null;
  row: number;
  col: number;
}

const PATH_RE = /^(?:(X|Wo)|heads\[(\d+)\]\.(Wq|Wk|Wv))\[(\d+)\]\[(\d+)\]$/;

export function parseOverridePath(path: string): OverridePath | null {
  const m = PATH_RE.exec(path);
  if (!m) return null;
  if (m[1]) return { matrix: m[1] as 'X' | 'Wo', head: null, row: Number(m[4]), col: Number(m[5]) };
  return { matrix: m[3] as 'Wq' | 'Wk' | 'Wv', head: Number(m[2]), row: Number(m[4]), col: Number(m[5]) };
}

export function formatOverridePath(p: OverridePath): string {
  const rc = `[${p.row}][${p.col}]`;
  return p.head === null ? `${p.matrix}${rc}` : `heads[${p.head}].${p.matrix}${rc}`;
}

/** Moves the X-row overrides with their tokens: `map(oldRow)` gives the new row or null (deleted). */
export function remapTokenRows(overrides: Record<string, number>, map: (row: number) => number | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, value] of Object.entries(overrides)) {
    const p = parseOverridePath(path);
    if (!p) continue;
    if (p.matrix === 'X') {
      const row = map(p.row);
      if (row === null) continue;
      out[formatOverridePath({ ...p, row })] = value;
    } else {
      out[path] = value;
    }
  }
  return out;
}

/** Shapes of the matrices a seeded document builds (for pruning overrides that no longer fit). */
function seededShapes(doc: DocState): { n: number; d: number; h: number; dk: number; dv: number; wo: [number, number] | null } {
  const n = doc.tokens.length;
  const h = effectiveHeads(doc);
  if (doc.convention === 'article') return { n, d: doc.d, h, dk: doc.d, dv: doc.d, wo: null };
  const dk = headSize(doc);
  return { n, d: doc.d, h, dk, dv: dk, wo: [h * dk, doc.d] };
}

/** Drops overrides that point outside the current shapes. Returns the same object when nothing changes. */
function pruneOverrides(doc: DocState): Record<string, number> {
  const entries = Object.entries(doc.overrides);
  if (entries.length === 0) return doc.overrides;
  let fits: (p: OverridePath) => boolean;
  if (doc.source.kind === 'model') return {};
  if (doc.source.kind === 'case') {
    const c = doc.source.case;
    fits = (p) => {
      const m = p.matrix === 'X' ? c.X : p.matrix === 'Wo' ? c.Wo ?? null : c.heads[p.head ?? -1]?.[p.matrix] ?? null;
      return !!m && p.row < m.length && p.col < (m[p.row]?.length ?? 0);
    };
  } else {
    const s = seededShapes(doc);
    fits = (p) => {
      switch (p.matrix) {
        case 'X':
          return p.row < s.n && p.col < s.d;
        case 'Wo':
          return !!s.wo && p.row < s.wo[0] && p.col < s.wo[1];
        case 'Wv':
          return (p.head ?? 0) < s.h && p.row < s.d && p.col < s.dv;
        default:
          return (p.head ?? 0) < s.h && p.row < s.d && p.col < s.dk;
      }
    };
  }
  const kept = entries.filter(([path]) => {
    const p = parseOverridePath(path);
    return !!p && fits(p);
  });
  return kept.length === entries.length ? doc.overrides : Object.fromEntries(kept);
}

/** Makes a document self-consistent: per-token arrays of length n, head and cell in range. */
export function normalizeDoc(doc: DocState): DocState {
  const n = doc.tokens.length;
  let out = doc;
  if (doc.keyWeights.length !== n) {
    out = { ...out, keyWeights: Array.from({ length: n }, (_, j) => doc.keyWeights[j] ?? 1) };
  }
  if (doc.padding.length !== n) {
    out = { ...out, padding: Array.from({ length: n }, (_, j) => doc.padding[j] ?? false) };
  }
  if (!intInRange(out.layer, 0, out.source.kind === 'model' ? LIMITS.maxLayer : 0)) out = { ...out, layer: 0 };
  // A trained decoder is causal whatever the checkbox said before.
  if (out.source.kind === 'model' && !out.causal) out = { ...out, causal: true };
  const heads = effectiveHeads(out);
  if (out.head >= heads || out.head < 0) out = { ...out, head: Math.max(0, Math.min(heads - 1, out.head)) };
  if (out.cell && (out.cell.row >= n || out.cell.col >= n)) out = { ...out, cell: n > 0 ? { row: Math.min(out.cell.row, n - 1), col: Math.min(out.cell.col, n - 1) } : null };
  // The across-layers views need a model: another source shows its heads.
  if (out.source.kind !== 'model' && out.view !== 'model' && MODEL_VIEWS.includes(out.view)) out = { ...out, view: 'heads' };
  // Ablation and comparison belong to models: another source drops them.
  if (out.source.kind !== 'model' && (out.ablate.length > 0 || out.compare !== null || out.target !== null)) out = { ...out, ablate: [], compare: null, target: null };
  const pruned = pruneOverrides(out);
  if (pruned !== out.overrides) out = { ...out, overrides: pruned };
  return out;
}

export function contentOf(doc: DocState): Content {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { layer, head, cell, view, step, lesson, ...content } = doc;
  return content;
}

/** The case's token labels, or t0, t1, … when it has none (or labels that are not all strings). */
export function caseTokens(c: CaseJson): string[] {
  const labels: unknown = c.tokens;
  if (Array.isArray(labels) && labels.length === c.X.length && labels.every((x) => typeof x === 'string')) return labels.slice();
  return c.X.map((_, i) => `t${i}`);
}
