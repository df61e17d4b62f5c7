// The scores step of a RoPE model: q_i and k_j before and after the rotation, above the dot product
// that uses the rotated pair.
import { useT } from '../../i18n/react.ts';
import { Formula } from '../common/Formula.tsx';
import { rowOf, Token, Vector } from './pieces.tsx';
import type { RotaryView } from './rotary.ts';
import type { HeadResult } from '../../engine/types.ts';

/** The selected query's and key's vectors around the rotation. */
export interface RotaryLinesProps {
  /** The rotation and the vectors before it. */
  rope: RotaryView;
  /** The head's result: Q and K after the rotation. */
  hr: HeadResult;
  /** The query row i (its position). */
  i: number;
  /** The key row j (its position). */
  j: number;
  /** The token of a position. */
  tok: (x: number) => string;
  /** The head as a TeX subscript of W ("_{2}"), empty with one head. */
  sub: string;
}

export function RotaryLines({ rope, hr, i, j, tok, sub }: RotaryLinesProps) {
  const t = useT();
  const lines = [
    { name: 'q', label: t('steps.rope.q'), at: i, before: rowOf(rope.Qpre, i), after: rowOf(hr.Q, i) },
    { name: 'k', label: t('steps.rope.k'), at: j, before: rowOf(rope.Kpre, j), after: rowOf(hr.K, j) },
  ];
  return (
    <div className="al-rope" data-testid="step-rope">
      <p className="al-arith-note">{t('steps.rope.note', { dims: rope.dims })}</p>
      {lines.map((l) => (
        <div key={l.name} className="al-arith-line">
          <span className="al-arith-label">{l.label}</span>
          <Token text={tok(l.at)} />
          <Formula tex={`${l.name}_{${l.at}} = x_{${l.at}}W^{${l.name.toUpperCase()}}${sub} =`} />
          <Vector values={l.before} testId={`step-rope-${l.name}-pre`} />
          <Formula tex={`\\;\\mapsto\\; \\tilde{${l.name}}_{${l.at}} =`} />
          <Vector values={l.after} testId={`step-rope-${l.name}`} />
        </div>
      ))}
    </div>
  );
}
