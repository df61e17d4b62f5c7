import { describe, expect, it } from 'vitest';
import { detokenize, evalWindows, isHeldOut, makeSampler, unigramCrossEntropy } from './data.ts';

describe('detokenize', () => {
  it('strips tags and rebuilds punctuation spacing', () => {
    const tagged =
      '\n\n\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` no/at evidence/nn \'\'/\'\' that/cs any/dti irregularities/nns took/vbd place/nn ./.\n\n' +
      '\tHe/pps paid/vbd 1/2/cd ,/, (/( or/cc so/rb )/) ;/. Why/wrb ?/.\n';
    expect(detokenize(tagged)).toBe('The Fulton County said "no evidence" that any irregularities took place. He paid 1/2, (or so); Why?');
  });
});

describe('makeSampler', () => {
  const ids = Uint8Array.from({ length: 5000 }, (_, i) => 2 + ((i * 7919) % 90));
  const opts = { B: 16, T: 64, seed: 3, repeatFraction: 1, randomSegmentFraction: 1, alphabet: [200, 201, 202, 203, 204, 205, 206, 207], minSegment: 4 };

  it('is deterministic and shifts targets by one', () => {
    const a = makeSampler(ids, opts)();
    const b = makeSampler(ids, opts)();
    expect(a.x).toEqual(b.x);
    for (let r = 0; r < a.B; r++) for (let t = 0; t + 1 < a.T; t++) expect(a.y[r * a.T + t]).toBe(a.x[r * a.T + t + 1]);
  });

  it('writes a random segment twice and masks the loss on its first copy only', () => {
    const batch = makeSampler(ids, opts)();
    expect(batch.repeated).toBe(16);
    for (let r = 0; r < batch.B; r++) {
      const row = Array.from(batch.x.subarray(r * 64, r * 64 + 64)).concat(batch.y[r * 64 + 63]);
      const w = batch.w.subarray(r * 64, r * 64 + 64);
      // masked targets: positions t + 1 of the first copy, all drawn from the random alphabet
      const masked = Array.from(w).flatMap((x, t) => (x === 0 ? [t + 1] : []));
      expect(masked.length).toBeGreaterThanOrEqual(4);
      expect(masked.every((p) => row[p] >= 200)).toBe(true);
      const p = masked[0];
      const L = masked.length;
      const seg = row.slice(p, p + L);
      // the second copy: the same L symbols later in the row
      const later = row.slice(p + L).join(',');
      expect(later.includes(seg.join(','))).toBe(true);
    }
  });
});

describe('split, windows, unigram', () => {
  it('holds out every 10th file', () => {
    const held = Array.from({ length: 500 }, (_, i) => i).filter(isHeldOut);
    expect(held).toHaveLength(50);
    expect(held.slice(0, 3)).toEqual([9, 19, 29]);
  });

  it('evaluation windows predict each character once', () => {
    const ids = Uint8Array.from({ length: 10 * 8 + 1 }, (_, i) => i);
    const w = evalWindows(ids, 8);
    expect(w.count).toBe(10);
    expect(Array.from(w.y)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it('unigram cross-entropy of a uniform text is log V', () => {
    const ids = Uint8Array.from({ length: 4000 }, (_, i) => i % 4);
    expect(unigramCrossEntropy(ids, ids, 4)).toBeCloseTo(Math.log(4), 3);
  });
});
