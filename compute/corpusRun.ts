// A corpus run in the compute worker: the corpus read by the model (capped), then one sequence per step,
// so the worker can pause between steps, cancel, and answer the page's other requests in between.
// Memory stays that of one sequence's forward pass plus the corpus' ids (engine/corpus/run.ts
// sequencePart); the tokens and text of a sequence are made again at the end, for the few sequences the
// top examples point into.
import { CorpusAggregator, type SequencePart } from '../engine/corpus/aggregate.ts';
import { PoolJob } from './pool.ts';
import { CorpusError, type CorpusEntry } from '../engine/corpus/read.ts';
import { aggregatorFor, sequencePart, exampleSequences, type CorpusRun, type CorpusSettings, type ExampleSequence } from '../engine/corpus/run.ts';
import { checkIds } from '../engine/transformer/forward.ts';
import { inductionProbeCorpus } from '../engine/corpus/shipped.ts';
import type { RunnableModel } from './models.ts';
import type { CorpusSource } from './protocol.ts';

/** The corpus as the model reads it, within the caps. */
export interface PreparedCorpus {
  /** The entries run (the first maxSequences). */
  entries: CorpusEntry[];
  /** Their ids, each cut to the token cap. */
  ids: Int32Array[];
  skipped: number;
  truncated: number;
  unknown: number;
}

/** At least this many whole-word tokens make the probe's alphabet; fewer, and it draws from all the model's ordinary tokens. */
const MIN_WORD_ALPHABET = 16;

/**
 * Ids for the induction probe: the model's ordinary tokens that are a whole word after a space (" the"), so
 * a probe sequence, written out, reads back as the same tokens and opens in the other views as it ran.
 */
function probeAlphabet(m: RunnableModel): number[] {
  const words = m.probeAlphabet.filter((id) => /^ \p{L}+$/u.test(m.token(id)));
  return words.length >= MIN_WORD_ALPHABET ? words : m.probeAlphabet;
}

/** The source's sequences: as given, or the induction probe made from the model's tokens, each copy at most half the token cap. */
export function entriesOf(m: RunnableModel, source: CorpusSource, settings: CorpusSettings): CorpusEntry[] {
  if ('entries' in source) return source.entries;
  const { count, half, seed } = source.probe;
  const most = Math.floor(Math.min(settings.maxTokens, m.info.context) / 2);
  return inductionProbeCorpus(probeAlphabet(m), count, Math.max(1, Math.min(half, most)), seed);
}

/** The most tokens a sequence keeps: the cap, never past the model's context. */
const tokenLimit = (m: RunnableModel, settings: CorpusSettings) => Math.max(1, Math.min(settings.maxTokens, m.info.context));

/** An entry read by the model: ids (whole), display tokens, unknown characters, the tokenizer's frame. */
function readEntry(m: RunnableModel, e: CorpusEntry): { ids: number[]; tokens: string[] | null; unknown: boolean[] | null; frame: boolean[] | null } {
  if ('ids' in e) return { ids: e.ids, tokens: null, unknown: null, frame: null };
  const read = m.read(e.text);
  return { ids: read.ids, tokens: read.tokens, unknown: read.unknown, frame: read.frame };
}

/**
 * A sequence cut to `limit`: its first `limit` tokens — or, for a text the tokenizer framed ([CLS] … [SEP],
 * <s> … </s>), the frame at both ends and as much of the text between as fits, as the tokenizer's own
 * truncation does, so an encoder still reads the input shape it was trained on.
 */
export function cutSequence<T>(xs: readonly T[], frame: readonly boolean[] | null, limit: number): T[] {
  if (xs.length <= limit) return xs.slice();
  if (frame) {
    let lead = 0;
    while (lead < frame.length && frame[lead]) lead++;
    let tail = 0;
    while (tail < frame.length - lead && frame[frame.length - 1 - tail]) tail++;
    if (tail > 0 && lead + tail < limit) return [...xs.slice(0, limit - tail), ...xs.slice(xs.length - tail)];
  }
  return xs.slice(0, limit);
}

/** Reads the entries with the model (text through its tokenizer), keeps the first maxSequences, cuts each to maxTokens and the context. */
export function prepareCorpus(m: RunnableModel, entries: CorpusEntry[], settings: CorpusSettings): PreparedCorpus {
  if (entries.length === 0) throw new CorpusError(null, null, 'empty-corpus');
  const limit = tokenLimit(m, settings);
  const used = entries.slice(0, Math.max(1, settings.maxSequences));
  const out: PreparedCorpus = { entries: used, ids: [], skipped: entries.length - used.length, truncated: 0, unknown: 0 };
  used.forEach((e, s) => {
    let read: ReturnType<typeof readEntry>;
    try {
      read = readEntry(m, e);
      if ('ids' in e) checkIds(m.model.net, cutSequence(read.ids, null, limit));
    } catch (err) {
      throw new CorpusError(s, e.line, 'model', { detail: (err as Error).message });
    }
    if (read.ids.length === 0) throw new CorpusError(s, e.line, 'no-tokens');
    if (read.ids.length > limit) out.truncated++;
    out.unknown += read.unknown ? cutSequence(read.unknown, read.frame, limit).filter(Boolean).length : 0;
    out.ids.push(Int32Array.from(cutSequence(read.ids, read.frame, limit)));
  });
  return out;
}

const sameIds = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.prototype.every.call(a, (x: number, k: number) => x === b[k]);

/**
 * Sequence s as the result shows it and as the other views open it: its tokens, and a text the model reads
 * as exactly its ids — the line itself when it was not cut, else the text the tokenizer writes for the ids
 * kept inside its frame (it adds [CLS] … [SEP] again when reading), the tokens written out, or the ids
 * ("1 2 3") for a checkpoint without a tokenizer. When none reads back exactly, the tokens written out.
 */
export function exampleSequence(m: RunnableModel, prepared: PreparedCorpus, settings: CorpusSettings, s: number): ExampleSequence {
  const entry = prepared.entries[s];
  const ids = prepared.ids[s];
  const limit = tokenLimit(m, settings);
  const read = readEntry(m, entry);
  const tokens = cutSequence(read.tokens ?? read.ids.map((id) => m.token(id)), read.frame, limit);
  const frame = read.frame ? cutSequence(read.frame, read.frame, limit) : null;
  const inner = Array.from(ids).filter((_, k) => !frame?.[k]);
  const candidates = [...('text' in entry && read.ids.length <= limit ? [entry.text] : []), m.write(inner), tokens.join(''), Array.from(ids).join(' ')];
  for (const text of candidates) {
    try {
      if (sameIds(m.read(text).ids, ids)) return { sequence: s, tokens, text, exact: true };
    } catch {
      // this model cannot read that form (e.g. ids typed for a model with a tokenizer): try the next
    }
  }
  return { sequence: s, tokens, text: tokens.join(''), exact: false };
}

export interface CorpusStatus {
  done: number;
  total: number;
  tokens: number;
  totalTokens: number;
  /** Time spent in steps (pauses and other work excluded), ms. */
  elapsedMs: number;
}

/**
 * One corpus over one model, a sequence per step. Each sequence is a task of a PoolJob: a step here claims
 * the next and runs it into a scratch aggregator, pool workers (compute/poolCorpus.ts) claim others; every
 * sequence's part is added to the result in sequence order, so any split gives the one-worker result bit
 * for bit (engine/corpus/aggregate.ts SequencePart).
 */
export class CorpusJob {
  private readonly agg: CorpusAggregator;
  private readonly scratch: CorpusAggregator;
  /** Parts that came before an earlier sequence's, by sequence. */
  private readonly waiting = new Map<number, SequencePart>();
  private tokens = 0;
  private elapsedMs = 0;
  readonly totalTokens: number;
  readonly work: PoolJob<SequencePart>;

  constructor(
    readonly m: RunnableModel,
    readonly corpus: { id: string; name: string },
    readonly prepared: PreparedCorpus,
    readonly settings: CorpusSettings,
  ) {
    this.agg = aggregatorFor(m.model, settings);
    this.scratch = aggregatorFor(m.model, settings);
    this.totalTokens = prepared.ids.reduce((s, ids) => s + ids.length, 0);
    this.work = new PoolJob(prepared.ids.length, (s, part) => this.arrived(s, part));
  }

  get finished(): boolean {
    return this.agg.done >= this.prepared.ids.length;
  }

  status(): CorpusStatus {
    return { done: this.agg.done, total: this.prepared.ids.length, tokens: this.tokens, totalTokens: this.totalTokens, elapsedMs: this.elapsedMs };
  }

  /** Runs the next sequence here, or waits for a pool worker's when they hold all that is left. */
  async step(): Promise<void> {
    if (this.finished) return;
    const t0 = performance.now();
    try {
      const s = this.work.claim();
      if (s === null) {
        // Paused or cancelled: nothing to wait for; else a pool worker holds the sequences left.
        if (!this.work.paused && !this.work.cancelled && this.work.held.size > 0) await this.work.changed();
        return;
      }
      let part: SequencePart;
      try {
        part = await sequencePart(this.m.model, this.scratch, this.prepared.ids[s], s);
      } catch (e) {
        throw new CorpusError(s, this.prepared.entries[s].line, 'model', { detail: (e as Error).message });
      }
      this.work.complete(s, part);
    } finally {
      this.elapsedMs += performance.now() - t0;
    }
  }

  /** A sequence's part, from here or a pool worker: added when every earlier sequence's has been. */
  private arrived(s: number, part: SequencePart): void {
    this.waiting.set(s, part);
    for (let next = this.waiting.get(this.agg.done); next; next = this.waiting.get(this.agg.done)) {
      this.waiting.delete(this.agg.done);
      this.tokens += this.prepared.ids[this.agg.done].length;
      this.agg.add(next);
    }
  }

  /** The finished run as plain data. */
  run(): CorpusRun {
    const result = this.agg.result();
    const { info } = this.m;
    const p = this.prepared;
    return {
      model: { key: this.m.key, name: info.name, type: info.type, layers: info.layers, heads: info.heads, causal: info.causal },
      corpus: { ...this.corpus, sequences: result.sequences, tokens: result.rows, skipped: p.skipped, truncated: p.truncated, unknown: p.unknown },
      settings: this.settings,
      result,
      examples: exampleSequences(result).map((s) => exampleSequence(this.m, p, this.settings, s)),
      elapsedMs: this.elapsedMs,
    };
  }
}
