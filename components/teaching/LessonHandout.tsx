// The printed lesson: every step of one lesson — its text with the engine's numbers, its formula and a
// heatmap of A with the values written in — laid out for paper or PDF. Hidden on screen; the print
// stylesheet shows only this (so the browser's own Print prints the lesson too).
import { Fragment } from 'react';
import { t } from '../../i18n/index.ts';
import { colorOf, readableTextColor } from '../common/color.ts';
import { Formula } from '../common/Formula.tsx';
import { splitInlineTex } from './inlineTex.ts';
import type { LessonTextPart } from './LessonPanel.tsx';
import './handout.css';

/** One step as printed. */
export interface HandoutStep {
  /** The step's title. */
  title: string;
  /** Its text: prose and the engine's numbers. */
  text: readonly LessonTextPart[];
  /** Its formula in TeX (our own). */
  tex: string;
  /** A of the step's case (head 1) with the token labels; null on a model step. */
  heatmap: { labels: readonly string[]; A: readonly (readonly number[])[] } | null;
  /** The step's question, if it asks one. */
  question: string | null;
}

export interface LessonHandoutProps {
  /** The lesson's title. */
  title: string;
  /** The article's section the lesson follows, if any. */
  article: string | null;
  /** Every step, in order. */
  steps: readonly HandoutStep[];
}

/** Prose with inline TeX and the engine's numbers; "e^{S[2][0]}" sets the number as an exponent. */
export function LessonText({ parts }: { parts: readonly LessonTextPart[] }) {
  return (
    <>
      {parts.map((p, k) => {
        if (typeof p === 'string') {
          const text = p.endsWith('^') && typeof parts[k + 1] === 'object' ? p.slice(0, -1) : p;
          return <Fragment key={k}>{splitInlineTex(text).map((piece, m) => ('tex' in piece ? <Formula key={m} tex={piece.tex} /> : piece.text))}</Fragment>;
        }
        const number = (
          <span key={k} className="al-lesson-number" data-ref={p.ref}>
            {p.text}
          </span>
        );
        const prev = parts[k - 1];
        return typeof prev === 'string' && prev.endsWith('^') ? <sup key={k}>{number}</sup> : number;
      })}
    </>
  );
}

function HandoutHeatmap({ labels, A }: { labels: readonly string[]; A: readonly (readonly number[])[] }) {
  return (
    <table className="al-handout-heatmap" aria-label={t('handout.heatmap')}>
      <thead>
        <tr>
          <th />
          {labels.map((l, j) => (
            <th key={j} scope="col">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {A.map((row, i) => (
          <tr key={i}>
            <th scope="row">{labels[i]}</th>
            {row.map((v, j) => {
              const bg = colorOf('sequential', [0, 1], v, 'high-contrast');
              return (
                <td key={j} style={{ background: bg, color: readableTextColor(bg) }}>
                  {v.toFixed(3)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LessonHandout({ title, article, steps }: LessonHandoutProps) {
  return (
    <article className="al-handout" data-testid="lesson-handout">
      <h1>{title}</h1>
      {article && <p className="al-handout-article">{article}</p>}
      {steps.map((s, k) => (
        <section key={k} className="al-handout-step" data-testid="handout-step">
          <h2>
            {t('lessons.progress', { n: k + 1, total: steps.length })} · {s.title}
          </h2>
          <p>
            <LessonText parts={s.text} />
          </p>
          {s.tex && <Formula tex={s.tex} block className="al-handout-formula" />}
          {s.question && (
            <p className="al-handout-question">
              <LessonText parts={[t('lessons.predict', { question: s.question })]} />
            </p>
          )}
          {s.heatmap && (
            <figure className="al-handout-figure">
              <HandoutHeatmap labels={s.heatmap.labels} A={s.heatmap.A} />
              <figcaption>{t('handout.caption')}</figcaption>
            </figure>
          )}
        </section>
      ))}
    </article>
  );
}
