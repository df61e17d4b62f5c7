// Models the UI offers by name. Figures are from the repos' config.json and recorded file sizes (looked up
// 2026-11-30; `sizeExact: false` means only the Hub's rounded display, e.g. "48.6 MB", was found; null means no
// figure was found — the preflight learns the real size either way).
import { SUPPORTED_TYPES } from '../../engine/checkpoint/config.ts';

/** Model families (config.json `model_type`) the engine runs; others are listed greyed with `reason`. */
export const ENGINE_FAMILIES: ReadonlySet<string> = new Set(SUPPORTED_TYPES);

/** Why a listed family is not run, where more can be said than "not supported" (none at present: every listed family runs). */
const FAMILY_NOTES: Record<string, string> = {};

export interface CuratedModel {
  /** "owner/name" on the Hub. */
  repo: string;
  /** The revision holding model.safetensors (a bot's conversion PR for repos that only ship pytorch_model.bin on main). */
  revision: string;
  /** config.json `model_type`. */
  family: string;
  layers: number;
  heads: number;
  /** Key/value heads (fewer than `heads` with grouped-query attention). */
  kvHeads: number;
  /** Bytes of the safetensors weights, or null when unknown. */
  weightsBytes: number | null;
  /** Whether weightsBytes is a recorded byte count (true) or the Hub's rounded display (false). */
  sizeExact: boolean;
  /** An encoder with a masked-LM head (fills in [MASK]); absent for decoders and for encoders without one. */
  maskedHead?: boolean;
  description: string;
}

/** A curated model with whether the engine can run it and, if not, why. */
export interface CuratedEntry extends CuratedModel {
  supported: boolean;
  reason: string | null;
}

const MODELS: CuratedModel[] = [
  {
    repo: 'openai-community/gpt2',
    revision: 'main',
    family: 'gpt2',
    layers: 12,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 548_105_171,
    sizeExact: true,
    description: 'GPT-2 small (124M), the classic: many well-studied heads, e.g. induction heads in layers 5–6.',
  },
  {
    repo: 'distilbert/distilgpt2',
    revision: 'main',
    family: 'gpt2',
    layers: 6,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 352_824_413,
    sizeExact: true,
    description: 'DistilGPT2 (82M): GPT-2 distilled to half the layers.',
  },
  {
    repo: 'HuggingFaceTB/SmolLM2-135M',
    revision: 'main',
    family: 'llama',
    layers: 30,
    heads: 9,
    kvHeads: 3,
    weightsBytes: 269_060_552,
    sizeExact: true,
    description: 'SmolLM2 135M: a modern small Llama-style model (grouped-query attention, RoPE), bfloat16 weights.',
  },
  {
    repo: 'HuggingFaceTB/SmolLM-135M',
    revision: 'main',
    family: 'llama',
    layers: 30,
    heads: 9,
    kvHeads: 3,
    weightsBytes: 538_090_408,
    sizeExact: true,
    description: 'SmolLM 135M, the first generation: same shape as SmolLM2, float32 weights (twice the download).',
  },
  {
    repo: 'roneneldan/TinyStories-1M',
    revision: 'refs/pr/2',
    family: 'gpt_neo',
    layers: 8,
    heads: 16,
    kvHeads: 16,
    weightsBytes: 48_600_000,
    sizeExact: false,
    description: 'TinyStories 1M: a tiny model that writes simple children’s stories (safetensors from a conversion PR).',
  },
  {
    repo: 'roneneldan/TinyStories-33M',
    revision: 'refs/pr/7',
    family: 'gpt_neo',
    layers: 4,
    heads: 16,
    kvHeads: 16,
    weightsBytes: 291_000_000,
    sizeExact: false,
    description: 'TinyStories 33M: the largest TinyStories model, fluent simple stories (safetensors from a conversion PR).',
  },
  {
    repo: 'EleutherAI/pythia-14m',
    revision: 'main',
    family: 'gpt_neox',
    layers: 6,
    heads: 4,
    kvHeads: 4,
    weightsBytes: 53_300_000,
    sizeExact: false,
    description: 'Pythia 14M: the smallest Pythia, trained on the Pile; handy for quick experiments.',
  },
  {
    repo: 'EleutherAI/pythia-70m',
    revision: 'main',
    family: 'gpt_neox',
    layers: 6,
    heads: 8,
    kvHeads: 8,
    weightsBytes: 166_029_852,
    sizeExact: true,
    description: 'Pythia 70M: a small research model with public training checkpoints.',
  },
  {
    repo: 'Qwen/Qwen2.5-0.5B',
    revision: 'main',
    family: 'qwen2',
    layers: 24,
    heads: 14,
    kvHeads: 2,
    weightsBytes: null,
    sizeExact: false,
    description: 'Qwen2.5 0.5B: a capable multilingual base model (about 1 GB of bfloat16 weights).',
  },
  // A 1B-class model (issue 25): above 500 M parameters the engine streams a Llama's layers from the file's
  // bfloat16 (engine/checkpoint/budget.ts). Size: the Hub's rounded "2.2 GB", not checked from here.
  {
    repo: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
    revision: 'main',
    family: 'llama',
    layers: 22,
    heads: 32,
    kvHeads: 4,
    weightsBytes: 2_200_000_000,
    sizeExact: false,
    description: 'TinyLlama 1.1B Chat: a 1B-class Llama (22 layers, GQA); layers stream from the bfloat16 file as they run.',
  },
  // The encoders (issue 22): sizes are the Hub's rounded figures (sizeExact false; the preflight reads the real
  // sizes before any download). curated.test.ts recomputes them, and the parameter counts the descriptions give,
  // from the repos' configs and the tensors each checkpoint stores (float32).
  {
    repo: 'google-bert/bert-base-uncased',
    revision: 'main',
    family: 'bert',
    layers: 12,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 440_000_000,
    sizeExact: false,
    maskedHead: true,
    description: 'BERT base, uncased (about 110M parameters): the encoder BertViz made famous; bidirectional attention, a masked-LM head for [MASK].',
  },
  {
    repo: 'google-bert/bert-base-chinese',
    revision: 'main',
    family: 'bert',
    layers: 12,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 412_000_000,
    sizeExact: false,
    maskedHead: true,
    description: 'BERT base for Chinese (about 103M parameters): one token per Chinese character, with a masked-LM head.',
  },
  {
    repo: 'distilbert/distilbert-base-uncased',
    revision: 'main',
    family: 'distilbert',
    layers: 6,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 268_000_000,
    sizeExact: false,
    maskedHead: true,
    description: 'DistilBERT base, uncased (about 67M parameters): BERT distilled to 6 layers, no token types, with a masked-LM head.',
  },
  {
    repo: 'FacebookAI/roberta-base',
    revision: 'main',
    family: 'roberta',
    layers: 12,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 499_000_000,
    sizeExact: false,
    maskedHead: true,
    description: 'RoBERTa base (about 125M parameters): BERT’s shape with byte-level BPE and positions from padding_idx + 1; fills in <mask>.',
  },
  {
    repo: 'sentence-transformers/all-MiniLM-L6-v2',
    revision: 'main',
    family: 'bert',
    layers: 6,
    heads: 12,
    kvHeads: 12,
    weightsBytes: 90_900_000,
    sizeExact: false,
    description: 'all-MiniLM-L6-v2 (about 23M parameters): a small sentence-embedding BERT; attention only (no masked-LM head, so no predictions).',
  },
];

/** The curated models, each marked supported or not (with the reason) by ENGINE_FAMILIES. */
export function curatedModels(families: ReadonlySet<string> = ENGINE_FAMILIES): CuratedEntry[] {
  return MODELS.map((m) => {
    const supported = families.has(m.family);
    return { ...m, supported, reason: supported ? null : (FAMILY_NOTES[m.family] ?? `${m.family} is not supported by the engine`) };
  });
}
