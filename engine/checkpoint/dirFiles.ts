// A checkpoint folder on disk (Node only: keep it out of anything the worker imports).
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointFiles } from './files.ts';

/** Bytes read per call: fs.readFile refuses files over 2 GiB, and a 1B-class model's single file is ~2.5 GB. */
const READ_STEP = 2 ** 30;

/** The whole file, read in steps into one buffer (up to buffer.constants.MAX_LENGTH, 4 GiB in Node 20). */
async function readWhole(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const out = new Uint8Array(size);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await file.read(out, at, Math.min(READ_STEP, size - at), at);
      if (bytesRead === 0) throw new Error(`${path}: the file ended after ${at} of ${size} bytes while it was read`);
      at += bytesRead;
    }
    return out;
  } finally {
    await file.close();
  }
}

export function dirFiles(dir: string): CheckpointFiles {
  return {
    label: dir,
    async read(name) {
      try {
        return await readWhole(join(dir, name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}
