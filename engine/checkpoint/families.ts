// The model families the loader runs, by config.json model_type: for each, the tensors a config needs
// (checked before anything is allocated, plan.ts) and the builder that reads them. A new family is one
// entry here, a parser in config.ts and a module with both functions.
import type { ArchConfig, CheckpointType } from './config.ts';
import { buildGpt2, gpt2Tensors } from './gpt2.ts';
import { buildGptNeo, gptNeoTensors } from './gptNeo.ts';
import { buildGptNeox, gptNeoxTensors } from './gptNeox.ts';
import { buildLlama, llamaTensors } from './llama.ts';
import { buildEncoder, encoderTensors } from './encoder.ts';
import type { TensorList } from './plan.ts';
import type { Resident } from './resident.ts';
import type { ModelInfo, Net } from '../transformer/types.ts';

export interface Family<C extends ArchConfig> {
  tensors: TensorList<C>;
  /** A name prefix some of the family's checkpoints carry and others not, removed from every name (GPT-2's "transformer."). */
  strip?: string;
  /**
   * `streamed`: keep the big tensors in the file's precision and build the blocks as they run (Net.stream),
   * for checkpoints above the resident budget; only families with `streams` are ever asked to.
   */
  build(cfg: C, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string, streamed: boolean): Net;
  /** Whether `build` can stream (see budget.ts: the families of the 1B-class models people open). */
  streams?: boolean;
}

type Families = { [T in CheckpointType]: Family<Extract<ArchConfig, { modelType: T }>> };

const FAMILIES: Families = {
  gpt2: { tensors: gpt2Tensors, build: buildGpt2, strip: 'transformer.' },
  llama: { tensors: llamaTensors, build: buildLlama, streams: true },
  qwen2: { tensors: llamaTensors, build: buildLlama, streams: true },
  gpt_neox: { tensors: gptNeoxTensors, build: buildGptNeox },
  gpt_neo: { tensors: gptNeoTensors, build: buildGptNeo, strip: 'transformer.' },
  bert: { tensors: encoderTensors, build: buildEncoder },
  roberta: { tensors: encoderTensors, build: buildEncoder },
  distilbert: { tensors: encoderTensors, build: buildEncoder },
};

/** The family of a parsed config. */
export function familyOf<C extends ArchConfig>(cfg: C): Family<C> {
  return FAMILIES[cfg.modelType] as unknown as Family<C>;
}
