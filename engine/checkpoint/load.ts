// Loading a checkpoint in the Hugging Face layout (config.json + safetensors, single or sharded) into a
// TransformerModel. The same code path serves the app (files from the Hub or a cache), the command line
// and the tests (files from a folder).
import { ensureBackend } from '../backend.ts';
import { createTransformerModel } from '../transformer/model.ts';
import type { Net, TransformerModel } from '../transformer/types.ts';
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
}

/**
 * config.json, parsed and planned: its family is supported, every count in it is within the app's limits and
 * the tensors it needs are within the parameter budget. Needs no weights (the Hub preflight runs it before
 * downloading them); throws CheckpointError naming the field.
 */
export function planConfig(bytes: Uint8Array, configFile: string): { cfg: ArchConfig; plan: CheckpointPlan } {
  const cfg = parseConfig(bytes, configFile);
  return { cfg, plan: planCheckpoint(cfg, configFile, familyOf(cfg).tensors) };
}

export async function loadCheckpoint(files: CheckpointFiles, options: LoadOptions = {}): Promise<TransformerModel> {
  const configFile = fileName(files, 'config.json');
  const configBytes = await files.read('config.json');
  if (!configBytes) throw new CheckpointError(configFile, null, 'missing (a checkpoint needs its config.json)');
  const { cfg, plan } = planConfig(configBytes, configFile);
  const store = await openWeights(files);
  // Every size the family will allocate by is now compared with the file: nothing has been allocated yet.
  checkPlan(plan, store);
  await ensureBackend();
  const total = store.totalElements();
  const resident = new Resident(store, plan, options.onProgress ? (done) => options.onProgress!(Math.min(done, total), total) : undefined);
  const info = { name: files.label, dtypes: store.dtypes() };
  let net: Net;
  try {
    net = familyOf(cfg).build(cfg, resident, info, configFile);
  } catch (e) {
    resident.dispose();
    throw e;
  }
  // GPT-Neo exports may carry their attention-mask buffers as BOOL, which no layer reads: the model's
  // dtypes are those of the tensors it was built from.
  net.info.dtypes = store.dtypesTaken();
  options.onProgress?.(total, total);
  return createTransformerModel(net, resident.tensors);
}
