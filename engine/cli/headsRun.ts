// The heads command line's logic, kept apart from process I/O so tests can call it directly.
//   heads DIR --corpus FILE [--top K]
// DIR as for the model command (a checkpoint folder, or the character model's manifest .json). FILE: a
// JSON array of token-id sequences ([[1,5,9],[1,7]]), a .txt (one sequence per line, read by the model's
// tokenizer) or a .jsonl (a string, {"text": …} or a list of ids per line).
// Success: one JSON object on stdout, exit 0:
//   {"model": {type, layers, heads, kvHeads, vocab}, "sequences": S, "rows": R,
//    "heads": [layer][head] {"previous_token", "first_token", "self", "duplicate_token", "induction",
//                            "entropy", "top": [{"sequence", "query", "key", "weight"}, …]}}
// Each score is the mean over every eligible query row of every sequence, rows pooled (null when no row
// is eligible); `top` the K (default 10) strongest weights A[query][key] with key ≠ 0 (see engine/corpus).
// Encoders score with full attention's eligibility; a .txt line read by their tokenizer keeps the [CLS] …
// [SEP] it adds (rows like any other: the model's input, as in the single-input scores); ids stay as given.
// Anything wrong: exit 2, one line on stderr naming the file or the sequence and what is wrong.
import { readFile } from 'node:fs/promises';
import { shortFloat32 } from '../json.ts';
import { checkIds } from '../transformer/forward.ts';
import { CorpusError, corpusIds, parseCorpusFile, type CorpusEntry } from '../corpus/read.ts';
import { runCorpus, type CorpusProgress } from '../corpus/run.ts';
import type { CorpusHead } from '../corpus/aggregate.ts';
import type { ScoreKey } from '../headScores.ts';
import { cliFailure, openModel, UsageError, type CliOutput, type OpenedModel } from './openModel.ts';

export const HEADS_USAGE = 'usage: heads DIR --corpus FILE [--top K]   (DIR: a checkpoint folder, or a char model manifest .json; FILE: a JSON array of id sequences, or a .txt with one sequence per line)';

/** Largest --top: K examples are kept per head, twice while a sequence runs. */
const MAX_TOP = 10_000;

/** The contract's keys, in its order, and the scores they report. */
const OUTPUT_KEYS: [string, ScoreKey][] = [
  ['previous_token', 'previousToken'],
  ['first_token', 'firstToken'],
  ['self', 'self'],
  ['duplicate_token', 'duplicateToken'],
  ['induction', 'induction'],
  ['entropy', 'entropy'],
];

interface Args {
  dir: string;
  corpus: string;
  top: number;
}

function parseArgs(argv: string[]): Args {
  let corpus: string | null = null;
  let top = 10;
  const positional: string[] = [];
  const value = (i: number, flag: string) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag}: missing its value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') corpus = value(i++, a);
    else if (a === '--top') {
      const v = value(i++, a).trim();
      if (!/^\d+$/.test(v) || Number(v) > MAX_TOP) throw new UsageError(`--top: expected a whole number 0…${MAX_TOP}, got ${JSON.stringify(v)}`);
      top = Number(v);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`, true);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'no DIR argument' : `expected one DIR argument, got ${positional.length}`, true);
  if (corpus === null) throw new UsageError('give the corpus with --corpus FILE', true);
  return { dir: positional[0], corpus, top };
}

async function readCorpus(file: string): Promise<CorpusEntry[]> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  try {
    return parseCorpusFile(file, content);
  } catch (e) {
    // The corpus as a whole (not JSON, not an array, empty) is named by its file.
    if (e instanceof CorpusError && e.sequence === null) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

function headJson(head: CorpusHead): string {
  const out: Record<string, unknown> = {};
  for (const [name, key] of OUTPUT_KEYS) out[name] = head.scores[key].mean;
  out.top = head.top.map(({ sequence, query, key, weight }) => ({ sequence, query, key, weight: shortFloat32(weight) }));
  return JSON.stringify(out);
}

export async function runHeadsCli(argv: string[], onProgress?: (p: CorpusProgress) => void): Promise<CliOutput> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return { code: 0, stdout: `${HEADS_USAGE}\n`, stderr: '' };
  let opened: OpenedModel | null = null;
  try {
    const args = parseArgs(argv);
    const entries = await readCorpus(args.corpus);
    const needsText = entries.some((e) => 'text' in e);
    opened = await openModel(args.dir, needsText ? `needed to read the text of ${args.corpus}; give token ids as a JSON array instead` : null);
    const { model } = opened;
    const sequences = corpusIds(entries, (text) => opened!.encode(text).ids, (ids) => checkIds(model.net, ids));
    const result = await runCorpus(model, sequences, { top: args.top, onProgress });
    const { type, layers, heads, kvHeads, vocab } = model.info;
    const body = result.heads.map((layer) => `[${layer.map(headJson).join(',')}]`).join(',');
    return { code: 0, stdout: `{"model":${JSON.stringify({ type, layers, heads, kvHeads, vocab })},"sequences":${result.sequences},"rows":${result.rows},"heads":[${body}]}\n`, stderr: '' };
  } catch (e) {
    return cliFailure(e, HEADS_USAGE, (err) => err instanceof CorpusError);
  } finally {
    opened?.model.dispose();
  }
}
