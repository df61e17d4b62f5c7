// Props contracts of the views. Views take plain data and report user intent through callbacks;
// they never compute attention (the engine does, in a worker) and never touch the store.
import type { AttentionInput, AttentionResult, Matrix } from '../engine/types.ts';
import type { Convention, Mechanism } from '../engine/scenario.ts';

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
