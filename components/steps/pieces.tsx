// The small pieces every step writes its arithmetic with: numbers, vectors, tokens and the small
// labelled matrices beside the formulas.
import type { ReactNode } from 'react';
import type { Matrix } from '../../engine/types.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { MatrixHeatmap, type MatrixHeatmapProps } from '../heatmap/MatrixHeatmap.tsx';
import { vectorTex } from './steps.ts';
import { displayToken, formatFull, formatShape, formatValue, truncateLabel } from '../common/format.ts';

export function rowOf(m: Matrix, i: number): number[] {
  return Array.from({ length: m.cols }, (_, t) => m.data[i * m.cols + t]);
}

export interface NumProps {
  /** The number. */
  value: number;
  /** Test id. */
  testId?: string;
  /** Significant digits shown (default: formatValue's). */
  digits?: number;
}

/** A number as shown (rounded), with its full value in data-value for tests and copy. */
export function Num({ value, testId, digits }: NumProps) {
  return (
    <span className="al-num" data-testid={testId} data-value={formatFull(value)}>
      {formatValue(value, digits)}
    </span>
  );
}

export interface VectorProps {
  /** The vector's entries. */
  values: readonly number[];
  /** Test id. */
  testId?: string;
}

/** A row vector in TeX, long ones elided with a note of how many entries are hidden. */
export function Vector({ values, testId }: VectorProps) {
  const t = useT();
  const { tex, hidden } = vectorTex(values);
  return (
    <span className="al-vector" data-testid={testId} data-value={JSON.stringify(values.map(Number))}>
      <Formula tex={tex} />
      {hidden > 0 && <span className="al-gap">{t('steps.moreEntries', { count: hidden })}</span>}
    </span>
  );
}

export interface TokenProps {
  /** The token. */
  text: string;
  /** Its key is excluded (weight 0 or masked). */
  excluded?: boolean;
}

/** A token as text (never TeX), struck through when its key is excluded. */
export function Token({ text, excluded = false }: TokenProps) {
  return <span className={`al-token${excluded ? ' al-excluded' : ''}`}>{truncateLabel(displayToken(text), 24)}</span>;
}

/** Draws one of a step's small matrices: title from the catalog, TeX caption, shape. */
export type SmallMatrix = (m: Matrix, titleKey: MessageKey, tex: string, color: 'sequential' | 'diverging', extra?: Partial<MatrixHeatmapProps>) => ReactNode;

export function useSmallMatrix(head: number, palette: MatrixHeatmapProps['palette'], matrixSize: number): SmallMatrix {
  const t = useT();
  return (m, titleKey, tex, color, extra = {}) => (
    <MatrixHeatmap
      key={titleKey}
      matrix={m}
      title={t(titleKey, { head: head + 1 })}
      caption={<Formula tex={tex} />}
      shape={formatShape(m.rows, m.cols)}
      color={color}
      palette={palette}
      size={Math.min(matrixSize, Math.max(m.rows, m.cols) * 28)}
      legend={false}
      {...extra}
    />
  );
}
