// The app's document: everything the user chose, in one plain, serialisable object.
// It is what the URL encodes, what localStorage keeps, and what undo/redo snapshots.
// Pure functions only (no DOM, no store): shared by the store, urlState and the tests.
import type { PairFilter } from '../engine/analysis/pairLines.ts';
import type { Lang } from '../i18n/index.ts';
import type { CaseJson } from '../engine/types.ts';
import { divisible, effectiveHeads, headSize, type Convention, type Mechanism, type Scenario, type ScenarioSource, type TokenizeMode } from '../engine/scenario.ts';
import { DEFAULT_CORPUS, DEFAULT_CORPUS_LOOK, type CorpusLook, type CorpusPick } from './corpusDoc.ts';

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
export type Source = Exclude<ScenarioSource, { kind: 'model' }> | { kind: 'model'; model: ModelId };

export type ViewName = 'heads' | 'lines' | 'matrices' | 'steps' | 'model' | 'flow' | 'lens' | 'ablate' | 'compare' | 'corpus';
export const VIEWS: readonly ViewName[] = ['heads', 'lines', 'matrices', 'steps', 'model', 'flow', 'lens', 'ablate', 'compare', 'corpus'];
/** Views that need a model (several layers, an unembedding). The Corpus view runs one, but shows without (it offers one, or shows a result given as data). */
export const MODEL_VIEWS: readonly ViewName[] = ['model', 'flow', 'lens', 'ablate', 'compare'];

/** Framing tokens in the pictures: 'show' them, 'hide' them (rows as computed: they sum to less than 1), or hide them and 'renorm' each row over the tokens shown. */
export type SpecialTokens = 'show' | 'hide' | 'renorm';
export const SPECIAL_TOKENS: readonly SpecialTokens[] = ['show', 'hide', 'renorm'];
/** Query sentence → key sentence of a pair's lines; 'all': every line. */
export type PairLines = PairFilter;
export const PAIR_LINES: readonly PairLines[] = ['all', 'ab', 'ba', 'aa', 'bb'];

export interface CellRef {
  row: number;
  col: number;
}

/**
 * The document: a scenario (what the engine computes: engine/scenario.ts, whose rules say what its fields mean)
 * plus what only the app has — the typed text, the model's ablations and second input, and what is looked at.
 */
export interface DocState extends Scenario {
  source: Source;
  /** What the user typed. */
  text: string;
  /** How the text becomes tokens (the tokens can then be edited chip by chip). */
  mode: TokenizeMode;
  /** A local window on the causal mask (case and seeded sources): query i sees keys i − window < j ≤ i; null: none. */
  window: number | null;
  /** The tile size B of the online softmax the Steps view walks through; null: the plain softmax only. */
  tile: number | null;
  /** Heads of a model whose output z is replaced before W^O (model sources). */
  ablate: HeadRef[];
  ablateMode: AblationMode;
  /** The token whose log-probability the ablation follows; null: the model's own top prediction. */
  target: string | null;
  /** A second text, compared with the first head by head (model sources); null: none. */
  compare: string | null;
  /** An encoder's second sentence (B), read with the text as a pair with token types; null: none. */
  pair: string | null;
  /** The tokens a tokenizer frames the text with ([CLS], [SEP], <s>, </s>) in the pictures: shown, hidden, or hidden with the rows renormalised. */
  specials: SpecialTokens;
  /** The Lines view's sentence-pair filter: every line, or only A→B, B→A, A→A, B→B (query → key). */
  pairLines: PairLines;
  /** Read the second input (the compare text, or the text itself) this many positions later (model sources); 0: not shifted. */
  shift: number;
  // What is looked at (in the URL, not in undo history).
  /** Layer of a trained model whose heads the views show (0 for seeded and case sources). */
  layer: number;
  head: number;
  cell: CellRef | null;
  view: ViewName;
  step: number;
  /** The Corpus view: the corpus and caps of a run, and how its results are looked at (state/corpusDoc.ts). */
  corpus: CorpusPick;
  corpusLook: CorpusLook;
  /** The lesson step open (0-based lesson index and step); null: none. The app checks the index against its lessons. */
  lesson: LessonRef | null;
}

/** A step of a lesson, by position (the link says lesson=2&step=3, counting from 1). */
export interface LessonRef {
  lesson: number;
  step: number;
}

/** The undoable part of the document. */
export type Content = Omit<DocState, 'layer' | 'head' | 'cell' | 'view' | 'step' | 'corpus' | 'corpusLook' | 'lesson'>;

/**
 * The app's own limits: what its controls, links and imports accept. Tighter than the engine's LIMITS
 * (engine/validate.ts), which bound any computation (a case from the command line included), so that the
 * page stays responsive and links stay short.
 */
export const UI_LIMITS = {
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
  /** How many positions later the second input may be read (models' contexts are shorter). */
  maxShift: 1_000_000,
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
  window: null,
  tile: null,
  keyWeights: [],
  padding: [],
  overrides: {},
  ablate: [],
  ablateMode: 'zero',
  target: null,
  compare: null,
  pair: null,
  specials: 'show',
  pairLines: 'all',
  shift: 0,
  layer: 0,
  head: 0,
  cell: null,
  view: 'heads',
  step: 0,
  corpus: DEFAULT_CORPUS,
  corpusLook: DEFAULT_CORPUS_LOOK,
  lesson: null,
};

/**
 * How many heads a head index may name: the engine's count (effectiveHeads), or for a model, whose count is known
 * only once it is loaded, the most a model may have (the views clamp to the result).
 */
export function selectableHeads(doc: Pick<DocState, 'source' | 'mechanism' | 'h'>): number {
  return doc.source.kind === 'model' ? UI_LIMITS.maxModelHeads : effectiveHeads(doc);
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
  if (n > UI_LIMITS.maxTokens) return { key: 'limit.tokens', params: { n, max: UI_LIMITS.maxTokens } };
  if (doc.source.kind !== 'seeded') return null;
  if (!intInRange(doc.h, 1, UI_LIMITS.maxHeads)) return { key: 'limit.heads', params: { h: doc.h, max: UI_LIMITS.maxHeads } };
  if (!intInRange(doc.d, 1, UI_LIMITS.maxD)) return { key: 'limit.d', params: { d: doc.d, max: UI_LIMITS.maxD } };
  if (doc.dk !== null && !intInRange(doc.dk, 1, UI_LIMITS.maxD)) return { key: 'limit.dk', params: { dk: doc.dk, max: UI_LIMITS.maxD } };
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
function seededShapes(doc: DocState): { n: number; d: number; h: number; dk: number; wo: [number, number] | null } {
  const h = effectiveHeads(doc);
  const dk = headSize(doc);
  return { n: doc.tokens.length, d: doc.d, h, dk, wo: doc.convention === 'article' ? null : [h * dk, doc.d] };
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

/** A cell within n tokens (the same object when it already is; null when there are none). */
export function clampCell(cell: CellRef | null, n: number): CellRef | null {
  if (!cell || (cell.row < n && cell.col < n)) return cell;
  return n > 0 ? { row: Math.min(cell.row, n - 1), col: Math.min(cell.col, n - 1) } : null;
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
  if (!intInRange(out.layer, 0, out.source.kind === 'model' ? UI_LIMITS.maxLayer : 0)) out = { ...out, layer: 0 };
  // A trained decoder is causal whatever the checkbox said before.
  if (out.source.kind === 'model' && !out.causal) out = { ...out, causal: true };
  const heads = selectableHeads(out);
  if (out.head >= heads || out.head < 0) out = { ...out, head: Math.max(0, Math.min(heads - 1, out.head)) };
  // A checkpoint's tokens are its tokenizer's, counted in the result: the store clamps its cell then.
  const cell = out.source.kind === 'model' && isCheckpoint(out.source.model) ? out.cell : clampCell(out.cell, n);
  if (cell !== out.cell) out = { ...out, cell };
  // The across-layers views need a model: another source shows its heads.
  if (out.source.kind !== 'model' && out.view !== 'model' && MODEL_VIEWS.includes(out.view)) out = { ...out, view: 'heads' };
  // Ablation, comparison, the shift and a sentence pair belong to models: another source drops them.
  if (out.source.kind !== 'model' && (out.ablate.length > 0 || out.compare !== null || out.target !== null || out.pair !== null || out.shift !== 0)) out = { ...out, ablate: [], compare: null, target: null, pair: null, shift: 0 };
  // A model brings its own windows (GPT-Neo's local layers); the window control is for cases and seeded weights.
  if (out.source.kind === 'model' && out.window !== null) out = { ...out, window: null };
  const pruned = pruneOverrides(out);
  if (pruned !== out.overrides) out = { ...out, overrides: pruned };
  return out;
}

export function contentOf(doc: DocState): Content {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { layer, head, cell, view, step, corpus, corpusLook, lesson, ...content } = doc;
  return content;
}

/** The case's token labels, or t0, t1, … when it has none (or labels that are not all strings). */
export function caseTokens(c: CaseJson): string[] {
  const labels: unknown = c.tokens;
  if (Array.isArray(labels) && labels.length === c.X.length && labels.every((x) => typeof x === 'string')) return labels.slice();
  return c.X.map((_, i) => `t${i}`);
}
