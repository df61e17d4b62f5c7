// Lessons on the trained model say things about its predictions in words ("the model predicts “q”",
// "the prediction collapses"): each claim is checked here against the shipped model run in Node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionChange } from '../../engine/analysis/distribution.ts';
import { initBackend } from '../../engine/backend.ts';
import { charModelAsTransformer } from '../../engine/model/asTransformer.ts';
import { loadModel, type LoadedModel } from '../../engine/model/load.ts';
import { tokenizeForModel } from '../../engine/model/tokenize.ts';
import type { TransformerModel } from '../../engine/transformer/types.ts';
import { LANGS } from '../../i18n/index.ts';
import { LESSONS } from './index.ts';
import type { StepModel } from './types.ts';

const ROOT = join(import.meta.dirname, '../..');
const lesson = LESSONS.find((l) => l.id === 'heads-that-matter')!;

describe('lesson “Find the heads that matter” on the shipped model', () => {
  let loaded: LoadedModel;
  let model: TransformerModel;
  beforeAll(async () => {
    await initBackend('cpu');
    loaded = loadModel(readFileSync(join(ROOT, 'public/models/brown-char.json'), 'utf8'), readFileSync(join(ROOT, 'public/models/brown-char.bin')));
    model = await charModelAsTransformer(loaded, 'public/models/brown-char.json');
  });
  afterAll(() => model?.dispose());

  /** The prediction at the last position, before and after the step's ablation (what the Ablation panel shows). */
  async function run(m: StepModel) {
    const { ids } = tokenizeForModel(loaded, m.text);
    const before = await model.forward(ids);
    const after = m.ablate?.length ? await model.forward(ids, { ablate: { heads: m.ablate.slice(), mode: 'zero' } }) : before;
    const top = predictionChange(before.logits!, after.logits!, 0, 3).topBefore[0].id;
    const change = predictionChange(before.logits!, after.logits!, top, 3);
    const char = (id: number) => loaded.vocab.tokens[id];
    return { top: char(top), topAfter: char(change.topAfter[0].id), change };
  }

  const steps = lesson.steps.map((s) => s.state?.model);

  it('every step is on the shipped model reading the same repeated text', () => {
    for (const m of steps) expect(m).toMatchObject({ id: 'brown-char', text: steps[0]!.text });
    const text = steps[0]!.text;
    const [first, second] = text.split(' ');
    expect(first.startsWith(second)).toBe(true);
  });

  it('the character the text names is the model’s top prediction: the one that followed the first time', async () => {
    const { top, change } = await run(steps[0]!);
    const [first, second] = steps[0]!.text.split(' ');
    expect(top).toBe(first[second.length]);
    expect(change.topBefore[0].p).toBeGreaterThan(0.5);
    for (const lang of LANGS) expect(lesson.steps[0].text[lang]).toContain(`“${top}”`);
  });

  it('ablating layer 2’s induction heads collapses that prediction to a common letter', async () => {
    const { top, topAfter, change } = await run(steps[2]!);
    expect(steps[2]!.ablate).toEqual([0, 1, 2].map((head) => ({ layer: 1, head })));
    expect(change.deltaLogp).toBeLessThan(-3);
    expect(topAfter).not.toBe(top);
    expect('etaoinshrdlu').toContain(topAfter);
  });

  it('the exercise has one clear answer, read from the ablation result', async () => {
    const step = lesson.steps.at(-1)!;
    expect(step.exercise?.kind).toBe('keepsTop');
    const { top, topAfter, change } = await run(step.state!.model!);
    // Whatever the answer, it must not hinge on a near tie between the two top characters.
    const pTarget = Math.exp(change.logpAfter);
    const pAfterTop = change.topAfter[0].p;
    if (topAfter === top) expect(pAfterTop - change.topAfter[1].p).toBeGreaterThan(0.05);
    else expect(pAfterTop - pTarget).toBeGreaterThan(0.05);
  });
});
