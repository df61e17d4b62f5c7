// A checkpoint's tokenizer: tokenizer.json (+ tokenizer_config.json when present) read by
// @huggingface/tokenizers, imported on first use so the browser only fetches it when a checkpoint has one.
// Tokens come back as display strings: byte-level BPE pieces ("Ġupon") as the text they stand for
// (" upon"), SentencePiece's "▁" as a space, byte-fallback pieces ("<0x0A>") as their character.
import { CheckpointError } from './errors.ts';
import { fileName, type CheckpointFiles } from './files.ts';
import { nestedRepetition, tokenizerPatterns } from './regexRisk.ts';

export interface TextTokenizer {
  /** ids and one display string per id. */
  encode(text: string): { ids: number[]; tokens: string[] };
  decode(ids: number[]): string;
  /** The display string of one id (null when the vocabulary has no such id). */
  token(id: number): string | null;
}

/** GPT-2's byte ↔ printable-character table (bytes_to_unicode), inverted: character → byte. */
function byteLevelTable(): Map<string, number> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Map<string, number>();
  for (const b of printable) table.set(String.fromCharCode(b), b);
  let extra = 0;
  for (let b = 0; b < 256; b++) if (!printable.includes(b)) table.set(String.fromCharCode(256 + extra++), b);
  return table;
}

let byteTable: Map<string, number> | null = null;
const utf8 = new TextDecoder('utf-8');

/** The text a vocabulary piece stands for. */
export function displayToken(piece: string, byteLevel: boolean): string {
  if (byteLevel) {
    byteTable ??= byteLevelTable();
    const bytes: number[] = [];
    for (const ch of piece) {
      const b = byteTable.get(ch);
      if (b === undefined) return piece; // an added token (e.g. "<|endoftext|>") is not byte-encoded
      bytes.push(b);
    }
    return utf8.decode(new Uint8Array(bytes)); // a piece holding part of a character shows U+FFFD
  }
  const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
  if (byte) {
    const b = parseInt(byte[1], 16);
    return b < 0x80 ? String.fromCharCode(b) : piece;
  }
  return piece.replace(/▁/g, ' ');
}

/** Whether a tokenizer.json's pre-tokenizer or decoder is byte-level (possibly inside a Sequence). */
function usesByteLevel(json: Record<string, unknown>): boolean {
  const has = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null) return false;
    const o = v as Record<string, unknown>;
    if (o.type === 'ByteLevel') return true;
    return [o.pretokenizers, o.decoders].some((list) => Array.isArray(list) && list.some(has));
  };
  return has(json.pre_tokenizer) || has(json.decoder);
}

async function readJson(files: CheckpointFiles, name: string): Promise<Record<string, unknown> | null> {
  const bytes = await files.read(name);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new CheckpointError(fileName(files, name), null, `not valid JSON (${(e as Error).message})`);
  }
}

/** The checkpoint's tokenizer, or null when it has no tokenizer.json. */
export async function loadTokenizer(files: CheckpointFiles): Promise<TextTokenizer | null> {
  const json = await readJson(files, 'tokenizer.json');
  if (!json) return null;
  for (const { path, regex } of tokenizerPatterns(json)) {
    const risky = nestedRepetition(regex);
    if (risky) throw new CheckpointError(fileName(files, 'tokenizer.json'), path, `${JSON.stringify(risky.length > 40 ? `${risky.slice(0, 40)}…` : risky)} repeats a group that repeats itself: matching it can take hours on a short text, so this tokenizer is not used`);
  }
  const config = (await readJson(files, 'tokenizer_config.json')) ?? {};
  const { Tokenizer } = await import('@huggingface/tokenizers');
  let tok: InstanceType<typeof Tokenizer>;
  try {
    tok = new Tokenizer(json, config);
  } catch (e) {
    throw new CheckpointError(fileName(files, 'tokenizer.json'), null, `cannot be used: ${(e as Error).message}`);
  }
  const byteLevel = usesByteLevel(json);
  return {
    encode(text) {
      const { ids, tokens } = tok.encode(text);
      return { ids, tokens: tokens.map((t) => displayToken(t, byteLevel)) };
    },
    decode: (ids) => tok.decode(ids),
    token(id) {
      const piece = tok.id_to_token(id);
      return piece === undefined ? null : displayToken(piece, byteLevel);
    },
  };
}
