// The five lessons on modern attention, checked against the engine: the model steps run their model as the
// compute worker does (stories260K with the Hub stand-in's tokenizer; a synthetic GPT-Neo for TinyStories),
// every step can be redone from the numbers it shows (the rotation from the shown pair and angle, ℓ from the
// shown ℓ, factor and tile sum, the cache's weights from its scores…), and on every case step the numbers
// computeAttention gives show the same digits as the float64 reference the text is filled from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAttention } from '../../engine/attention.ts';
import { initBackend } from '../../engine/backend.ts';
import type { RunnableModel } from '../../compute/models.ts';
import { LANGS } from '../../i18n/index.ts';
import { LESSONS, type Lesson, type LessonStep } from './index.ts';
import { fillLessonText, partsText, placeholderText, PLACEHOLDER, resultNumbers, shownRunNumbers, stepCase, stepInput, stepNumbers, type LessonNumbers } from './numbers.ts';
import { openLessonModel, runStep } from './test-lessonModels.ts';
import { STORIES_260K, TINYSTORIES_1M } from './models.ts';

const lesson = (id: string): Lesson => LESSONS.find((l) => l.id === id)!;

/** A shown number, as the student reads it. */
const shown = (nums: LessonNumbers, ref: string): number => Number(placeholderText(nums, ref));
/** A shown vector "(a, b, …)". */
const shownVector = (nums: LessonNumbers, ref: string): number[] => placeholderText(nums, ref).slice(1, -1).split(', ').map(Number);

/** Half a unit in the last shown digit. */
const half = (digits: number) => 0.5 * 10 ** -digits;

/** Every placeholder of a step fills in both languages, with a finite number. */
function expectFills(step: LessonStep, nums: LessonNumbers): void {
  for (const lang of LANGS) {
    const text = partsText(fillLessonText(step.text[lang], nums));
    expect(text, `${step.title.en} (${lang})`).not.toMatch(/\{[A-Z]/);
    expect(text).not.toMatch(/NaN|Infinity/);
  }
}

/** The row of A the exercise asks about has one clear answer: returns the key. */
function clearAnswer(nums: LessonNumbers, step: LessonStep): number {
  const ex = step.exercise;
  if (!ex || (ex.kind ?? 'attend') !== 'attend' || !('query' in ex)) throw new Error('an attend exercise');
  const row = nums.heads[ex.head ?? 0].A[ex.query];
  const sorted = row.slice().sort((a, b) => b - a);
  expect(sorted[0] - sorted[1], `${step.title.en}: the top two keys`).toBeGreaterThan(0.02);
  return row.indexOf(sorted[0]);
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('models run as the worker runs them', () => {
  const models = new Map<string, RunnableModel>();
  const model = async (id: typeof STORIES_260K) => {
    let m = models.get(id);
    if (!m) models.set(id, (m = await openLessonModel(id)));
    return m;
  };
  afterAll(() => models.forEach((m) => m.model.dispose()));

  async function numbersOf(l: Lesson): Promise<LessonNumbers[]> {
    const out: LessonNumbers[] = [];
    for (const step of l.steps) {
      if (!step.state?.model) {
        out.push(stepNumbers(l, step)!);
        continue;
      }
      const { nums } = await runStep(await model(step.state.model.id), step);
      expectFills(step, nums);
      out.push(nums);
    }
    return out;
  }

  describe('5. rotary position embedding, on stories260K', () => {
    const l = lesson('rotary-positions');
    let nums: LessonNumbers[];
    beforeAll(async () => {
      nums = await numbersOf(l);
    });

    it('runs on stories260K, layer 2: 5 layers of 8 heads, d_k = 8, RoPE over all 8 coordinates', () => {
      for (const step of l.steps) expect(step.state?.model).toMatchObject({ id: STORIES_260K, layer: 1 });
      const n = nums[0];
      expect([shown(n, '{LAYERS}'), shown(n, '{HEADS}'), shown(n, '{DHEAD}'), shown(n, '{LAYER}'), shown(n, '{DIMS}')]).toEqual([5, 8, 8, 2, 8]);
    });

    it('the turned pair is the shown pair rotated by the shown angle, and keeps its length', () => {
      const n = nums[1];
      const [a, b] = shownVector(n, '{QP[10][0]}');
      const angle = shown(n, '{ANG[10][0]}');
      const [x, y] = shownVector(n, '{QR[10][0]}');
      // Rounding: each shown coordinate ±0.0005, the angle ±0.0005 rad times the pair's length.
      const tol = 2 * half(3) + half(3) * Math.hypot(a, b);
      expect(Math.abs(x - (a * Math.cos(angle) - b * Math.sin(angle)))).toBeLessThan(tol);
      expect(Math.abs(y - (b * Math.cos(angle) + a * Math.sin(angle)))).toBeLessThan(tol);
      expect(Math.abs(Math.hypot(x, y) - Math.hypot(a, b))).toBeLessThan(tol);
      expect(Math.abs(angle)).toBeGreaterThan(0.1); // position 10 really turns it
    });

    it('the angles are the position times the frequencies shown, and the frequencies are b^(−2(t−1)/d_k)', () => {
      const n = nums[2];
      const pos = shown(n, '{POS[10]}');
      const b = shown(n, '{THETA}');
      const d = shown(n, '{DIMS}');
      expect([pos, b]).toEqual([10, 10000]);
      for (let t = 0; t < 4; t++) {
        const f = shown(n, `{FREQ[${t}]}`);
        expect(Math.abs(f - b ** ((-2 * t) / d))).toBeLessThanOrEqual(half(4));
        expect(Math.abs(shown(n, `{ANG[10][${t}]}`) - pos * f)).toBeLessThanOrEqual(half(3) + pos * half(4));
      }
    });

    it('read 100 positions later, the shown score and weight are the same; every map of the layer is', () => {
      const n = nums[3];
      expect(shown(n, '{SHIFT}')).toBe(100);
      expect(placeholderText(n, '{SS[10][4]}')).toBe(placeholderText(n, '{S[10][4]}'));
      expect(placeholderText(n, '{SA[10][4]}')).toBe(placeholderText(n, '{A[10][4]}'));
      n.shifted!.heads.forEach((h, k) => h.A.forEach((row, i) => row.forEach((a, j) => expect(Math.abs(a - n.heads[k].A[i][j])).toBeLessThan(1e-4))));
    });

    it('the exercise has one clear answer', () => {
      clearAnswer(nums[4], l.steps[4]);
    });
  });

  describe('6. grouped-query attention, on stories260K', () => {
    const l = lesson('grouped-query');
    let nums: LessonNumbers[];
    beforeAll(async () => {
      nums = await numbersOf(l);
    });

    it('names the groups the model has: heads 1, 2 on key/value head 1, heads 3, 4 on 2', () => {
      const n = nums[0];
      expect(['{HEADS}', '{KVHEADS}', '{KVQ[0][0]}', '{KVQ[0][1]}', '{KVQ[1][0]}', '{KVQ[1][1]}'].map((r) => shown(n, r))).toEqual([8, 4, 1, 2, 3, 4]);
      expect(shown(nums[1], '{KVOF[0]}')).toBe(1);
    });

    it('the two heads show the same key', () => {
      const n = nums[1];
      expect(placeholderText(n, '{h1:K[4]}')).toBe(placeholderText(n, '{h2:K[4]}'));
      expect(n.heads[0].K).toEqual(n.heads[1].K);
    });

    it('their queries and the weights shown differ', () => {
      const n = nums[2];
      expect(placeholderText(n, '{h1:Q[8]}')).not.toBe(placeholderText(n, '{h2:Q[8]}'));
      for (const j of [2, 7]) expect(Math.abs(shown(n, `{h1:A[8][${j}]}`) - shown(n, `{h2:A[8][${j}]}`))).toBeGreaterThan(0.1);
    });

    it('the cache size is 2 × layers × key/value heads × d_head per token, times the context and 4 bytes', () => {
      const n = nums[3];
      const per = 2 * shown(n, '{LAYERS}') * shown(n, '{KVHEADS}') * shown(n, '{DHEAD}');
      expect(shown(n, '{KVN}')).toBe(per);
      expect(shown(n, '{KVNU}')).toBe(2 * shown(n, '{LAYERS}') * shown(n, '{HEADS}') * shown(n, '{DHEAD}'));
      expect(Math.abs(shown(n, '{KVMB}') - (per * shown(n, '{CTX}') * 4) / 1e6)).toBeLessThanOrEqual(half(2));
      expect(shown(n, '{KVMBU}')).toBeCloseTo(2 * shown(n, '{KVMB}'), 1);
    });

    it('the exercise: head 2’s answer is clear, and not head 1’s (same keys, different attention)', () => {
      const n = nums[4];
      const step = l.steps[4];
      const head2 = clearAnswer(n, step);
      const row1 = n.heads[0].A[8];
      expect(row1.indexOf(Math.max(...row1))).not.toBe(head2);
    });
  });

  it('the page shows a model step’s numbers once the run on screen is the step’s (model, text, layer, shift), “…” before', async () => {
    const l = lesson('rotary-positions');
    const step = l.steps[3];
    const m = await model(STORIES_260K);
    const { run, nums } = await runStep(m, step);
    const screen = { source: STORIES_260K as string, text: step.state!.model!.text, busy: false, run: { ...run.detail, model: run.extras }, info: m.info };
    expect(placeholderText(shownRunNumbers(step, screen)!, '{SS[10][4]}')).toBe(placeholderText(nums, '{SS[10][4]}'));
    for (const other of [{ busy: true }, { text: 'Once' }, { source: 'brown-char' }, { info: null }, { run: { ...screen.run, layer: 0 } }]) expect(shownRunNumbers(step, { ...screen, ...other })).toBeNull();
    // The run without the shift is not the shift step's (its shifted numbers are not there yet).
    expect(shownRunNumbers(step, { ...screen, run: { ...screen.run, model: { ...run.extras, compare: null } } })).toBeNull();
    expect(shownRunNumbers(l.steps[0], { ...screen, run: { ...screen.run, model: { ...run.extras, compare: null } } })).not.toBeNull();
    expect(partsText(fillLessonText(step.text.en, null))).toContain('is …. Now read');
  });

  describe('7. sliding-window attention: GPT-Neo’s local layer', () => {
    const l = lesson('local-window');
    it('the model step names the local layer’s window (the stand-in’s 3) and the text’s length', async () => {
      const step = l.steps.find((s) => s.state?.model)!;
      expect(step.state!.model!.id).toBe(TINYSTORIES_1M);
      const { nums, run } = await runStep(await model(TINYSTORIES_1M), step);
      expectFills(step, nums);
      expect(run.extras.windows).toEqual([null, 3]);
      expect(shown(nums, '{WINL[1]}')).toBe(3);
      expect(shown(nums, '{N}')).toBe(run.detail.result.heads[0].A.rows);
      // The local layer's band: nothing further back than the window.
      const A = nums.heads[0].A;
      A.forEach((row, i) => row.forEach((a, j) => (i - j >= 3 || j > i ? expect(a).toBe(0) : undefined)));
      expect(() => placeholderText(nums, '{WINL[0]}')).toThrow('a local window in layer 1');
    });
  });
});

describe('7. sliding-window attention on the sentence', () => {
  const l = lesson('local-window');
  it('causally “it” attends most to “animal”; a window of 2 takes “animal” away', () => {
    const causal = stepNumbers(l, l.steps[0])!;
    expect(causal.heads[0].A[3].indexOf(Math.max(...causal.heads[0].A[3]))).toBe(0);
    const band = stepNumbers(l, l.steps[1])!;
    expect(shown(band, '{WIN}')).toBe(2);
    expect(placeholderText(band, '{A[3][0]}')).toBe('0');
    expect(shown(band, '{A[3][2]}') + shown(band, '{A[3][3]}')).toBeCloseTo(1, 2);
  });

  it('stacked layers reach L·(w − 1) tokens further back (tokens counted from 1)', () => {
    const n = stepNumbers(l, l.steps[2])!;
    const w = shown(n, '{WIN}');
    for (const L of [1, 2, 3]) expect(shown(n, `{REACH[5][${L}]}`)).toBe(Math.max(1, 6 - L * (w - 1)));
  });

  it('the exercise with a window of 4: “animal” is back in reach and wins', () => {
    const step = l.steps.at(-1)!;
    expect(clearAnswer(stepNumbers(l, step)!, step)).toBe(0);
  });
});

describe('8. the KV cache', () => {
  const l = lesson('kv-cache');
  it('each step shows the tokens so far', () => {
    expect(l.steps.map((s) => stepCase(l, s)!.X.length)).toEqual([1, 2, 4, 6, 6]);
  });

  it('the cache’s weights are the softmax of its shown scores, and equal the shown row of the full A', () => {
    for (const [k, t] of [
      [1, 1],
      [2, 3],
    ]) {
      const n = stepNumbers(l, l.steps[k])!;
      const refs = (name: string) => [...l.steps[k].text.en.matchAll(PLACEHOLDER)].map((m) => m[0]).filter((r) => r.startsWith(`{${name}[${t}]`));
      for (const r of refs('CA')) expect(placeholderText(n, r)).toBe(placeholderText(n, r.replace('CA', 'A')));
      const scores = Array.from({ length: t + 1 }, (_, j) => n.heads[0].scores[t][j]);
      const e = scores.map((s) => Math.exp(s - Math.max(...scores)));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((x, j) => expect(Math.abs(shown(n, `{CA[${t}][${j}]}`) - x / sum)).toBeLessThanOrEqual(half(3)));
      if (k === 1) {
        // From the shown scores themselves (3 digits): the shown weights follow.
        const s = [0, 1].map((j) => shown(n, `{CS[1][${j}]}`));
        const p = Math.exp(s[1]) / (Math.exp(s[0]) + Math.exp(s[1]));
        expect(Math.abs(shown(n, '{CA[1][1]}') - p)).toBeLessThan(2 * half(3));
      }
    }
    const n = stepNumbers(l, l.steps[2])!;
    expect(placeholderText(n, '{CZ[3]}')).toBe(placeholderText(n, '{Z[3]}'));
  });

  it('the cost counter: projections d·(3·d_k) plus (t + 1)·(d_k + d_v) a step with the cache; the recomputation n·12 + 4n²', () => {
    const n = stepNumbers(l, l.steps[3])!;
    expect([shown(n, '{COST[5]}'), shown(n, '{RECOMP[5]}')]).toEqual([2 * 6 + 6 * 4, 6 * 12 + 4 * 36]);
    const sum = (f: (k: number) => number) => [1, 2, 3, 4, 5, 6].reduce((a, k) => a + f(k), 0);
    expect([shown(n, '{TCOST[5]}'), shown(n, '{TRECOMP[5]}')]).toEqual([sum((k) => 12 + 4 * k), sum((k) => 12 * k + 4 * k * k)]);
  });
});

describe('9. the online softmax', () => {
  const l = lesson('online-softmax');
  const n = stepNumbers(l, l.steps[3])!;

  it('every tile can be redone from the shown numbers: factor, ℓ and the raised maximum', () => {
    expect(shown(n, '{B}')).toBe(2);
    for (const t of [1, 2]) {
      const f = shown(n, `{F[5][${t}]}`);
      expect(Math.abs(f - Math.exp(shown(n, `{M[5][${t - 1}]}`) - shown(n, `{M[5][${t}]}`)))).toBeLessThan(3 * half(3));
      const l1 = shown(n, `{L[5][${t - 1}]}`) * f + shown(n, `{TS[5][${t}]}`);
      expect(Math.abs(shown(n, `{L[5][${t}]}`) - l1)).toBeLessThan(4 * half(3));
    }
    // Tile 2 stays under the maximum (factor 1), tile 3 raises it to the row's largest score.
    expect(shown(n, '{F[5][1]}')).toBe(1);
    expect(shown(n, '{M[5][2]}')).toBeGreaterThan(shown(n, '{M[5][1]}'));
    expect(shown(n, '{M[5][2]}')).toBe(Math.max(...[0, 1, 2, 3, 4, 5].map((j) => shown(n, `{S[5][${j}]}`))));
  });

  it('ends at the full softmax’s weights and z, shown to the same digits', () => {
    for (let j = 0; j < 6; j++) expect(placeholderText(n, `{OA[5][${j}]}`)).toBe(placeholderText(n, `{A[5][${j}]}`));
    expect(placeholderText(n, '{OZ[5][2]}')).toBe(placeholderText(n, '{Z[5]}'));
    const o = shownVector(n, '{O[5][2]}');
    const z = shownVector(n, '{OZ[5][2]}');
    o.forEach((x, c) => expect(Math.abs(x / shown(n, '{L[5][2]}') - z[c])).toBeLessThan(3 * half(3)));
  });

  it('the exercise’s tiles of 3 name the maxima of their tiles', () => {
    const m = stepNumbers(l, l.steps.at(-1)!)!;
    expect(shown(m, '{B}')).toBe(3);
    expect([shown(m, '{M[5][0]}'), shown(m, '{M[5][1]}')]).toEqual([shown(m, '{S[5][1]}'), shown(m, '{S[5][5]}')]);
  });
});

describe('one attention implementation', () => {
  it('on every case step of every lesson, computeAttention’s numbers show the digits the text shows', async () => {
    let compared = 0;
    for (const l of LESSONS) {
      for (const step of l.steps) {
        const c = stepCase(l, step);
        if (!c) continue;
        const input = stepInput(c, step.state?.window ?? null);
        const engine = { ...resultNumbers(input, await computeAttention(input)), tile: step.state?.tile ?? null };
        const reference = stepNumbers(l, step)!;
        for (const m of step.text.en.matchAll(PLACEHOLDER)) {
          expect(placeholderText(engine, m[0]), `${l.id}: ${step.title.en}: ${m[0]}`).toBe(placeholderText(reference, m[0]));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150);
  });
});
