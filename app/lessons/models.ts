// The real models the lessons on modern attention open (by the id the model picker and links use).
import type { ModelId } from '../../state/document.ts';

/**
 * stories260K (llama2.c, MIT): 5 layers × 8 query heads on 4 key/value heads, RoPE, 1.2 MB — the repository's
 * conformance checkpoint in the Hub layout (tests/fixtures/models/stories260K-hf), opened through the Hub
 * address (a mirror or `?hub=`) under this name.
 */
export const STORIES_260K: ModelId = 'hf:local/stories260K-hf';

/** TinyStories-1M (GPT-Neo): 8 layers alternating global and local attention (window 256), safetensors from a conversion PR. */
export const TINYSTORIES_1M: ModelId = 'hf:roneneldan/TinyStories-1M@refs/pr/2';

/** The text the RoPE and GQA lessons read (a TinyStories-like opening, so the small models see familiar words). */
export const STORY_TEXT = 'Once upon a time, Lily saw a big red ball.';
