// A corpus run in the compute worker: the corpus read by the model (capped), then one sequence per step,
// so the worker can pause between steps, cancel, and answer the page's other requests in between.
// Memory stays that of one sequence's forward pass (engine/corpus/run.ts addSequence).
import { CorpusAggregator } from '../engine/corpus/aggregate.ts';
import { CorpusError, type CorpusEntry } from '../engine/corpus/read.ts';
import { addSequence, aggregatorFor, exampleSequences, isCausal, type CorpusRun, type CorpusSettings } from '../engine/corpus/run.ts';
import { checkIds } from '../engine/transformer/forward.ts';
import { inductionProbeCorpus } from '../engine/corpus/shipped.ts';
import type { RunnableModel } from './models.ts';
import type { CorpusSource } from './protocol.ts';

/** The corpus as the model reads it, within the caps. */
export interface PreparedCorpus {
  ids: number[][];
  /** Display tokens of each sequence. */
  tokens: string[][];
  skipped: number;
  truncated: number;
  unknown: number;
}

/** The source's sequences: as given, or the induction probe made from the model's ordinary tokens, each copy at most half the token cap. */
export function entriesOf(m: RunnableModel, source: CorpusSource, settings: CorpusSettings): CorpusEntry[] {
  if ('entries' in source) return source.entries;
  const { count, half, seed } = source.probe;
  const most = Math.floor(Math.min(settings.maxTokens, m.info.context) / 2);
  return inductionProbeCorpus(m.probeAlphabet, count, Math.max(1, Math.min(half, most)), seed);
}

/** Reads the entries with the model (text through its tokenizer), keeps the first maxSequences, cuts each to maxTokens and the context. */
export function prepareCorpus(m: RunnableModel, entries: CorpusEntry[], settings: CorpusSettings): PreparedCorpus {
  if (entries.length === 0) throw new CorpusError(null, null, 'empty-corpus');
  const limit = Math.max(1, Math.min(settings.maxTokens, m.info.context));
  const used = entries.slice(0, Math.max(1, settings.maxSequences));
  const out: PreparedCorpus = { ids: [], tokens: [], skipped: entries.length - used.length, truncated: 0, unknown: 0 };
  used.forEach((e, s) => {
    let ids: number[];
    let tokens: string[];
    try {
      if ('ids' in e) {
        ids = e.ids;
        checkIds(m.model.net, ids.slice(0, limit));
        tokens = ids.map((id) => m.token(id));
      } else {
        const read = m.read(e.text);
        ids = read.ids;
        tokens = read.tokens;
        out.unknown += read.unknown?.slice(0, limit).filter(Boolean).length ?? 0;
      }
    } catch (err) {
      throw new CorpusError(s, e.line, 'model', { detail: (err as Error).message });
    }
    if (ids.length === 0) throw new CorpusError(s, e.line, 'no-tokens');
    if (ids.length > limit) out.truncated++;
    out.ids.push(ids.slice(0, limit));
    out.tokens.push(tokens.slice(0, limit));
  });
  return out;
}

export interface CorpusStatus {
  done: number;
  total: number;
  tokens: number;
  totalTokens: number;
  /** Time spent in steps (pauses and other work excluded), ms. */
  elapsedMs: number;
}

/** One corpus over one model, a sequence per step. */
export class CorpusJob {
  private readonly agg: CorpusAggregator;
  private tokens = 0;
  private elapsedMs = 0;
  readonly totalTokens: number;

  constructor(
    readonly m: RunnableModel,
    readonly corpus: { id: string; name: string },
    readonly prepared: PreparedCorpus,
    readonly settings: CorpusSettings,
  ) {
    this.agg = aggregatorFor(m.model, settings);
    this.totalTokens = prepared.ids.reduce((s, ids) => s + ids.length, 0);
  }

  get finished(): boolean {
    return this.agg.done >= this.prepared.ids.length;
  }

  status(): CorpusStatus {
    return { done: this.agg.done, total: this.prepared.ids.length, tokens: this.tokens, totalTokens: this.totalTokens, elapsedMs: this.elapsedMs };
  }

  /** Runs the next sequence. */
  async step(): Promise<void> {
    if (this.finished) return;
    const ids = this.prepared.ids[this.agg.done];
    const t0 = performance.now();
    try {
      await addSequence(this.m.model, this.agg, ids);
    } catch (e) {
      throw new CorpusError(this.agg.done, null, 'model', { detail: (e as Error).message });
    } finally {
      this.elapsedMs += performance.now() - t0;
    }
    this.tokens += ids.length;
  }

  /** The finished run as plain data. */
  run(): CorpusRun {
    const result = this.agg.result();
    const { info } = this.m;
    const p = this.prepared;
    return {
      model: { key: this.m.key, name: info.name, type: info.type, layers: info.layers, heads: info.heads, causal: isCausal(info) },
      corpus: { ...this.corpus, sequences: result.sequences, tokens: result.rows, skipped: p.skipped, truncated: p.truncated, unknown: p.unknown },
      settings: this.settings,
      result,
      examples: exampleSequences(result).map((s) => [s, p.tokens[s]]),
      elapsedMs: this.elapsedMs,
    };
  }
}
