// Which real encoder the teaching examples can run on ("run on a real model"): the encoders kept in this
// browser for the Hub in use, read from their cached config.json (no network), else the smallest curated
// encoder with a masked-LM head for the example's language, to be downloaded.
import { contiguous } from '../../engine/checkpoint/bytes.ts';
import { formatHubRef } from '../../engine/checkpoint/hubRef.ts';
import type { ModelId } from '../../state/document.ts';
import { listCachedModels, readCachedFile } from './cache.ts';
import { curatedModels } from './curated.ts';
import type { ModelStore } from './store.ts';

/** The families that read a text bidirectionally (no causal mask). */
export const ENCODER_FAMILIES: ReadonlySet<string> = new Set(['bert', 'roberta', 'distilbert']);

/** A real encoder an example can open on. */
export interface ExampleEncoder {
  id: ModelId;
  /** "owner/name" (with "@revision" when not main). */
  label: string;
  family: string;
  /** Kept in this browser (opens offline); otherwise a download of about `bytes`. */
  cached: boolean;
  /** Weights to download (cached: what is stored); null when unknown. */
  bytes: number | null;
  /** Has a masked-LM head (fills in [MASK]); false when the config names an architecture without one. */
  masked: boolean;
  /** Its vocabulary is Chinese (one token per Chinese character), by its name. */
  chinese: boolean;
}

const isChineseName = (name: string) => /chinese|[-_]zh\b/i.test(name);

/** Whether a config's `architectures` leave a masked-LM head possible (absent: it may be there). */
function hasMaskedHead(architectures: unknown): boolean {
  if (!Array.isArray(architectures) || architectures.length === 0) return true;
  return architectures.some((a) => typeof a === 'string' && /MaskedLM|ForPreTraining/.test(a));
}

/** The encoders cached for `hub`, smallest first; a model whose config cannot be read is left out. */
export async function cachedEncoders(store: ModelStore, hub: string): Promise<ExampleEncoder[]> {
  const found: ExampleEncoder[] = [];
  for (const m of await listCachedModels(store)) {
    if (m.hub !== hub) continue;
    const file = m.files.find((f) => f.name === 'config.json');
    const bytes = file && (await readCachedFile(store, m.hub, m.ref, file));
    if (!bytes) continue;
    let config: { model_type?: unknown; architectures?: unknown };
    try {
      config = JSON.parse(new TextDecoder().decode(contiguous(bytes))) as typeof config;
    } catch {
      continue;
    }
    const family = typeof config.model_type === 'string' ? config.model_type : '';
    if (!ENCODER_FAMILIES.has(family)) continue;
    const id = formatHubRef(m.ref) as ModelId;
    found.push({ id, label: id.slice('hf:'.length), family, cached: true, bytes: m.totalBytes, masked: hasMaskedHead(config.architectures), chinese: isChineseName(m.ref.name) });
  }
  return found.sort((a, b) => (a.bytes ?? 0) - (b.bytes ?? 0) || a.label.localeCompare(b.label));
}

/** The curated encoders, smallest first (what is offered when none is cached). */
export function curatedEncoders(): ExampleEncoder[] {
  return curatedModels()
    .filter((m) => m.supported && ENCODER_FAMILIES.has(m.family))
    .map((m) => {
      const id = formatHubRef({ owner: m.repo.split('/')[0], name: m.repo.split('/')[1], revision: m.revision }) as ModelId;
      return { id, label: id.slice('hf:'.length), family: m.family, cached: false, bytes: m.weightsBytes, masked: m.maskedHead === true, chinese: isChineseName(m.repo) };
    })
    .sort((a, b) => (a.bytes ?? Infinity) - (b.bytes ?? Infinity));
}

// Computed once: the menu asks for every example on every render of the text box.
const CURATED_ENCODERS = curatedEncoders();

/**
 * The encoder an example in `lang` runs on: a cached one first (one whose vocabulary matches the example's
 * language before any other), else the smallest curated one for that language; `masked` asks for a masked-LM head.
 */
export function encoderFor(cached: readonly ExampleEncoder[], lang: 'en' | 'zh', masked = false): ExampleEncoder | null {
  const usable = (list: readonly ExampleEncoder[]) => list.filter((e) => !masked || e.masked);
  const fits = (e: ExampleEncoder) => e.chinese === (lang === 'zh');
  const have = usable(cached);
  return have.find(fits) ?? have[0] ?? usable(CURATED_ENCODERS).find(fits) ?? null;
}
