// The command line's logic, kept apart from process I/O so tests can call it directly.
//   attention FILE    FILE holds one case object or a JSON array of cases; "-" reads stdin.
// Success: the result (or an array of results, same order) as JSON on stdout, exit 0.
// Bad input: exit 2, one line on stderr (case index, field, what is wrong), nothing on stdout.
import { readFile } from 'node:fs/promises';
import type { AttentionInput, AttentionResult } from '../types.ts';
import { parseCaseFile } from '../validate.ts';
import { CaseError } from '../caseError.ts';
import { writeResultJson } from '../json.ts';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliDeps {
  /** Reads all of stdin (only called for FILE "-"). */
  readStdin: () => Promise<string>;
  /** Computes one case; defaults to the tfjs engine on the wasm backend. */
  compute?: (input: AttentionInput) => Promise<AttentionResult>;
  /**
   * Receives the result JSON in pieces (only after every case has been computed). When absent, the
   * pieces are joined into CliOutput.stdout.
   */
  write?: (piece: string) => void;
}

const USAGE = 'usage: attention FILE   (FILE: a JSON case or array of cases; "-" reads stdin)';

/** Collapses a message to one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function fail(message: string, code = 2): CliOutput {
  return { code, stdout: '', stderr: `${oneLine(message)}\n` };
}

async function defaultCompute(input: AttentionInput): Promise<AttentionResult> {
  const [{ initBackend }, { computeAttention }] = await Promise.all([import('../backend.ts'), import('../attention.ts')]);
  await initBackend('wasm');
  return computeAttention(input);
}

export async function runCli(args: string[], deps: CliDeps): Promise<CliOutput> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
  if (args.length === 0) return fail(`no FILE argument; ${USAGE}`);
  if (args.length > 1) return fail(`expected one FILE argument, got ${args.length}; ${USAGE}`);
  const file = args[0];
  const name = file === '-' ? 'stdin' : file;

  let text: string;
  try {
    text = file === '-' ? await deps.readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    return fail(`${name}: cannot read: ${why}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const why = text.trim() === '' ? 'empty input' : (e as Error).message;
    return fail(`${name}: invalid JSON: ${why}`);
  }

  let parsed: ReturnType<typeof parseCaseFile>;
  try {
    parsed = parseCaseFile(json);
  } catch (e) {
    if (e instanceof CaseError) return fail(e.message);
    throw e;
  }

  const compute = deps.compute ?? defaultCompute;
  const results: AttentionResult[] = [];
  try {
    for (const [k, input] of parsed.cases.entries()) {
      try {
        results.push(await compute(input));
      } catch (e) {
        throw e instanceof CaseError && parsed.isArray ? e.inCase(k) : e;
      }
    }
  } catch (e) {
    if (e instanceof CaseError) return fail(e.message);
    return fail(`internal error: ${(e as Error).message ?? String(e)}`, 1);
  }
  // Every case is computed: only now does anything go to stdout.
  const pieces: string[] = [];
  const emit = deps.write ?? ((p: string) => void pieces.push(p));
  if (parsed.isArray) emit('[');
  results.forEach((r, k) => {
    if (k) emit(',');
    writeResultJson(r, emit);
  });
  if (parsed.isArray) emit(']');
  emit('\n');
  return { code: 0, stdout: pieces.join(''), stderr: '' };
}
