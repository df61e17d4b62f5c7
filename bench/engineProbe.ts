// Child process of the --against guard (bench/against.ts): loads the engine of one checkout (the
// directory given as argv[2], with its own node_modules) and times computeAttention on seeded inputs
// when asked over IPC, so that two versions of the engine can be timed alternately.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ProbeRequest {
  n: number;
  h: number;
  d: number;
}
/** Wall time of one computeAttention (the input built beforehand), or why it failed. */
export type ProbeReply = { ms: number } | { error: string };

const root = process.argv[2];
const load = (path: string) => import(pathToFileURL(join(root, path)).href);
const attention = await load('engine/attention.ts');
const scenario = await load('engine/scenario.ts');
const backend = await load('engine/backend.ts');
await backend.initBackend('wasm');

const inputs = new Map<string, unknown>();
function inputFor({ n, h, d }: ProbeRequest): unknown {
  const key = `${n}/${h}/${d}`;
  let input = inputs.get(key);
  if (!input) {
    const tokens = Array.from({ length: n }, (_, i) => `w${i}`);
    input = scenario.buildInput({ tokens, mechanism: 'multi', convention: 'standard', seed: 42, d, h, dk: null, causal: false, keyWeights: [], padding: [], overrides: {} });
    inputs.set(key, input);
  }
  return input;
}

process.on('message', (req: ProbeRequest) => {
  void (async () => {
    try {
      const input = inputFor(req);
      const t0 = performance.now();
      await attention.computeAttention(input);
      process.send!({ ms: performance.now() - t0 } satisfies ProbeReply);
    } catch (e) {
      process.send!({ error: e instanceof Error ? e.message : String(e) } satisfies ProbeReply);
    }
  })();
});
process.send!({ ms: 0 } satisfies ProbeReply); // ready
