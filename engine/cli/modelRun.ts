// The model command line's logic, kept apart from process I/O so tests can call it directly.
//   model DIR (--ids 1,2,3 | --text "…") [--rollout] [--lens] [--ablate L.H[,L.H…]]
// DIR is a checkpoint folder in the Hugging Face layout (config.json + safetensors, tokenizer.json for
// --text), or the shipped character model's manifest (public/models/brown-char.json).
// Success: one JSON object on stdout, exit 0:
//   {"model": {type, layers, heads, kvHeads, vocab}, "ids", "tokens", "attention": [layer][head][query][key],
//    "logits": [V], "rollout"?: n×n after the last layer, "lens"?: L × [V] at the last position}
// Anything wrong: exit 2, one line on stderr naming the file and the tensor or field; nothing on stdout.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelError } from '../model/load.ts';
import { CaseError } from '../caseError.ts';
import { shortFloat32 } from '../json.ts';
import { attentionRollout } from '../analysis/rollout.ts';
import { oneLine } from './run.ts';
import type { HeadRef, ModelInfo, TransformerModel } from '../transformer/types.ts';
import type { Matrix } from '../types.ts';

const MODEL_USAGE =
  'usage: model DIR (--ids 1,2,3 | --text "…") [--rollout] [--lens] [--ablate L.H[,L.H…]]   (DIR: a checkpoint folder, or a char model manifest .json)';

export interface ModelCliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

interface Args {
  dir: string;
  ids: number[] | null;
  text: string | null;
  rollout: boolean;
  lens: boolean;
  ablate: HeadRef[];
}

/** A bad command line; `showUsage` for the errors where the usage line helps (not for a bad flag value). */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: '', ids: null, text: null, rollout: false, lens: false, ablate: [] };
  const positional: string[] = [];
  const value = (i: number, flag: string) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag}: missing its value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ids') {
      const v = value(i++, a).trim();
      if (!/^\d+(\s*,\s*\d+)*$/.test(v)) throw new UsageError(`--ids: expected token ids like 1,2,3, got ${JSON.stringify(v)}`);
      args.ids = v.split(',').map((s) => Number(s.trim()));
    } else if (a === '--text') {
      args.text = value(i++, a);
    } else if (a === '--rollout') {
      args.rollout = true;
    } else if (a === '--lens') {
      args.lens = true;
    } else if (a === '--ablate') {
      const v = value(i++, a).trim();
      if (!/^\d+\.\d+(\s*,\s*\d+\.\d+)*$/.test(v)) throw new UsageError(`--ablate: expected a list of zero-based layer.head like 0.1,2.3, got ${JSON.stringify(v)}`);
      args.ablate = v.split(',').map((s) => {
        const [layer, head] = s.trim().split('.').map(Number);
        return { layer, head };
      });
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`, true);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no DIR argument' : `expected one DIR argument, got ${positional.length}`, true);
  if ((args.ids === null) === (args.text === null)) throw new UsageError('give exactly one of --ids and --text', true);
  args.dir = positional[0];
  return args;
}

interface Loaded {
  model: TransformerModel;
  /** ids and display tokens of --text. */
  encode(text: string): { ids: number[]; tokens: string[] };
  /** Display token of an id given with --ids. */
  token(id: number): string;
}

async function loadCharModel(manifestPath: string): Promise<Loaded> {
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
      return { ids: Array.from(t.ids), tokens: t.tokens };
    },
    token: (id) => loaded.vocab.tokens[id] ?? String(id),
  };
}

async function loadCheckpointDir(dir: string, needTokenizer: boolean): Promise<Loaded> {
  const [{ loadCheckpoint }, { dirFiles }, { loadTokenizer }, { fileName }] = await Promise.all([
    import('../checkpoint/load.ts'),
    import('../checkpoint/dirFiles.ts'),
    import('../checkpoint/tokenizer.ts'),
    import('../checkpoint/files.ts'),
  ]);
  const files = dirFiles(dir);
  const tokenizer = await loadTokenizer(files);
  if (needTokenizer && !tokenizer) throw new ModelError(fileName(files, 'tokenizer.json'), 'missing (needed for --text; give token ids with --ids instead)');
  const model = await loadCheckpoint(files);
  return {
    model,
    encode: (text) => tokenizer!.encode(text),
    token: (id) => tokenizer?.token(id) ?? String(id),
  };
}

function checkAblation(info: ModelInfo, heads: HeadRef[]): void {
  for (const { layer, head } of heads) {
    if (layer >= info.layers || head >= info.heads) {
      throw new UsageError(`--ablate: head ${layer}.${head} does not exist (the model has ${info.layers} layers × ${info.heads} heads: 0.0…${info.layers - 1}.${info.heads - 1})`);
    }
  }
}

/** Writes a JSON value built of number arrays piece by piece (a row per piece), never as one giant string. */
function writeRows(emit: (s: string) => void, m: Matrix, f32: boolean): void {
  emit('[');
  for (let i = 0; i < m.rows; i++) {
    const row: number[] = new Array(m.cols);
    for (let j = 0; j < m.cols; j++) row[j] = f32 ? shortFloat32(m.data[i * m.cols + j]) : m.data[i * m.cols + j];
    emit(`${i ? ',' : ''}${JSON.stringify(row)}`);
  }
  emit(']');
}

const vector = (a: Float32Array) => JSON.stringify(Array.from(a, shortFloat32));

export async function runModelCli(argv: string[], write?: (piece: string) => void): Promise<ModelCliOutput> {
  const fail = (message: string, code = 2): ModelCliOutput => ({ code, stdout: '', stderr: `${oneLine(message)}\n` });
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { code: 0, stdout: `${MODEL_USAGE}\n`, stderr: '' };
  let loaded: Loaded | null = null;
  try {
    const args = parseArgs(argv);
    let isFile: boolean;
    try {
      isFile = (await stat(args.dir)).isFile();
    } catch {
      throw new UsageError(`${args.dir}: no such folder or file`);
    }
    loaded = isFile ? await loadCharModel(args.dir) : await loadCheckpointDir(args.dir, args.text !== null);
    const { model } = loaded;
    checkAblation(model.info, args.ablate);
    const { ids, tokens } = args.text !== null ? loaded.encode(args.text) : { ids: args.ids!, tokens: args.ids!.map(loaded.token) };
    const result = await model.forward(ids, {
      keep: 'attention',
      lens: args.lens,
      ...(args.ablate.length > 0 ? { ablate: { heads: args.ablate, mode: 'zero' as const } } : {}),
    });
    const rollout = args.rollout ? attentionRollout(result.layers.map((l) => l.attention)).at(-1)! : null;

    // Everything is computed: only now does anything go to stdout.
    const pieces: string[] = [];
    const emit = write ?? ((p: string) => void pieces.push(p));
    const { type, layers, heads, kvHeads, vocab } = model.info;
    emit(`{"model":${JSON.stringify({ type, layers, heads, kvHeads, vocab })},"ids":${JSON.stringify(ids)},"tokens":${JSON.stringify(tokens)},"attention":[`);
    result.layers.forEach((layer, l) => {
      emit(l ? ',[' : '[');
      layer.attention.forEach((A, k) => {
        if (k) emit(',');
        writeRows(emit, A, true);
      });
      emit(']');
    });
    emit(`],"logits":${vector(result.logits)}`);
    if (rollout) {
      emit(',"rollout":');
      writeRows(emit, rollout, false);
    }
    if (result.lens) result.lens.forEach((row, l) => emit(`${l ? ',' : ',"lens":['}${vector(row)}${l === result.lens!.length - 1 ? ']' : ''}`));
    emit('}\n');
    return { code: 0, stdout: pieces.join(''), stderr: '' };
  } catch (e) {
    if (e instanceof UsageError) return fail(e.showUsage ? `${e.message}; ${MODEL_USAGE}` : e.message);
    if (e instanceof ModelError || e instanceof CaseError) return fail(e.message);
    const err = e as NodeJS.ErrnoException;
    if (err?.code && typeof err.path === 'string') return fail(`${err.path}: cannot read: ${err.code === 'EISDIR' ? 'is a directory' : err.message}`);
    return fail(`internal error: ${err?.message ?? String(e)}`, 1);
  } finally {
    loaded?.model.dispose();
  }
}
