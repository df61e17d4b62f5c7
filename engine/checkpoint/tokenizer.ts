// A checkpoint's tokenizer: tokenizer.json (+ tokenizer_config.json when present) read by
// @huggingface/tokenizers, imported on first use so the browser only fetches it when a checkpoint has one.
// Tokens come back as display strings: byte-level BPE pieces ("Ġupon") as the text they stand for
// (" upon"), SentencePiece's "▁" as a space, byte-fallback pieces ("<0x0A>") as their character, WordPiece
// pieces as they are ("##ing"). The tokenizer's own post-processor adds the special tokens ([CLS] … [SEP],
// <s> … </s>) and, for a sentence pair, the token types.
import { contiguous } from './bytes.ts';
import { CheckpointError } from './errors.ts';
import { fileName, type CheckpointFiles } from './files.ts';
import { nestedRepetition, tokenizerPatterns } from './regexRisk.ts';

export interface Encoded {
  ids: number[];
  /** One display string per id. */
  tokens: string[];
  /** Which sentence each token belongs to, as the post-processor says (0: A, 1: B; all 0 without a pair). */
  types: number[];
  /** Whether each token is a special token ([CLS], [SEP], <s>, </s>, [MASK], [UNK], …). */
  special: boolean[];
  /** Whether each token is one the post-processor frames the text with ([CLS], [SEP], <s>, </s>): what a picture may hide. */
  frame: boolean[];
}

export interface TextTokenizer {
  /**
   * ids and one display string per id; `pair` is a second sentence (B), for encoders. "[MASK]" in the text
   * stands for the model's own mask token (RoBERTa's "<mask>"), so one way of writing it works for every model.
   */
  encode(text: string, pair?: string | null): Encoded;
  decode(ids: number[]): string;
  /** The display string of one id (null when the vocabulary has no such id). */
  token(id: number): string | null;
  /** The mask token ("[MASK]", "<mask>") and its id, or null when the tokenizer has none. */
  mask: { token: string; id: number } | null;
  /** Whether an id is one of the tokenizer's special tokens. */
  isSpecial(id: number): boolean;
}

/** The token types a model gets from the tokenizer's: as they are with token type embeddings for them, else all 0 (RoBERTa has one type, DistilBERT none). */
export function typesForModel(types: readonly number[], typeVocab: number): number[] {
  return types.map((t) => (t < typeVocab ? t : 0));
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

/** The ids of the tokens a post-processor adds around the text (TemplateProcessing, RobertaProcessing, BertProcessing, possibly inside a Sequence). */
function frameIds(p: unknown): Set<number> {
  const out = new Set<number>();
  const visit = (v: unknown) => {
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    for (const key of ['cls', 'sep']) {
      const pair = o[key];
      if (Array.isArray(pair) && typeof pair[1] === 'number') out.add(pair[1]);
    }
    if (typeof o.special_tokens === 'object' && o.special_tokens !== null) {
      for (const t of Object.values(o.special_tokens as Record<string, unknown>)) {
        const ids = (t as { ids?: unknown } | null)?.ids;
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number') out.add(id);
      }
    }
    if (Array.isArray(o.processors)) o.processors.forEach(visit);
  };
  visit(p);
  return out;
}

/** Whether a normalizer config (possibly inside a Sequence) is BertNormalizer splitting out Chinese characters. */
function splitsChinese(n: unknown): boolean {
  if (typeof n !== 'object' || n === null) return false;
  const o = n as Record<string, unknown>;
  if (o.type === 'BertNormalizer') return o.handle_chinese_chars !== false;
  return Array.isArray(o.normalizers) && o.normalizers.some(splitsChinese);
}

/**
 * The CJK ideographs beyond the Basic Multilingual Plane (Extensions B–F, the compatibility supplement)
 * that BERT's tokenizer puts spaces around. @huggingface/tokenizers 0.2's BertNormalizer reads UTF-16 code
 * units, so it misses these surrogate pairs ("a𠀀b" stays one word, [UNK]); spacing them first gives what
 * the Rust tokenizer and transformers' BertTokenizer give ("a", "𠀀", "b").
 */
const ASTRAL_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;

/** The mask token: tokenizer_config.json's mask_token, else an added special token named like one. */
function maskTokenOf(config: Record<string, unknown>, added: Map<number, { content: string; special: boolean }>): { token: string; id: number } | null {
  const named = config.mask_token;
  const wanted = typeof named === 'string' ? named : typeof named === 'object' && named !== null ? (named as { content?: unknown }).content : undefined;
  for (const [id, t] of added) {
    if (typeof wanted === 'string' ? t.content === wanted : t.special && /^(\[MASK\]|<mask>)$/i.test(t.content)) return { token: t.content, id };
  }
  return null;
}

/** How a mask is written whatever the model: BERT's own spelling. */
export const GENERIC_MASK = '[MASK]';

async function readJson(files: CheckpointFiles, name: string): Promise<Record<string, unknown> | null> {
  const bytes = await files.read(name);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(contiguous(bytes)));
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
  const chinese = splitsChinese(json.normalizer);
  const added = tok.get_added_tokens_decoder();
  const specialIds = new Set([...added].filter(([, t]) => t.special).map(([id]) => id));
  const framing = frameIds(json.post_processor);
  const mask = maskTokenOf(config, added);
  const prepare = (text: string) => {
    const masked = mask && mask.token !== GENERIC_MASK ? text.split(GENERIC_MASK).join(mask.token) : text;
    return chinese ? masked.replace(ASTRAL_CJK, ' $& ') : masked;
  };
  return {
    encode(text, pair = null) {
      const e = tok.encode(prepare(text), { text_pair: pair === null ? null : prepare(pair), return_token_type_ids: true });
      return {
        ids: e.ids,
        tokens: e.tokens.map((t) => displayToken(t, byteLevel)),
        types: e.token_type_ids ?? e.ids.map(() => 0),
        special: e.ids.map((id) => specialIds.has(id)),
        frame: e.ids.map((id) => specialIds.has(id) && framing.has(id)),
      };
    },
    decode: (ids) => tok.decode(ids),
    token(id) {
      const piece = tok.id_to_token(id);
      return piece === undefined ? null : displayToken(piece, byteLevel);
    },
    mask,
    isSpecial: (id) => specialIds.has(id),
  };
}
