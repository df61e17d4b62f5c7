// The model command line's logic, kept apart from process I/O so tests can call it directly.
//   model DIR (--ids 1,2,3 [--types 0,0,1] | --text "…" [--pair "…"]) [--at P] [--rollout] [--lens] [--ablate L.H[,L.H…]]
// DIR is a checkpoint folder in the Hugging Face layout (config.json + safetensors, tokenizer.json for
// --text), or the shipped character model's manifest (public/models/brown-char.json).
// Success: one JSON object on stdout, exit 0:
//   {"model": {type, layers, heads, kvHeads, vocab}, "ids", "tokens", "attention": [layer][head][query][key],
//    "logits": [V] at P | null, "rollout"?: n×n after the last layer, "lens"?: L × [V] at P}
// P: --at, else (an encoder's masked-LM head) the first mask token of the input, else the last position.
// Encoders (bert, roberta, distilbert): the attention is full (unmasked), --types sets the token types
// (default all 0; with --text --pair the tokenizer's), "logits" is null for a checkpoint without a head.
// Anything wrong: exit 2, one line on stderr naming the file and the tensor or field; nothing on stdout.
import { shortFloat32 } from '../json.ts';
import { attentionRollout } from '../analysis/rollout.ts';
import { typesForModel } from '../checkpoint/tokenizer.ts';
import { predictionPosition } from '../transformer/position.ts';
import { cliFailure, openModel, UsageError, type CliOutput, type OpenedModel } from './openModel.ts';
import type { HeadRef, ModelInfo } from '../transformer/types.ts';
import type { Matrix } from '../types.ts';

const MODEL_USAGE =
  'usage: model DIR (--ids 1,2,3 [--types 0,0,1] | --text "…" [--pair "…"]) [--at P] [--rollout] [--lens] [--ablate L.H[,L.H…]]   (DIR: a checkpoint folder, or a char model manifest .json)';

interface Args {
  dir: string;
  ids: number[] | null;
  types: number[] | null;
  text: string | null;
  pair: string | null;
  at: number | null;
  rollout: boolean;
  lens: boolean;
  ablate: HeadRef[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: '', ids: null, types: null, text: null, pair: null, at: null, rollout: false, lens: false, ablate: [] };
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
    } else if (a === '--types') {
      const v = value(i++, a).trim();
      if (!/^\d+(\s*,\s*\d+)*$/.test(v)) throw new UsageError(`--types: expected token types like 0,0,1, got ${JSON.stringify(v)}`);
      args.types = v.split(',').map((s) => Number(s.trim()));
    } else if (a === '--at') {
      const v = value(i++, a).trim();
      if (!/^\d+$/.test(v)) throw new UsageError(`--at: expected a zero-based position like 3, got ${JSON.stringify(v)}`);
      args.at = Number(v);
    } else if (a === '--text') {
      args.text = value(i++, a);
    } else if (a === '--pair') {
      args.pair = value(i++, a);
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
  if (args.types && args.ids === null) throw new UsageError('--types goes with --ids (with --text, the tokenizer gives the types of a --pair)');
  if (args.pair !== null && args.text === null) throw new UsageError('--pair goes with --text (with --ids, give the types with --types)');
  if (args.types && args.types.length !== args.ids!.length) throw new UsageError(`--types: expected one type per id (${args.ids!.length}), got ${args.types.length}`);
  args.dir = positional[0];
  return args;
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

export async function runModelCli(argv: string[], write?: (piece: string) => void): Promise<CliOutput> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { code: 0, stdout: `${MODEL_USAGE}\n`, stderr: '' };
  let loaded: OpenedModel | null = null;
  try {
    const args = parseArgs(argv);
    loaded = await openModel(args.dir, args.text !== null ? 'needed for --text; give token ids with --ids instead' : null);
    const { model } = loaded;
    const { info } = model;
    checkAblation(info, args.ablate);
    if (args.pair !== null && info.causal) throw new UsageError(`--pair: a sentence pair needs an encoder (bert, roberta, distilbert); this model is ${info.type}`);
    if (args.lens && info.predicts === null) throw new UsageError(`--lens: ${args.dir} has no masked-LM head (only the encoder's weights): there is nothing to read the layers through`);
    const encoded = args.text !== null ? loaded.encode(args.text, args.pair) : { ids: args.ids!, tokens: args.ids!.map(loaded.token), types: args.types };
    const { ids, tokens } = encoded;
    // The tokenizer's segments become token types only where the model has embeddings for them (BERT's two; RoBERTa and DistilBERT get zeros).
    const types = args.text !== null ? typesForModel(encoded.types!, info.typeVocab) : encoded.types;
    if (args.at !== null && args.at >= ids.length) throw new UsageError(`--at: position ${args.at} is past the input (${ids.length} tokens: 0…${ids.length - 1})`);
    // An encoder's head predicts the token at a position: the first mask token unless --at says otherwise.
    const at = args.at ?? predictionPosition(info, ids, loaded.maskId);
    const result = await model.forward(ids, {
      keep: 'attention',
      lens: args.lens,
      at,
      ...(types ? { types } : {}),
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
    emit(`],"logits":${result.logits ? vector(result.logits) : 'null'}`);
    if (rollout) {
      emit(',"rollout":');
      writeRows(emit, rollout, false);
    }
    if (result.lens) result.lens.forEach((row, l) => emit(`${l ? ',' : ',"lens":['}${vector(row)}${l === result.lens!.length - 1 ? ']' : ''}`));
    emit('}\n');
    return { code: 0, stdout: pieces.join(''), stderr: '' };
  } catch (e) {
    return cliFailure(e, MODEL_USAGE);
  } finally {
    loaded?.model.dispose();
  }
}
