// Links to a lesson step: #…&lesson=2&step=3 opens step 3 of lesson 2, the link follows the lesson, and
// an edit undone or a reload (decoding the link again) keeps the step.
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DOC, normalizeDoc } from '../../state/document.ts';
import { createAppStore, type AppStore } from '../../state/store.ts';
import { decodeState, encodeState } from '../../state/urlState.ts';
import { setLang } from '../../i18n/index.ts';
import { LESSONS } from './index.ts';
import { startLessonLink, teachActions, useTeach } from './runner.ts';

let store: AppStore;
let stop: () => void = () => {};
const resetTeach = () => useTeach.setState({ lessonOpen: false, lessonId: null, step: 0, done: false, choice: null, checked: false });

beforeEach(() => {
  setLang('en');
  stop();
  resetTeach();
  store = createAppStore();
  stop = startLessonLink(store);
});

describe('the link of a lesson step', () => {
  it('is written as lesson=2&step=3, counting from 1, and read back', () => {
    const hash = encodeState(normalizeDoc({ ...DEFAULT_DOC, lesson: { lesson: 1, step: 2 } }));
    expect(hash).toMatch(/&lesson=2&step=3(&|$)/);
    const back = decodeState(hash, DEFAULT_DOC);
    expect(back.errors).toEqual([]);
    expect(back.doc?.lesson).toEqual({ lesson: 1, step: 2 });
  });

  it('without a lesson, step stays the Steps view’s step', () => {
    const back = decodeState('#v=1&view=steps&step=2', DEFAULT_DOC).doc!;
    expect(back.lesson).toBeNull();
    expect(back.step).toBe(2);
    expect(encodeState(normalizeDoc({ ...DEFAULT_DOC, step: 2 }))).not.toContain('lesson=');
  });

  it('rejects lesson=0 or a non-number with a message naming the field', () => {
    const { doc, errors } = decodeState('#lesson=0&step=1', DEFAULT_DOC);
    expect(doc?.lesson).toBeNull();
    expect(errors).toEqual(['Link: lesson must be 1–99, got 0']);
  });

  it('opens the step the link names, in the app’s state (weights of lesson 2 step 3)', () => {
    const link = decodeState('#lesson=2&step=3', store.getState().doc).doc!;
    store.getState().actions.replaceDoc(link, true);
    expect(useTeach.getState()).toMatchObject({ lessonOpen: true, lessonId: 'weighted-attention', step: 2 });
    expect(store.getState().doc.keyWeights).toEqual(LESSONS[1].steps[2].state!.weights);
    expect(encodeState(store.getState().doc)).toMatch(/&lesson=2&step=3(&|$)/);
  });

  it('follows the lesson: Next writes step=4, Close removes it', () => {
    const teach = teachActions(store);
    teach.pick('multi-head');
    expect(encodeState(store.getState().doc)).toMatch(/&lesson=3&step=1(&|$)/);
    teach.next();
    expect(encodeState(store.getState().doc)).toMatch(/&lesson=3&step=2(&|$)/);
    teach.close();
    expect(store.getState().doc.lesson).toBeNull();
    expect(encodeState(store.getState().doc)).not.toContain('lesson=');
  });

  it('survives undo of an edit and a reload of its link', () => {
    const teach = teachActions(store);
    teach.pick('self-attention');
    teach.next();
    teach.next();
    store.getState().actions.setSeed(7);
    store.getState().actions.undo();
    expect(store.getState().doc.lesson).toEqual({ lesson: 0, step: 2 });
    expect(useTeach.getState().step).toBe(2);
    // A reload: a fresh store and lesson state, the same link.
    const hash = encodeState(store.getState().doc);
    stop();
    resetTeach();
    const again = createAppStore();
    again.getState().actions.replaceDoc(decodeState(hash, again.getState().doc).doc!, false);
    stop = startLessonLink(again);
    expect(useTeach.getState()).toMatchObject({ lessonOpen: true, lessonId: 'self-attention', step: 2 });
    expect(again.getState().doc.view).toBe(LESSONS[0].steps[2].view);
  });

  it('says so for a lesson or a step the app does not have, and opens nothing', () => {
    store.getState().actions.replaceDoc(decodeState('#lesson=42&step=1', store.getState().doc).doc!, true);
    expect(useTeach.getState().lessonId).toBeNull();
    expect(store.getState().doc.lesson).toBeNull();
    expect(store.getState().notices.map((n) => n.text)).toContain(`The link opens lesson 42, but there are ${LESSONS.length} lessons: it stays closed.`);
    store.getState().actions.replaceDoc(decodeState('#lesson=1&step=30', store.getState().doc).doc!, true);
    expect(store.getState().notices.map((n) => n.text)).toContain(`The link opens step 30 of lesson 1, which has ${LESSONS[0].steps.length} steps: it stays closed.`);
  });
});
