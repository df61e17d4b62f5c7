import { describe, expect, it } from 'vitest';
import { parseCase } from '../../engine/validate.ts';
import { referenceAttention } from '../../engine/reference.ts';
import { parseOverridePath } from '../../state/document.ts';
import { LESSONS } from './index.ts';

describe('lessons', () => {
  it('follow the article: self-attention, weighted attention, multi-head', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['self-attention', 'weighted-attention', 'multi-head']);
  });

  for (const lesson of LESSONS) {
    describe(lesson.id, () => {
      it('is small enough to check by hand, in both languages', () => {
        expect(lesson.case.X.length).toBeLessThanOrEqual(6);
        expect(lesson.case.X[0].length).toBeLessThanOrEqual(4);
        expect(lesson.case.tokens.en.length).toBe(lesson.case.X.length);
        expect(lesson.case.tokens.zh.length).toBe(lesson.case.X.length);
        for (const s of lesson.steps) {
          for (const text of [s.title, s.text, s.exercise?.question]) {
            if (!text) continue;
            expect(text.en.length).toBeGreaterThan(0);
            expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
          }
        }
        expect(lesson.steps.at(-1)?.exercise).toBeDefined();
      });

      it('ends with a prediction that has one clear answer', () => {
        const step = lesson.steps.at(-1)!;
        const ex = step.exercise!;
        const json = structuredClone({ ...lesson.case, tokens: undefined }) as unknown as { X: number[][]; keyWeights: number[] | null; heads: { Wq: number[][] }[] };
        for (const [path, v] of Object.entries(step.state?.overrides ?? {})) {
          const p = parseOverridePath(path)!;
          expect(p.matrix).toBe('X');
          json.X[p.row][p.col] = v;
        }
        if (step.state?.weights) json.keyWeights = step.state.weights.slice();
        const r = referenceAttention(parseCase(json));
        const A = r.heads[ex.head ?? 0].A;
        const row = Array.from({ length: A.cols }, (_, j) => A.data[ex.query * A.cols + j]);
        const sorted = row.slice().sort((a, b) => b - a);
        expect(sorted[0] - sorted[1]).toBeGreaterThan(0.02);
      });
    });
  }

  it('lesson 1 numbers in the text are the engine’s (row “it”: 0.449, 0.109, 0.221, 0.221)', () => {
    const r = referenceAttention(parseCase({ ...LESSONS[0].case, tokens: undefined }));
    const A = r.heads[0].A;
    expect(Array.from({ length: 4 }, (_, j) => A.data[2 * 4 + j].toFixed(3))).toEqual(['0.449', '0.109', '0.221', '0.221']);
    const Z = r.heads[0].Z;
    expect([Z.data[4].toFixed(3), Z.data[5].toFixed(3)]).toEqual(['1.340', '0.439']);
  });
});
