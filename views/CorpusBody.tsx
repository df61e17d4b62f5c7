// The Corpus view's frame: reads the store and hands the corpus panel and the results plain props. The app
// shows both; the widget shows a run given as data (`data`), without the panel.
import { useCallback, type ComponentProps, type ComponentType } from 'react';
import type { CorpusRun } from '../engine/corpus/run.ts';
import type { CorpusPanel } from '../components/corpus/CorpusPanel.tsx';
import type { CorpusResults } from '../components/corpus/CorpusResults.tsx';
import { useT } from '../i18n/react.ts';
import { SHIPPED_CORPORA } from '../engine/corpus/shipped.ts';
import { parseCorpusSource } from '../state/corpusDoc.ts';
import { downloadText } from '../state/download.ts';
import { usePrefs } from '../state/prefs.ts';
import { useActions, useStore } from '../state/store.ts';

/** The corpus components (the app's, or the widget's lazily loaded ones). */
export interface CorpusParts {
  CorpusPanel: ComponentType<ComponentProps<typeof CorpusPanel>>;
  CorpusResults: ComponentType<ComponentProps<typeof CorpusResults>>;
}

export interface CorpusBodyProps {
  parts: CorpusParts;
  /** A run given as data (the widget): shown as it is, with no panel and no runs. */
  data?: CorpusRun | null;
}

/** A shipped corpus' name from the catalogs, else the name the run carries (a file's). */
function useCorpusName(): (id: string, name: string) => string {
  const t = useT();
  return useCallback((id: string, name: string) => (SHIPPED_CORPORA.some((c) => c.id === id) ? t(`corpus.shipped.${id as 'brown'}`) : name), [t]);
}

export function CorpusBody({ parts, data = null }: CorpusBodyProps) {
  const { CorpusPanel, CorpusResults } = parts;
  const t = useT();
  const actions = useActions();
  const doc = useStore((s) => s.doc);
  const state = useStore((s) => s.corpusRun);
  const source = useStore((s) => s.corpusSource);
  const model = useStore((s) => s.model);
  const palette = usePrefs((s) => s.palette);
  const corpusName = useCorpusName();
  const look = doc.corpusLook;
  const isModel = doc.source.kind === 'model';
  const run = data ?? state.run;
  // An example opens in the other views when they run the model that made the run.
  const canOpen = doc.source.kind === 'model' && (!data || doc.source.model === data.model.key);

  const results = run && (
    <CorpusResults
      run={run}
      corpusName={corpusName(run.corpus.id, run.corpus.name)}
      fromCache={!data && state.fromCache}
      head={look.head}
      score={look.score}
      sort={look.sort}
      filter={look.filter}
      palette={palette}
      onScore={(score) => actions.setCorpusLook({ score })}
      onSort={(sort) => actions.setCorpusLook({ sort })}
      onFilter={(filter) => actions.setCorpusLook({ filter })}
      onHead={actions.openCorpusHead}
      onOpenExample={canOpen ? (ref, ex, top) => actions.openCorpusExample(ref, ex, top.query, top.key) : null}
      onDownload={data ? undefined : () => downloadText(`heads-${run.corpus.id.replace(/[^\w.-]+/g, '-')}.json`, JSON.stringify(run))}
    />
  );
  if (data) return results;

  if (!isModel) {
    return (
      <div className="al-corpus-panel" data-testid="corpus-needs-model">
        <p>{t('corpus.needsModel')}</p>
        <div className="al-buttons">
          <button type="button" className="al-button" data-testid="corpus-use-model" onClick={() => actions.useModel('brown-char')}>
            {t('corpus.useShipped')}
          </button>
        </div>
      </div>
    );
  }
  const ready = model.status === 'ready' && model.info ? { name: model.info.name, context: model.info.context } : null;
  return (
    <>
      <CorpusPanel
        source={doc.corpus.source}
        caps={doc.corpus}
        info={source && source.id === doc.corpus.source ? source : null}
        model={ready}
        status={state.status}
        progress={state.progress}
        prepared={state.prepared}
        error={state.error}
        hasResult={run !== null}
        onPick={({ source: picked, ...caps }) => {
          const id = picked === undefined ? null : parseCorpusSource(picked);
          return actions.setCorpusPick(id ? { ...caps, source: id } : caps);
        }}
        onOpenFile={actions.openCorpusFile}
        onRun={actions.runCorpus}
        onPause={actions.pauseCorpus}
        onResume={actions.resumeCorpus}
        onCancel={actions.cancelCorpus}
      />
      {results}
    </>
  );
}
