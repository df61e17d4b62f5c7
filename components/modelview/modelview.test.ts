import { describe, expect, it } from 'vitest';
import { nextTile } from './gridNav.ts';
import { kvSharing } from './kvSharing.ts';
import { clampRange, layersIn } from './layerRange.ts';

describe('layer range', () => {
  it('is every layer until one is picked, and stays inside the model in order', () => {
    expect(clampRange(null, 30)).toEqual({ from: 0, to: 29 });
    expect(clampRange({ from: 8, to: 3 }, 30)).toEqual({ from: 3, to: 8 });
    expect(clampRange({ from: 20, to: 40 }, 12)).toEqual({ from: 11, to: 11 });
    expect(clampRange(null, 0)).toEqual({ from: 0, to: 0 });
    expect(layersIn({ from: 2, to: 5 })).toEqual([2, 3, 4, 5]);
  });
});

describe('kv sharing', () => {
  it('groups query heads by key/value head, and is null when none share', () => {
    expect(kvSharing([0, 0, 1, 1, 2, 2, 3, 3])).toEqual({ heads: 8, kvHeads: 4, kvOf: [0, 0, 1, 1, 2, 2, 3, 3] });
    expect(kvSharing([0, 1, 2, 3])).toBeNull();
    expect(kvSharing([])).toBeNull();
    expect(kvSharing(null)).toBeNull();
    expect(kvSharing([0, 0, 0])?.kvHeads).toBe(1);
  });
});

describe('grid keyboard moves', () => {
  const heads = () => 4;
  it('moves over the layers shown only, clamped at the edges', () => {
    const shown = [3, 4, 5];
    expect(nextTile({ layer: 3, head: 1 }, 'ArrowUp', false, shown, heads)).toEqual({ layer: 3, head: 1 });
    expect(nextTile({ layer: 3, head: 1 }, 'ArrowDown', false, shown, heads)).toEqual({ layer: 4, head: 1 });
    expect(nextTile({ layer: 5, head: 3 }, 'ArrowRight', false, shown, heads)).toEqual({ layer: 5, head: 3 });
    expect(nextTile({ layer: 4, head: 2 }, 'Home', true, shown, heads)).toEqual({ layer: 3, head: 0 });
    expect(nextTile({ layer: 4, head: 0 }, 'End', true, shown, heads)).toEqual({ layer: 5, head: 3 });
    expect(nextTile({ layer: 4, head: 0 }, 'End', false, shown, heads)).toEqual({ layer: 4, head: 3 });
    expect(nextTile({ layer: 4, head: 0 }, 'Enter', false, shown, heads)).toBeNull();
  });
  it('lands on a shown layer when the focused one was filtered out', () => {
    expect(nextTile({ layer: 9, head: 0 }, 'ArrowRight', false, [3, 4], heads)).toEqual({ layer: 3, head: 1 });
  });
});
