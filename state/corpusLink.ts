// The Corpus view's fields in the link (urlState.ts writes and reads the rest):
//   corpus=stories  cseq=32  ctok=64  ctop=5      the corpus and its caps (defaults left out)
//   chead=2.4  cscore=self  csort=+induction  cfilter=induction>0.5   the dashboard's head (0-based), the heatmap's score, the table
// A field that does not parse is reported and keeps the value it had before.
import type { MessageKey } from '../i18n/index.ts';
import {
  CORPUS_LIMITS,
  DEFAULT_CORPUS,
  DEFAULT_CORPUS_LOOK,
  formatSort,
  parseCorpusSource,
  parseScoreKey,
  parseSort,
  type CorpusLook,
  type CorpusPick,
} from './corpusDoc.ts';
import type { DocState } from './document.ts';

export const CORPUS_KEYS = ['corpus', 'cseq', 'ctok', 'ctop', 'chead', 'cscore', 'csort', 'cfilter'] as const;

/** The link's corpus fields of a document, defaults left out. */
export function encodeCorpus(doc: Pick<DocState, 'corpus' | 'corpusLook'>): [string, string][] {
  const out: [string, string][] = [];
  const { corpus: c, corpusLook: look } = doc;
  if (c.source !== DEFAULT_CORPUS.source) out.push(['corpus', c.source]);
  if (c.maxSequences !== DEFAULT_CORPUS.maxSequences) out.push(['cseq', String(c.maxSequences)]);
  if (c.maxTokens !== DEFAULT_CORPUS.maxTokens) out.push(['ctok', String(c.maxTokens)]);
  if (c.top !== DEFAULT_CORPUS.top) out.push(['ctop', String(c.top)]);
  if (look.head) out.push(['chead', `${look.head.layer}.${look.head.head}`]);
  if (look.score !== DEFAULT_CORPUS_LOOK.score) out.push(['cscore', look.score]);
  const sort = formatSort(look.sort);
  if (sort !== formatSort(DEFAULT_CORPUS_LOOK.sort)) out.push(['csort', sort]);
  if (look.filter !== '') out.push(['cfilter', look.filter]);
  return out;
}

/** A rejected field: the message key and its parameters (`field` is the link's key, `got` the raw value). */
export type CorpusLinkError = (key: MessageKey, params: { field: string; got: string } & Record<string, string | number>) => void;

/** The corpus fields of a link: missing ones take their defaults, bad ones keep `base`'s and are reported. */
export function decodeCorpus(params: ReadonlyMap<string, string>, base: Pick<DocState, 'corpus' | 'corpusLook'>, report: CorpusLinkError): Pick<DocState, 'corpus' | 'corpusLook'> {
  const corpus: CorpusPick = { ...DEFAULT_CORPUS };
  const look: CorpusLook = { ...DEFAULT_CORPUS_LOOK };
  const src = params.get('corpus');
  if (src !== undefined) {
    const id = parseCorpusSource(src);
    if (id) corpus.source = id;
    else {
      report('link.choice', { field: 'corpus', got: src, choices: 'brown, stories, zh, induction, file:…' });
      corpus.source = base.corpus.source;
    }
  }
  const int = (k: string, lo: number, hi: number, fallback: number): number | undefined => {
    const s = params.get(k);
    if (s === undefined) return undefined;
    const v = /^\d+$/.test(s.trim()) ? Number(s) : NaN;
    if (Number.isInteger(v) && v >= lo && v <= hi) return v;
    report('link.range', { field: k, lo, hi, got: s });
    return fallback;
  };
  corpus.maxSequences = int('cseq', 1, CORPUS_LIMITS.maxSequences, base.corpus.maxSequences) ?? corpus.maxSequences;
  corpus.maxTokens = int('ctok', 2, CORPUS_LIMITS.maxTokens, base.corpus.maxTokens) ?? corpus.maxTokens;
  corpus.top = int('ctop', 0, CORPUS_LIMITS.maxTop, base.corpus.top) ?? corpus.top;
  const head = params.get('chead');
  if (head !== undefined && head !== '') {
    const m = /^(\d+)\.(\d+)$/.exec(head);
    if (m && Number(m[1]) <= CORPUS_LIMITS.maxLayer && Number(m[2]) <= CORPUS_LIMITS.maxHead) look.head = { layer: Number(m[1]), head: Number(m[2]) };
    else {
      report('link.corpusHead', { field: 'chead', got: head });
      look.head = base.corpusLook.head;
    }
  }
  const score = params.get('cscore');
  if (score !== undefined) {
    const k = parseScoreKey(score);
    if (k) look.score = k;
    else {
      report('link.choice', { field: 'cscore', got: score, choices: 'previousToken, firstToken, self, entropy, duplicateToken, induction' });
      look.score = base.corpusLook.score;
    }
  }
  const sort = params.get('csort');
  if (sort !== undefined) {
    const v = parseSort(sort);
    if (v) look.sort = v;
    else {
      report('link.corpusSort', { field: 'csort', got: sort });
      look.sort = base.corpusLook.sort;
    }
  }
  const filter = params.get('cfilter');
  if (filter !== undefined) look.filter = filter.slice(0, CORPUS_LIMITS.maxFilter);
  return { corpus, corpusLook: look };
}
