import { describe, expect, it } from 'vitest';
import { parseFilter, passes, type FilterRow } from './filter.ts';

const row = (layer: number, head: number, s: Partial<FilterRow['scores']> = {}): FilterRow => ({
  layer,
  head,
  scores: { previousToken: 0.1, firstToken: 0.2, self: 0.3, entropy: 0.4, duplicateToken: null, induction: 0.6, ...s },
});

describe('the head finder filter', () => {
  it('reads clauses, names in several spellings, operators, decimals and percentages', () => {
    expect(parseFilter('induction > 0.5')).toEqual({ clauses: [{ field: 'induction', op: '>', value: 0.5 }] });
    expect(parseFilter('prev >= .8 and Layer<=3, sink ≤ 40%; first_token == 1 && previous-token ≥ 0 & dup < 1')).toEqual({
      clauses: [
        { field: 'previousToken', op: '>=', value: 0.8 },
        { field: 'layer', op: '<=', value: 3 },
        { field: 'firstToken', op: '<=', value: 0.4 },
        { field: 'firstToken', op: '=', value: 1 },
        { field: 'previousToken', op: '>=', value: 0 },
        { field: 'duplicateToken', op: '<', value: 1 },
      ],
    });
    expect(parseFilter('   ')).toEqual({ clauses: [] });
    // the table's labels, in either language, as names
    expect(parseFilter('归纳 > 0.5 且 熵 < 0.2', { 归纳: 'induction', 熵: 'entropy' })).toEqual({
      clauses: [
        { field: 'induction', op: '>', value: 0.5 },
        { field: 'entropy', op: '<', value: 0.2 },
      ],
    });
    expect(parseFilter('First token (sink) > 0.9', { 'First token (sink)': 'firstToken' })).toEqual({ clauses: [{ field: 'firstToken', op: '>', value: 0.9 }] });
  });

  it('says which clause is wrong and how', () => {
    expect(parseFilter('induction > 0.5 and banana > 1')).toEqual({ problem: { code: 'name', clause: 'banana > 1', got: 'banana' } });
    expect(parseFilter('induction 0.5')).toEqual({ problem: { code: 'operator', clause: 'induction 0.5' } });
    expect(parseFilter('induction > high')).toEqual({ problem: { code: 'number', clause: 'induction > high', got: 'high' } });
    expect(parseFilter('induction >')).toEqual({ problem: { code: 'number', clause: 'induction >', got: '' } });
  });

  it('a head passes when every clause holds; a score with no eligible row passes none; layer and head count from 1', () => {
    const clauses = (s: string) => {
      const r = parseFilter(s);
      if (!('clauses' in r)) throw new Error('bad filter');
      return r.clauses;
    };
    expect(passes(row(0, 0), clauses('induction > 0.5'))).toBe(true);
    expect(passes(row(0, 0), clauses('induction > 0.6'))).toBe(false);
    expect(passes(row(0, 0), clauses('induction >= 60%'))).toBe(true);
    expect(passes(row(0, 0), clauses('dup >= 0'))).toBe(false);
    expect(passes(row(0, 0), clauses('dup < 2'))).toBe(false);
    expect(passes(row(2, 4), clauses('layer = 3 and head = 5'))).toBe(true);
    expect(passes(row(2, 4), clauses('layer = 3 and head = 4'))).toBe(false);
    expect(passes(row(0, 0), [])).toBe(true);
  });
});
