// Catalog prose with its maths between $…$ (our own TeX in the message catalogs, never user text),
// typeset with KaTeX instead of showing "A_ij ∝ w_j·exp(s_ij)" as ASCII.
import { Fragment } from 'react';
import { splitInlineTex } from '../teaching/inlineTex.ts';
import { Formula } from './Formula.tsx';

/** One catalog string: its text as text, its $…$ pieces typeset. */
export function Prose({ text }: { /** The translated string (from t(), never user input). */ text: string }) {
  return (
    <>
      {splitInlineTex(text).map((piece, k) => (
        <Fragment key={k}>{'tex' in piece ? <Formula tex={piece.tex} /> : piece.text}</Fragment>
      ))}
    </>
  );
}
