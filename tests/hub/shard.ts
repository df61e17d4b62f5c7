// Writes a sharded copy of a single-file checkpoint (the Hub's layout above a few GB): the tensors split between
// `model-0000i-of-0000n.safetensors` files and a `model.safetensors.index.json` mapping each tensor to its file.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface TensorInfo {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A safetensors file's header and the bytes after it: 8-byte LE header length, JSON header, data. */
function readSafetensors(bytes: Uint8Array): { header: Record<string, TensorInfo>; data: Uint8Array } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, unknown>;
  delete json.__metadata__;
  return { header: json as Record<string, TensorInfo>, data: bytes.subarray(8 + length) };
}

function writeSafetensors(tensors: [string, TensorInfo, Uint8Array][]): Uint8Array {
  const header: Record<string, TensorInfo> = {};
  let offset = 0;
  for (const [name, info, bytes] of tensors) {
    header[name] = { dtype: info.dtype, shape: info.shape, data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const [, , bytes] of tensors) {
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  return out;
}

/**
 * Copies `srcDir`'s config.json and splits its model.safetensors into `shards` files in `outDir` (tensors in
 * header order, dealt out in contiguous runs), with the index. Returns the shard file names.
 */
export function writeShardedCopy(srcDir: string, outDir: string, shards = 2): string[] {
  copyFileSync(join(srcDir, 'config.json'), join(outDir, 'config.json'));
  const { header, data } = readSafetensors(readFileSync(join(srcDir, 'model.safetensors')));
  const names = Object.keys(header);
  const files = Array.from({ length: shards }, (_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`);
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  files.forEach((file, i) => {
    const mine = names.slice(Math.floor((i * names.length) / shards), Math.floor(((i + 1) * names.length) / shards));
    const tensors = mine.map((name): [string, TensorInfo, Uint8Array] => {
      const info = header[name];
      return [name, info, data.subarray(info.data_offsets[0], info.data_offsets[1])];
    });
    for (const [name, , bytes] of tensors) {
      weightMap[name] = file;
      totalSize += bytes.byteLength;
    }
    writeFileSync(join(outDir, file), writeSafetensors(tensors));
  });
  writeFileSync(join(outDir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2));
  return files;
}

/** The tensors of a checkpoint's safetensors files, by name → raw bytes (to compare a sharded copy with its source). */
export function tensorsOf(files: Uint8Array[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const bytes of files) {
    const { header, data } = readSafetensors(bytes);
    for (const [name, info] of Object.entries(header)) out.set(name, data.subarray(info.data_offsets[0], info.data_offsets[1]));
  }
  return out;
}
