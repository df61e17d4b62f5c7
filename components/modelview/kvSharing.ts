// Grouped-query attention in the model view: which query heads read the same key/value head.

/** How a layer's query heads share key/value heads; null when no two share one (plain multi-head attention). */
export interface KvSharing {
  /** Query heads per layer. */
  heads: number;
  /** Distinct key/value heads. */
  kvHeads: number;
  /** kvOf[h]: the key/value head query head h reads (0-based). */
  kvOf: readonly number[];
}

export function kvSharing(kvHeadOfHead: readonly number[] | null | undefined): KvSharing | null {
  if (!kvHeadOfHead || kvHeadOfHead.length === 0) return null;
  const kvHeads = new Set(kvHeadOfHead).size;
  return kvHeads < kvHeadOfHead.length ? { heads: kvHeadOfHead.length, kvHeads, kvOf: kvHeadOfHead } : null;
}
