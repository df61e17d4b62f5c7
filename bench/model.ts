// Trained-model figures in Node (tfjs wasm, one thread): the shipped model's forward pass over a full
// context (every layer through the engine), the head analysis the Model view shows, and the in-browser
// trainer's step time at its default size. Prints medians; no targets (issue 4 sets none), so it never fails.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../engine/backend.ts';
import { analyzeHeads } from '../engine/headAnalysis.ts';
import { makeInductionProbe } from '../engine/headScores.ts';
import { loadModel } from '../engine/model/load.ts';
import { modelForward } from '../engine/model/forward.ts';
import { tokenizeForModel } from '../engine/model/tokenize.ts';
import { createTrainer } from '../engine/model/trainer.ts';

const root = path.resolve(import.meta.dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function main(): Promise<void> {
  const backend = await initBackend('wasm');
  console.log(`Trained model benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load ${os.loadavg()[0].toFixed(2)}, backend ${backend}`);

  const model = loadModel(readFileSync(path.join(root, 'public/models/brown-char.json'), 'utf8'), readFileSync(path.join(root, 'public/models/brown-char.bin')));
  const text = readFileSync(path.join(root, 'tests/fixtures/heldout.txt'), 'utf8').slice(0, model.arch.context);
  const { ids } = tokenizeForModel(model, text);
  const forward = await timeIt(20, () => modelForward(model, ids, { logits: false }));
  console.log(`brown-char forward pass, n = ${ids.length} (${model.arch.nLayers} layers × ${model.arch.nHeads} heads, every layer via computeAttention): ${forward.toFixed(1)} ms`);

  const run = await modelForward(model, ids, { logits: false });
  const layers = run.layers.map((l) => l.result.heads.map((h) => h.A));
  const printable = model.vocab.tokens.flatMap((t, id) => (id !== model.vocab.unknownId && t > ' ' ? [id] : []));
  const probe = makeInductionProbe(printable, 24, 1);
  const probeRun = await modelForward(model, probe.tokens, { logits: false });
  const probeLayers = probeRun.layers.map((l) => l.result.heads.map((h) => h.A));
  const analysis = await timeIt(20, () => analyzeHeads({ layers, tokens: ids }, { causal: true, probe: { layers: probeLayers, tokens: probe.tokens, rows: probe.rows } }));
  const probeMs = await timeIt(10, () => modelForward(model, probe.tokens, { logits: false }));
  console.log(`head analysis (6 scores × 8 heads + 8×8 similarity): ${analysis.toFixed(2)} ms; induction probe forward (n = ${probe.tokens.length}): ${probeMs.toFixed(1)} ms`);

  const trainer = createTrainer({ task: 'copy', seed: 1, lr: 3e-3, batch: 16 });
  const step = await timeIt(20, () => trainer.step());
  const pack = await timeIt(5, () => trainer.loadedModel());
  console.log(
    `in-browser trainer, default size (${trainer.arch.nLayers}×${trainer.arch.nHeads}, d_model ${trainer.arch.dModel}, batch 16 × ${trainer.arch.context}): ` +
      `${step.toFixed(1)} ms/step = ${Math.round(trainer.tokensPerStep / (step / 1000)).toLocaleString('en')} tokens/s; weights → model for a snapshot ${pack.toFixed(1)} ms`,
  );
  trainer.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
