// What the pictures show of an encoder's input: the framing tokens ([CLS], [SEP], <s>, </s>) hidden when the
// document says so (their rows and columns out, what each row gave them reported as hidden mass, rows
// renormalised on request), and a sentence pair's lines filtered (A→B, …). The worker's maps stay as they
// are; this only picks what is drawn. Indices: the views count the tokens they show, the store counts the
// input's, so focus and cells are translated both ways.
import { useMemo } from 'react';
import { hideTokens, meanHiddenMass } from '../engine/analysis/hideTokens.ts';
import { filterPairLines } from '../engine/analysis/pairLines.ts';
import type { Matrix } from '../engine/types.ts';
import type { Cell, Focus } from '../components/common/types.ts';
import type { Computed } from '../state/slices/results.ts';
import { useStore } from '../state/store.ts';

export interface ShownTokens {
  /** The tokens drawn. */
  tokens: string[];
  excludedKeys: boolean[];
  /** The shown layer's maps, one per head, over the tokens drawn. */
  heads: Matrix[];
  /** The same maps with only the sentence pair's lines the Lines view's filter keeps. */
  lineHeads: Matrix[];
  /** Every layer's maps over the tokens drawn (the Model view). */
  layers: Matrix[][];
  /** Sentence A (0) / B (1) of each token drawn; null: no pair. */
  segments: number[] | null;
  /** What is hidden: null when every token is drawn. */
  hidden: { renorm: boolean; names: string[]; meanMass: number; massPerHead: number[] } | null;
  /** Input position → drawn index (null: hidden), and back. */
  toShown(i: number | null): number | null;
  toInput(k: number | null): number | null;
  focusToShown(f: Focus): Focus;
  focusToInput(f: Focus): Focus;
  cellToInput(c: Cell): Cell;
}

/** The tokens, maps and index translations the views draw for `computed`. */
export function useShownTokens(computed: Computed): ShownTokens {
  const specials = useStore((s) => s.doc.specials);
  const pairLines = useStore((s) => s.doc.pairLines);
  return useMemo(() => shownTokens(computed, specials, pairLines), [computed, specials, pairLines]);
}

function shownTokens(computed: Computed, specials: 'show' | 'hide' | 'renorm', pairLines: 'all' | 'ab' | 'ba' | 'aa' | 'bb'): ShownTokens {
  const { tokens, excludedKeys, result } = computed;
  const frame = computed.model?.frame ?? null;
  const segments = computed.model?.segments ?? null;
  const heads = result.heads.map((h) => h.A);
  // Thumbnails of a long input are pooled: their cells are no longer tokens, so nothing can be taken out.
  const hide = specials !== 'show' && frame !== null && !computed.pooled && frame.some((f) => !f);
  const lined = (maps: Matrix[], segs: number[] | null) => (segs && pairLines !== 'all' ? filterPairLines(maps, segs, pairLines) : maps);
  if (!hide) {
    const same = (i: number | null) => i;
    return {
      tokens,
      excludedKeys,
      heads,
      lineHeads: lined(heads, segments),
      layers: computed.attention,
      segments,
      hidden: null,
      toShown: same,
      toInput: same,
      focusToShown: (f) => f,
      focusToInput: (f) => f,
      cellToInput: (c) => c,
    };
  }
  const renorm = specials === 'renorm';
  const shown = hideTokens(heads, frame, renorm);
  const { keep } = shown;
  const at = new Map(keep.map((i, k) => [i, k]));
  const toShown = (i: number | null) => (i === null ? null : (at.get(i) ?? null));
  const toInput = (k: number | null) => (k === null ? null : (keep[k] ?? null));
  const segs = segments ? keep.map((i) => segments[i]) : null;
  const massPerHead = meanHiddenMass(shown);
  return {
    tokens: keep.map((i) => tokens[i]),
    excludedKeys: keep.map((i) => excludedKeys[i] ?? false),
    heads: shown.maps,
    lineHeads: lined(shown.maps, segs),
    layers: computed.attention.map((maps, l) => (l === computed.layer ? shown.maps : hideTokens(maps, frame, renorm).maps)),
    segments: segs,
    hidden: {
      renorm,
      names: [...new Set(tokens.filter((_, i) => frame[i]))],
      meanMass: massPerHead.reduce((a, b) => a + b, 0) / Math.max(1, massPerHead.length),
      massPerHead,
    },
    toShown,
    toInput,
    focusToShown: (f) => ({ head: f.head, query: toShown(f.query), key: toShown(f.key) }),
    focusToInput: (f) => ({ head: f.head, query: toInput(f.query), key: toInput(f.key) }),
    cellToInput: (c) => ({ row: toInput(c.row) ?? 0, col: toInput(c.col) ?? 0 }),
  };
}
