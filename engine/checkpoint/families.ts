// The model families the loader runs, by config.json model_type: for each, the tensors a config needs
// (checked before anything is allocated, plan.ts) and the builder that reads them. A new family is one
// entry here, a parser in config.ts and a module with both functions.
import type { ArchConfig, CheckpointType } from './config.ts';
import { buildGpt2, gpt2Tensors } from './gpt2.ts';
import { buildGptNeo, gptNeoTensors } from './gptNeo.ts';
import { buildGptNeox, gptNeoxTensors } from './gptNeox.ts';
import { buildLlama, llamaTensors } from './llama.ts';
import type { TensorList } from './plan.ts';
import type { Resident } from './resident.ts';
import type { ModelInfo, Net } from '../transformer/types.ts';

export interface Family<C extends ArchConfig> {
  tensors: TensorList<C>;
  build(cfg: C, r: Resident, info: Pick<ModelInfo, 'name' | 'dtypes'>, configFile: string): Net;
}

type Families = { [T in CheckpointType]: Family<Extract<ArchConfig, { modelType: T }>> };

const FAMILIES: Families = {
  gpt2: { tensors: gpt2Tensors, build: buildGpt2 },
  llama: { tensors: llamaTensors, build: buildLlama },
  qwen2: { tensors: llamaTensors, build: buildLlama },
  gpt_neox: { tensors: gptNeoxTensors, build: buildGptNeox },
  gpt_neo: { tensors: gptNeoTensors, build: buildGptNeo },
};

/** The family of a parsed config. */
export function familyOf<C extends ArchConfig>(cfg: C): Family<C> {
  return FAMILIES[cfg.modelType] as unknown as Family<C>;
}
