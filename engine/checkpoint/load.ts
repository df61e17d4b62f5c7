// Loading a checkpoint in the Hugging Face layout (config.json + safetensors, single or sharded) into a
// TransformerModel. The same code path serves the app (files from the Hub or a cache), the command line
// and the tests (files from a folder).
import { ensureBackend } from '../backend.ts';
import { createTransformerModel } from '../transformer/model.ts';
import type { Net, TransformerModel } from '../transformer/types.ts';
import { contiguous } from './bytes.ts';
import { parseConfig, type ArchConfig } from './config.ts';
import { CheckpointError } from './errors.ts';
import { familyOf } from './families.ts';
import { fileName, type CheckpointFiles } from './files.ts';
import { checkPlan, planCheckpoint, type CheckpointPlan } from './plan.ts';
import { Resident } from './resident.ts';
import { openWeights } from './weights.ts';

export interface LoadOptions {
  /** Progress of the conversion (after the files are read): numbers converted so far and in all. */
  onProgress?: (done: number, total: number) => void;
  /**
   * 'auto' (default): checkpoints above STREAM_ABOVE_PARAMETERS keep their weights in the file's precision
   * and convert a layer at a time (families that can); 'streamed': do so at any size (tests, the bench).
   */
  weights?: 'auto' | 'streamed';
}

/**
 * config.json, parsed and planned: its family is supported, every count in it is within the app's limits and
 * the tensors it needs are within the parameter budget. Needs no weights (the Hub preflight runs it before
 * downloading them); throws CheckpointError naming the field.
 */
export function planConfig(bytes: Uint8Array, configFile: string): { cfg: ArchConfig; plan: CheckpointPlan } {
  const cfg = parseConfig(bytes, configFile);
  const family = familyOf(cfg);
  return { cfg, plan: planCheckpoint(cfg, configFile, family.tensors, family.streams) };
}

export async function loadCheckpoint(files: CheckpointFiles, options: LoadOptions = {}): Promise<TransformerModel> {
  const configFile = fileName(files, 'config.json');
  const configBytes = await files.read('config.json');
  if (!configBytes) throw new CheckpointError(configFile, null, 'missing (a checkpoint needs its config.json)');
  // Refused before the weights are opened when the family or a size is unsupported (config.json alone).
  const { cfg } = planConfig(contiguous(configBytes), configFile);
  const family = familyOf(cfg);
  const store = await openWeights(files, family.strip ?? null);
  // The tensors of this file (the names a family reads may depend on the export), within the same budget.
  const filePlan = planCheckpoint(cfg, configFile, (c, f) => family.tensors(c, f, (name) => store.has(name)), family.streams);
  // Every size the family will allocate by is now compared with the file: nothing has been allocated yet.
  checkPlan(filePlan, store);
  if (options.weights === 'streamed' && !family.streams) throw new CheckpointError(configFile, 'model_type', `${cfg.modelType} checkpoints are always converted at load (only llama and qwen2 stream)`);
  const streamed = filePlan.streamed || options.weights === 'streamed';
  // A streamed block is converted when its layer runs: its stored bits are checked to be finite now, so a
  // bad weight is still refused when the checkpoint opens, not half-way through a forward pass.
  if (streamed) for (const t of filePlan.tensors) store.checkFinite(t.name, t.shape, t.why);
  await ensureBackend();
  const total = store.totalElements();
  const resident = new Resident(store, filePlan, options.onProgress ? (done) => options.onProgress!(Math.min(done, total), total) : undefined);
  const info = { name: files.label, dtypes: store.dtypes() };
  let net: Net;
  try {
    net = family.build(cfg, resident, info, configFile, streamed);
  } catch (e) {
    resident.dispose();
    throw e;
  }
  // GPT-Neo exports may carry their attention-mask buffers as BOOL, which no layer reads: the model's
  // dtypes are those of the tensors it was built from.
  net.info.dtypes = streamed ? store.dtypes() : store.dtypesTaken();
  // A streamed model's blocks are counted by the plan: they are converted later, each time they run.
  if (streamed) net.info.parameters = filePlan.parameters;
  options.onProgress?.(total, total);
  return createTransformerModel(net, resident.tensors);
}
