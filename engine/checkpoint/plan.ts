// The one check every family goes through before anything is allocated (see budget.ts): the family
// declares the tensors its config needs (name, shape, and which config.json fields give the shape);
// planCheckpoint adds up their parameters against the budget from the config alone (the Hub preflight runs it
// before a weight is downloaded), and checkPlan compares each with the file's tensor table before a single
// number is converted. The Resident then refuses any tensor the plan did not declare, so a family cannot
// size an allocation by a config field that was never checked against the file.
import { MAX_PARAMETERS, MAX_TENSOR_ELEMENTS } from './budget.ts';
import type { ArchConfig } from './config.ts';
import { CheckpointError } from './errors.ts';
import type { WeightStore } from './weights.ts';

/** One tensor a family reads, as its config sizes it. */
export interface ExpectedTensor {
  /** As stored, without a leading "transformer." (the weight store strips it). */
  name: string;
  shape: number[];
  /** The config fields behind the shape, for messages: "vocab_size × n_embd from config.json". */
  why: string;
}

/** What a family tells the plan: every tensor it reads for a config, in reading order. */
export type TensorList<C extends ArchConfig = ArchConfig> = (cfg: C, configFile: string) => ExpectedTensor[];

export interface CheckpointPlan {
  tensors: ExpectedTensor[];
  /** Numbers in all of them (each resident as float32). */
  parameters: number;
}

/** "vocab_size × n_embd from config.json": how families word `why`. */
export function fromConfig(configFile: string): (fields: string) => string {
  const base = configFile.split('/').pop();
  return (fields) => `${fields} from ${base}`;
}

/** The entries of a family's tensor list: t('wte.weight', [V, d], 'vocab_size × n_embd'). */
export function expectedTensor(configFile: string): (name: string, shape: number[], fields: string) => ExpectedTensor {
  const why = fromConfig(configFile);
  return (name, shape, fields) => ({ name, shape, why: why(fields) });
}

const elements = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The tensors `cfg` needs and their parameters, refused by name when one tensor or all of them exceed the
 * budget. Needs only config.json (the counts in it are already within CONFIG_LIMITS, so the list is short).
 */
export function planCheckpoint(cfg: ArchConfig, configFile: string, list: TensorList): CheckpointPlan {
  const tensors = list(cfg, configFile);
  let parameters = 0;
  for (const t of tensors) {
    const n = elements(t.shape);
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new CheckpointError(configFile, null, `tensor ${t.name} would be [${t.shape.join(', ')}] (${t.why}): ${n.toLocaleString('en-US')} numbers, more than this app converts at once (${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')})`);
    }
    parameters += n;
  }
  if (parameters > MAX_PARAMETERS) {
    throw new CheckpointError(configFile, null, `describes ${parameters.toLocaleString('en-US')} parameters, more than this app loads (${MAX_PARAMETERS.toLocaleString('en-US')}: 4 GB as float32)`);
  }
  return { tensors, parameters };
}

/**
 * Every planned tensor is in the file with the planned shape and a dtype the loader reads, checked from the
 * file's table (nothing is read or converted). Throws the error the first mismatch would give when loading.
 */
export function checkPlan(plan: CheckpointPlan, store: WeightStore): void {
  for (const t of plan.tensors) store.check(t.name, t.shape, t.why);
}
