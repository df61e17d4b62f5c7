// Props contracts of the views. Views take plain data and report user intent through callbacks;
// they never compute attention (the engine does, in a worker) and never touch the store.
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import type { Convention, Mechanism } from '../engine/scenario.ts';
import type { HeadScores } from '../engine/headScores.ts';

/** The query/key pair under the pointer (or keyboard focus), shared by every view. */
export interface Focus {
  head: number | null;
  query: number | null;
  key: number | null;
}

export interface Cell {
  row: number;
  col: number;
}

export type ColorKind = 'sequential' | 'diverging';

/** One labelled matrix heatmap (cells on canvas via ImageData, labels in SVG). */
export interface MatrixHeatmapProps {
  matrix: Matrix;
  rowLabels?: string[];
  colLabels?: string[];
  /** Accessible name and caption, e.g. "Head 2 — A". */
  title: string;
  /** Shape written beside the matrix, e.g. "n×d = 5×8". */
  shape?: string;
  color: ColorKind;
  /** Colour domain; defaults to [0, 1] for sequential and ±max|x| for diverging. */
  domain?: [number, number];
  /** Columns drawn as excluded (hatched/greyed): keys with weight 0. */
  excludedCols?: boolean[];
  highlight?: { row: number | null; col: number | null };
  selected?: Cell | null;
  /** Largest side in CSS pixels. */
  size?: number;
  onHover?: (cell: Cell | null) => void;
  onSelect?: (cell: Cell) => void;
  /** When given, cells are editable (double-click / Enter opens an input). */
  onEdit?: (cell: Cell, value: number) => void;
}

/** One heatmap of A per head, in a grid. */
export interface HeadGridProps {
  heads: Matrix[]; // A per head, n×n each
  tokens: string[];
  excludedKeys: boolean[];
  focus: Focus;
  selectedHead: number;
  selectedCell: Cell | null;
  onFocus: (focus: Focus | null) => void;
  onSelect: (head: number, cell: Cell) => void;
}

/** BertViz-style lines from queries (left) to keys (right), one colour per head. */
export interface AttentionLinesProps {
  heads: Matrix[]; // A per head
  tokens: string[];
  excludedKeys: boolean[];
  enabledHeads: boolean[];
  focus: Focus;
  onToggleHead: (head: number) => void;
  onFocus: (focus: Focus | null) => void;
}

/** X, W^Q, W^K, W^V, Q, K, V, scores, A, Z (and W^O, out) for the selected head. */
export interface MatricesPanelProps {
  input: AttentionInput;
  result: AttentionResult;
  tokens: string[];
  head: number;
  focus: Focus;
  onFocus: (focus: Focus | null) => void;
  /** path like "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]". */
  onEdit?: (path: string, value: number) => void;
}

/** The formulas step by step, with the arithmetic of one cell written out. */
export interface StepByStepProps {
  input: AttentionInput;
  result: AttentionResult;
  tokens: string[];
  mechanism: Mechanism;
  convention: Convention;
  head: number;
  cell: Cell; // row = query i, col = key j
  step: number;
  onStep: (step: number) => void;
  onSelectCell: (cell: Cell) => void;
}

/** One head of a model: layer l (0-based), head h (0-based). Seeded and case sources have one layer. */
export interface HeadRef {
  layer: number;
  head: number;
}

/**
 * Per-head pattern scores (engine/headScores.ts), all in [0, 1] or NaN when no row qualifies.
 * `induction` is measured on a probe (a random sequence repeated twice), not on the user's text.
 */
export type HeadScoreRow = HeadScores;

/** The model view: a layers × heads grid of thumbnails (BertViz "model view"). */
export interface ModelGridProps {
  /** layers[l][h] = A of head h in layer l, n×n. */
  layers: Matrix[][];
  /** Token texts (displayed via components/format.ts displayToken). */
  tokens: string[];
  /** Keys drawn as excluded (weight 0). */
  excludedKeys: boolean[];
  /** scores[l][h]; null while not computed. */
  scores: HeadScoreRow[][] | null;
  selected: HeadRef;
  /** The query token under the pointer (from the token strip or any heatmap): every head shows its row. */
  focusQuery: number | null;
  onSelect: (ref: HeadRef) => void;
  onFocusQuery: (query: number | null) => void;
}

/** Sortable table of head scores, and "heads like this one" for the selected head. */
export interface HeadScoresTableProps {
  scores: HeadScoreRow[][];
  /** similarity[a][b] for flattened heads a = l·H + h (1 = identical patterns); null when not computed (too large). */
  similarity: number[][] | null;
  selected: HeadRef;
  onSelect: (ref: HeadRef) => void;
}
