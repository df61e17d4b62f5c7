// The `model` command line on the synthetic 1B-class checkpoint (bench/llama1B.ts), run as a user runs it:
// `npm run --silent model -- DIR --ids …`, under /usr/bin/time for its peak resident set (GNU time's %M: the
// largest process of the tree npm → tsx → node, i.e. the one running the model). Its JSON is checked, not
// just its exit code: every map, each row a distribution, causal, finite logits over the vocabulary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LLAMA_1B, LLAMA_1B_MAPS } from './llama1B.ts';

export interface CliRun {
  /** Wall time of the command, seconds. */
  wallS: number;
  userS: number;
  systemS: number;
  /** Peak RSS of the largest process in the command's tree (bytes), or null without /usr/bin/time. */
  peakRss: number | null;
  /** Bytes the command printed. */
  outputBytes: number;
}

interface CliJson {
  model: { type: string; layers: number; heads: number; kvHeads: number; vocab: number };
  ids: number[];
  attention: number[][][][];
  logits: number[];
}

/** What is wrong with the command's output for these ids, or null. */
function checkOutput(out: CliJson, ids: number[]): string | null {
  const want = { type: 'llama', layers: LLAMA_1B.num_hidden_layers, heads: LLAMA_1B.num_attention_heads, kvHeads: LLAMA_1B.num_key_value_heads, vocab: LLAMA_1B.vocab_size };
  if (JSON.stringify(out.model) !== JSON.stringify(want)) return `model ${JSON.stringify(out.model)}, expected ${JSON.stringify(want)}`;
  if (JSON.stringify(out.ids) !== JSON.stringify(ids)) return 'ids differ from --ids';
  const n = ids.length;
  let maps = 0;
  for (const [l, layer] of out.attention.entries()) {
    for (const [h, A] of layer.entries()) {
      maps++;
      if (A.length !== n) return `map ${l}.${h} has ${A.length} rows`;
      for (let i = 0; i < n; i++) {
        const row = A[i];
        const sum = row.reduce((s, x) => s + x, 0);
        if (row.length !== n || Math.abs(sum - 1) > 1e-4) return `map ${l}.${h} row ${i} sums to ${sum}`;
        if (row.some((x, j) => (j > i ? x !== 0 : !(x >= 0)))) return `map ${l}.${h} row ${i} is not causal or has a negative weight`;
      }
    }
  }
  if (maps !== LLAMA_1B_MAPS) return `${maps} maps, expected ${LLAMA_1B_MAPS}`;
  if (out.logits.length !== LLAMA_1B.vocab_size || !out.logits.every(Number.isFinite)) return 'logits are not finite numbers over the vocabulary';
  return null;
}

/** Runs the command line on the checkpoint in `dir` with these ids; throws when it fails or prints something wrong. */
export function runModelCli(root: string, dir: string, ids: number[]): CliRun {
  const timing = path.join(dir, 'cli-time.txt');
  const args = ['npm', 'run', '--silent', 'model', '--', dir, '--ids', ids.join(',')];
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = spawnSync(timed ? '/usr/bin/time' : args[0], timed ? ['-f', '%M %U %S', '-o', timing, ...args] : args.slice(1), {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`model exited ${r.status}: ${r.stderr.toString().trim()}`);
  const [maxKb, userS, systemS] = timed ? readFileSync(timing, 'utf8').trim().split(/\s+/).map(Number) : [NaN, NaN, NaN];
  rmSync(timing, { force: true });
  const text = r.stdout.toString();
  const wrong = checkOutput(JSON.parse(text) as CliJson, ids);
  if (wrong) throw new Error(`model printed a wrong result: ${wrong}`);
  return { wallS, userS, systemS, peakRss: timed ? maxKb * 1024 : null, outputBytes: Buffer.byteLength(text) };
}
