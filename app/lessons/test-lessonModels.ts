// The real models of the lessons, for the tests (not used by the app): stories260K with the stand-in
// tokenizer the Hub stand-in serves, and a small synthetic GPT-Neo (global then local layers, window 3) with
// the same tokenizer standing in for TinyStories-1M. Each step is run as the compute worker runs it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import { memoryFiles } from '../../engine/checkpoint/files.ts';
import { neoConfig, neoTensors, type NeoShape } from '../../engine/checkpoint/test-gptNeo.ts';
import { encodeSafetensors } from '../../engine/checkpoint/writeSafetensors.ts';
import { fromFiles, type RunnableModel } from '../../compute/models.ts';
import { runModel, type ModelRun } from '../../compute/modelRun.ts';
import type { ModelId } from '../../state/document.ts';
import { STORIES_260K, TINYSTORIES_1M } from './models.ts';
import { runNumbers, type LessonNumbers } from './numbers.ts';
import type { LessonStep } from './types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
/** The conformance checkpoint and the stand-in tokenizer the Hub stand-in overlays on it. */
export const STORIES_DIRS = [join(ROOT, 'tests/fixtures/models/stories260K-hf'), join(ROOT, 'tests/fixtures/hub/stories260K-hf')];

/** The GPT-Neo standing in for TinyStories-1M: its vocabulary is the stand-in tokenizer's 512 pieces. */
export const NEO_STAND_IN: NeoShape = { d: 32, heads: 4, layers: 2, vocab: 512, context: 64, window: 3, mlp: 128 };

/** The stand-in GPT-Neo's files: config.json, model.safetensors and the stories260K stand-in tokenizer. */
export function neoStandInFiles(): Record<string, Uint8Array | string> {
  const tok = (f: string) => readFileSync(join(STORIES_DIRS[1], f));
  return {
    'config.json': JSON.stringify(neoConfig(NEO_STAND_IN)),
    'model.safetensors': encodeSafetensors(neoTensors('tinystories-stand-in', NEO_STAND_IN)),
    'tokenizer.json': tok('tokenizer.json'),
    'tokenizer_config.json': tok('tokenizer_config.json'),
  };
}

/** Files from the first folder (last wins) that has them. */
function overlay(label: string, dirs: readonly string[]): CheckpointFiles {
  return {
    label,
    async read(name) {
      for (const dir of [...dirs].reverse()) if (existsSync(join(dir, name))) return new Uint8Array(readFileSync(join(dir, name)));
      return null;
    },
  };
}

/** A lesson's model, loaded as the worker loads it. */
export function openLessonModel(id: ModelId): Promise<RunnableModel> {
  if (id === STORIES_260K) return fromFiles(id, overlay(id, STORIES_DIRS));
  if (id === TINYSTORIES_1M) return fromFiles(id, memoryFiles(id, neoStandInFiles()));
  throw new Error(`no test stand-in for ${id}`);
}

/** A model step run as the app asks the worker for it, and the numbers its text reads. */
export async function runStep(m: RunnableModel, step: LessonStep): Promise<{ run: ModelRun; nums: LessonNumbers }> {
  const s = step.state!.model!;
  const run = await runModel(m, {
    key: m.key,
    origin: { kind: 'page' },
    text: s.text,
    layer: s.layer ?? 0,
    position: step.highlight?.cell?.row ?? null,
    ablate: (s.ablate ?? []).slice(),
    ablateMode: 'zero',
    target: null,
    compare: null,
    pair: null,
    compareShift: s.shift ?? 0,
  });
  return { run, nums: runNumbers({ ...run.detail, model: run.extras }, m.info) };
}
