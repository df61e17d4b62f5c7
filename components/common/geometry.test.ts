import { describe, expect, it } from 'vitest';
import {
  bandAt,
  cellAt,
  defaultHeatmapSize,
  estimateTextWidth,
  heatmapLayout,
  labelBandWidth,
  labelStep,
  moveCell,
  thinnedIndices,
} from './geometry.ts';

describe('heatmapLayout', () => {
  it('makes square cells fitting the longest side', () => {
    const l = heatmapLayout(6, 8, 240, 1);
    expect(l.cell).toBe(30);
    expect(l.width).toBe(240);
    expect(l.height).toBe(180);
  });
  it('snaps cells to whole device pixels when they cover at least one', () => {
    const l = heatmapLayout(7, 7, 100, 2); // 14.28 css → 28.57 device → 28 device = 14 css
    expect(l.cell).toBe(14);
    expect(l.cell * 2).toBe(Math.floor(l.cell * 2));
  });
  it('keeps sub-pixel cells for huge matrices', () => {
    const l = heatmapLayout(1024, 1024, 256, 1);
    expect(l.cell).toBe(0.25);
    expect(l.width).toBe(256);
  });
});

describe('cellAt (pointer → cell)', () => {
  const l = heatmapLayout(4, 5, 100, 1); // 20 px cells, 100×80
  it('maps points to row/col by arithmetic', () => {
    expect(cellAt(0, 0, l)).toEqual({ row: 0, col: 0 });
    expect(cellAt(19.99, 19.99, l)).toEqual({ row: 0, col: 0 });
    expect(cellAt(20, 0, l)).toEqual({ row: 0, col: 1 });
    expect(cellAt(99.9, 79.9, l)).toEqual({ row: 3, col: 4 });
    expect(cellAt(45, 65, l)).toEqual({ row: 3, col: 2 });
  });
  it('returns null outside the cells', () => {
    expect(cellAt(-0.1, 5, l)).toBeNull();
    expect(cellAt(5, -1, l)).toBeNull();
    expect(cellAt(100, 5, l)).toBeNull();
    expect(cellAt(5, 80, l)).toBeNull();
    expect(cellAt(NaN, 5, l)).toBeNull();
  });
  it('works for 1,024 tokens at a quarter pixel per cell', () => {
    const big = heatmapLayout(1024, 1024, 256, 1);
    expect(cellAt(255.9, 0.3, big)).toEqual({ row: 1, col: 1023 });
    expect(cellAt(128, 128, big)).toEqual({ row: 512, col: 512 });
  });
});

describe('label thinning', () => {
  it('shows every label when cells are tall enough, every k-th otherwise', () => {
    expect(labelStep(20, 13)).toBe(1);
    expect(labelStep(13, 13)).toBe(1);
    expect(labelStep(6, 13)).toBe(3);
    expect(labelStep(0.25, 13)).toBe(52);
    expect(labelStep(0, 13)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('lists the thinned indices', () => {
    expect(thinnedIndices(10, 3)).toEqual([0, 3, 6, 9]);
    expect(thinnedIndices(3, 1)).toEqual([0, 1, 2]);
    expect(thinnedIndices(0, 4)).toEqual([]);
    expect(thinnedIndices(1024, 52).length).toBe(20);
  });
  it('keeps thinned labels at least minSpacing apart', () => {
    for (const cell of [0.3, 1, 2.5, 7, 12.9]) {
      const k = labelStep(cell, 13);
      expect(k * cell).toBeGreaterThanOrEqual(13 - 1e-9);
      expect((k - 1) * cell).toBeLessThan(13);
    }
  });
});

describe('moveCell (keyboard)', () => {
  it('moves with arrows and clamps at the edges', () => {
    expect(moveCell({ row: 1, col: 1 }, 'ArrowRight', 3, 3)).toEqual({ row: 1, col: 2 });
    expect(moveCell({ row: 1, col: 2 }, 'ArrowRight', 3, 3)).toEqual({ row: 1, col: 2 });
    expect(moveCell({ row: 0, col: 0 }, 'ArrowUp', 3, 3)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 2, col: 0 }, 'ArrowDown', 3, 3)).toEqual({ row: 2, col: 0 });
    expect(moveCell({ row: 1, col: 1 }, 'ArrowLeft', 3, 3)).toEqual({ row: 1, col: 0 });
  });
  it('starts at the top-left when nothing is active', () => {
    expect(moveCell(null, 'ArrowDown', 3, 3)).toEqual({ row: 0, col: 0 });
  });
  it('supports Home/End, Ctrl+Home/End and paging', () => {
    expect(moveCell({ row: 1, col: 1 }, 'Home', 5, 5)).toEqual({ row: 1, col: 0 });
    expect(moveCell({ row: 1, col: 1 }, 'End', 5, 5)).toEqual({ row: 1, col: 4 });
    expect(moveCell({ row: 1, col: 1 }, 'End', 5, 5, { ctrl: true })).toEqual({ row: 4, col: 4 });
    expect(moveCell({ row: 1, col: 1 }, 'PageDown', 50, 5, { page: 10 })).toEqual({ row: 11, col: 1 });
    expect(moveCell({ row: 1, col: 1 }, 'PageUp', 50, 5, { page: 10 })).toEqual({ row: 0, col: 1 });
  });
  it('ignores other keys and empty matrices', () => {
    expect(moveCell({ row: 1, col: 1 }, 'a', 3, 3)).toBeNull();
    expect(moveCell(null, 'ArrowDown', 0, 3)).toBeNull();
  });
});

describe('bandAt', () => {
  it('finds the band under y', () => {
    expect(bandAt(0, 20, 5)).toBe(0);
    expect(bandAt(39.9, 20, 5)).toBe(1);
    expect(bandAt(100, 20, 5)).toBeNull();
    expect(bandAt(-1, 20, 5)).toBeNull();
  });
});

describe('text widths', () => {
  it('estimates wider for CJK', () => {
    expect(estimateTextWidth('猫猫', 10)).toBeGreaterThan(estimateTextWidth('ab', 10));
    expect(labelBandWidth(['a', 'abcdefghijklmnop'], 10, 5)).toBe(Math.ceil(estimateTextWidth('abcd…', 10)) + 8);
  });
  it('sizes default heatmaps between 96 and 480 px', () => {
    expect(defaultHeatmapSize(2, 2)).toBe(96);
    expect(defaultHeatmapSize(6, 8)).toBe(256);
    expect(defaultHeatmapSize(1024, 1024)).toBe(480);
  });
});
