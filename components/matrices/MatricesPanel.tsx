// Every matrix of the selected head, labelled with its KaTeX name and shape: the inputs
// (X and the weights, editable), the projections Q, K, V, the scores and A, and the outputs.
import { useMemo, type ReactNode } from 'react';
import '../views.css';
import type { AttentionInput, AttentionResult, Matrix } from '../../engine/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { MatrixHeatmap } from '../heatmap/MatrixHeatmap.tsx';
import type { Palette } from '../common/color.ts';
import { displayToken, formatShape, formatValue } from '../common/format.ts';
import { clamp } from '../common/geometry.ts';
import { editPath, editPrefix } from './paths.ts';
import type { Cell, ColorKind, Focus } from '../common/types.ts';

/** X, W^Q, W^K, W^V, Q, K, V, scores, A, Z (and W^O, out) for the selected head. */
export interface MatricesPanelProps {
  /** The case as the engine computed it. */
  input: AttentionInput;
  /** The engine's result for the case. */
  result: AttentionResult;
  /** The tokens, labelling the rows. */
  tokens: string[];
  /** The head shown (0-based). */
  head: number;
  /** The query/key pair under the pointer, highlighted in every matrix. */
  focus: Focus;
  /** The pointer or keyboard moved to a cell (null: left). */
  onFocus: (focus: Focus | null) => void;
  /** When given, input matrices are editable; path like "X[2][3]", "heads[0].Wq[1][2]", "Wo[0][1]". */
  onEdit?: (path: string, value: number) => void;
  /** The colour palette (default or high contrast). */
  palette?: Palette;
  /** Target CSS pixels per cell for small matrices (default 28, enough for numbers on cells). */
  cellSize?: number;
  /** Largest side of one matrix in CSS pixels (default 320). */
  maxSize?: number;
}

type Role = 'query' | 'key' | 'none';

interface Entry {
  id: string;
  tex: string;
  /** Plain-text name for tooltips, e.g. "W^Q" (notation, not prose). */
  name: string;
  titleKey: MessageKey;
  symbol: string;
  matrix: Matrix;
  color: ColorKind;
  rowLabels: string[];
  colLabels: string[];
  /** What a row of this matrix stands for (drives the focus highlight and hover). */
  rows: Role;
  /** Whether columns are keys (scores and A). */
  keyCols: boolean;
  /** Edit path prefix, e.g. "X" or "heads[0].Wq"; undefined when not editable. */
  path?: string;
}

function indexLabels(n: number): string[] {
  return Array.from({ length: n }, (_, k) => String(k));
}

export function MatricesPanel({
  input,
  result,
  tokens,
  head,
  focus,
  onFocus,
  onEdit,
  palette = 'default',
  cellSize = 28,
  maxSize = 320,
}: MatricesPanelProps) {
  const t = useT();
  const h = clamp(head, 0, Math.max(0, result.heads.length - 1));
  const hw = input.heads[h];
  const hr = result.heads[h];
  const multi = result.heads.length > 1;
  const n = input.X.rows;
  const sub = multi ? `_{${h + 1}}` : '';
  const sup = multi ? `^{${h + 1}}` : '';
  const nameSub = multi ? `_${h + 1}` : '';
  const nameSup = multi ? `^${h + 1}` : '';

  const excludedKeys = useMemo(() => {
    const w = input.keyWeights;
    if (!w) return undefined;
    const ex = Array.from({ length: n }, (_, j) => w[j] === 0);
    return ex.some(Boolean) ? ex : undefined;
  }, [input.keyWeights, n]);

  const entries = useMemo(() => {
    if (!hw || !hr) return [] as Entry[][];
    const tok = tokens.length === n ? tokens : indexLabels(n);
    const d = input.X.cols;
    const groups: Entry[][] = [];
    groups.push([
      { id: 'X', name: 'X', tex: 'X', titleKey: 'matrices.X', symbol: 'n×d', matrix: input.X, color: 'diverging', rowLabels: tok, colLabels: indexLabels(d), rows: 'query', keyCols: false, path: 'X' },
      { id: 'Wq', name: `W^Q${nameSub}`, tex: `W^Q${sub}`, titleKey: 'matrices.Wq', symbol: 'd×d_k', matrix: hw.Wq, color: 'diverging', rowLabels: indexLabels(hw.Wq.rows), colLabels: indexLabels(hw.Wq.cols), rows: 'none', keyCols: false, path: editPrefix('Wq', h) },
      { id: 'Wk', name: `W^K${nameSub}`, tex: `W^K${sub}`, titleKey: 'matrices.Wk', symbol: 'd×d_k', matrix: hw.Wk, color: 'diverging', rowLabels: indexLabels(hw.Wk.rows), colLabels: indexLabels(hw.Wk.cols), rows: 'none', keyCols: false, path: editPrefix('Wk', h) },
      { id: 'Wv', name: `W^V${nameSub}`, tex: `W^V${sub}`, titleKey: 'matrices.Wv', symbol: 'd×d_v', matrix: hw.Wv, color: 'diverging', rowLabels: indexLabels(hw.Wv.rows), colLabels: indexLabels(hw.Wv.cols), rows: 'none', keyCols: false, path: editPrefix('Wv', h) },
    ]);
    groups.push([
      { id: 'Q', name: `Q${nameSup}`, tex: `Q${sup}`, titleKey: 'matrices.Q', symbol: 'n×d_k', matrix: hr.Q, color: 'diverging', rowLabels: tok, colLabels: indexLabels(hr.Q.cols), rows: 'query', keyCols: false },
      { id: 'K', name: `K${nameSup}`, tex: `K${sup}`, titleKey: 'matrices.K', symbol: 'n×d_k', matrix: hr.K, color: 'diverging', rowLabels: tok, colLabels: indexLabels(hr.K.cols), rows: 'key', keyCols: false },
      { id: 'V', name: `V${nameSup}`, tex: `V${sup}`, titleKey: 'matrices.V', symbol: 'n×d_v', matrix: hr.V, color: 'diverging', rowLabels: tok, colLabels: indexLabels(hr.V.cols), rows: 'key', keyCols: false },
    ]);
    groups.push([
      { id: 'scores', name: `S${nameSup}`, tex: `S${sup} = c\\,Q${sup}K^{${multi ? `${h + 1}` : ''}\\top}`, titleKey: 'matrices.scores', symbol: 'n×n', matrix: hr.scores, color: 'diverging', rowLabels: tok, colLabels: tok, rows: 'query', keyCols: true },
      { id: 'A', name: `A${nameSup}`, tex: `A${sup}`, titleKey: 'matrices.A', symbol: 'n×n', matrix: hr.A, color: 'sequential', rowLabels: tok, colLabels: tok, rows: 'query', keyCols: true },
    ]);
    const out: Entry[] = [
      { id: 'Zh', name: `Z${nameSup}`, tex: `Z${sup} = A${sup}V${sup}`, titleKey: 'matrices.Zh', symbol: 'n×d_v', matrix: hr.Z, color: 'diverging', rowLabels: tok, colLabels: indexLabels(hr.Z.cols), rows: 'query', keyCols: false },
    ];
    if (multi) {
      out.push({ id: 'Z', name: 'Z', tex: 'Z', titleKey: 'matrices.Z', symbol: 'n×hd_v', matrix: result.Z, color: 'diverging', rowLabels: tok, colLabels: indexLabels(result.Z.cols), rows: 'query', keyCols: false });
    }
    if (input.Wo) {
      out.push({ id: 'Wo', name: 'W^O', tex: 'W^O', titleKey: 'matrices.Wo', symbol: 'hd_v×d_out', matrix: input.Wo, color: 'diverging', rowLabels: indexLabels(input.Wo.rows), colLabels: indexLabels(input.Wo.cols), rows: 'none', keyCols: false, path: 'Wo' });
    }
    if (result.out) {
      out.push({ id: 'out', name: 'out', tex: '\\mathrm{out} = ZW^O', titleKey: 'matrices.out', symbol: 'n×d_out', matrix: result.out, color: 'diverging', rowLabels: tok, colLabels: indexLabels(result.out.cols), rows: 'query', keyCols: false });
    }
    groups.push(out);
    return groups;
  }, [hw, hr, tokens, n, input.X, input.Wo, result.Z, result.out, h, sub, sup, nameSub, nameSup, multi]);

  const groupTitles: MessageKey[] = ['matrices.group.inputs', 'matrices.group.projections', 'matrices.group.attention', 'matrices.group.output'];

  if (!hw || !hr) {
    return <div className="al-matrices al-empty">{t('matrices.noHead')}</div>;
  }

  return (
    <div className="al-matrices" data-testid="matrices-panel" data-head={h}>
      {entries.map((group, g) => (
        <section key={g} className="al-matrices-group" aria-label={t(groupTitles[g])}>
          <h3 className="al-matrices-group-title">{t(groupTitles[g])}</h3>
          <div className="al-matrices-row">
            {group.map((e) => (
              <MatrixCard
                key={e.id}
                entry={e}
                head={h}
                focus={focus}
                onFocus={onFocus}
                onEdit={onEdit}
                palette={palette}
                cellSize={cellSize}
                maxSize={maxSize}
                excludedKeys={e.keyCols ? excludedKeys : undefined}
              />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

interface MatrixCardProps {
  /** The matrix and how to label and edit it. */
  entry: Entry;
  /** The head shown. */
  head: number;
  /** The query/key pair in focus. */
  focus: Focus;
  /** The pointer moved to a cell (null: left). */
  onFocus: (focus: Focus | null) => void;
  /** Edits an input matrix's cell, by path. */
  onEdit?: (path: string, value: number) => void;
  /** The colour palette. */
  palette: Palette;
  /** Target CSS pixels per cell. */
  cellSize: number;
  /** Largest side in CSS pixels. */
  maxSize: number;
  /** Keys drawn as excluded. */
  excludedKeys?: boolean[];
}

function MatrixCard({ entry: e, head, focus, onFocus, onEdit, palette, cellSize, maxSize, excludedKeys }: MatrixCardProps) {
  const t = useT();
  const { rows, cols } = e.matrix;
  const size = clamp(Math.max(rows, cols) * cellSize, 48, maxSize);
  const highlight = useMemo(() => {
    if (e.keyCols) return { row: focus.query, col: focus.key };
    if (e.rows === 'query') return { row: focus.query, col: null };
    if (e.rows === 'key') return { row: focus.key, col: null };
    return { row: null, col: null };
  }, [e.keyCols, e.rows, focus.query, focus.key]);
  const onHover = useMemo(() => {
    if (e.keyCols) return (c: Cell | null) => onFocus(c ? { head, query: c.row, key: c.col } : null);
    if (e.rows === 'query') return (c: Cell | null) => onFocus(c ? { head, query: c.row, key: null } : null);
    if (e.rows === 'key') return (c: Cell | null) => onFocus(c ? { head, query: null, key: c.row } : null);
    return undefined;
  }, [e.keyCols, e.rows, head, onFocus]);
  const path = e.path;
  const edit = useMemo(() => (onEdit && path ? (c: Cell, v: number) => onEdit(editPath(path, c), v) : undefined), [onEdit, path]);
  const caption: ReactNode = useMemo(() => <Formula tex={e.tex} />, [e.tex]);
  // "animal: X[1][3] = 0.42" for token rows, "W^Q[2][0] = -0.1" for weights; A and scores keep "query → key: value".
  const name = e.name;
  const tokenRows = e.rows !== 'none' ? e.rowLabels : null;
  const describeCell = useMemo(() => {
    if (e.keyCols) return undefined;
    return (c: Cell, v: number) =>
      tokenRows
        ? t('matrices.cellToken', { token: displayToken(tokenRows[c.row] ?? ''), name, row: c.row, col: c.col, value: formatValue(v) })
        : t('matrices.cell', { name, row: c.row, col: c.col, value: formatValue(v) });
  }, [e.keyCols, tokenRows, name, t]);
  return (
    <div className="al-matrix-card" data-matrix={e.id}>
      <MatrixHeatmap
        matrix={e.matrix}
        rowLabels={e.rowLabels}
        colLabels={e.colLabels}
        title={t(e.titleKey, { head: head + 1 })}
        caption={caption}
        shape={`${e.symbol} = ${formatShape(rows, cols)}`}
        color={e.color}
        palette={palette}
        excludedCols={excludedKeys}
        highlight={highlight}
        size={size}
        onHover={onHover}
        onEdit={edit}
        describeCell={describeCell}
      />
    </div>
  );
}
