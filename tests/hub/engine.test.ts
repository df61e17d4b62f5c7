// The engine's checkpoint loader (engine/checkpoint/load.ts) over checkpoints from the hub loader: single
// file, sharded, from the cache, and local files, against the reference outputs (expected.json, made by
// nanoGPT and llama2.c, see tests/fixtures/models/README.md). Imported statically: a loader that goes missing
// fails this file instead of skipping it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointFiles } from '../../engine/checkpoint/files.ts';
import { loadCheckpoint } from '../../engine/checkpoint/load.ts';
import { loadHubCheckpoint } from '../../compute/hub/checkpoint.ts';
import { localCheckpoint } from '../../compute/hub/local.ts';
import { MemoryModelStore } from '../../compute/hub/store.ts';
import { type HubServer, CONFORMANCE_MODELS_DIR, startHubServer } from './server.ts';
import { writeShardedCopy } from './shard.ts';

interface Expected {
  ids: number[];
  attention: number[][][][];
  logits: number[];
}

const expected = (name: string) => JSON.parse(readFileSync(join(CONFORMANCE_MODELS_DIR, name, 'expected.json'), 'utf8')) as Expected;
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

/** Loads `files` with the engine and checks attention (1e-4) and logits (1e-3) against expected.json. */
async function conforms(files: CheckpointFiles, name: string): Promise<void> {
  const want = expected(name);
  const model = await loadCheckpoint(files);
  try {
    const got = await model.forward(want.ids);
    got.layers.forEach((layer, l) => layer.attention.forEach((A, h) => expect(maxDiff(A.data, want.attention[l][h].flat())).toBeLessThan(1e-4)));
    expect(maxDiff(got.logits!, want.logits)).toBeLessThan(1e-3);
  } finally {
    model.dispose();
  }
}

describe('the engine reads checkpoints the hub loader delivers', () => {
  let server: HubServer;
  let tmp: string;
  beforeAll(async () => {
    server = await startHubServer();
    tmp = mkdtempSync(join(tmpdir(), 'hub-engine-'));
    writeShardedCopy(join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny'), tmp, 2);
    server.addRepo('local/gpt2-tiny-sharded', [tmp]);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const [ref, name] of [
    ['hf:local/stories260K-hf', 'stories260K-hf'],
    ['hf:local/gpt2-tiny', 'gpt2-tiny'],
    ['hf:local/gpt2-tiny-sharded', 'gpt2-tiny'],
  ] as const) {
    it(`${ref}: downloaded, then from the cache`, async () => {
      const store = new MemoryModelStore();
      const first = await loadHubCheckpoint(ref, { hub: server.url, store });
      await conforms(first, name);
      const second = await loadHubCheckpoint(ref, { hub: server.url, store });
      expect(second.fromCache).toBe(true);
      await conforms(second, name);
    });
  }

  it('local files', async () => {
    const dir = join(CONFORMANCE_MODELS_DIR, 'gpt2-tiny');
    const pick = (file: string) => ({ path: `gpt2-tiny/${file}`, file: new Blob([readFileSync(join(dir, file))]) });
    await conforms(await localCheckpoint([pick('config.json'), pick('model.safetensors'), pick('expected.json')]), 'gpt2-tiny');
  });
});
