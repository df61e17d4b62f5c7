import { buildInput, SCORE_SPREAD } from '../scenario.ts';
import { referenceAttention } from '../reference.ts';
import { tokenize } from '../tokenize.ts';
const texts = ["The animal didn't cross the street because it was too tired", 'The cat sat on the mat.', 'I love machine learning and attention is all you need'];
for (const c of [1, 1.3, 1.6, 2, 2.5]) {
  let maxSum = 0, entSum = 0, rows = 0, oneHot = 0;
  for (const text of texts) for (const seed of [1, 2, 3, 42]) for (const [d, h, conv] of [[8, 1, 'article'], [16, 2, 'article'], [64, 4, 'standard'], [32, 4, 'standard']] as const) {
    const tokens = tokenize(text, 'words');
    const inp = buildInput({ tokens, mechanism: h > 1 ? 'multi' : 'self', convention: conv, seed, d, h, dk: null, causal: false, keyWeights: [], padding: [], overrides: {} });
    inp.scale = inp.scale! * c / SCORE_SPREAD;
    const r = referenceAttention(inp);
    for (const hr of r.heads) for (let i = 0; i < tokens.length; i++) {
      const row = Array.from(hr.A.data.subarray(i * tokens.length, (i + 1) * tokens.length));
      const mx = Math.max(...row); maxSum += mx; rows++; if (mx > 0.9) oneHot++;
      entSum += -row.reduce((s, a) => s + (a > 0 ? a * Math.log(a) : 0), 0) / Math.log(tokens.length);
    }
  }
  console.log('spread', c, 'mean row max', (maxSum / rows).toFixed(3), 'norm entropy', (entSum / rows).toFixed(3), 'rows>0.9', (oneHot / rows).toFixed(3));
}
