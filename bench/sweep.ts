// "Which heads matter?" on a GPT-2-small-shaped checkpoint (12 × 12 heads, random fp16 weights): each of
// the 144 heads ablated in turn at n = 32, through the worker's own code (compute/poolSweep.ts sweepHeads).
// Target: under a minute on this machine. Figures go to docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../engine/backend.ts';
import { dirFiles } from '../engine/checkpoint/dirFiles.ts';
import { fromFiles } from '../compute/models.ts';
import { sweepHeads } from '../compute/poolSweep.ts';
import { writeDocSection } from './docSection.ts';

const TARGET_MS = 60_000;
const N = 32;

const dir = mkdtempSync(path.join(os.tmpdir(), 'sweep-bench-'));
try {
  const gen = spawnSync('npx', ['tsx', path.join(import.meta.dirname, 'gpt2SmallCheckpoint.ts'), '--write', dir], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('could not write the benchmark checkpoint');
  await initBackend('wasm');
  const m = await fromFiles('bench', dirFiles(dir));
  const ids = Array.from({ length: N }, (_, i) => (i * 7919) % m.info.vocab);
  const load0 = os.loadavg()[0];
  const t0 = performance.now();
  const r = await sweepHeads(
    m,
    { key: 'bench', origin: { kind: 'page' }, text: ids.join(' '), layer: 0, position: null, ablate: [], ablateMode: 'zero', target: null, compare: null, pair: null, compareShift: 0 },
    () => undefined,
    () => false,
  );
  const ms = performance.now() - t0;
  const pass = ms < TARGET_MS;
  const heads = r ? r.deltas.length * r.deltas[0].length : 0;
  console.log(`head sweep: ${heads} heads at n = ${N} in ${(ms / 1000).toFixed(1)} s (load ${load0.toFixed(1)}) ${pass ? 'PASS' : 'FAIL'} (< ${TARGET_MS / 1000} s)`);
  writeDocSection(
    '## Which heads matter? (head sweep)',
    [
      '## Which heads matter? (head sweep)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/sweep.ts\` (part of \`npm run bench\`), ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, wasm backend, load average ${load0.toFixed(1)} at the start.`,
      '',
      `A GPT-2-small-shaped checkpoint (12 layers × 12 heads, d 768, vocab 50257, random fp16 weights) through the worker's own sweep (compute/poolSweep.ts \`sweepHeads\`): the ${N} tokens once, then each head ablated alone (zero) with Δ log p of the target read from the last position's logits.`,
      '',
      '| what | figure | target |',
      '|---|---|---|',
      `| ${heads} heads ablated in turn, n = ${N} | ${(ms / 1000).toFixed(1)} s (${(ms / (heads + 1)).toFixed(0)} ms per forward) | ${pass ? 'PASS' : 'FAIL'} (< 60 s) |`,
    ].join('\n'),
  );
  m.model.dispose();
  process.exitCode = pass ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
