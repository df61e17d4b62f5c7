// A guided lesson: one step at a time, with its text, its formula and (at the end) a prediction
// exercise with feedback. Plain props: the app's lesson runner decides what the step shows.
import { useEffect, useId, useRef, type KeyboardEvent, type Ref } from 'react';
import '../views.css';
import { t } from '../../i18n/index.ts';
import { Formula } from '../common/Formula.tsx';
import { LessonHandout, LessonText, type LessonHandoutProps } from './LessonHandout.tsx';
import './lesson.css';

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
}

/**
 * A student's answer: the option picked; the text typed in the fields (a value: one, a shape: rows and
 * columns); or the keys (their indices) in the order given.
 */
export type ExerciseAnswer = number | readonly string[] | readonly number[];

/** How an exercise is answered: options to pick from, one number typed, a shape typed, or the keys put in order. */
export type ExerciseInput =
  | { kind: 'options'; options: readonly string[] }
  | { kind: 'value'; hint: string }
  | { kind: 'shape' }
  | { kind: 'order'; keys: readonly string[] };

export interface LessonExerciseProps {
  /** The question asked about the live view (our own text; $…$ is inline TeX, as in the step's text). */
  question: string;
  /** How it is answered (the options or the keys are token labels). */
  input: ExerciseInput;
  /** The answer so far, if any. */
  choice: ExerciseAnswer | null;
  /** The answer is complete enough to check. */
  ready: boolean;
  /** The answer has been checked. */
  checked: boolean;
  /** What the check said, once checked. */
  feedback: { correct: boolean; text: string } | null;
  /** Answered for good (right, or the answer shown): no more tries. */
  settled: boolean;
  /** Why the answer is what it is, once settled. */
  explain: string | null;
  /** The teacher's notes and the engine's answer (hidden until opened). */
  teacher: { notes: string | null; answer: string | null };
}

/** A piece of lesson text: plain, or a number computed by the engine (`ref` names the value). */
export type LessonTextPart = string | { text: string; ref: string };

export interface LessonStepProps {
  /** The lesson's id. */
  lessonId: string;
  /** The lesson's title. */
  lessonTitle: string;
  /** The section of the source article the lesson follows, if any. */
  article: string | null;
  /** The step shown (0-based). */
  index: number;
  /** The number of steps of the lesson. */
  total: number;
  /** The step's title. */
  title: string;
  /** The step's text: plain text and numbers read from the engine. */
  text: readonly LessonTextPart[];
  /** The step's formula in TeX (may be empty). */
  tex: string;
  /** Name of the live view the step is about (e.g. "Heads"). */
  viewLabel: string;
  /** The step's exercise, if it has one. */
  exercise: LessonExerciseProps | null;
  /** The last step has been finished. */
  done: boolean;
  /** The model the step runs on, while it is not open: loading, or why it could not be opened; null when open or none. */
  model: { name: string; status: 'loading' | 'error'; why: string | null } | null;
}

export interface LessonPanelProps {
  /** Every lesson, for the menu. */
  lessons: LessonSummary[];
  /** The step shown; null shows the menu. */
  active: LessonStepProps | null;
  /** A lesson was chosen from the menu. */
  onPick: (id: string) => void;
  /** Back one step. */
  onPrev: () => void;
  /** On one step (or finish). */
  onNext: () => void;
  /** The answer changed (an option picked, a field typed, a key placed). */
  onChoose: (answer: ExerciseAnswer) => void;
  /** Check the chosen option. */
  onCheck: () => void;
  /** Try again after a wrong answer. */
  onRetry: () => void;
  /** Show the answer after a wrong answer. */
  onReveal: () => void;
  /** Close the lesson. */
  onClose: () => void;
  /** Try to open the step's model again. */
  onRetryModel: () => void;
  /** Every step of the open lesson, for printing; null: no lesson open. */
  handout: LessonHandoutProps | null;
  /** Presentation mode is on. */
  presenting: boolean;
  /** Turn presentation mode on or off. */
  onPresent: () => void;
  /** Print the lesson (the browser's print dialog). */
  onPrint: () => void;
}

export function LessonPanel({ lessons, active, onPick, onPrev, onNext, onChoose, onCheck, onRetry, onReveal, onClose, onRetryModel, handout, presenting, onPresent, onPrint }: LessonPanelProps) {
  const id = useId();
  const nextRef = useRef<HTMLButtonElement>(null);
  const firstOptionRef = useRef<HTMLInputElement & HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ex = active?.exercise ?? null;
  const pending = ex !== null && !ex.checked;
  const stepKey = active ? `${active.lessonId}:${active.index}:${active.done ? 1 : 0}` : 'menu';

  // Keyboard flow: opening the panel focuses its heading; a step focuses Next (or, for an
  // exercise, its first option, then Next once checked); the end focuses the heading again.
  const prevRef = useRef<HTMLButtonElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  useEffect(() => {
    const el = document.activeElement;
    const panel = headingRef.current?.closest('.al-lesson');
    if (!active || !panel || !(el === document.body || el === null || panel.contains(el))) return;
    if (el === prevRef.current && !prevRef.current?.disabled) return;
    if (active.done) headingRef.current?.focus();
    else if (pending) firstOptionRef.current?.focus();
    else nextRef.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stepKey, pending]);

  return (
    <section className="al-lesson" aria-labelledby={`${id}-h`} data-testid="lesson-panel">
      <div className="al-lesson-head">
        <h2 id={`${id}-h`} className="al-lesson-title" tabIndex={-1} ref={headingRef}>
          {active ? active.lessonTitle : t('lessons.choose')}
        </h2>
        <div className="al-buttons">
          {active && (
            <>
              <button type="button" className="al-button al-small" aria-pressed={presenting} onClick={onPresent} data-testid="lesson-present">
                {t(presenting ? 'lessons.presentEnd' : 'lessons.present')}
              </button>
              <button type="button" className="al-button al-small" onClick={onPrint} data-testid="lesson-print">
                {t('lessons.print')}
              </button>
            </>
          )}
          <button type="button" className="al-button al-small" onClick={onClose} data-testid="lesson-close">
            {t('lessons.close')}
          </button>
        </div>
      </div>
      {active?.article && <p className="al-lesson-article">{active.article}</p>}
      {presenting && <p className="al-hint">{t('lessons.presentHint')}</p>}
      {!active && (
        <ul className="al-lesson-menu">
          {lessons.map((l) => (
            <li key={l.id}>
              <button type="button" className="al-button al-lesson-pick" data-testid={`lesson-${l.id}`} onClick={() => onPick(l.id)}>
                <strong>{l.title}</strong>
                <span className="al-lesson-summary">{l.summary}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {active && !active.done && (
        <div className="al-lesson-step" data-testid="lesson-step" data-step={active.index}>
          <p className="al-lesson-progress" aria-live="polite">
            {t('lessons.progress', { n: active.index + 1, total: active.total })} · <strong>{active.title}</strong>
          </p>
          <p className="al-lesson-text">
            <LessonText parts={active.text} />
          </p>
          {active.model && (
            <div className={`al-lesson-model ${active.model.status === 'error' ? 'al-bad' : ''}`} role="status" data-testid="lesson-model" data-status={active.model.status}>
              {active.model.status === 'loading' ? (
                <p>{t('lessons.modelLoading', { model: active.model.name })}</p>
              ) : (
                <>
                  <p>{t('lessons.modelMissing', { model: active.model.name, why: active.model.why ?? '' })}</p>
                  <p className="al-hint">{t('lessons.modelHow')}</p>
                  <button type="button" className="al-button al-small" onClick={onRetryModel} data-testid="lesson-model-retry">
                    {t('lessons.modelRetry')}
                  </button>
                </>
              )}
            </div>
          )}
          <Formula tex={active.tex} block className="al-lesson-formula" />
          <p className="al-lesson-view">{t('lessons.view', { view: active.viewLabel })}</p>
          {ex && (
            <fieldset className="al-lesson-exercise" data-testid="lesson-exercise">
              <legend>
                <LessonText parts={[t('lessons.predict', { question: ex.question })]} />
              </legend>
              <ExerciseAnswerInput ex={ex} name={`${id}-opt`} firstRef={firstOptionRef} onChoose={onChoose} onCheck={onCheck} />
              {!ex.checked && (
                <button type="button" className="al-button al-primary" disabled={!ex.ready} onClick={onCheck} data-testid="lesson-check">
                  {t('lessons.check')}
                </button>
              )}
              {ex.feedback && (
                <p className={`al-lesson-feedback ${ex.feedback.correct ? 'al-ok' : 'al-bad'}`} role="status" data-testid="lesson-feedback" data-correct={ex.feedback.correct ? '1' : '0'}>
                  {ex.feedback.correct ? '✓ ' : '✗ '}
                  {ex.feedback.text}
                </p>
              )}
              {ex.checked && ex.feedback && !ex.settled && (
                <div className="al-buttons">
                  <button type="button" className="al-button" onClick={onRetry} data-testid="lesson-retry">
                    {t('lessons.retry')}
                  </button>
                  <button type="button" className="al-button" onClick={onReveal} data-testid="lesson-reveal">
                    {t('lessons.reveal')}
                  </button>
                </div>
              )}
              {ex.explain && (
                <p className="al-lesson-explain" data-testid="lesson-explain">
                  <LessonText parts={[t('lessons.why', { text: ex.explain })]} />
                </p>
              )}
              {pending && <p className="al-hint">{t('lessons.waitAnswer')}</p>}
              {(ex.teacher.notes || ex.teacher.answer) && (
                <details className="al-lesson-teacher" data-testid="lesson-teacher">
                  <summary>{t('lessons.teacher')}</summary>
                  {ex.teacher.answer && <p>{t('lessons.answer', { answer: ex.teacher.answer })}</p>}
                  {ex.teacher.notes && (
                    <p>
                      <LessonText parts={[ex.teacher.notes]} />
                    </p>
                  )}
                </details>
              )}
            </fieldset>
          )}
          <div className="al-buttons">
            <button type="button" className="al-button" ref={prevRef} onClick={onPrev} disabled={active.index === 0} data-testid="lesson-prev">
              {t('lessons.prev')}
            </button>
            <button type="button" className="al-button al-primary" ref={nextRef} onClick={onNext} disabled={pending} data-testid="lesson-next">
              {active.index === active.total - 1 ? t('lessons.finish') : t('lessons.next')}
            </button>
          </div>
        </div>
      )}
      {active?.done && (
        <div className="al-lesson-step" data-testid="lesson-done">
          <p role="status">{t('lessons.done')}</p>
          <ul className="al-lesson-menu">
            {lessons.map((l) => (
              <li key={l.id}>
                <button type="button" className="al-button al-lesson-pick" onClick={() => onPick(l.id)}>
                  <strong>{l.title}</strong>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {handout && <LessonHandout {...handout} />}
    </section>
  );
}

/** The fields of an exercise: radio options, a number, rows × columns, or keys clicked in order. */
function ExerciseAnswerInput({ ex, name, firstRef, onChoose, onCheck }: { ex: LessonExerciseProps; name: string; firstRef: Ref<HTMLInputElement & HTMLButtonElement>; onChoose: (answer: ExerciseAnswer) => void; onCheck: () => void }) {
  const { input, choice, checked } = ex;
  const typed = Array.isArray(choice) ? choice.map(String) : [];
  // Enter in a field checks the answer, as the Check button would. Its default is stopped: focus moves
  // to Next once checked, and the same keystroke must not press it too (the step would be skipped).
  const onEnter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (ex.ready && !checked) onCheck();
  };
  switch (input.kind) {
    case 'options':
      return (
        <div className="al-lesson-options">
          {input.options.map((o, k) => (
            <label key={k} className="al-lesson-option">
              <input ref={k === 0 ? firstRef : undefined} type="radio" name={name} value={k} checked={choice === k} disabled={checked} data-testid="lesson-option" onChange={() => onChoose(k)} />
              <span className="al-lesson-token">{o}</span>
            </label>
          ))}
        </div>
      );
    case 'value':
      return (
        <div className="al-lesson-options">
          <label className="al-lesson-option">
            {t('lessons.value.label')}
            <input ref={firstRef} type="text" inputMode="decimal" autoComplete="off" className="al-lesson-field" value={typed[0] ?? ''} disabled={checked} data-testid="lesson-value" onChange={(e) => onChoose([e.target.value])} onKeyDown={onEnter} />
          </label>
          <span className="al-hint">{input.hint}</span>
        </div>
      );
    case 'shape':
      return (
        <div className="al-lesson-options">
          <label className="al-lesson-option">
            {t('lessons.shape.rowsLabel')}
            <input ref={firstRef} type="text" inputMode="numeric" autoComplete="off" className="al-lesson-field al-lesson-dim" value={typed[0] ?? ''} disabled={checked} data-testid="lesson-shape-rows" onChange={(e) => onChoose([e.target.value, typed[1] ?? ''])} onKeyDown={onEnter} />
          </label>
          <span aria-hidden="true">×</span>
          <label className="al-lesson-option">
            {t('lessons.shape.colsLabel')}
            <input type="text" inputMode="numeric" autoComplete="off" className="al-lesson-field al-lesson-dim" value={typed[1] ?? ''} disabled={checked} data-testid="lesson-shape-cols" onChange={(e) => onChoose([typed[0] ?? '', e.target.value])} onKeyDown={onEnter} />
          </label>
        </div>
      );
    case 'order': {
      const order = Array.isArray(choice) ? choice.map(Number) : [];
      return (
        <div className="al-lesson-order">
          <p className="al-hint">{t('lessons.order.pick')}</p>
          <div className="al-lesson-options">
            {input.keys.map((key, k) => {
              const place = order.indexOf(k);
              return (
                <button
                  key={k}
                  ref={k === 0 ? firstRef : undefined}
                  type="button"
                  className="al-button al-small al-lesson-token"
                  disabled={checked || place >= 0}
                  aria-label={place >= 0 ? `${key} (${t('lessons.order.place', { n: place + 1 })})` : key}
                  data-testid="lesson-order-key"
                  data-key={k}
                  onClick={() => onChoose([...order, k])}
                >
                  {place >= 0 && <span className="al-lesson-place">{place + 1}</span>}
                  {key}
                </button>
              );
            })}
          </div>
          <p className="al-lesson-so" aria-live="polite" data-testid="lesson-order">
            {t('lessons.order.so', { order: order.map((k) => input.keys[k] ?? '').join(' > ') })}
          </p>
          {!checked && order.length > 0 && (
            <button type="button" className="al-button al-small" onClick={() => onChoose([])} data-testid="lesson-order-clear">
              {t('lessons.order.clear')}
            </button>
          )}
        </div>
      );
    }
  }
}
