import { describe, expect, it } from 'vitest';
import { LANGS } from '../../i18n/index.ts';
import { handCheckFailures, handChecks } from './handCheck.ts';
import { LESSONS } from './index.ts';
import { fillLessonText, stepNumbers } from './numbers.ts';

/** The numbers a step shows, as the page shows them: placeholder and text. */
function shownNumbers(lessonIndex: number, stepIndex: number, lang: 'en' | 'zh') {
  const lesson = LESSONS[lessonIndex];
  const step = lesson.steps[stepIndex];
  const parts = fillLessonText(step.text[lang], stepNumbers(lesson, step));
  return parts.filter((p) => typeof p !== 'string');
}

const WRITES_OUT = ['self-attention', 'weighted-attention'];

describe('a student checking a lesson by hand', () => {
  it('catches a step that does not reproduce (lesson 1 with two-decimal exponentials: 4.11 / 9.17 = 0.448, not 0.449)', () => {
    const shown = [
      { ref: '{E[2][0]}', text: '4.11' },
      { ref: '{E[2][1]}', text: '1' },
      { ref: '{E[2][2]}', text: '2.03' },
      { ref: '{E[2][3]}', text: '2.03' },
      { ref: '{SUM[2]}', text: '9.17' },
      { ref: '{A[2][0]}', text: '0.449' },
    ];
    expect(handCheckFailures(shown).map((f) => [f.ref, f.redone])).toEqual([['{A[2][0]}', '0.448']]);
  });

  it('redoes a dot product, a division by √d, an exponential, a weighted sum and a row of Z', () => {
    const redone = (shown: { ref: string; text: string }[]) => Object.fromEntries(handChecks(shown).map((c) => [c.ref, c.redone]));
    expect(redone([{ ref: '{Q[2][0]}', text: '1' }, { ref: '{Q[2][1]}', text: '0' }, { ref: '{K[0][0]}', text: '2' }, { ref: '{K[0][1]}', text: '0' }, { ref: '{DOT[2][0]}', text: '2' }])).toEqual({ '{DOT[2][0]}': '2' });
    expect(redone([{ ref: '{DOT[2][0]}', text: '2' }, { ref: '{SQRTD}', text: '1.4142' }, { ref: '{S[2][0]}', text: '1.4142' }])).toEqual({ '{S[2][0]}': '1.4142' });
    expect(redone([{ ref: '{S[2][0]}', text: '1.4142' }, { ref: '{E[2][0]}', text: '4.113' }])).toEqual({ '{E[2][0]}': '4.113' });
    expect(redone([{ ref: '{W[1]}', text: '2' }, { ref: '{E[2][1]}', text: '1' }, { ref: '{WE[2][1]}', text: '2' }])).toEqual({ '{WE[2][1]}': '2' });
    expect(
      redone([
        { ref: '{A[2][0]}', text: '0.5' },
        { ref: '{A[2][1]}', text: '0.25' },
        { ref: '{V[0]}', text: '(2, 0)' },
        { ref: '{V[1]}', text: '(0, 2)' },
        { ref: '{Z[2]}', text: '(1.00, 0.50)' },
      ]),
    ).toEqual({ '{Z[2]}': '(1.00, 0.50)' });
  });

  for (const [li, lesson] of LESSONS.entries()) {
    if (!lesson.case) continue;
    it(`${lesson.id}: every step, in both languages, reproduces from its displayed numbers`, () => {
      let checked = 0;
      for (let k = 0; k < lesson.steps.length; k++) {
        for (const lang of LANGS) {
          const shown = shownNumbers(li, k, lang);
          expect(handCheckFailures(shown), `${lesson.id} step ${k + 1} ${lang}`).toEqual([]);
          checked += handChecks(shown).length;
        }
      }
      // The lessons that write out a computation: the check is never vacuous there.
      if (WRITES_OUT.includes(lesson.id)) expect(checked, lesson.id).toBeGreaterThan(0);
    });
  }
});
