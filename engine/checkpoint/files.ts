// Where a checkpoint's files come from, as the loader sees them: a folder on disk (dirFiles.ts, Node), the
// Hub or a browser cache (the app's own implementations), or memory (tests). The loader only ever asks
// for files by their names in a Hugging Face repo.
import type { FileBytes } from './bytes.ts';

/** A checkpoint's files by their names in a Hugging Face repo ("config.json", "model.safetensors", "model-00001-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json"). */
export interface CheckpointFiles {
  /** A short label for messages (a folder path or "owner/name@revision"). */
  label: string;
  /**
   * The file's bytes (pieces for a file larger than a browser's ArrayBuffer: see bytes.ts), or null when the
   * checkpoint has no such file. Errors (network, permissions) throw.
   */
  read(name: string): Promise<FileBytes | null>;
}

/** Files held in memory (tests, or files the user dropped on the page). */
export function memoryFiles(label: string, files: Record<string, FileBytes | string>): CheckpointFiles {
  return {
    label,
    async read(name) {
      const f = files[name];
      if (f === undefined) return null;
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

/** How messages name a file of a checkpoint: "LABEL/config.json". */
export function fileName(files: Pick<CheckpointFiles, 'label'>, name: string): string {
  return `${files.label.replace(/\/+$/, '')}/${name}`;
}
