// A finished corpus run: what ran (model, corpus, sequences, tokens, time), then the head finder or, for
// the head picked, its dashboard. The app shows it under the corpus panel; the widget shows a run given as data.
import { useMemo } from 'react';
import type { CorpusRun, ExampleSequence } from '../../engine/corpus/run.ts';
import type { TopExample } from '../../engine/corpus/topExamples.ts';
import type { ScoreKey } from '../../engine/headScores.ts';
import { useT } from '../../i18n/react.ts';
import type { Palette } from '../common/color.ts';
import type { HeadRef } from '../common/types.ts';
import type { SortDir, SortKey } from '../modelview/headTable.ts';
import { HeadDashboard } from './HeadDashboard.tsx';
import { HeadFinder } from './HeadFinder.tsx';
import './corpus.css';

export interface CorpusResultsProps {
  /** The run shown. */
  run: CorpusRun;
  /** The corpus' name as shown (a shipped one's from the catalogs, a file's own). */
  corpusName: string;
  /** It was read back from the cache rather than run just now. */
  fromCache: boolean;
  /** The head whose dashboard is open (null, or a head the model does not have: the finder). */
  head: HeadRef | null;
  /** The heatmap's score, the table's order and filter. */
  score: ScoreKey;
  sort: { key: SortKey; dir: SortDir };
  filter: string;
  /** The heatmaps' colours. */
  palette: Palette;
  onScore: (score: ScoreKey) => void;
  onSort: (sort: { key: SortKey; dir: SortDir }) => void;
  onFilter: (filter: string) => void;
  /** Opens a head's dashboard (null: back to the finder). */
  onHead: (ref: HeadRef | null) => void;
  /** Opens an example's sequence in every view on its head; null where that cannot be done. */
  onOpenExample: ((ref: HeadRef, example: ExampleSequence, top: TopExample) => void) | null;
  /** Saves the run as a JSON file (what the widget takes as data); absent where there is nothing to save to. */
  onDownload?: () => void;
}

export function CorpusResults({ run, corpusName, fromCache, head, score, sort, filter, palette, onScore, onSort, onFilter, onHead, onOpenExample, onDownload }: CorpusResultsProps) {
  const t = useT();
  const { model, corpus, result } = run;
  const sequences = useMemo(() => new Map(run.examples.map((x) => [x.sequence, x])), [run]);
  const open = head && head.layer < model.layers && head.head < model.heads ? head : null;
  return (
    <div className="al-corpus-results" data-testid="corpus-results" data-sequences={corpus.sequences} data-tokens={corpus.tokens} data-from-cache={fromCache ? '1' : '0'} data-layers={model.layers} data-heads={model.heads}>
      <p className="al-corpus-summary" data-testid="corpus-summary">
        {t('corpus.summary', {
          model: model.name,
          corpus: corpusName,
          sequences: corpus.sequences.toLocaleString(),
          tokens: corpus.tokens.toLocaleString(),
          s: (run.elapsedMs / 1000).toFixed(1),
        })}
        {corpus.truncated > 0 && ` ${t('corpus.prepared.truncated', { n: corpus.truncated.toLocaleString() })}`}
        {corpus.skipped > 0 && ` ${t('corpus.summary.skipped', { n: corpus.skipped.toLocaleString() })}`}
        {!model.causal && ` ${t('corpus.summary.encoder')}`}
        {fromCache && (
          <span className="al-corpus-badge" data-testid="corpus-from-cache">
            {t('corpus.fromCache')}
          </span>
        )}
        {onDownload && (
          <button type="button" className="al-button al-corpus-download" data-testid="corpus-download" onClick={onDownload}>
            {t('corpus.download')}
          </button>
        )}
      </p>
      {open ? (
        <HeadDashboard
          head={open}
          data={result.heads[open.layer][open.head]}
          sequences={sequences}
          layers={model.layers}
          heads={model.heads}
          causal={model.causal}
          onBack={() => onHead(null)}
          onHead={onHead}
          onOpenExample={onOpenExample ? (ex, top) => onOpenExample(open, ex, top) : null}
        />
      ) : (
        <HeadFinder heads={result.heads} score={score} sort={sort} filter={filter} palette={palette} onScore={onScore} onSort={onSort} onFilter={onFilter} onOpen={onHead} />
      )}
    </div>
  );
}
