// Grouped-query attention: which query heads share a key/value head, and what sharing saves in the KV cache.
import type { ModelInfo } from './transformer/types.ts';
import type { HeadWeights } from './types.ts';

/** kvHeadOfHead of a layer's heads: heads holding the same W^K object share a key/value head (as checkpoints build them). */
export function kvHeadsOf(heads: readonly HeadWeights[]): number[] {
  const seen = new Map<unknown, number>();
  return heads.map((h) => {
    let kv = seen.get(h.Wk);
    if (kv === undefined) seen.set(h.Wk, (kv = seen.size));
    return kv;
  });
}

/** groups[g]: the query heads reading key/value head g, in order. */
export function kvGroups(kvHeadOfHead: readonly number[]): number[][] {
  const groups: number[][] = [];
  kvHeadOfHead.forEach((kv, head) => (groups[kv] ??= []).push(head));
  return groups;
}

/** Bytes of one number in the KV cache: this app keeps K and V in float32. */
export const CACHE_NUMBER_BYTES = 4;

export interface KvCacheSize {
  /** Numbers held per token, over all layers: 2 (K and V) × layers × key/value heads × d_head. */
  numbersPerToken: number;
  /** The same if every query head had its own key/value head (no sharing). */
  numbersPerTokenUnshared: number;
  /** Bytes for `tokens` tokens, with and without sharing. */
  bytes: number;
  bytesUnshared: number;
}

/** The KV cache of a model for `tokens` tokens: with its key/value heads, and as if each query head had its own. */
export function kvCacheSize(info: Pick<ModelInfo, 'layers' | 'heads' | 'kvHeads' | 'dHead'>, tokens: number, numberBytes = CACHE_NUMBER_BYTES): KvCacheSize {
  const per = (kv: number) => 2 * info.layers * kv * info.dHead;
  return {
    numbersPerToken: per(info.kvHeads),
    numbersPerTokenUnshared: per(info.heads),
    bytes: per(info.kvHeads) * tokens * numberBytes,
    bytesUnshared: per(info.heads) * tokens * numberBytes,
  };
}
