// Runs a lesson: which lesson and step are open, the student's prediction, and applying a step's
// state through the store's named actions (the lesson files are data only).
import { create } from 'zustand';
import type { CaseJson } from '../../engine/types.ts';
import { displayToken } from '../../components/common/format.ts';
import { getLang, t } from '../../i18n/index.ts';
import type { AppStore } from '../../state/store.ts';
import { LESSONS, type Lesson, type LessonStep } from './index.ts';
import type { ExerciseAnswer, LessonCase, StepModel, StepState } from './types.ts';

export interface TeachState {
  lessonOpen: boolean;
  articleOpen: boolean;
  glossaryOpen: boolean;
  lessonId: string | null;
  step: number;
  done: boolean;
  /** The student's answer so far (an option, the typed fields, the keys in order). */
  choice: ExerciseAnswer | null;
  checked: boolean;
  /** The answer was shown after a wrong try. */
  revealed: boolean;
  /** Presentation mode (full screen, large type, clicker keys). */
  presenting: boolean;
}

export const useTeach = create<TeachState>()(() => ({
  lessonOpen: false,
  articleOpen: false,
  glossaryOpen: false,
  lessonId: null,
  step: 0,
  done: false,
  choice: null,
  checked: false,
  revealed: false,
  presenting: false,
}));

export function lessonById(id: string | null): Lesson | null {
  return LESSONS.find((l) => l.id === id) ?? null;
}

/** The lesson's case with token labels in the current language (what the app imports); only the first `prefix` tokens when a step says so. */
function lessonCase(c: LessonCase, prefix?: number): CaseJson {
  const { tokens, ...rest } = c;
  const n = prefix ?? rest.X.length;
  return { ...rest, X: rest.X.slice(0, n).map((r) => r.slice()), keyWeights: rest.keyWeights?.slice(0, n) ?? null, tokens: tokens[getLang()].slice(0, n) };
}

/** The lesson's case and the step's mechanism, weights, mask and overrides. */
function applyCaseState(store: AppStore, c: LessonCase, s: StepState): void {
  const { actions } = store.getState();
  const want = JSON.stringify(lessonCase(c, s.prefix));
  const src = store.getState().doc.source;
  if (src.kind !== 'case' || JSON.stringify(src.case) !== want) {
    actions.importCase(want, 'paste');
    actions.clearNotices('file');
  }
  actions.setMechanism(s.mechanism ?? (c.heads.length > 1 ? 'multi' : 'self'));
  if (s.convention) actions.setConvention(s.convention);
  actions.setCausal(s.causal ?? false);
  actions.setWindow(s.window ?? null);
  const n = s.prefix ?? c.X.length;
  const doc = store.getState().doc;
  for (let j = 0; j < n; j++) {
    const w = s.weights?.[j] ?? c.keyWeights?.[j] ?? 1;
    if (doc.keyWeights[j] !== w) actions.setKeyWeight(j, w);
    if (doc.padding[j]) actions.togglePadding(j);
  }
  const wantOv = s.overrides ?? {};
  const haveOv = store.getState().doc.overrides;
  const same = Object.keys(haveOv).length === Object.keys(wantOv).length && Object.entries(wantOv).every(([k, v]) => haveOv[k] === v);
  if (!same) {
    actions.clearOverrides();
    for (const [path, v] of Object.entries(wantOv)) actions.setOverride(path, v);
  }
}

/** The step's model, text and ablated heads (each action only when something changes, so undo stays short). */
function applyModelState(store: AppStore, m: StepModel): void {
  const { actions } = store.getState();
  actions.useModel(m.id);
  if (store.getState().doc.text !== m.text) actions.setText(m.text);
  if (m.layer !== undefined) actions.selectLayer(m.layer);
  actions.setShift(m.shift ?? 0);
  const want = m.ablate ?? [];
  const have = store.getState().doc.ablate;
  const same = have.length === want.length && want.every((r) => have.some((x) => x.layer === r.layer && x.head === r.head));
  if (!same) actions.setAblation(want.slice());
}

/** Puts the app in the state a step describes, through the store's named actions. */
function applyStep(store: AppStore, lesson: Lesson, step: LessonStep): void {
  const { actions } = store.getState();
  const s = step.state ?? {};
  if (s.model) applyModelState(store, s.model);
  else if (s.case ?? lesson.case) applyCaseState(store, (s.case ?? lesson.case)!, s);
  actions.setTile(s.tile ?? null);
  const hl = step.highlight ?? {};
  const ex = step.exercise;
  actions.setView(step.view);
  actions.selectHead(hl.head ?? (ex && 'head' in ex ? ex.head : undefined) ?? 0);
  actions.selectCell(hl.cell ?? null);
  actions.setStep(hl.step ?? 0);
}

/** The lesson controls, acting on the app's store. */
export type Teach = ReturnType<typeof teachActions>;

export function teachActions(store: AppStore) {
  const go = (lesson: Lesson, step: number): void => {
    useTeach.setState({ lessonId: lesson.id, step, done: false, choice: null, checked: false, revealed: false, lessonOpen: true });
    applyStep(store, lesson, lesson.steps[step]);
    store.getState().actions.setLesson({ lesson: LESSONS.indexOf(lesson), step });
  };
  return {
  toggleLessons(): void {
    const s = useTeach.getState();
    useTeach.setState({ lessonOpen: !s.lessonOpen });
  },
  toggleArticle(): void {
    useTeach.setState((s) => ({ articleOpen: !s.articleOpen }));
  },
  toggleGlossary(): void {
    useTeach.setState((s) => ({ glossaryOpen: !s.glossaryOpen }));
  },
  close(): void {
    useTeach.setState({ lessonOpen: false, lessonId: null, step: 0, done: false, choice: null, checked: false, presenting: false });
    store.getState().actions.setLesson(null);
  },
  /** Opens the lesson step the link names (reload, a pasted link, back/forward); one it does not have is reported. */
  follow(): void {
    const ref = store.getState().doc.lesson;
    const s = useTeach.getState();
    if (!ref) {
      if (s.lessonId !== null && !s.done) useTeach.setState({ lessonId: null, step: 0, choice: null, checked: false });
      return;
    }
    const lesson = LESSONS[ref.lesson];
    if (!lesson || ref.step >= lesson.steps.length) {
      const { actions } = store.getState();
      actions.notify('error', 'link', lesson ? t('link.lessonStep', { lesson: ref.lesson + 1, step: ref.step + 1, count: lesson.steps.length }) : t('link.lesson', { lesson: ref.lesson + 1, count: LESSONS.length }));
      actions.setLesson(null);
      return;
    }
    if (s.lessonId === lesson.id && s.step === ref.step && s.lessonOpen) return;
    go(lesson, ref.step);
  },
  pick(id: string): void {
    const lesson = lessonById(id);
    if (lesson) go(lesson, 0);
  },
  prev(): void {
    const s = useTeach.getState();
    const lesson = lessonById(s.lessonId);
    if (lesson && s.step > 0) go(lesson, s.step - 1);
  },
  next(): void {
    const s = useTeach.getState();
    const lesson = lessonById(s.lessonId);
    if (!lesson) return;
    if (s.step + 1 < lesson.steps.length) go(lesson, s.step + 1);
    else useTeach.setState({ done: true });
  },
  /** Another try after a wrong answer: the choice is cleared and the views hide again. */
  retry(): void {
    useTeach.setState({ choice: null, checked: false, revealed: false });
  },
  reveal(): void {
    if (useTeach.getState().checked) useTeach.setState({ revealed: true });
  },
  present(on: boolean): void {
    useTeach.setState({ presenting: on });
  },
  choose(answer: ExerciseAnswer): void {
    if (!useTeach.getState().checked) useTeach.setState({ choice: answer });
  },
  check(): void {
    const s = useTeach.getState();
    if (s.choice === null) return;
    useTeach.setState({ checked: true });
    const lesson = lessonById(s.lessonId);
    const ex = lesson?.steps[s.step]?.exercise;
    // The views come back pointing at what was asked: the cell picked or typed, the first key placed.
    const { actions } = store.getState();
    if (ex && (ex.kind === undefined || ex.kind === 'attend') && typeof s.choice === 'number') actions.selectCell({ row: ex.query, col: s.choice });
    else if (ex?.kind === 'value' && ex.matrix === 'A') actions.selectCell({ row: ex.row, col: ex.col });
    else if (ex?.kind === 'order' && Array.isArray(s.choice)) actions.selectCell({ row: ex.query, col: Number(s.choice[0] ?? 0) });
  },
  /** Re-applies the open step (after a language switch: the token labels change). */
  reapply(): void {
    const s = useTeach.getState();
    const lesson = lessonById(s.lessonId);
    if (lesson && s.lessonOpen && !s.done) applyStep(store, lesson, lesson.steps[s.step]);
  },
  };
}

/** The exercise of the open step, when it still waits for an answer (the views stay hidden). */
export function useExercisePending(): boolean {
  return useTeach((s) => {
    if (!s.lessonOpen || s.done || s.checked) return false;
    return lessonById(s.lessonId)?.steps[s.step]?.exercise !== undefined;
  });
}

/** The options of a yes/no exercise: 0 is “yes, it stays”. */
export const KEEPS_TOP_OPTIONS = ['lessons.yes', 'lessons.no'] as const;

/** The feedback for a yes/no answer, from the ablation result the worker computed (read, not computed here). */
export function keepsTopFeedback(ablation: { before: readonly { token: string; p: number }[]; after: readonly { token: string; p: number }[] }, choice: number): { correct: boolean; text: string } | null {
  const before = ablation.before[0];
  const after = ablation.after[0];
  if (!before || !after) return null;
  const stays = before.token === after.token;
  const correct = (choice === 0) === stays;
  const p = { before: displayToken(before.token), after: displayToken(after.token), pBefore: before.p.toFixed(3), pAfter: after.p.toFixed(3) };
  const says = t(stays ? 'lessons.keepsTop.stays' : 'lessons.keepsTop.changes', p);
  return { correct, text: `${t(correct ? 'lessons.keepsTop.right' : 'lessons.keepsTop.notQuite')} ${says}` };
}

/** Keeps the open lesson step and the link's lesson=…&step=… together: opens what the link names now and whenever it changes. */
export function startLessonLink(store: AppStore): () => void {
  const teach = teachActions(store);
  teach.follow();
  return store.subscribe((s, prev) => {
    if (s.doc.lesson !== prev.doc.lesson) teach.follow();
  });
}
