// What the model and heads command lines share: opening DIR (a checkpoint folder in the Hugging Face
// layout, or the shipped character model's manifest), the usage error, and turning any failure into
// one line on stderr with its exit code.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelError } from '../model/modelError.ts';
import { CaseError } from '../caseError.ts';
import { oneLine } from './run.ts';
import type { TransformerModel } from '../transformer/types.ts';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** A bad command line; `showUsage` for the errors where the usage line helps (not for a bad flag value). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

export interface OpenedModel {
  model: TransformerModel;
  /** ids, display tokens and the tokenizer's types (sentence A 0, B 1) of a text and an optional second sentence. */
  encode(text: string, pair?: string | null): { ids: number[]; tokens: string[]; types: number[] };
  /** Whether there is a tokenizer (a checkpoint without tokenizer.json has none: encode throws). */
  hasTokenizer: boolean;
  /** Display token of an id. */
  token(id: number): string;
  /** The tokenizer's mask token id, if it has one. */
  maskId: number | null;
}

async function loadCharModel(manifestPath: string): Promise<OpenedModel> {
  const [{ loadModel, parseManifest }, { tokenizeForModel }, { charModelAsTransformer }] = await Promise.all([
    import('../model/load.ts'),
    import('../model/tokenize.ts'),
    import('../model/asTransformer.ts'),
  ]);
  // The loader's messages name the manifest's fields ("manifest.architecture.nHeads"); prefix the file.
  const located = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ModelError) throw new ModelError(`${manifestPath}: ${e.field}`, e.message.slice(e.field.length + 2));
      throw e;
    }
  };
  const manifestText = await readFile(manifestPath, 'utf8');
  const manifest = located(() => parseManifest(manifestText));
  const weightsPath = join(dirname(manifestPath), manifest.weights.file);
  let weights: Uint8Array;
  try {
    weights = await readFile(weightsPath);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ModelError(weightsPath, `cannot read the weights file named by ${manifestPath}: ${why}`);
  }
  const loaded = located(() => loadModel(manifest, weights));
  const model = await charModelAsTransformer(loaded, manifestPath);
  return {
    model,
    encode(text) {
      const t = tokenizeForModel(loaded, text);
      return { ids: Array.from(t.ids), tokens: t.tokens, types: t.tokens.map(() => 0) };
    },
    hasTokenizer: true,
    token: (id) => loaded.vocab.tokens[id] ?? String(id),
    maskId: null,
  };
}

/** `needTokenizer`: why text must be read (for the message when tokenizer.json is missing), or null. */
async function loadCheckpointDir(dir: string, needTokenizer: string | null): Promise<OpenedModel> {
  const [{ loadCheckpoint }, { dirFiles }, { loadTokenizer }, { fileName }] = await Promise.all([
    import('../checkpoint/load.ts'),
    import('../checkpoint/dirFiles.ts'),
    import('../checkpoint/tokenizer.ts'),
    import('../checkpoint/files.ts'),
  ]);
  const files = dirFiles(dir);
  const tokenizer = await loadTokenizer(files);
  if (needTokenizer && !tokenizer) throw new ModelError(fileName(files, 'tokenizer.json'), `missing (${needTokenizer})`);
  const model = await loadCheckpoint(files);
  return {
    model,
    encode(text, pair = null) {
      if (!tokenizer) throw new ModelError(fileName(files, 'tokenizer.json'), 'missing');
      return tokenizer.encode(text, pair);
    },
    hasTokenizer: tokenizer !== null,
    token: (id) => tokenizer?.token(id) ?? String(id),
    maskId: tokenizer?.mask?.id ?? null,
  };
}

/** Opens DIR: a manifest file (the character model) or a checkpoint folder. */
export async function openModel(path: string, needTokenizer: string | null): Promise<OpenedModel> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch {
    throw new UsageError(`${path}: no such folder or file`);
  }
  return isFile ? loadCharModel(path) : loadCheckpointDir(path, needTokenizer);
}

/** Any failure as one line on stderr: exit 2 for bad input (`isInputError` adds the command's own errors), 1 for a bug. */
export function cliFailure(e: unknown, usage: string, isInputError: (e: unknown) => boolean = () => false): CliOutput {
  const fail = (message: string, code = 2): CliOutput => ({ code, stdout: '', stderr: `${oneLine(message)}\n` });
  if (e instanceof UsageError) return fail(e.showUsage ? `${e.message}; ${usage}` : e.message);
  if (e instanceof ModelError || e instanceof CaseError || isInputError(e)) return fail((e as Error).message);
  const err = e as NodeJS.ErrnoException;
  if (err?.code && typeof err.path === 'string') return fail(`${err.path}: cannot read: ${err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  return fail(`internal error: ${err?.message ?? String(e)}`, 1);
}
