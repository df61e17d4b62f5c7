// Edit paths reported by the matrices panel; the scenario's overrides are keyed by them.
import type { Cell } from '../common/types.ts';

export type EditableMatrix = 'X' | 'Wq' | 'Wk' | 'Wv' | 'Wo';

/** Prefix of an editable matrix: "X", "heads[1].Wq", "Wo". */
export function editPrefix(matrix: EditableMatrix, head: number): string {
  return matrix === 'X' || matrix === 'Wo' ? matrix : `heads[${head}].${matrix}`;
}

/** "X[2][3]", "heads[1].Wq[0][2]", "Wo[4][1]". */
export function editPath(prefix: string, cell: Cell): string {
  return `${prefix}[${cell.row}][${cell.col}]`;
}
