// The teaching panels above the views: a guided lesson, the article's code versus its formulas, and
// the glossary.
import { useEffect, useMemo } from 'react';
import { ArticleCodePanel } from '../components/teaching/ArticleCodePanel.tsx';
import { GlossaryPanel, type GlossaryRow } from '../components/teaching/GlossaryPanel.tsx';
import { LessonPanel, type LessonStepProps } from '../components/teaching/LessonPanel.tsx';
import { GLOSSARY } from '../i18n/glossary.ts';
import { getLang, langTag, pick, t } from '../i18n/index.ts';
import { VIEW_LABEL } from './viewLabels.ts';
import { LESSONS } from './lessons/index.ts';
import { answerReady, checkExercise, exerciseAnswer, exerciseInput } from './lessons/exerciseCheck.ts';
import { KEEPS_TOP_OPTIONS, keepsTopFeedback, lessonById, teachActions, useTeach, type Teach } from './lessons/runner.ts';
import { fillLessonText, PLACEHOLDER, shownRunNumbers, stepNumbers } from './lessons/numbers.ts';
import type { LessonHandoutProps } from '../components/teaching/LessonHandout.tsx';
import type { Lesson } from './lessons/index.ts';
import { usePresentation } from './usePresentation.ts';
import { useActions, useStore, useStoreApi } from '../state/store.ts';
import './teaching.css';

/** The lesson controls for this app's store. */
function useTeachActions(): Teach {
  const store = useStoreApi();
  return useMemo(() => teachActions(store), [store]);
}


export function TeachingButtons() {
  const teach = useTeachActions();
  const lessonOpen = useTeach((s) => s.lessonOpen);
  const articleOpen = useTeach((s) => s.articleOpen);
  const glossaryOpen = useTeach((s) => s.glossaryOpen);
  return (
    <>
      <button type="button" className="al-button" aria-expanded={lessonOpen} data-testid="lessons-toggle" onClick={teach.toggleLessons}>
        {t('lessons.open')}
      </button>
      <button type="button" className="al-button" aria-expanded={articleOpen} data-testid="article-toggle" onClick={teach.toggleArticle}>
        {t('article.open')}
      </button>
      <button type="button" className="al-button" aria-expanded={glossaryOpen} data-testid="glossary-toggle" onClick={teach.toggleGlossary}>
        {t('glossary.open')}
      </button>
    </>
  );
}

/** A step's model while it is not open: loading, or the reason it could not be opened (the text stays, its numbers wait). */
function stepModelStatus(id: string | null, model: { key: string | null; status: string; error: string | null }): LessonStepProps['model'] {
  if (id === null || model.key !== id) return null;
  const name = id.replace(/^(hf|local):/, '');
  if (model.status === 'error') return { name, status: 'error', why: model.error };
  if (model.status === 'loading') return { name, status: 'loading', why: null };
  return null;
}

/** Every step of a lesson for the printed handout, each on its own numbers (a model step's numbers are on screen only). */
function handoutOf(lesson: Lesson): LessonHandoutProps {
  const labels = lesson.case?.tokens[getLang()] ?? [];
  return {
    title: pick(lesson.title),
    article: lesson.article ? pick(lesson.article) : null,
    steps: lesson.steps.map((step) => {
      const nums = stepNumbers(lesson, step);
      const text = nums ? fillLessonText(pick(step.text), nums) : [pick(step.text).replace(PLACEHOLDER, '—')];
      return {
        title: pick(step.title),
        text,
        tex: step.tex,
        // A question's heatmap would print its answer.
        heatmap: nums && !step.exercise ? { labels, A: nums.heads[0].A } : null,
        question: step.exercise ? pick(step.exercise.question) : null,
      };
    }),
  };
}

function Lessons() {
  const teach = useTeachActions();
  const st = useTeach();
  const handout = useMemo(() => (st.lessonId ? handoutOf(lessonById(st.lessonId)!) : null), [st.lessonId]);
  const end = useMemo(() => () => teach.present(false), [teach]);
  usePresentation(st.presenting && st.lessonId !== null, { next: teach.next, prev: teach.prev, end });
  const computed = useStore((s) => s.computed);
  const busy = useStore((s) => s.busy);
  const source = useStore((s) => s.doc.source);
  const text = useStore((s) => s.doc.text);
  const info = useStore((s) => s.model.info);
  const modelState = useStore((s) => s.model);
  const lesson = lessonById(st.lessonId);
  const summaries = useMemo(() => LESSONS.map((l) => ({ id: l.id, title: pick(l.title), summary: pick(l.summary) })), []);
  // The App re-mounts on a language switch: re-apply the open step so the token labels follow.
  useEffect(() => teach.reapply(), [teach]);

  let active: LessonStepProps | null = null;
  if (lesson) {
    const step = lesson.steps[st.step];
    const ex = step.exercise;
    const tokens = computed?.tokens ?? [];
    let feedback = null;
    let answer: string | null = null;
    if (ex && computed) {
      if (ex.kind === 'keepsTop') {
        const ablation = computed.model?.ablation;
        if (ablation && st.checked && typeof st.choice === 'number') feedback = keepsTopFeedback(ablation, st.choice);
        if (ablation?.before[0] && ablation.after[0]) answer = t(ablation.before[0].token === ablation.after[0].token ? KEEPS_TOP_OPTIONS[0] : KEEPS_TOP_OPTIONS[1]);
      } else {
        if (st.checked && st.choice !== null) feedback = checkExercise(ex, computed.result, tokens, st.choice, st.revealed);
        answer = exerciseAnswer(ex, computed.result, tokens);
      }
    }
    // A yes/no question has nothing left to try once answered.
    const settled = feedback !== null && (feedback.correct || st.revealed || ex?.kind === 'keepsTop');
    const input = ex?.kind === 'keepsTop' ? { kind: 'options' as const, options: KEEPS_TOP_OPTIONS.map((k) => t(k)) } : ex ? exerciseInput(ex, tokens) : null;
    active = {
      lessonId: lesson.id,
      lessonTitle: pick(lesson.title),
      article: lesson.article ? pick(lesson.article) : null,
      index: st.step,
      total: lesson.steps.length,
      title: pick(step.title),
      // A case step's numbers are the engine's on its case; a model step's come from its run once it is on screen.
      text: fillLessonText(
        pick(step.text),
        stepNumbers(lesson, step) ?? shownRunNumbers(step, { source: source.kind === 'model' ? source.model : null, text, busy, run: computed, info }),
      ),
      tex: step.tex,
      viewLabel: t(VIEW_LABEL[step.view]),
      model: stepModelStatus(step.state?.model?.id ?? null, modelState),
      exercise: ex
        ? {
            question: pick(ex.question),
            input: input!,
            choice: st.choice,
            ready: input !== null && answerReady(input, st.choice),
            checked: st.checked,
            feedback,
            settled,
            explain: settled && ex.explain ? pick(ex.explain) : null,
            teacher: { notes: ex.teacher ? pick(ex.teacher) : null, answer },
          }
        : null,
      done: st.done,
    };
  }
  return (
    <LessonPanel
      lessons={summaries}
      active={active}
      onPick={teach.pick}
      onPrev={teach.prev}
      onNext={teach.next}
      onChoose={teach.choose}
      onCheck={teach.check}
      onRetry={teach.retry}
      onReveal={teach.reveal}
      onClose={teach.close}
      onRetryModel={teach.reapply}
      handout={handout}
      presenting={st.presenting}
      onPresent={() => teach.present(!st.presenting)}
      onPrint={() => window.print()}
    />
  );
}

function Article() {
  const teach = useTeachActions();
  const computed = useStore((s) => s.computed);
  const head = useStore((s) => s.doc.head);
  const cell = useStore((s) => s.doc.cell);
  const actions = useActions();
  const n = computed?.tokens.length ?? 0;
  const query = cell && cell.row < n ? cell.row : 0;
  const rows = useMemo(() => {
    if (!computed) return null;
    const hr = computed.result.heads[Math.min(head, computed.result.heads.length - 1)];
    const row = (m: { cols: number; data: ArrayLike<number> }) => Array.from({ length: m.cols }, (_, j) => m.data[query * m.cols + j]);
    return { q: row(hr.Q), scores: row(hr.scores), A: row(hr.A), z: row(hr.Z) };
  }, [computed, head, query]);
  return (
    <ArticleCodePanel
      head={Math.min(head, (computed?.result.heads.length ?? 1) - 1) + 1}
      tokens={computed?.tokens ?? []}
      query={query}
      rows={rows}
      scale={computed?.result.scale ?? 1}
      onPickQuery={(q) => actions.selectCell({ row: q, col: cell?.col ?? 0 })}
      onClose={teach.toggleArticle}
    />
  );
}

function Glossary() {
  const teach = useTeachActions();
  // The App re-mounts on a language switch, so reading the language once per mount is enough.
  const rows = useMemo((): GlossaryRow[] => {
    const lang = getLang();
    const other = lang === 'zh' ? 'en' : 'zh';
    return GLOSSARY.map((g) => ({ id: g.id, term: g[lang], other: g[other], otherLang: langTag(other), article: g.article, note: g.note[lang] }));
  }, []);
  return <GlossaryPanel rows={rows} onClose={teach.toggleGlossary} />;
}

export function Teaching() {
  const lessonOpen = useTeach((s) => s.lessonOpen);
  const articleOpen = useTeach((s) => s.articleOpen);
  const glossaryOpen = useTeach((s) => s.glossaryOpen);
  if (!lessonOpen && !articleOpen && !glossaryOpen) return null;
  return (
    <div className="al-teaching">
      {lessonOpen && <Lessons />}
      {articleOpen && <Article />}
      {glossaryOpen && <Glossary />}
    </div>
  );
}
