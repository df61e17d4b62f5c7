// Heads across a corpus on an encoder (a synthetic BertForMaskedLM): every score pooled by hand, with full
// attention's eligibility (every row sees all n keys, so row 0 counts for first-token, self and entropy, and
// entropy is normalised by log n), from the attention of the independent float64 forward pass
// (test-encoders.ts) — not from the engine's maps; a one-sequence corpus equals the scores the app shows
// for that input; top examples include keys after their query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../backend.ts';
import { loadCheckpoint } from '../checkpoint/load.ts';
import { dirFiles } from '../checkpoint/dirFiles.ts';
import { writeCheckpoint } from '../checkpoint/test-checkpoints.ts';
import { encoderConfig, encoderForward, syntheticEncoderTensors, ENC } from '../checkpoint/test-encoders.ts';
import { analyzeHeads } from '../headAnalysis.ts';
import { SCORE_KEYS, type ScoreKey } from '../headScores.ts';
import type { TransformerModel } from '../transformer/types.ts';
import { runCorpus } from './run.ts';

const config = encoderConfig('bert');
const tensors = syntheticEncoderTensors('bert');
// [CLS] … [SEP] framed sentences of the bert-tiny vocabulary, one with repeats (duplicate-token and
// induction rows), and a single token: one admissible key, so no row of it counts for any score.
const SEQS = [
  [2, 5, 19, 20, 21, 5, 22, 17, 3],
  [2, 24, 39, 40, 5, 41, 38, 24, 39, 3],
  [7],
  [2, 13, 14, 15, 16, 3],
];

let tmp: string;
let model: TransformerModel;
beforeAll(async () => {
  await initBackend('wasm');
  tmp = mkdtempSync(join(tmpdir(), 'corpus-encoder-'));
  model = await loadCheckpoint(dirFiles(writeCheckpoint(join(tmp, 'bert'), config, tensors)));
});
afterAll(() => {
  model?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

/** Sums and counts of every score over the corpus for head (l, h), written out row by row for full attention. */
function byHand(l: number, h: number): Record<ScoreKey, { sum: number; rows: number; sequences: number }> {
  const out = Object.fromEntries(SCORE_KEYS.map((k) => [k, { sum: 0, rows: 0, sequences: 0 }])) as Record<ScoreKey, { sum: number; rows: number; sequences: number }>;
  for (const ids of SEQS) {
    const A = encoderForward('bert', config, tensors, ids).attention[l][h];
    const n = ids.length;
    const seen = new Set<ScoreKey>();
    const add = (k: ScoreKey, v: number) => {
      out[k].sum += v;
      out[k].rows++;
      seen.add(k);
    };
    for (let i = 0; i < n; i++) {
      if (i >= 1) add('previousToken', A[i][i - 1]);
      if (n >= 2) {
        // all n keys admissible, row 0 included
        add('firstToken', A[i][0]);
        add('self', A[i][i]);
        add('entropy', -A[i].reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0) / Math.log(n));
      }
      const copies: number[] = [];
      const targets: number[] = [];
      for (let j = 0; j < i; j++) {
        if (ids[j] !== ids[i]) continue;
        copies.push(j);
        if (j + 1 < i) targets.push(j + 1);
      }
      if (copies.length) add('duplicateToken', copies.reduce((s, j) => s + A[i][j], 0));
      if (targets.length) add('induction', targets.reduce((s, j) => s + A[i][j], 0));
    }
    for (const k of seen) out[k].sequences++;
  }
  return out;
}

describe('a corpus on an encoder', () => {
  it('pools every eligible row by hand, with full attention: row 0 counts, entropy over log n, top keys after the query', async () => {
    const result = await runCorpus(model, SEQS, { top: 5 });
    expect(result.causal).toBe(false);
    expect(result.sequences).toBe(4);
    expect(result.rows).toBe(9 + 10 + 1 + 6);
    let after = 0;
    for (let l = 0; l < ENC.layers; l++) {
      for (let h = 0; h < ENC.heads; h++) {
        const want = byHand(l, h);
        const got = result.heads[l][h].scores;
        // eligible rows, by hand: first-token/self/entropy every row of the 3 sequences with n ≥ 2 (a decoder: 8 + 9 + 5)
        expect([got.firstToken.rows, got.self.rows, got.entropy.rows, got.previousToken.rows]).toEqual([25, 25, 25, 22]);
        // duplicate-token and induction: row 5 of the first ("the", target 2), rows 7 and 8 of the second ("dog", "went": targets 2 and 3)
        expect([got.duplicateToken.rows, got.induction.rows]).toEqual([3, 3]);
        for (const key of SCORE_KEYS) {
          expect(got[key].rows, `${l}.${h} ${key}`).toBe(want[key].rows);
          expect(got[key].sequences, `${l}.${h} ${key}`).toBe(want[key].sequences);
          expect(Math.abs(got[key].mean! - want[key].sum / want[key].rows), `${l}.${h} ${key}`).toBeLessThan(1e-5);
        }
        for (const t of result.heads[l][h].top) {
          expect(t.key).toBeGreaterThan(0);
          expect(Math.abs(t.weight - encoderForward('bert', config, tensors, SEQS[t.sequence]).attention[l][h][t.query][t.key])).toBeLessThan(1e-5);
          if (t.key > t.query) after++;
        }
      }
    }
    // full attention: some of the strongest weights are on keys after their query (a decoder has none)
    expect(after).toBeGreaterThan(0);
  });

  it('a one-sequence corpus equals the scores the app shows for that input (analyzeHeads, causal: false), exactly', async () => {
    const ids = SEQS[1];
    const result = await runCorpus(model, [ids]);
    const run = await model.forward(ids, { keep: 'attention' });
    const shown = analyzeHeads({ layers: run.layers.map((x) => x.attention), tokens: ids }, { causal: model.info.causal });
    const causally = analyzeHeads({ layers: run.layers.map((x) => x.attention), tokens: ids }, { causal: true });
    let differs = 0;
    result.heads.forEach((layer, l) =>
      layer.forEach((head, h) => {
        for (const key of SCORE_KEYS) expect(head.scores[key].mean, `${l}.${h} ${key}`).toBe(shown.scores[l][h][key]);
        if (head.scores.firstToken.mean !== causally.scores[l][h].firstToken) differs++;
      }),
    );
    // counting rows as a decoder would (row 0 left out) gives other first-token scores
    expect(differs).toBe(ENC.layers * ENC.heads);
  });
});
