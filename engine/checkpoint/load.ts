// Loading a checkpoint in the Hugging Face layout (config.json + safetensors, single or sharded) into a
// TransformerModel. The same code path serves the app (files from the Hub or a cache), the command line
// and the tests (files from a folder).
import { ensureBackend } from '../backend.ts';
import { createTransformerModel } from '../transformer/model.ts';
import type { Net, TransformerModel } from '../transformer/types.ts';
import { parseConfig } from './config.ts';
import { CheckpointError } from './errors.ts';
import { fileName, type CheckpointFiles } from './files.ts';
import { buildGpt2 } from './gpt2.ts';
import { buildLlama } from './llama.ts';
import { buildGptNeox } from './gptNeox.ts';
import { buildGptNeo } from './gptNeo.ts';
import { buildEncoder } from './encoder.ts';
import { Resident } from './resident.ts';
import { openWeights } from './weights.ts';

export interface LoadOptions {
  /** Progress of the conversion (after the files are read): numbers converted so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

export async function loadCheckpoint(files: CheckpointFiles, options: LoadOptions = {}): Promise<TransformerModel> {
  const configFile = fileName(files, 'config.json');
  const configBytes = await files.read('config.json');
  if (!configBytes) throw new CheckpointError(configFile, null, 'missing (a checkpoint needs its config.json)');
  const cfg = parseConfig(configBytes, configFile);
  const store = await openWeights(files, cfg.modelType === 'gpt2' || cfg.modelType === 'gpt_neo' ? 'transformer.' : null);
  await ensureBackend();
  const total = store.totalElements();
  const resident = new Resident(store, options.onProgress ? (done) => options.onProgress!(Math.min(done, total), total) : undefined);
  const info = { name: files.label, dtypes: store.dtypes() };
  let net: Net;
  try {
    switch (cfg.modelType) {
      case 'gpt2':
        net = buildGpt2(cfg, resident, info, configFile);
        break;
      case 'gpt_neox':
        net = buildGptNeox(cfg, resident, info, configFile);
        break;
      case 'gpt_neo':
        net = buildGptNeo(cfg, resident, info, configFile);
        break;
      case 'bert':
      case 'roberta':
      case 'distilbert':
        net = buildEncoder(cfg, resident, info, configFile);
        break;
      default:
        net = buildLlama(cfg, resident, info, configFile);
    }
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
