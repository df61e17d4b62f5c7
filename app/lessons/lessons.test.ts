import { describe, expect, it } from 'vitest';
import { parseCase } from '../../engine/validate.ts';
import { referenceAttention } from '../../engine/reference.ts';
import { LANGS } from '../../i18n/index.ts';
import { LESSONS, type LessonStep } from './index.ts';
import { fillLessonText, formatNumber, partsText, placeholderText, PLACEHOLDER, stepNumbers } from './numbers.ts';

describe('lessons', () => {
  it('follow the article: self-attention, weighted attention, multi-head; then the heads that matter; then modern attention', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['self-attention', 'weighted-attention', 'multi-head', 'heads-that-matter', 'rotary-positions', 'grouped-query', 'local-window', 'kv-cache', 'online-softmax']);
  });

  it('each step has a case or names a model, and every text is in both languages', () => {
    for (const lesson of LESSONS) {
      for (const s of lesson.steps) {
        expect(lesson.case !== undefined || s.state?.model !== undefined, `${lesson.id}: ${s.title.en}`).toBe(true);
        for (const text of [s.title, s.text, s.exercise?.question]) {
          if (!text) continue;
          expect(text.en.length).toBeGreaterThan(0);
          expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
        }
      }
      expect(lesson.steps.at(-1)?.exercise, lesson.id).toBeDefined();
    }
  });

  for (const lesson of LESSONS) {
    const c = lesson.case;
    if (!c) continue;
    describe(lesson.id, () => {
      it('is small enough to check by hand, in both languages', () => {
        expect(c.X.length).toBeLessThanOrEqual(6);
        expect(c.X[0].length).toBeLessThanOrEqual(4);
        expect(c.tokens.en.length).toBe(c.X.length);
        expect(c.tokens.zh.length).toBe(c.X.length);
      });

      it('ends with an exercise, and every exercise has one clear answer on its step’s numbers', () => {
        expect(lesson.steps.at(-1)?.exercise).toBeDefined();
        for (const step of lesson.steps) {
          const ex = step.exercise;
          if (!ex) continue;
          if (ex.kind === 'keepsTop') throw new Error('a lesson on a case asks about its case');
          // The step's own numbers: its mask, window, prefix and case included.
          const nums = stepNumbers(lesson, step)!;
          const A = nums.heads['head' in ex ? (ex.head ?? 0) : 0].A;
          if (ex.kind === undefined || ex.kind === 'attend') {
            const sorted = A[ex.query].slice().sort((a, b) => b - a);
            expect(sorted[0] - sorted[1], step.title.en).toBeGreaterThan(0.02);
          } else if (ex.kind === 'order') {
            // The order shows in the numbers as printed (3 decimals): no two weights look alike.
            const sorted = A[ex.query].slice().sort((a, b) => b - a);
            for (let k = 1; k < sorted.length; k++) expect(sorted[k - 1] - sorted[k], step.title.en).toBeGreaterThan(0.002);
          } else if (ex.kind === 'zeroColumn') {
            const zero = A[0].map((_, j) => A.every((r) => r[j] === 0));
            expect(zero.filter(Boolean).length, step.title.en).toBe(1);
          } else if (ex.kind === 'value') {
            const m = ex.matrix === 'A' ? A : nums.heads.length === 1 ? nums.heads[0].Z : null;
            if (m) expect(Number.isFinite(m[ex.row]?.[ex.col]), step.title.en).toBe(true);
          }
        }
      });
    });
  }

  it('lesson 1 numbers in the text are the engine’s (row “it”: 0.449, 0.109, 0.221, 0.221)', () => {
    const r = referenceAttention(parseCase({ ...LESSONS[0].case!, tokens: undefined }));
    const A = r.heads[0].A;
    expect(Array.from({ length: 4 }, (_, j) => A.data[2 * 4 + j].toFixed(3))).toEqual(['0.449', '0.109', '0.221', '0.221']);
    const Z = r.heads[0].Z;
    expect([Z.data[4].toFixed(3), Z.data[5].toFixed(3)]).toEqual(['1.340', '0.439']);
  });
});

describe('numbers in lesson text', () => {
  const texts = (step: LessonStep) => [step.title, step.text, step.exercise?.question].filter((x) => x !== undefined);

  it('are never typed: outside placeholders the text has no decimal number', () => {
    for (const lesson of LESSONS) {
      for (const text of [lesson.title, lesson.summary, ...lesson.steps.flatMap(texts)]) {
        // A section of the article (§3.2) is a name, not a number.
        for (const lang of LANGS) expect(text[lang].replace(PLACEHOLDER, '').replace(/§\d+(\.\d+)*/g, ''), `${lesson.id} ${lang}`).not.toMatch(/\d[.,]\d/);
      }
    }
  });

  it('every number shown in every step, in both languages, is the engine’s value at the shown precision', () => {
    for (const lesson of LESSONS) {
      for (const step of lesson.steps) {
        const nums = stepNumbers(lesson, step);
        // A step on a model reads the model's run: modernLessons.test.ts runs the models and checks those.
        for (const lang of nums ? LANGS : []) {
          const parts = fillLessonText(step.text[lang], nums);
          const shown = partsText(parts);
          expect(shown, `${lesson.id} ${lang}`).not.toMatch(/\{[A-Z]/);
          for (const p of parts) {
            if (typeof p === 'string') continue;
            expect(p.text, p.ref).toBe(placeholderText(nums!, p.ref));
          }
        }
        // The same placeholders in both languages: the two texts show the same numbers.
        const refs = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[0]).sort();
        expect(refs(step.text.zh), `${lesson.id}: ${step.title.en}`).toEqual(refs(step.text.en));
      }
    }
  });

  it('lesson 2 “larger weights” shows row “it” as the engine gives it, and its terms reproduce it by hand', () => {
    const lesson = LESSONS[1];
    const step = lesson.steps[2];
    const shown = partsText(fillLessonText(step.text.zh, stepNumbers(lesson, step)));
    expect(shown).toContain('0.404、0.197、0.199、0.199');
    // 2.028 / 10.169 = 0.1994 → 0.199 (with two decimals, 2.03 / 10.17 = 0.1996 → 0.200 did not).
    expect(shown).toContain('4.113、2、2.028、2.028 除以 10.169');
  });

  it('formats an exact integer without decimals and anything else at its precision', () => {
    expect(formatNumber(1, 2)).toBe('1');
    expect(formatNumber(-0, 3)).toBe('0');
    expect(formatNumber(0.19945, 3)).toBe('0.199');
    expect(formatNumber(2.0276, 2)).toBe('2.03');
  });

  it('reads entries, rows, vectors and other heads', () => {
    const lesson = LESSONS[2];
    const nums = stepNumbers(lesson, lesson.steps[0])!;
    expect(placeholderText(nums, '{X[1]}')).toBe('(0, 2)');
    expect(placeholderText(nums, '{h2:Q[1]}')).toBe('(2, 0)');
    expect(placeholderText(nums, '{SQRTD}')).toBe('1.4142');
    expect(placeholderText(nums, '{W[3]}')).toBe('1');
    expect(() => placeholderText(nums, '{h3:A[0][0]}')).toThrow();
    expect(() => placeholderText(nums, '{A[9][0]}')).toThrow();
    expect(() => placeholderText(nums, '{NOPE[0]}')).toThrow();
  });
});
