// One head over the corpus: each score with its spread (95 % interval, sd, how many rows and sequences)
// and a histogram of its per-sequence values, and the head's top examples — the places where it attends
// hardest away from the first token — each as its text with the query and the key marked.
import { useId, useMemo } from 'react';
import type { CorpusHead, ScoreSummary } from '../../engine/corpus/aggregate.ts';
import type { ExampleSequence } from '../../engine/corpus/run.ts';
import type { TopExample } from '../../engine/corpus/topExamples.ts';
import { SCORE_KEYS, type ScoreKey } from '../../engine/headScores.ts';
import { useT } from '../../i18n/react.ts';
import { displayToken } from '../common/format.ts';
import type { HeadRef } from '../common/types.ts';
import { exampleStretches, runningText } from './exampleWindow.ts';
import { formatInterval, formatScore2 } from './scoreText.ts';
import './corpus.css';

export interface HeadDashboardProps {
  /** The head shown. */
  head: HeadRef;
  /** Its corpus scores and top examples. */
  data: CorpusHead;
  /** The sequences its top examples point into, by index. */
  sequences: ReadonlyMap<number, ExampleSequence>;
  /** The model's layers and heads per layer (for the previous/next buttons). */
  layers: number;
  heads: number;
  /** Whether the model attends causally (keys after the query are not admissible). */
  causal: boolean;
  /** Back to the head finder. */
  onBack: () => void;
  /** Shows another head's dashboard. */
  onHead: (ref: HeadRef) => void;
  /** Opens an example's sequence in every view on this head; null where that cannot be done (the widget). */
  onOpenExample: ((example: ExampleSequence, top: TopExample) => void) | null;
}

/** Per-sequence values of a score as bars over [0, 1], with the pooled score and the 95 % interval marked. */
function Histogram({ s, label }: { s: ScoreSummary; label: string }) {
  const t = useT();
  const W = 160;
  const Hh = 36;
  const max = Math.max(1, ...s.histogram);
  const bw = W / s.histogram.length;
  const x = (v: number) => Math.max(0, Math.min(W, v * W));
  return (
    <svg className="al-corpus-hist" viewBox={`0 0 ${W} ${Hh + 2}`} width={W} height={Hh + 2} role="img" aria-label={t('corpus.hist.label', { score: label, n: s.sequences })} data-testid="corpus-histogram" data-counts={s.histogram.join(',')}>
      {s.interval && <rect className="al-corpus-hist-band" x={x(s.interval[0])} y={0} width={Math.max(1, x(s.interval[1]) - x(s.interval[0]))} height={Hh} />}
      {s.histogram.map((c, k) => (c > 0 ? <rect key={k} className="al-corpus-hist-bar" x={k * bw + 0.5} y={Hh - (c / max) * Hh} width={bw - 1} height={(c / max) * Hh} /> : null))}
      {s.mean !== null && <line className="al-corpus-hist-mean" x1={x(s.mean)} x2={x(s.mean)} y1={0} y2={Hh} />}
      <line className="al-corpus-hist-axis" x1={0} x2={W} y1={Hh + 0.5} y2={Hh + 0.5} />
    </svg>
  );
}

/** Whitespace-only tokens (a space, a newline) made visible where they are marked; elsewhere a newline reads as ↵. */
const shownToken = (tok: string, marked: boolean) => (marked && tok.trim() === '' ? displayToken(tok) : tok.replace(/\r?\n/g, '↵'));

/**
 * A top example's text: stretches around the key and the query (longer for a character model, whose
 * tokens are single characters), the tokens written as text, the key and the query marked.
 */
function ExampleText({ tokens: given, query, keyIndex }: { tokens: string[]; query: number; keyIndex: number }) {
  const t = useT();
  const tokens = runningText(given);
  const chars = given.every((tok) => Array.from(tok).length <= 1);
  const stretches = chars ? exampleStretches(tokens.length, query, keyIndex, 32, 12) : exampleStretches(tokens.length, query, keyIndex);
  return (
    <span className="al-corpus-example-text">
      {stretches[0].from > 0 && <span className="al-corpus-gap">…</span>}
      {stretches.map((s, k) => (
        <span key={s.from}>
          {k > 0 && <span className="al-corpus-gap"> … </span>}
          {tokens.slice(s.from, s.to).map((tok, j) => {
            const i = s.from + j;
            const isQ = i === query;
            const isK = i === keyIndex;
            if (!isQ && !isK) return <span key={i}>{shownToken(tok, false)}</span>;
            const cls = `al-corpus-tok${isQ ? ' al-corpus-q' : ''}${isK ? ' al-corpus-k' : ''}`;
            const role = isQ && isK ? t('corpus.example.queryKey') : isQ ? t('corpus.example.query') : t('corpus.example.key');
            return (
              <mark key={i} className={cls} data-index={i} data-role={isQ && isK ? 'query key' : isQ ? 'query' : 'key'} title={`${role} (${i})`}>
                {shownToken(tok, true)}
                <span className="al-sr-only"> ({role})</span>
              </mark>
            );
          })}
        </span>
      ))}
      {stretches.at(-1)!.to < tokens.length && <span className="al-corpus-gap">…</span>}
    </span>
  );
}

export function HeadDashboard({ head, data, sequences, layers, heads, causal, onBack, onHead, onOpenExample }: HeadDashboardProps) {
  const t = useT();
  const ids = useId();
  const name = t('corpus.headName', { layer: head.layer + 1, head: head.head + 1 });
  const flat = head.layer * heads + head.head;
  const step = (d: number) => {
    const k = (flat + d + layers * heads) % (layers * heads);
    onHead({ layer: Math.floor(k / heads), head: k % heads });
  };
  const rows = useMemo(() => SCORE_KEYS.map((key: ScoreKey) => ({ key, s: data.scores[key] })), [data]);
  return (
    <section className="al-corpus-dashboard" data-testid="head-dashboard" data-layer={head.layer} data-head={head.head} aria-labelledby={`${ids}-h`}>
      <div className="al-corpus-dash-bar">
        <button type="button" className="al-button" data-testid="corpus-back" onClick={onBack}>
          {t('corpus.back')}
        </button>
        <h3 id={`${ids}-h`} className="al-corpus-h">
          {t('corpus.dashboard', { head: name })}
        </h3>
        <button type="button" className="al-button" data-testid="corpus-prev-head" aria-label={t('corpus.prevHead')} onClick={() => step(-1)}>
          ‹
        </button>
        <button type="button" className="al-button" data-testid="corpus-next-head" aria-label={t('corpus.nextHead')} onClick={() => step(1)}>
          ›
        </button>
      </div>
      <div className="al-corpus-table-wrap">
        <table className="al-corpus-table al-corpus-scores" data-testid="dashboard-scores">
          <caption>{t('corpus.dashboard.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('corpus.col.score')}</th>
              <th scope="col">{t('corpus.col.mean')}</th>
              <th scope="col">{t('corpus.col.interval')}</th>
              <th scope="col">{t('corpus.col.sd')}</th>
              <th scope="col">{t('corpus.col.rows')}</th>
              <th scope="col">{t('corpus.col.sequences')}</th>
              <th scope="col">{t('corpus.col.histogram')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, s }) => (
              <tr key={key} data-testid="dashboard-score" data-score={key} data-mean={s.mean ?? ''} data-interval={s.interval?.join(',') ?? ''} data-rows={s.rows} data-sequences={s.sequences}>
                <th scope="row" title={t(`corpus.score.${key}.hint`)}>
                  {t(`corpus.score.${key}`)}
                </th>
                <td>{formatScore2(s.mean)}</td>
                <td>{formatInterval(s)}</td>
                <td>{formatScore2(s.sd)}</td>
                <td>{s.rows.toLocaleString()}</td>
                <td>{s.sequences.toLocaleString()}</td>
                <td>
                  <Histogram s={s} label={t(`corpus.score.${key}`)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="al-hint">{t('corpus.dashboard.help')}</p>
      <h4 className="al-corpus-h4">{t('corpus.examples', { n: data.top.length })}</h4>
      <p className="al-hint">{t(causal ? 'corpus.examples.help' : 'corpus.examples.helpFull')}</p>
      {data.top.length === 0 ? (
        <p className="al-hint" data-testid="corpus-no-examples">
          {t('corpus.examples.none')}
        </p>
      ) : (
        <ol className="al-corpus-examples" data-testid="corpus-examples">
          {data.top.map((top) => {
            const seq = sequences.get(top.sequence);
            if (!seq) return null;
            const body = (
              <>
                <span className="al-corpus-weight" data-testid="corpus-example-weight">
                  {top.weight.toFixed(3)}
                </span>
                <span className="al-corpus-where">{t('corpus.example.where', { sequence: top.sequence, query: top.query, key: top.key })}</span>
                <ExampleText tokens={seq.tokens} query={top.query} keyIndex={top.key} />
              </>
            );
            return (
              <li key={`${top.sequence}.${top.query}.${top.key}`} data-testid="corpus-example" data-sequence={top.sequence} data-query={top.query} data-key={top.key} data-weight={top.weight}>
                {onOpenExample ? (
                  <button type="button" className="al-corpus-example" title={t('corpus.example.open')} onClick={() => onOpenExample(seq, top)}>
                    {body}
                  </button>
                ) : (
                  <div className="al-corpus-example">{body}</div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
