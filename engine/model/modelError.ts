// The error every model and checkpoint loader throws, naming the field it is about. Its own module: the page
// recognises these errors (compute/hub/preflight.ts) without loading the loaders.
export class ModelError extends Error {
  /** What the problem is about, e.g. "manifest.architecture.nHeads", "weights", "tensor layers.0.attn.Wq". */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'ModelError';
    this.field = field;
  }
}
