// The head finder's filter: "induction > 0.5", "prev >= .8 and layer <= 3", "sink > 50%", "归纳 > 0.5".
// Clauses joined by "and", "&", "&&", "," or ";" (or 且 / 并且 / ，), each NAME OP NUMBER: a score (its
// column name, a short name, or the label the table shows in either language), `layer` or `head` (counted
// from 1, as shown); OP one of < <= ≤ > >= ≥ = ==; the number a decimal, or a percentage. Pure.
import type { ScoreKey } from '../../engine/headScores.ts';

export type FilterField = ScoreKey | 'layer' | 'head';
export type FilterOp = '<' | '<=' | '>' | '>=' | '=';

export interface FilterClause {
  field: FilterField;
  op: FilterOp;
  value: number;
}

/** What is wrong with a filter, for the finder to word: the clause as typed, and the part that is wrong. */
export type FilterProblem =
  | { code: 'name'; clause: string; got: string }
  | { code: 'operator'; clause: string }
  | { code: 'number'; clause: string; got: string };

/** The names every filter understands (normalised: lower case, no spaces, "-" or "_"). */
const NAMES: Record<string, FilterField> = {
  previoustoken: 'previousToken',
  previous: 'previousToken',
  prev: 'previousToken',
  firsttoken: 'firstToken',
  first: 'firstToken',
  sink: 'firstToken',
  self: 'self',
  duplicatetoken: 'duplicateToken',
  duplicate: 'duplicateToken',
  dup: 'duplicateToken',
  induction: 'induction',
  ind: 'induction',
  entropy: 'entropy',
  layer: 'layer',
  l: 'layer',
  head: 'head',
  h: 'head',
};

/** A name as it is looked up: lower case, without spaces, hyphens and underscores. */
export function normaliseName(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

const CLAUSE = /^(.+?)\s*(<=|>=|==|≤|≥|<|>|=)\s*(.*)$/;
const OPS: Record<string, FilterOp> = { '<': '<', '<=': '<=', '≤': '<=', '>': '>', '>=': '>=', '≥': '>=', '=': '=', '==': '=' };

/**
 * Reads a filter; `labels` adds names (the column labels in the interface languages). An empty filter
 * has no clauses (every head passes).
 */
export function parseFilter(text: string, labels: Readonly<Record<string, FilterField>> = {}): { clauses: FilterClause[] } | { problem: FilterProblem } {
  const clauses: FilterClause[] = [];
  const parts = text
    .split(/\s+and\s+|&&|&|,|;|，|；|并且|且/i)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const clause of parts) {
    const m = CLAUSE.exec(clause);
    if (!m) return { problem: { code: 'operator', clause } };
    const name = normaliseName(m[1]);
    const field = NAMES[name] ?? Object.entries(labels).find(([label]) => normaliseName(label) === name)?.[1];
    if (!field) return { problem: { code: 'name', clause, got: m[1].trim() } };
    const raw = m[3].trim();
    const num = /^[+-]?(\d+\.?\d*|\.\d+)(%?)$/.exec(raw);
    if (!num) return { problem: { code: 'number', clause, got: raw } };
    const value = Number(raw.replace('%', '')) / (num[2] ? 100 : 1);
    clauses.push({ field, op: OPS[m[2]], value });
  }
  return { clauses };
}

/** One head's means (null: no eligible row) and place (0-based). */
export interface FilterRow {
  layer: number;
  head: number;
  scores: Record<ScoreKey, number | null>;
}

function compare(x: number, op: FilterOp, y: number): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '=':
      return Math.abs(x - y) < 1e-9;
  }
}

/** Whether a head passes every clause. A score without a value (no eligible row) passes none. */
export function passes(row: FilterRow, clauses: readonly FilterClause[]): boolean {
  return clauses.every(({ field, op, value }) => {
    const x = field === 'layer' ? row.layer + 1 : field === 'head' ? row.head + 1 : row.scores[field];
    return x !== null && compare(x, op, value);
  });
}
