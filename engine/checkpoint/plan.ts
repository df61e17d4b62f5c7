// The one check every family goes through before anything is allocated (see budget.ts): the family
// declares the tensors its config needs (name, shape, and which config.json fields give the shape);
// planCheckpoint adds up their parameters against the budget from the config alone (the Hub preflight runs it
// before a weight is downloaded), and checkPlan compares each with the file's tensor table before a single
// number is converted. The Resident then refuses any tensor the plan did not declare, so a family cannot
// size an allocation by a config field that was never checked against the file.
import { MAX_LAYER_PARAMETERS, MAX_PARAMETERS, MAX_STREAMED_PARAMETERS, MAX_TENSOR_ELEMENTS, STREAM_ABOVE_PARAMETERS } from './budget.ts';
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

/**
 * What a family tells the plan: every tensor it reads for a config, in reading order. `has` (the file's
 * table, once it is open) lets a family whose names vary between exports (the encoders: with or without
 * "bert.", LayerNorm gamma/beta, a masked-LM head or none) name the tensors this file holds; without it
 * (config.json alone, the Hub preflight) the list is the family's fullest layout.
 */
export type TensorList<C extends ArchConfig = ArchConfig> = (cfg: C, configFile: string, has?: (name: string) => boolean) => ExpectedTensor[];

export interface CheckpointPlan {
  tensors: ExpectedTensor[];
  /** Numbers in all of them. */
  parameters: number;
  /** Whether the weights stay in the file's precision and each layer is converted as it runs (see budget.ts). */
  streamed: boolean;
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
 * `streams`: the family can keep its weights stored and convert a layer at a time, which it does above
 * STREAM_ABOVE_PARAMETERS, within the streamed budgets (all parameters, and those of each layer).
 */
export function planCheckpoint(cfg: ArchConfig, configFile: string, list: TensorList, streams = false): CheckpointPlan {
  const tensors = list(cfg, configFile);
  let parameters = 0;
  const perLayer = new Map<string, number>();
  for (const t of tensors) {
    const n = elements(t.shape);
    if (n > MAX_TENSOR_ELEMENTS) {
      throw new CheckpointError(configFile, null, `tensor ${t.name} would be [${t.shape.join(', ')}] (${t.why}): ${n.toLocaleString('en-US')} numbers, more than this app converts at once (${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')})`);
    }
    parameters += n;
    const layer = /^(.*\blayers\.\d+)\./.exec(t.name)?.[1];
    if (layer) perLayer.set(layer, (perLayer.get(layer) ?? 0) + n);
  }
  const streamed = streams && parameters > STREAM_ABOVE_PARAMETERS;
  const count = (x: number) => x.toLocaleString('en-US');
  if (!streams && parameters > MAX_PARAMETERS) {
    throw new CheckpointError(configFile, null, `describes ${count(parameters)} parameters, more than this app loads (${count(MAX_PARAMETERS)}: 4 GB as float32)`);
  }
  if (streamed && parameters > MAX_STREAMED_PARAMETERS) {
    throw new CheckpointError(configFile, null, `describes ${count(parameters)} parameters, more than this app loads (${count(MAX_STREAMED_PARAMETERS)}: 6 GB at 16 bits)`);
  }
  for (const [layer, n] of streamed ? perLayer : []) {
    if (n > MAX_LAYER_PARAMETERS) {
      throw new CheckpointError(configFile, null, `describes ${count(n)} parameters in ${layer}, more than this app converts at once (${count(MAX_LAYER_PARAMETERS)}: 1 GB as float32)`);
    }
  }
  return { tensors, parameters, streamed };
}

/**
 * Every planned tensor is in the file with the planned shape and a dtype the loader reads, checked from the
 * file's table (nothing is read or converted). Throws the error the first mismatch would give when loading.
 */
export function checkPlan(plan: CheckpointPlan, store: WeightStore): void {
  for (const t of plan.tensors) store.check(t.name, t.shape, t.why);
}
