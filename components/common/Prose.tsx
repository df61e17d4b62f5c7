// Catalog prose with its maths between $…$ (our own TeX in the message catalogs, never user text),
// typeset with KaTeX instead of showing "A_ij ∝ w_j·exp(s_ij)" as ASCII. KaTeX is loaded lazily: a hint
// under the heatmaps is in the widget's first load, which must not carry KaTeX's ~70 kB (gzip).
import { Fragment, lazy, Suspense } from 'react';
import { splitInlineTex } from '../teaching/inlineTex.ts';

const Formula = lazy(() => import('./Formula.tsx').then((m) => ({ default: m.Formula })));

/** One catalog string: its text as text, its $…$ pieces typeset (their TeX source until KaTeX has loaded). */
export function Prose({ text }: { /** The translated string (from t(), never user input). */ text: string }) {
  return (
    <>
      {splitInlineTex(text).map((piece, k) => (
        <Fragment key={k}>
          {'tex' in piece ? (
            <Suspense fallback={<span className="al-formula">{piece.tex}</span>}>
              <Formula tex={piece.tex} />
            </Suspense>
          ) : (
            piece.text
          )}
        </Fragment>
      ))}
    </>
  );
}
