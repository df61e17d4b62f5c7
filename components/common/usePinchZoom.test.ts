import { describe, expect, it } from 'vitest';
import { nearestZoom } from './usePinchZoom.ts';

describe('nearestZoom', () => {
  it('snaps a pinch to the nearest step on a log scale and stays within the steps', () => {
    expect(nearestZoom(1)).toBe(1);
    expect(nearestZoom(1.2)).toBe(1);
    expect(nearestZoom(1.3)).toBe(1.5);
    expect(nearestZoom(2.5)).toBe(3);
    expect(nearestZoom(0.3)).toBe(1);
    expect(nearestZoom(40)).toBe(4);
  });
});
