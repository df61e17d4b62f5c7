/** A checkpoint's files by their names in a Hugging Face repo ("config.json", "model.safetensors", "model-00001-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json"). */
export interface CheckpointFiles {
  /** A short label for messages (a folder path or "owner/name@revision"). */
  label: string;
  /** The file's bytes, or null when the checkpoint has no such file. Errors (network, permissions) throw. */
  read(name: string): Promise<Uint8Array | null>;
}
