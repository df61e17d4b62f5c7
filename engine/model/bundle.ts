// A model in one file: the manifest with its weights inlined as base64, for downloading a model trained
// in the browser and loading it again (the shipped model keeps its .json + .bin pair, which streams with
// progress). The bundle is plain JSON so it survives mail, gists and text editors.
import type { ModelManifest } from './format.ts';
import { loadModel, type LoadedModel } from './load.ts';
import { ModelError } from './modelError.ts';

export const BUNDLE_FORMAT = 'attention-lab/model-bundle';
const BUNDLE_VERSION = 1;

export interface ModelBundle {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  manifest: ModelManifest;
  /** The weights file (manifest.weights), base64. */
  weights: string;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new ModelError('bundle.weights', 'expected base64 text');
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The bundle text of a manifest and its weights file. */
export function bundleText(manifest: ModelManifest, bytes: Uint8Array): string {
  const bundle: ModelBundle = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, manifest, weights: toBase64(bytes) };
  return JSON.stringify(bundle);
}

/** The manifest and weights in a bundle, checked (throws ModelError naming the problem). */
export function parseBundle(text: string): { manifest: ModelManifest; bytes: Uint8Array; model: LoadedModel } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelError('bundle', `not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError('bundle', 'expected a JSON object');
  const b = json as Record<string, unknown>;
  if (b.format !== BUNDLE_FORMAT) {
    const hint = b.format === 'attention-lab/char-transformer' ? ' — this is a manifest alone; its weights are in the .bin file beside it' : '';
    throw new ModelError('bundle.format', `expected ${JSON.stringify(BUNDLE_FORMAT)}, got ${JSON.stringify(b.format ?? null)}${hint}`);
  }
  if (b.version !== BUNDLE_VERSION) throw new ModelError('bundle.version', `expected ${BUNDLE_VERSION}, got ${JSON.stringify(b.version ?? null)}`);
  if (typeof b.weights !== 'string') throw new ModelError('bundle.weights', 'expected the weights as a base64 string');
  const bytes = fromBase64(b.weights);
  const model = loadModel(b.manifest, bytes);
  return { manifest: model.manifest, bytes, model };
}
