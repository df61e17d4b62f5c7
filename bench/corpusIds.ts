// The corpus both corpus benchmarks run (bench/corpus.ts in Node, bench/corpusBrowser.ts in the app's
// worker): 64 sequences of 128 seeded random GPT-2 ids, every fourth a random half repeated (induction rows).
import { GPT2_SMALL } from './gpt2SmallCheckpoint.ts';

export const SEQUENCES = 64;
export const N = 128;

export function corpusIds(): number[][] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  return Array.from({ length: SEQUENCES }, (_, s) => {
    const half = Array.from({ length: N / 2 }, () => Math.floor(next() * GPT2_SMALL.vocab_size));
    return s % 4 === 0 ? [...half, ...half] : [...half, ...Array.from({ length: N / 2 }, () => Math.floor(next() * GPT2_SMALL.vocab_size))];
  });
}
