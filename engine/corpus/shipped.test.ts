// The shipped corpora: each file is there with its origin and licence, splits into the sequences the
// catalog says, and the induction probe is a seeded segment repeated.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inductionProbeCorpus, sentences, SHIPPED_CORPORA, shippedEntries } from './shipped.ts';

const PUBLIC = join(import.meta.dirname, '..', '..', 'public');
const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe('shipped corpora', () => {
  it('every file of public/corpora has its origin and licence in its README, and every catalog path exists', () => {
    const readme = readFileSync(join(PUBLIC, 'corpora', 'README.md'), 'utf8');
    for (const f of readdirSync(join(PUBLIC, 'corpora')).filter((f) => f !== 'README.md')) expect(readme, f).toMatch(new RegExp(`\\| \`${f.replace('.', '\\.')}\` \\|[^\\n]*\\| [^|]*licen`));
    for (const c of SHIPPED_CORPORA) if (c.path) expect(readFileSync(join(PUBLIC, c.path), 'utf8').length, c.path).toBeGreaterThan(1000);
  });

  it('sentences: breaks after . ! ? (and closing quotes) before a capital, a digit or an opening quote; no word lost', () => {
    expect(sentences('It rained. "Stay in," she said! Why? 3 cats came. e.g. this stays.')).toEqual(['It rained.', '"Stay in," she said!', 'Why?', '3 cats came. e.g. this stays.']);
    const text = readFileSync(join(PUBLIC, 'train/brown-excerpt.txt'), 'utf8');
    const brown = shippedEntries(SHIPPED_CORPORA.find((c) => c.id === 'brown')!, text);
    expect(brown.length).toBeGreaterThan(1000);
    expect(brown.map((e) => words('text' in e ? e.text : '')).flat()).toEqual(words(text));
    expect(new Set(brown.map((e) => e.line))).toEqual(new Set(Array.from({ length: 13 }, (_, k) => k + 1)));
  });

  it('stories and Chinese: one sequence per line', () => {
    for (const id of ['stories', 'zh'] as const) {
      const c = SHIPPED_CORPORA.find((x) => x.id === id)!;
      const entries = shippedEntries(c, readFileSync(join(PUBLIC, c.path!), 'utf8'));
      expect(entries).toHaveLength(40);
      expect(entries[39].line).toBe(40);
    }
  });

  it('the induction probe: a seeded random segment of the alphabet, twice', () => {
    const alphabet = [5, 6, 7, 8, 9, 10, 11, 12];
    const probe = inductionProbeCorpus(alphabet, 4, 10, 1);
    expect(probe).toHaveLength(4);
    for (const e of probe) {
      const ids = 'ids' in e ? e.ids : [];
      expect(ids).toHaveLength(20);
      expect(ids.slice(10)).toEqual(ids.slice(0, 10));
      for (const id of ids) expect(alphabet).toContain(id);
    }
    expect(new Set(probe.map((e) => JSON.stringify(e)))).toHaveLength(4); // different segments
    expect(inductionProbeCorpus(alphabet, 4, 10, 1)).toEqual(probe);
    expect(inductionProbeCorpus(alphabet, 4, 10, 2)).not.toEqual(probe);
  });
});
