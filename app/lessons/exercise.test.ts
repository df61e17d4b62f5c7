// Exercises: a wrong try does not give the answer away, the student may try again or ask for the
// answer, and every lesson's question explains itself and carries teacher's notes.
import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/index.ts';
import { createAppStore } from '../../state/store.ts';
import { LESSONS } from './index.ts';
import { attendAnswer, feedbackFor } from './exerciseCheck.ts';
import { teachActions, useTeach } from './runner.ts';

const A = { rows: 1, cols: 3, data: new Float64Array([0.2, 0.5, 0.3]) };
const tokens = ['a', 'b', 'c'];

beforeEach(() => setLang('en'));

describe('exercise feedback', () => {
  it('a wrong try names the chosen key’s weight but not the answer; revealed, it names the answer', () => {
    const wrong = feedbackFor(A, tokens, 0, 2, false);
    expect(wrong.correct).toBe(false);
    expect(wrong.text).toContain('0.300');
    expect(wrong.text).not.toContain('0.500');
    expect(feedbackFor(A, tokens, 0, 2, true).text).toContain('0.500');
    expect(feedbackFor(A, tokens, 0, 1, false).correct).toBe(true);
  });

  it('the teacher’s answer is the engine’s largest weight', () => {
    expect(attendAnswer(A, tokens, 0)).toBe('“b” (0.500)');
    setLang('zh');
    expect(attendAnswer(A, tokens, 0)).toBe('“b”（0.500）');
  });

  it('retry clears the choice and hides the views again; reveal only after a check', () => {
    const teach = teachActions(createAppStore());
    teach.pick('self-attention');
    teach.reveal();
    expect(useTeach.getState().revealed).toBe(false);
    teach.choose(3);
    teach.check();
    teach.reveal();
    expect(useTeach.getState()).toMatchObject({ checked: true, revealed: true, choice: 3 });
    teach.retry();
    expect(useTeach.getState()).toMatchObject({ checked: false, revealed: false, choice: null });
  });

  it('every question on a case explains its answer and has teacher’s notes, in both languages', () => {
    for (const lesson of LESSONS.filter((l) => l.case)) {
      for (const step of lesson.steps) {
        const ex = step.exercise;
        if (!ex) continue;
        for (const text of [ex.explain, ex.teacher]) {
          expect(text?.en.length, lesson.id).toBeGreaterThan(0);
          expect(text?.zh, lesson.id).toMatch(/[\u4e00-\u9fff]/);
        }
      }
    }
  });
});
