import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubError } from '../../engine/checkpoint/hubErrors.ts';
import { contiguous, Pieces } from '../../engine/checkpoint/bytes.ts';
import { type DirectoryEntryLike, type EntryLike, type FileEntryLike, filesFromEntries, localCheckpoint, localCheckpointFromEntries, localCheckpointFromFileList, readBlob } from './local.ts';

const MODELS = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'models');
const bytesOf = (folder: string, file: string) => new Uint8Array(readFileSync(join(MODELS, folder, file)));

/** A File as <input webkitdirectory> gives it: with its path under the picked folder. */
function picked(path: string, bytes: Uint8Array | string): File {
  const file = new File([bytes as BlobPart], path.slice(path.lastIndexOf('/') + 1));
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

function fileEntry(name: string, bytes: Uint8Array | string): FileEntryLike {
  return { name, isFile: true, isDirectory: false, file: (ok) => ok(new File([bytes as BlobPart], name)) };
}

/** A directory entry whose reader answers in batches of two, as Chromium answers in batches of 100. */
function dirEntry(name: string, children: EntryLike[]): DirectoryEntryLike {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader() {
      let at = 0;
      return { readEntries: (ok) => ok(children.slice(at, (at += 2))) };
    },
  };
}

describe('local checkpoints', () => {
  it('opens a picked folder by base name, byte-identical', async () => {
    const list = [
      picked('gpt2-tiny/config.json', bytesOf('gpt2-tiny', 'config.json')),
      picked('gpt2-tiny/model.safetensors', bytesOf('gpt2-tiny', 'model.safetensors')),
      picked('gpt2-tiny/expected.json', '{}'),
    ];
    const ckpt = await localCheckpointFromFileList(list);
    expect(ckpt.label).toBe('gpt2-tiny');
    expect(ckpt.files).toEqual([
      { name: 'config.json', size: 271 },
      { name: 'model.safetensors', size: 125272 },
    ]);
    expect(ckpt.absent).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    expect(Buffer.compare(contiguous((await ckpt.read('model.safetensors'))!), bytesOf('gpt2-tiny', 'model.safetensors'))).toBe(0);
    expect(await ckpt.read('tokenizer.json')).toBeNull();
  });

  it('caps JSON files as the Hub loader does: config.json 1 MB, tokenizer.json 64 MB, refused before reading', async () => {
    const big = (path: string, size: number) => {
      const file = picked(path, '');
      Object.defineProperty(file, 'size', { value: size });
      return file;
    };
    const list = [picked('m/config.json', bytesOf('gpt2-tiny', 'config.json')), picked('m/model.safetensors', bytesOf('gpt2-tiny', 'model.safetensors')), big('m/tokenizer.json', 64 * 1024 * 1024 + 1)];
    const ckpt = await localCheckpointFromFileList(list);
    await expect(ckpt.read('tokenizer.json')).rejects.toThrow('m/tokenizer.json: 67108865 bytes is larger than the 67108864-byte limit');
    const cfg = await localCheckpointFromFileList([big('m/config.json', 2 * 1024 * 1024), list[1]]);
    await expect(cfg.read('config.json')).rejects.toThrow('m/config.json: 2097152 bytes is larger than the 1048576-byte limit');
  });

  it('a file larger than a piece is read a piece at a time, byte for byte', async () => {
    const weights = bytesOf('gpt2-tiny', 'model.safetensors');
    const small = await readBlob('m/model.safetensors', new Blob([weights as BlobPart]), weights.byteLength);
    expect(small).toBeInstanceOf(Uint8Array);
    const pieceBytes = Math.ceil(weights.byteLength / 3) + 1;
    const pieces = await readBlob('m/model.safetensors', new Blob([weights as BlobPart]), pieceBytes);
    expect(pieces).toBeInstanceOf(Pieces);
    expect((pieces as Pieces).pieces.map((p) => p.byteLength)).toEqual([pieceBytes, pieceBytes, weights.byteLength - 2 * pieceBytes]);
    expect(Buffer.compare(contiguous(pieces), weights)).toBe(0);
  });

  it('prefers the shallowest copy of a name and ignores hidden folders', async () => {
    const ckpt = await localCheckpoint([
      { path: 'm/sub/config.json', file: new Blob(['{"deep":true}']) },
      { path: 'm/config.json', file: new Blob(['{"top":true}']) },
      { path: 'm/.cache/model.safetensors', file: new Blob(['hidden']) },
      { path: 'm/model.safetensors', file: new Blob(['weights']) },
    ]);
    expect(new TextDecoder().decode(contiguous((await ckpt.read('config.json'))!))).toBe('{"top":true}');
    expect(new TextDecoder().decode(contiguous((await ckpt.read('model.safetensors'))!))).toBe('weights');
  });

  it('reads dropped folders, recursing and reading every batch', async () => {
    const entries = [
      dirEntry('stories', [
        fileEntry('config.json', '{}'),
        fileEntry('README.md', '#'),
        dirEntry('weights', [fileEntry('model.safetensors.index.json', JSON.stringify({ weight_map: { a: 'model-1.safetensors', b: 'model-2.safetensors' } })), fileEntry('model-1.safetensors', '1'), fileEntry('model-2.safetensors', '2')]),
        fileEntry('tokenizer.json', '{}'),
      ]),
    ];
    expect((await filesFromEntries(entries)).map((f) => f.path)).toEqual([
      'stories/config.json',
      'stories/README.md',
      'stories/weights/model.safetensors.index.json',
      'stories/weights/model-1.safetensors',
      'stories/weights/model-2.safetensors',
      'stories/tokenizer.json',
    ]);
    const ckpt = await localCheckpointFromEntries(entries);
    expect(ckpt.label).toBe('stories');
    expect(ckpt.files.map((f) => f.name)).toEqual(['config.json', 'model.safetensors.index.json', 'model-1.safetensors', 'model-2.safetensors', 'tokenizer.json']);
    expect(ckpt.absent).toEqual(['tokenizer_config.json']);
    expect(await ckpt.read('model.safetensors')).toBeNull();
  });

  it('says what is missing and lists what was found', async () => {
    const noConfig = await localCheckpointFromFileList([picked('x/model.safetensors', 'w'), picked('x/notes.txt', 'n')]).catch((e: unknown) => e);
    expect(noConfig).toBeInstanceOf(HubError);
    expect((noConfig as HubError).code).toBe('missing');
    expect((noConfig as Error).message).toBe('"x" has no config.json. Found: "x/model.safetensors", "x/notes.txt"');

    const noWeights = await localCheckpointFromFileList([picked('x/config.json', '{}')]).catch((e: unknown) => e);
    expect((noWeights as Error).message).toBe('"x" has no weights (model.safetensors or model.safetensors.index.json). Found: "x/config.json"');

    const index = JSON.stringify({ weight_map: { a: 'model-1.safetensors', b: 'model-2.safetensors' } });
    const noShard = await localCheckpointFromFileList([picked('x/config.json', '{}'), picked('x/model.safetensors.index.json', index), picked('x/model-1.safetensors', '1')]).catch((e: unknown) => e);
    expect((noShard as Error).message).toMatch(/^"x" has no shard "model-2.safetensors" named in model.safetensors.index.json\. Found: /);

    const many = Array.from({ length: 20 }, (_, i) => picked(`x/f${String(i).padStart(2, '0')}.bin`, ''));
    const listed = await localCheckpointFromFileList(many).catch((e: unknown) => e);
    expect((listed as Error).message).toMatch(/"x\/f11.bin" and 8 more$/);

    const empty = await localCheckpoint([]).catch((e: unknown) => e);
    expect((empty as Error).message).toBe('"local files" has no config.json. Found: nothing');
  });
});
