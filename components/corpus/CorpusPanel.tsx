// Picking a corpus and running every head over it: the shipped corpora or the user's file, the caps (shown
// with what they mean before the run), and the run's controls and progress.
import { useId, useRef, useState, type ChangeEvent } from 'react';
import type { ShippedCorpusId } from '../../engine/corpus/shipped.ts';
import { useT } from '../../i18n/react.ts';
import { progressFigures, type RunProgress } from './progress.ts';
import './corpus.css';

const SHIPPED: readonly ShippedCorpusId[] = ['brown', 'stories', 'induction', 'zh'];

/** The caps a run takes (what state/corpusDoc.ts's CorpusPick holds besides the corpus). */
export interface CorpusCaps {
  maxSequences: number;
  maxTokens: number;
  top: number;
}

/** Where a run is (state/slices/corpus.ts's CorpusRunStatus). */
export type RunStatus = 'idle' | 'requested' | 'preparing' | 'running' | 'pausing' | 'paused' | 'resuming' | 'cancelling' | 'done' | 'error';

export interface CorpusPanelProps {
  /** The corpus picked: a shipped one's id, or "file:…". */
  source: string;
  /** The caps picked. */
  caps: CorpusCaps;
  /** What the picked corpus holds: 'missing' is a file this browser does not have; `name` a file's name. */
  info: { status: 'loading' | 'ready' | 'missing' | 'error'; name: string | null; sequences: number | null; error: string | null } | null;
  /** The model the heads belong to (its name and context), or null while it loads. */
  model: { name: string; context: number } | null;
  /** Where the run is. */
  status: RunStatus;
  /** Its progress (null before the first report). */
  progress: RunProgress | null;
  /** The corpus as the model read it: sequences, tokens, cut, unknown characters (null before). */
  prepared: { sequences: number; tokens: number; skipped: number; truncated: number; unknown: number } | null;
  /** Why the run failed. */
  error: string | null;
  /** Whether a result is shown for this pick. */
  hasResult: boolean;
  /** A corpus or cap was changed; returns a message when a cap is refused. */
  onPick: (patch: { source?: string } & Partial<CorpusCaps>) => string | null;
  /** A file was picked (its name and text); returns a message when it cannot be read. */
  onOpenFile: (name: string, text: string) => string | null;
  onRun: () => void;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

/** A whole-number cap: typed freely, applied on Enter or when the field is left, refused with a message. */
function CapField({ label, value, min, max, testId, onCommit }: { label: string; value: number; min: number; max: number; testId: string; onCommit: (v: number) => string | null }) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const [given, setGiven] = useState(value);
  if (value !== given) {
    setGiven(value);
    setText(String(value));
  }
  const id = useId();
  const commit = () => {
    const v = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (v === value) return setError(null);
    setError(onCommit(v));
  };
  return (
    <label className="al-corpus-cap">
      <span>{label}</span>
      <input
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={text}
        data-testid={testId}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-e` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {error && (
        <span id={`${id}-e`} className="al-corpus-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

const busy = (s: RunStatus) => s === 'requested' || s === 'preparing' || s === 'running' || s === 'pausing' || s === 'paused' || s === 'resuming' || s === 'cancelling';

export function CorpusPanel({ source, caps, info, model, status, progress, prepared, error, hasResult, onPick, onOpenFile, onRun, onPause, onResume, onCancel }: CorpusPanelProps) {
  const t = useT();
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const isFile = source.startsWith('file:');
  const running = busy(status);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      setFileError(t('corpus.file.unreadable', { name: file.name, why: err instanceof Error ? err.message : String(err) }));
      return;
    }
    setFileError(onOpenFile(file.name, text));
  };

  // What the caps mean for this corpus and model, before the run.
  const tokenCap = model ? Math.min(caps.maxTokens, model.context) : caps.maxTokens;
  const count = info?.status === 'ready' ? info.sequences : null;
  const runs = count === null ? caps.maxSequences : Math.min(count, caps.maxSequences);
  const plan =
    count === null
      ? null
      : t(source === 'induction' ? 'corpus.plan.probe' : 'corpus.plan', {
          runs: runs.toLocaleString(),
          of: count.toLocaleString(),
          tokens: tokenCap.toLocaleString(),
          total: (runs * tokenCap).toLocaleString(),
        });
  const figures = progress ? progressFigures(progress) : null;
  const canRun = !running && model !== null && info?.status === 'ready';

  return (
    <section className="al-corpus-panel" data-testid="corpus-panel" aria-label={t('corpus.panel')}>
      <fieldset className="al-corpus-pick" disabled={running}>
        <legend>{t('corpus.pick')}</legend>
        <div className="al-corpus-choices" role="radiogroup">
          {SHIPPED.map((id) => (
            <label key={id} className="al-corpus-choice" data-testid={`corpus-choice-${id}`}>
              <input type="radio" name="al-corpus" checked={source === id} onChange={() => onPick({ source: id })} />
              <span>
                <strong>{t(`corpus.shipped.${id}`)}</strong>
                <span className="al-hint">{t(`corpus.shipped.${id}.about`)}</span>
              </span>
            </label>
          ))}
          <div className="al-corpus-choice al-corpus-file">
            {isFile && (
              <label>
                <input type="radio" name="al-corpus" checked readOnly />
                <strong data-testid="corpus-file-name">{info?.name ?? t('corpus.file.unnamed')}</strong>
              </label>
            )}
            <button type="button" className="al-button" data-testid="corpus-open-file" onClick={() => fileRef.current?.click()}>
              {t('corpus.file.open')}
            </button>
            <span className="al-hint">{t('corpus.file.about')}</span>
            <input ref={fileRef} type="file" accept=".txt,.jsonl,.json,text/plain,application/json" hidden data-testid="corpus-file-input" onChange={onFile} />
          </div>
        </div>
        {fileError && (
          <p className="al-corpus-error" role="alert" data-testid="corpus-file-error">
            {fileError}
          </p>
        )}
        <div className="al-corpus-caps">
          <CapField label={t('corpus.cap.maxSequences')} value={caps.maxSequences} min={1} max={4096} testId="corpus-cap-sequences" onCommit={(v) => onPick({ maxSequences: v })} />
          <CapField label={t('corpus.cap.maxTokens')} value={caps.maxTokens} min={2} max={1024} testId="corpus-cap-tokens" onCommit={(v) => onPick({ maxTokens: v })} />
          <CapField label={t('corpus.cap.top')} value={caps.top} min={0} max={100} testId="corpus-cap-top" onCommit={(v) => onPick({ top: v })} />
        </div>
      </fieldset>
      <p className="al-hint" data-testid="corpus-plan" data-sequences={count ?? ''} data-runs={runs} data-token-cap={tokenCap}>
        {info?.status === 'loading'
          ? t('corpus.reading')
          : info?.status === 'missing'
            ? t('corpus.file.missing')
            : info?.status === 'error'
              ? info.error
              : plan}
        {model && caps.maxTokens > model.context && ` ${t('corpus.plan.context', { context: model.context, model: model.name })}`}
      </p>
      {!model && <p className="al-hint">{t('corpus.waitModel')}</p>}
      <div className="al-buttons al-corpus-controls">
        {!running && (
          <button type="button" className="al-button al-corpus-run" data-testid="corpus-run" disabled={!canRun} onClick={onRun}>
            {t(hasResult ? 'corpus.runAgain' : 'corpus.run')}
          </button>
        )}
        {running && (status === 'paused' || status === 'resuming' ? (
          <button type="button" className="al-button" data-testid="corpus-resume" disabled={status === 'resuming'} onClick={onResume}>
            {t('corpus.resume')}
          </button>
        ) : (
          <button type="button" className="al-button" data-testid="corpus-pause" disabled={status !== 'running'} onClick={onPause}>
            {t('corpus.pause')}
          </button>
        ))}
        {running && (
          <button type="button" className="al-button" data-testid="corpus-cancel" disabled={status === 'cancelling'} onClick={onCancel}>
            {t('corpus.cancel')}
          </button>
        )}
      </div>
      {running && (
        <div className="al-corpus-progress" data-testid="corpus-progress" data-status={status} data-done={progress?.done ?? 0} data-total={progress?.total ?? prepared?.sequences ?? ''}>
          <progress max={progress?.total || 1} value={progress?.done ?? 0} aria-label={t('corpus.progress.label')} />
          <span aria-live="polite">
            {status === 'requested' || status === 'preparing' || !progress
              ? t('corpus.progress.reading')
              : t('corpus.progress', { done: progress.done.toLocaleString(), total: progress.total.toLocaleString(), tokens: progress.tokens.toLocaleString() })}
            {figures && ` · ${t('corpus.progress.rate', { rate: Math.round(figures.rate).toLocaleString() })}`}
            {figures && status !== 'paused' && ` · ${t('corpus.progress.left', { s: Math.ceil(figures.leftS).toLocaleString() })}`}
            {status === 'paused' && ` · ${t('corpus.progress.paused')}`}
          </span>
        </div>
      )}
      {prepared && running && (
        <p className="al-hint" data-testid="corpus-prepared">
          {t('corpus.prepared', { sequences: prepared.sequences.toLocaleString(), tokens: prepared.tokens.toLocaleString() })}
          {prepared.truncated > 0 && ` ${t('corpus.prepared.truncated', { n: prepared.truncated.toLocaleString() })}`}
          {prepared.unknown > 0 && ` ${t('corpus.prepared.unknown', { n: prepared.unknown.toLocaleString() })}`}
        </p>
      )}
      {status === 'error' && error && (
        <p className="al-corpus-error" role="alert" data-testid="corpus-error">
          {error}
        </p>
      )}
    </section>
  );
}
