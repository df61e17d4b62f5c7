// Each task's rows are what the task claims, the loss weights mark exactly the predictable targets,
// and the samplers are deterministic.
import { describe, expect, it } from 'vitest';
import { asciiVocabulary } from './format.ts';
import { EXAMPLE_END, SEPARATOR, TASK_NAMES, taskExample, taskSampler, type Batch, type TaskName } from './tasks.ts';

const tokens = asciiVocabulary().tokens;
const B = 24;
const T = 32;

/** Row r as text (T + 1 characters: the inputs and the last target) and its loss weights per character (index ≥ 1). */
function row(b: Batch, r: number): { text: string; weight: (k: number) => number } {
  const ids = [...b.x.subarray(r * b.T, (r + 1) * b.T), b.y[(r + 1) * b.T - 1]];
  return { text: ids.map((id) => tokens[id]).join(''), weight: (k) => b.w[r * b.T + k - 1] };
}

function sample(task: TaskName, seed = 7, corpusText?: string): Batch {
  return taskSampler({ task, B, T, seed, corpusText })();
}

/** Splits a copy/reverse row into its examples, with the index where each starts. */
function examples(text: string): { at: number; first: string; second: string; ended: boolean }[] {
  const out: { at: number; first: string; second: string; ended: boolean }[] = [];
  let at = 0;
  while (at < text.length) {
    const sep = text.indexOf(SEPARATOR, at);
    if (sep < 0) break; // cut inside the first half
    const end = text.indexOf(EXAMPLE_END, sep);
    out.push({ at, first: text.slice(at, sep), second: text.slice(sep + 1, end < 0 ? text.length : end), ended: end >= 0 });
    if (end < 0) break;
    at = end + 1;
  }
  return out;
}

describe('task samplers', () => {
  it('targets are the inputs shifted by one, and the same seed gives the same batches', () => {
    for (const task of TASK_NAMES) {
      const text = task === 'corpus' ? 'the quick brown fox jumps over the lazy dog. '.repeat(20) : undefined;
      const a = sample(task, 3, text);
      const b = sample(task, 3, text);
      const c = sample(task, 4, text);
      expect(a.x).toEqual(b.x);
      expect(a.w).toEqual(b.w);
      expect(a.x).not.toEqual(c.x);
      for (let r = 0; r < B; r++) for (let t = 0; t + 1 < T; t++) expect(a.y[r * T + t]).toBe(a.x[r * T + t + 1]);
    }
  });

  it('copy: lowercase strings, a separator, the same string; loss only on the copy and the end mark', () => {
    const b = sample('copy');
    for (let r = 0; r < B; r++) {
      const { text, weight } = row(b, r);
      const ex = examples(text);
      expect(ex.length).toBeGreaterThanOrEqual(1);
      expect(ex[0].at).toBe(0);
      for (const e of ex) {
        expect(e.first).toMatch(/^[a-z]{3,8}$/);
        expect(e.first.startsWith(e.second)).toBe(true); // the second copy may be cut by the row's end
        if (e.ended) expect(e.second).toBe(e.first);
        for (let k = Math.max(1, e.at); k <= e.at + e.first.length; k++) expect(weight(k)).toBe(0); // the string and the separator
        const sep = e.at + e.first.length;
        for (let k = sep + 1; k < Math.min(text.length, sep + 2 + e.first.length); k++) expect(weight(k)).toBe(1); // the copy and its end mark
      }
    }
  });

  it('reverse: a string, a separator, the string reversed', () => {
    const b = sample('reverse');
    let whole = 0;
    for (let r = 0; r < B; r++) {
      const { text, weight } = row(b, r);
      for (const e of examples(text)) {
        expect(e.first).toMatch(/^[a-z]{3,8}$/);
        const reversed = [...e.first].reverse().join('');
        expect(reversed.startsWith(e.second)).toBe(true);
        if (e.ended) {
          expect(e.second).toBe(reversed);
          whole++;
        }
        const sep = e.at + e.first.length;
        expect(text[sep]).toBe(SEPARATOR);
        expect(weight(sep)).toBe(0);
        if (sep + 1 < text.length) expect(weight(sep + 1)).toBe(1);
      }
    }
    expect(whole).toBeGreaterThan(B); // most rows hold more than one whole example
  });

  it('induction: a random segment written twice in random filler; loss only on the second copy after its first character', () => {
    const b = sample('induction');
    for (let r = 0; r < B; r++) {
      const { text, weight } = row(b, r);
      expect(text).toMatch(/^[a-zA-Z0-9]+$/);
      const learned = [...text].flatMap((_, k) => (k > 0 && weight(k) === 1 ? [k] : []));
      expect(learned.length).toBeGreaterThanOrEqual(3);
      // The learned targets are one run: positions q + 1 … q + L − 1 of a second copy starting at q.
      learned.forEach((k, i) => expect(k).toBe(learned[0] + i));
      const q = learned[0] - 1;
      const L = learned.length + 1;
      const second = text.slice(q, q + L);
      // The same L characters occur earlier, ending before the second copy starts.
      expect(text.slice(0, q - 1).includes(second)).toBe(true);
    }
  });

  it('corpus: windows of the given text, every target learned', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} of the corpus.`).join(' ');
    const b = sample('corpus', 7, text);
    for (let r = 0; r < B; r++) {
      const { text: w } = row(b, r);
      expect(text.includes(w)).toBe(true);
    }
    expect(b.w.every((x) => x === 1)).toBe(true);
    expect(() => sample('corpus', 7, 'too short')).toThrow(/at least 33/);
  });
});

describe('taskExample', () => {
  it('gives one input of at most the context, in the task’s form', () => {
    for (const seed of [1, 2, 3]) {
      const copy = taskExample('copy', seed);
      expect(copy.length).toBeLessThanOrEqual(32);
      for (const e of copy.split(EXAMPLE_END)) {
        const [a, c] = e.split(SEPARATOR);
        expect(c).toBe(a);
      }
      for (const e of taskExample('reverse', seed).split(EXAMPLE_END)) {
        const [a, c] = e.split(SEPARATOR);
        expect(c).toBe([...a].reverse().join(''));
      }
      expect(taskExample('induction', seed)).toMatch(/^[a-zA-Z0-9]{32}$/);
    }
    expect(taskExample('copy', 5)).toBe(taskExample('copy', 5));
    const corpus = 'It was the best of times, it was the worst of times, it was the age of wisdom.';
    const ex = taskExample('corpus', 1, { corpusText: corpus });
    expect(corpus.includes(ex)).toBe(true);
    expect(ex.length).toBeGreaterThan(10);
    expect(taskExample('corpus', 1).length).toBeGreaterThan(10);
  });
});
