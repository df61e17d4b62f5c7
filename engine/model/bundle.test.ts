// A model bundle round-trips exactly (same weights, same attention), and broken bundles name the problem.
import { describe, expect, it } from 'vitest';
import { asciiVocabulary, packModel, sizeOf, tensorSpecs, type ModelArchitecture } from './format.ts';
import { bundleText, parseBundle } from './bundle.ts';
import { loadModel } from './load.ts';
import { ModelError } from './modelError.ts';
import { modelForward } from './forward.ts';
import { gaussians } from '../seeded.ts';
import { trainArchitecture } from './tasks.ts';

const vocab = asciiVocabulary();
const arch: ModelArchitecture = { ...trainArchitecture({ nLayers: 1, nHeads: 2, dModel: 8, dMlp: 16, context: 12 }), activation: 'relu' };

function packed() {
  const tensors = new Map<string, Float32Array>();
  for (const s of tensorSpecs(arch)) tensors.set(s.name, gaussians(`bundle\u0000${s.name}`, sizeOf(s.shape), 0.5));
  return packModel(arch, vocab, tensors, { name: 'tiny', file: 'tiny.bin' });
}

describe('model bundle', () => {
  it('round-trips the weights bit for bit and gives the same attention', async () => {
    const { manifest, bytes } = packed();
    const back = parseBundle(bundleText(manifest, bytes));
    expect(Array.from(back.bytes)).toEqual(Array.from(bytes));
    const ids = [5, 9, 40, 41, 9];
    const a = await modelForward(loadModel(manifest, bytes), ids);
    const b = await modelForward(back.model, ids);
    expect(Array.from(b.layers[0].result.heads[1].A.data)).toEqual(Array.from(a.layers[0].result.heads[1].A.data));
  });

  it('names what is wrong with a broken bundle', () => {
    const { manifest, bytes } = packed();
    const good = JSON.parse(bundleText(manifest, bytes));
    const bad = (j: unknown) => () => parseBundle(typeof j === 'string' ? j : JSON.stringify(j));
    expect(bad('{oops')).toThrow(/^bundle: not valid JSON/);
    expect(bad([])).toThrow(/^bundle: expected a JSON object/);
    expect(bad(manifest)).toThrow(/bundle.format: .*a manifest alone/);
    expect(bad({ ...good, version: 9 })).toThrow(/^bundle.version: expected 1, got 9/);
    expect(bad({ ...good, weights: 'not base64!' })).toThrow(/^bundle.weights: expected base64/);
    expect(bad({ ...good, weights: good.weights.slice(0, 40) })).toThrow(/^weights: expected \d+ bytes/);
    expect(bad({ ...good, manifest: { ...good.manifest, architecture: { ...good.manifest.architecture, nHeads: 0 } } })).toThrow(ModelError);
  });
});
