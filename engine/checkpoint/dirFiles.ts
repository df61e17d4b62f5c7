// A checkpoint folder on disk (Node only: keep it out of anything the worker imports).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointFiles } from './files.ts';

export function dirFiles(dir: string): CheckpointFiles {
  return {
    label: dir,
    async read(name) {
      try {
        const b = await readFile(join(dir, name));
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}
