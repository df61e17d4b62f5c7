// A TeX formula rendered by KaTeX. This is the one place that sets inner HTML, and only with
// KaTeX's output for TeX that we write ourselves: never put token text into `tex` (tokens are
// untrusted user input) — write tokens next to the formula as plain text instead.
import { memo, useMemo } from 'react';
import katex from 'katex';
import 'katex/dist/katex.min.css';

export interface FormulaProps {
  /** The TeX source (our own: never user text). */
  tex: string;
  /** Display (block) mode instead of inline. */
  block?: boolean;
  /** Extra class names. */
  className?: string;
  /** data-testid for browser tests. */
  testId?: string;
  /** Full-precision value for browser tests (data-value). */
  value?: string;
}

/** KaTeX's output by TeX (a formula flipped back and forth is typeset once); least recently used out first. */
const cache = new Map<string, string>();
const CACHE_SIZE = 256;

function typeset(tex: string, block: boolean): string {
  const key = `${block ? 'B' : 'I'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, { throwOnError: false, displayMode: block, strict: 'ignore', trust: false, output: 'htmlAndMathml' });
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(key);
  }
  cache.set(key, html);
  return html;
}

export const Formula = memo(function Formula({ tex, block = false, className, testId, value }: FormulaProps) {
  const html = useMemo(() => typeset(tex, block), [tex, block]);
  return (
    <span
      className={`al-formula${block ? ' al-formula-block' : ''}${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-value={value}
      // KaTeX output of our own TeX only (see the note at the top of this file).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
});

