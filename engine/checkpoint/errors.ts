// Every problem with a checkpoint is a CheckpointError: a ModelError (so the app handles both kinds of
// model alike) whose message starts with the file and then the tensor or field, e.g.
// "ckpt/model.safetensors: tensor h.0.attn.c_attn.weight: expected shape [32, 96] for this config, got [32, 95]".
import { ModelError } from '../model/modelError.ts';

export class CheckpointError extends ModelError {
  /** The file, as named in messages ("LABEL/config.json"). */
  readonly file: string;
  constructor(file: string, what: string | null, problem: string) {
    super(what ? `${file}: ${what}` : file, problem);
    this.name = 'CheckpointError';
    this.file = file;
  }
}

/** A JSON value described for "got …" in messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 32 ? `${v.slice(0, 32)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}
