import { describe, expect, it } from 'vitest';
import { HubError } from '../../engine/checkpoint/hubErrors.ts';
import { isPlainFileName, parseShardIndex } from './layout.ts';

const index = (json: unknown) => new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json));

/** The message of the HubError (code `index`) that parsing `json` throws. */
function rejection(json: unknown): string {
  try {
    parseShardIndex(index(json));
  } catch (err) {
    expect(err).toBeInstanceOf(HubError);
    expect((err as HubError).code).toBe('index');
    return (err as Error).message;
  }
  throw new Error('expected a HubError');
}

describe('the shard index', () => {
  it('lists each shard once, in order of first appearance', () => {
    const map = { a: 'model-00002-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' };
    expect(parseShardIndex(index({ metadata: { total_size: 1 }, weight_map: map }))).toEqual(['model-00002-of-00002.safetensors', 'model-00001-of-00002.safetensors']);
  });

  it('rejects anything but plain .safetensors names', () => {
    expect(rejection('not json')).toMatch(/^model\.safetensors\.index\.json: not valid JSON/);
    expect(rejection({})).toMatch(/has no "weight_map" object/);
    expect(rejection({ weight_map: [] })).toMatch(/has no "weight_map" object/);
    expect(rejection({ weight_map: {} })).toMatch(/"weight_map" is empty/);
    expect(rejection({ weight_map: { w: '../x.safetensors' } })).toMatch(/tensor "w" maps to "..\/x.safetensors"/);
    expect(rejection({ weight_map: { w: 'sub/x.safetensors' } })).toMatch(/not a plain/);
    expect(rejection({ weight_map: { w: 'x.bin' } })).toMatch(/not a plain/);
    expect(rejection({ weight_map: { w: 7 } })).toMatch(/maps to "7"/);
  });

  it('plain file names are safe as one URL path segment', () => {
    for (const ok of ['config.json', 'model-00001-of-00002.safetensors', 'tokenizer_config.json']) expect(isPlainFileName(ok)).toBe(true);
    for (const bad of ['', '.', '..', '.hidden', 'a/b', 'a\\b', 'a..b', 'x?y', 'x#y', 'x y', 'é.json', 'a'.repeat(256)]) expect(isPlainFileName(bad)).toBe(false);
  });
});
