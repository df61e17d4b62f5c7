// Reading a corpus: a JSON array of token-id sequences, text with one sequence per line, or JSON Lines
// (each line a string, {"text": …} or a list of ids). Every problem is a CorpusError naming the sequence
// (0-based, as the results point into the corpus) and its line where there is one, machine-readably too,
// so the app can word it in its own language.
import { described, describedText, type Described } from '../caseError.ts';

export type CorpusErrorCode =
  /** {detail}: the parser's message. */
  | 'not-json'
  /** {got}: the whole file is not an array. */
  | 'not-array'
  | 'empty-corpus'
  /** {got}: a sequence that is not a list. */
  | 'not-sequence'
  /** {index, got}: an element that is not a whole number ≥ 0. */
  | 'not-id'
  | 'no-tokens'
  /** {got}: a JSON Lines entry that is neither a string, {"text": string} nor a list of ids. */
  | 'not-entry'
  /** {detail}: the model rejected the ids (outside the vocabulary, longer than the context). */
  | 'model';

export class CorpusError extends Error {
  constructor(
    /** The sequence (0-based), or null for the corpus as a whole. */
    readonly sequence: number | null,
    /** Its line in the file (1-based), when it came from text. */
    readonly line: number | null,
    readonly code: CorpusErrorCode,
    readonly params: { detail?: string; got?: Described; index?: number } = {},
  ) {
    super(`${where(sequence, line)}${problem(code, params)}`);
    this.name = 'CorpusError';
  }
}

function where(sequence: number | null, line: number | null): string {
  if (sequence === null) return line === null ? '' : `line ${line}: `;
  return line === null ? `sequence ${sequence}: ` : `sequence ${sequence} (line ${line}): `;
}

function problem(code: CorpusErrorCode, p: CorpusError['params']): string {
  const got = p.got ? describedText(p.got) : '';
  switch (code) {
    case 'not-json':
      return `not JSON (${p.detail})`;
    case 'not-array':
      return `expected a JSON array of sequences (each a list of token ids, like [[1,5,9],[1,7]]), got ${got}`;
    case 'empty-corpus':
      return 'the corpus is empty: expected at least one sequence';
    case 'not-sequence':
      return `expected a list of token ids, got ${got}`;
    case 'not-id':
      return `ids[${p.index}]: expected a token id (a whole number ≥ 0), got ${got}`;
    case 'no-tokens':
      return 'no tokens';
    case 'not-entry':
      return `expected a string, {"text": "…"} or a list of token ids, got ${got}`;
    case 'model':
      return p.detail ?? '';
  }
}

/** One sequence of a corpus: token ids, or text for the model's tokenizer; `line` where it came from a line. */
export type CorpusEntry = { ids: number[]; line: number | null } | TextEntry;
export type TextEntry = { text: string; line: number | null };

function idList(v: unknown, sequence: number, line: number | null): number[] {
  if (!Array.isArray(v)) throw new CorpusError(sequence, line, 'not-sequence', { got: described(v) });
  if (v.length === 0) throw new CorpusError(sequence, line, 'no-tokens');
  v.forEach((id, index) => {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new CorpusError(sequence, line, 'not-id', { index, got: described(id) });
  });
  return v as number[];
}

function parseJson(text: string, sequence: number | null, line: number | null): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CorpusError(sequence, line, 'not-json', { detail: (e as Error).message });
  }
}

/** A JSON array of id sequences, `[[1,5,9],[1,7]]`. */
export function parseIdCorpus(json: string): CorpusEntry[] {
  const v = parseJson(json, null, null);
  if (!Array.isArray(v)) throw new CorpusError(null, null, 'not-array', { got: described(v) });
  if (v.length === 0) throw new CorpusError(null, null, 'empty-corpus');
  return v.map((seq, s) => ({ ids: idList(seq, s, null), line: null }));
}

/** The non-empty lines of a text (\n or \r\n), each a sequence. */
function lines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((t, k) => {
    if (t !== '') out.push({ text: t, line: k + 1 });
  });
  if (out.length === 0) throw new CorpusError(null, null, 'empty-corpus');
  return out;
}

/** Text, one sequence per non-empty line. */
export function parseTextCorpus(text: string): TextEntry[] {
  return lines(text);
}

/** JSON Lines: each non-empty line a string, {"text": string} or a list of token ids. */
export function parseJsonlCorpus(text: string): CorpusEntry[] {
  return lines(text).map(({ text: t, line }, s) => {
    const v = parseJson(t, s, line);
    if (typeof v === 'string') return { text: v, line };
    if (Array.isArray(v)) return { ids: idList(v, s, line), line };
    if (typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string') return { text: (v as { text: string }).text, line };
    throw new CorpusError(s, line, 'not-entry', { got: described(v) });
  });
}

/** By file name: .txt as text lines, .jsonl as JSON Lines, anything else as a JSON array of id sequences. */
export function parseCorpusFile(name: string, content: string): CorpusEntry[] {
  if (/\.txt$/i.test(name)) return parseTextCorpus(content);
  if (/\.jsonl$/i.test(name)) return parseJsonlCorpus(content);
  return parseIdCorpus(content);
}

/**
 * Every entry as token ids: text through `encode`, then each sequence through `check` (the model's
 * vocabulary and context); any problem becomes a CorpusError naming the sequence.
 */
export function corpusIds(entries: CorpusEntry[], encode: ((text: string) => number[]) | null, check: (ids: number[]) => void): number[][] {
  return entries.map((e, s) => {
    let ids: number[];
    if ('ids' in e) ids = e.ids;
    else {
      if (!encode) throw new CorpusError(s, e.line, 'model', { detail: 'text needs the model\'s tokenizer' });
      ids = encode(e.text);
      if (ids.length === 0) throw new CorpusError(s, e.line, 'no-tokens');
    }
    try {
      check(ids);
    } catch (err) {
      throw new CorpusError(s, e.line, 'model', { detail: (err as Error).message });
    }
    return ids;
  });
}
